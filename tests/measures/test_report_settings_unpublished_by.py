"""A report published without a recorded publisher (the demo's 2565 report) (issue 11, point 8)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from assessments.models import Role
from measures.models import ReportSettings
from tests.builders import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(org):
    # As the demo loads it: published, with neither a publisher nor a time recorded.
    return ReportSettings.objects.create(organisation=org, fiscal_year=2565, published=True)


@pytest.fixture
def admin_client(org):
    client = Client(raise_request_exception=True)
    client.force_login(make_user("boss", org, role=Role.ADMINISTRATOR))
    return client


def _url(name: str) -> str:
    return reverse(f"measures_staff:{name}", kwargs={"org": "office", "year": 2565})


def test_the_settings_page_shows_published_without_a_publisher(admin_client, published):
    response = admin_client.get(_url("report-settings"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "เผยแพร่แล้ว" in html
    assert "โดย" not in html.split("<h2>")[1]  # no "(by …)" without a publisher
    assert _url("report-publish") in html  # the administrator can withdraw it


def test_an_administrator_withdraws_a_report_without_a_publisher(admin_client, published):
    response = admin_client.post(_url("report-publish"), {"published": "0"})
    assert response.status_code == 302
    published.refresh_from_db()
    assert not published.published


def test_the_publisher_is_named_when_recorded(admin_client, published, org):
    published.published_by = make_user("publisher", org, role=Role.ADMINISTRATOR, first_name="สมศรี")
    published.save()
    assert "โดย สมศรี" in admin_client.get(_url("report-settings")).content.decode()
