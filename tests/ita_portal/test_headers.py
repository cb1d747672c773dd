"""Security headers and no inline styles (issue 11, point 12)."""

from __future__ import annotations

import re

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.template import loader
from django.urls import reverse

from assessments.models import Organisation
from tests.builders import make_user
from tests.measures.builders import image_bytes

STRICT_POLICY = {
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
}
INLINE_STYLE = re.compile(r"<[a-zA-Z][^>]*\sstyle\s*=|<style[\s>]", re.IGNORECASE)
HREF = re.compile(r'href="(/staff/[^"?#]*)"')


def _policy(response) -> set[str]:
    return {part.strip() for part in response["Content-Security-Policy"].split(";")}


@pytest.fixture
def demo(db, monkeypatch, tmp_path):
    monkeypatch.setattr(
        "ita_portal.management.commands.setup_demo.PASSWORD_FILE", tmp_path / ".demo-password"
    )
    call_command("setup_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    office = Organisation.objects.get(slug="demo")
    office.logo.save("logo.png", ContentFile(image_bytes("PNG")))
    return office


@pytest.fixture
def superuser(db):
    return make_user("operator", is_staff=True, is_superuser=True)


def test_public_page_headers(client, org):
    response = client.get(reverse("assessments:organisation", args=[org.slug]))
    assert response.status_code == 200
    assert _policy(response) == STRICT_POLICY
    assert "camera=()" in response["Permissions-Policy"]
    assert "interest-cohort=()" in response["Permissions-Policy"]
    assert "no-store" not in response.get("Cache-Control", "")


def test_staff_page_headers(client, org):
    client.force_login(make_user("somchai", org))
    response = client.get(reverse("staff:dashboard"))
    assert response.status_code == 200
    assert _policy(response) == STRICT_POLICY
    assert "microphone=()" in response["Permissions-Policy"]
    assert response["Cache-Control"] == "no-store"


def test_staff_login_page_is_not_stored(client, db):
    response = client.get(reverse("staff:login"))
    assert "no-store" in response["Cache-Control"]
    assert _policy(response) == STRICT_POLICY


def test_admin_page_headers(client, superuser):
    client.force_login(superuser)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    policy = _policy(response)
    # The admin's own templates need inline scripts and styles; nothing else is relaxed.
    assert "script-src 'self' 'unsafe-inline'" in policy
    assert "style-src 'self' 'unsafe-inline'" in policy
    assert {"object-src 'none'", "frame-ancestors 'none'", "base-uri 'none'"} <= policy
    assert "geolocation=()" in response["Permissions-Policy"]
    assert "no-store" in response["Cache-Control"]


def test_public_page_seen_signed_in_is_not_stored(client, org):
    client.force_login(make_user("somchai", org))
    response = client.get(reverse("assessments:organisation", args=[org.slug]))
    assert response["Cache-Control"] == "no-store"


def test_error_pages_carry_the_headers(client, db):
    response = client.get("/no-such-organisation/ita/2565/")
    assert response.status_code == 404
    assert _policy(response) == STRICT_POLICY
    assert "Permissions-Policy" in response


def test_no_inline_styles_on_public_pages(client, demo):
    pages = [
        "/",
        "/demo/",
        "/demo/ita/2565/",
        "/demo/ita/2564/",
        "/demo/oit/2565/",
        "/demo/oit/2565/O1/",
        "/demo/oit/2565/O31/",
        "/demo/complaints/new/",
        "/complaints/track/",
        "/demo/complaints/statistics/2565/",
        "/demo/reports/2565/",
        "/staff/login/",
        "/staff/password/reset/",
        "/no-such-page/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert not INLINE_STYLE.search(response.text), url
    assert "org-logo" in client.get("/demo/").text


def test_no_inline_styles_on_staff_pages(client, demo):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="admin"))
    seen: set[str] = set()
    queue = ["/staff/"]
    while queue and len(seen) < 80:
        url = queue.pop(0)
        if url in seen or "logout" in url:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        assert not INLINE_STYLE.search(response.text), url
        queue += [link for link in HREF.findall(response.text) if link not in seen]
    assert len(seen) > 20


def test_server_error_page_has_no_inline_style(db):
    assert not INLINE_STYLE.search(loader.get_template("500.html").render())
