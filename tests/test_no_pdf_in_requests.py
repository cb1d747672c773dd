"""No web request renders a PDF: with the renderer broken, every PDF address still answers.

Documents and the poster are stored PDFs made by the task queue's worker
(``ita_portal.pdf_store``); the one-time code slips are an HTML page the browser
prints. A request that reached WeasyPrint here would raise.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

# Loaded before any patch, so none of them keeps a patched name after the test.
import assessments.surveys.staff_views  # noqa: F401
import measures.pdf_store
import measures.views  # noqa: F401
from assessments.models import Role
from assessments.surveys.services import codes_generate
from measures.documents import document_addresses
from measures.models import DocumentKind
from measures.services import report_publish
from tests.assessments.survey_staff_builders import YEAR as SURVEY_YEAR
from tests.assessments.survey_staff_builders import make_round
from tests.builders import make_org, make_user
from tests.task_worker import run_worker

YEAR = 2565

pytestmark = pytest.mark.django_db


class RendererCalled(AssertionError):
    pass


def _refuse(*args, **kwargs):
    raise RendererCalled("a web request rendered a PDF")


@pytest.fixture
def no_renderer(monkeypatch):
    import weasyprint

    # The one helper, under every name it is imported as, and WeasyPrint itself.
    for target in (
        "ita_portal.pdf.html_to_pdf",
        "measures.report.html_to_pdf",
        "assessments.surveys.poster.html_to_pdf",
    ):
        monkeypatch.setattr(target, _refuse)
    monkeypatch.setattr(weasyprint.HTML, "write_pdf", _refuse)
    monkeypatch.setattr(weasyprint.HTML, "render", _refuse)


def _document_pdfs(slug: str) -> list[str]:
    return [document_addresses(slug, YEAR, kind)[1] for kind in DocumentKind.values]


def _get_all(client, urls: list[str]) -> list:
    responses = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        responses.append(response)
    return responses


def test_no_request_path_renders_a_pdf(client, no_renderer):
    office = make_org("office", name_th="สำนักงานทดสอบ")
    for kind in (DocumentKind.ANNUAL, DocumentKind.RESULTS):
        report_publish(organisation=office, fiscal_year=YEAR, user=None, published=True, kind=kind)
    survey_round = make_round(office, uses_codes=True)
    codes_generate(survey_round=survey_round, count=3)
    staff_only = [
        reverse("surveys_staff:poster", args=[office.slug, SURVEY_YEAR, "IIT"]),
        reverse("surveys_staff:codes-slips", args=[office.slug, SURVEY_YEAR, "IIT"]),
    ]
    published = [
        document_addresses(office.slug, YEAR, k)[1]
        for k in (DocumentKind.ANNUAL, DocumentKind.RESULTS)
    ]

    # The public: published documents (drafts are a 404, rendered or not).
    for _round in range(2):  # the first asks, the second finds it queued
        _get_all(client, published)
    for kind in (DocumentKind.ANNOUNCEMENT, DocumentKind.PLAN):
        assert client.get(document_addresses(office.slug, YEAR, kind)[1]).status_code == 404

    # Staff: every kind, published or draft, the poster and the slips.
    client.force_login(make_user("boss", office, Role.ADMINISTRATOR))
    responses = _get_all(client, _document_pdfs(office.slug) + staff_only)
    assert any("กำลังจัดทำเอกสาร" in r.content.decode() for r in responses if not r.streaming)
    slips = responses[-1].content.decode()
    assert "พิมพ์ / บันทึกเป็น PDF" in slips

    # Stale copies are served while the new versions wait for the worker.
    from ita_portal.models import StoredPdf

    assert StoredPdf.objects.count() == len(DocumentKind.values) + 1
    assert all(not s.file for s in StoredPdf.objects.all())
    client.logout()
    _get_all(client, published)


def test_stored_pdfs_are_served_without_rendering(client, monkeypatch):
    office = make_org("office", name_th="สำนักงานทดสอบ")
    report_publish(organisation=office, fiscal_year=YEAR, user=None, published=True)
    survey_round = make_round(office)
    url = document_addresses(office.slug, YEAR, DocumentKind.ANNUAL)[1]
    poster = reverse(
        "surveys_staff:poster", args=[office.slug, SURVEY_YEAR, survey_round.instrument_code]
    )
    client.get(url)
    client.force_login(make_user("boss", office, Role.ADMINISTRATOR))
    client.get(poster)
    run_worker()  # the worker renders (WeasyPrint works here)

    import weasyprint

    monkeypatch.setattr("ita_portal.pdf.html_to_pdf", _refuse)
    monkeypatch.setattr(weasyprint.HTML, "write_pdf", _refuse)
    assert client.get(poster)["Content-Type"] == "application/pdf"
    client.logout()
    assert client.get(url)["Content-Type"] == "application/pdf"
