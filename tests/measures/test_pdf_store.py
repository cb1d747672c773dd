"""Stored PDFs: a request never renders; the task queue's worker does, once per version."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from assessments.models import Role
from assessments.public_cache import content_changed
from ita_portal.models import StoredPdf
from measures.models import ReportSettings
from measures.services import report_publish
from tests.builders import make_org, make_user
from tests.measures.test_report import normalise, pdf_text
from tests.task_worker import run_worker

YEAR = 2565

pytestmark = pytest.mark.django_db


def queued() -> int:
    return DBTaskResult.objects.filter(status="READY").count()


@pytest.fixture
def published(db):
    org = make_org("office", name_th="สำนักงานทดสอบการจัดเก็บ")
    report_publish(organisation=org, fiscal_year=YEAR, user=None, published=True)
    org.refresh_from_db()
    return org


def _url(org) -> str:
    return reverse("measures:report-pdf", args=[org.slug, YEAR])


def test_the_first_request_gets_the_preparing_page_and_queues_once(client, published):
    first = client.get(_url(published))
    assert first.status_code == 200
    assert first["Content-Type"].startswith("text/html")
    assert first["Cache-Control"] == "no-store"
    html = first.content.decode()
    assert "กำลังจัดทำเอกสาร" in html
    assert '<meta http-equiv="refresh" content="5">' in html
    assert reverse("measures:report", args=[published.slug, YEAR]) in html
    client.get(_url(published))
    assert queued() == 1


def test_after_the_worker_the_pdf_is_served_from_storage(client, published):
    client.get(_url(published))
    run_worker()
    response = client.get(_url(published))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'inline; filename="ita-measures-{published.slug}-{YEAR}.pdf"'
    )
    assert response["Cache-Control"] == "public, max-age=300"
    text, _reader = pdf_text(b"".join(response.streaming_content))
    assert normalise("สำนักงานทดสอบการจัดเก็บ") in text
    assert queued() == 0


def test_a_change_serves_the_previous_pdf_until_the_new_one_is_made(client, published):
    client.get(_url(published))
    run_worker()
    before = StoredPdf.objects.get()
    published.name_th = "สำนักงานชื่อใหม่"
    published.save()
    content_changed(published)

    response = client.get(_url(published))
    client.get(_url(published))
    assert response["Content-Type"] == "application/pdf"
    assert normalise("สำนักงานทดสอบการจัดเก็บ") in pdf_text(b"".join(response.streaming_content))[0]
    assert queued() == 1

    run_worker()
    after = StoredPdf.objects.get()
    assert after.version != before.version and after.file.name != before.file.name
    assert not after.file.storage.exists(before.file.name)  # the old copy is removed
    text = pdf_text(b"".join(client.get(_url(published)).streaming_content))[0]
    assert normalise("สำนักงานชื่อใหม่") in text


def test_x_accel_redirect(client, published, settings):
    settings.PDF_SENDFILE = "x-accel-redirect"
    settings.PDF_SENDFILE_PREFIX = "/protected-media/"
    client.get(_url(published))
    run_worker()
    response = client.get(_url(published))
    stored = StoredPdf.objects.get()
    assert response["X-Accel-Redirect"] == f"/protected-media/{stored.file.name}"
    assert response["Content-Type"] == "application/pdf"
    assert response.content == b""
    assert "inline;" in response["Content-Disposition"]


def test_x_sendfile(client, published, settings):
    settings.PDF_SENDFILE = "x-sendfile"
    client.get(_url(published))
    run_worker()
    response = client.get(_url(published))
    stored = StoredPdf.objects.get()
    assert response["X-Sendfile"] == stored.file.path
    assert response.content == b""


def test_a_failed_render_is_recorded_and_the_page_still_answers(client, published, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("WeasyPrint fell over")

    monkeypatch.setattr("measures.report.html_to_pdf", broken)
    client.get(_url(published))
    run_worker()
    stored = StoredPdf.objects.get()
    assert "WeasyPrint fell over" in stored.error and not stored.file
    assert DBTaskResult.objects.get().status == "FAILED"
    response = client.get(_url(published))
    assert response.status_code == 200
    assert "ยังจัดทำไฟล์ PDF ไม่สำเร็จ" in response.content.decode()
    assert queued() == 0  # not retried for the same version: no loop


def test_staff_see_a_draft_as_a_private_pdf(client, db):
    org = make_org("draft-office", name_th="สำนักงานฉบับร่าง")
    client.force_login(make_user("viewer", org, Role.VIEWER))
    url = _url(org)
    assert "กำลังจัดทำเอกสาร" in client.get(url).content.decode()
    run_worker()
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert not ReportSettings.objects.filter(organisation=org, published=True).exists()


def test_publishing_queues_the_pdf_before_anyone_asks(client, db):
    org = make_org("office2", name_th="สำนักงานเผยแพร่")
    client.force_login(make_user("boss", org, Role.ADMINISTRATOR))
    response = client.post(
        reverse("measures_staff:report-publish", args=[org.slug, YEAR]), {"published": "1"}
    )
    assert response.status_code == 302
    assert queued() == 1
    run_worker()
    client.logout()
    assert client.get(_url(org))["Content-Type"] == "application/pdf"


def test_a_current_public_pdf_takes_one_query(client, published, django_assert_num_queries):
    client.get(_url(published))
    run_worker()
    with django_assert_num_queries(2):  # the first download finds the current file
        assert client.get(_url(published))["Content-Type"] == "application/pdf"
    with django_assert_num_queries(1):  # then the organisation's version alone
        response = client.get(_url(published))
    assert response["Content-Type"] == "application/pdf"
    assert client.get(f"/nobody/reports/{YEAR}.pdf").status_code == 404
    assert client.get(f"/{published.slug}/reports/2570.pdf").status_code == 404  # unpublished


def test_a_remembered_file_is_not_served_once_the_document_changes(client, published):
    client.get(_url(published))
    run_worker()
    assert client.get(_url(published))["Content-Type"] == "application/pdf"
    report_publish(organisation=published, fiscal_year=YEAR, user=None, published=False)
    assert client.get(_url(published)).status_code == 404
    report_publish(organisation=published, fiscal_year=YEAR, user=None, published=True)
    # Published again: a new version, not made yet; the previous file meanwhile.
    again = client.get(_url(published))
    assert again.status_code == 200
    run_worker()
    assert client.get(_url(published))["Content-Type"] == "application/pdf"
