"""Evidence files and signed announcements: public only once the year's report is published."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import Role
from measures.models import Announcement
from measures.services import announcement_attachment_set, report_publish
from tests.builders import PASSWORD, make_org, make_user
from tests.measures.builders import PDF_BYTES, make_follow_up, make_measure


def _urls(org):
    follow_up = make_follow_up(make_measure(org), images=1)
    evidence = follow_up.evidence.get()
    return (
        reverse("measures:evidence-file", args=[org.slug, evidence.key]),
        reverse("measures:evidence-preview", args=[org.slug, evidence.key]),
    )


def test_evidence_of_a_draft_year_is_for_staff_only(client, org):
    original, preview = _urls(org)
    assert client.get(original).status_code == 404
    assert client.get(preview).status_code == 404
    make_user("viewer", org, Role.VIEWER)
    client.login(username="viewer", password=PASSWORD)
    response = client.get(preview)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8")


def test_evidence_of_a_published_year_is_public(client, org):
    original, preview = _urls(org)
    report_publish(organisation=org, fiscal_year=2565, user=None, published=True)
    assert client.get(original).status_code == 200
    assert client.get(preview).status_code == 200


def test_another_organisations_staff_get_a_404(client, org):
    original, _preview = _urls(org)
    make_user("stranger", make_org("other"), Role.ADMINISTRATOR)
    client.login(username="stranger", password=PASSWORD)
    assert client.get(original).status_code == 404
    # The key under another organisation's address is not found either.
    assert client.get(original.replace(f"/{org.slug}/", "/other/")).status_code == 404


def test_signed_announcement_follows_the_report(client, org):
    announcement = Announcement.objects.create(
        organisation=org,
        fiscal_year=2565,
        title="ประกาศ",
        body="ข้อความ",
        date=dt.date(2022, 1, 1),
        signatory_name="ก",
        signatory_position="ข",
    )
    announcement_attachment_set(
        announcement=announcement, upload=SimpleUploadedFile("s.pdf", PDF_BYTES)
    )
    url = reverse("measures:announcement-file", args=[org.slug, announcement.key])
    assert client.get(url).status_code == 404
    report_publish(organisation=org, fiscal_year=2565, user=None, published=True)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
