"""``/healthz/`` (issue 11, point 13)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client, override_settings
from django.urls import path

from assessments.models import validate_slug_not_reserved

URL = "/healthz/"  # the address monitors are configured with


def test_healthy(client, db):
    response = client.get(URL)
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_database_down(client, db):
    def refuse(execute, sql, params, many, context):
        # The real connection, refusing every statement as a stopped server would.
        raise connection.Database.OperationalError("could not connect to 10.0.0.5 password=x")

    with connection.execute_wrapper(refuse):
        response = client.get(URL)
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error", "cache": "ok"}
    assert "10.0.0.5" not in response.text
    assert "password" not in response.text


def test_cache_down(client, db, settings):
    # A real cache backend pointed at a closed port: nothing listens on port 1.
    unreachable = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        },
    }
    with override_settings(CACHES=unreachable):
        response = client.get(URL)
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "cache": "error"}
    assert "6379" not in response.text and "127.0.0.1" not in response.text


def test_healthz_is_a_reserved_slug():
    with pytest.raises(ValidationError):
        validate_slug_not_reserved("healthz")


# Error reports to ADMINS ---------------------------------------------------

IDENTITY = "นายสมชาย ใจดี 3101700123456"


def _broken_view(request):
    name = request.POST.get("name")  # a local variable holding the identity
    raise RuntimeError(f"boom while saving {len(name)} characters")


urlpatterns = [path("broken/", _broken_view)]


@pytest.mark.urls("tests.ita_portal.test_health")
def test_error_report_goes_to_admins_without_form_data(db, settings, mailoutbox):
    settings.ADMINS = [("Operator", "ops@example.go.th")]
    client = Client(raise_request_exception=False)
    response = client.post("/broken/", {"name": IDENTITY, "password": "secret-pass-1"})
    assert response.status_code == 500
    [report] = mailoutbox
    assert report.to == ["ops@example.go.th"]
    assert "RuntimeError" in report.body
    assert IDENTITY not in report.body
    assert "secret-pass-1" not in report.body
    assert not report.alternatives  # plain text, no HTML copy of the debug page
