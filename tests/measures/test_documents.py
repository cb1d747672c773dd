"""The four documents of a year: each with its own settings and permanent address,
published and withdrawn on its own, linked from the O-items that carry them."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessments.models import Role
from measures.models import DocumentKind, ReportSettings
from measures.services import report_publish
from tests.builders import make_user
from tests.disclosures.builders import make_disclosure
from tests.ita_portal.test_pdf_text import _poppler
from tests.measures.builders import make_measure

pytestmark = pytest.mark.django_db


def test_each_kind_has_its_own_settings(client, org):
    make_user("boss", org, role=Role.ADMINISTRATOR)
    client.login(username="boss", password="a-long-test-password")
    url = reverse("measures_staff:document-settings", args=[org.slug, 2565, "plan"])
    page = client.get(url)
    assert page.status_code == 200
    token = page.context["form"]["edit_token"].value()
    response = client.post(
        url,
        {
            "edit_token": token,
            "title": "แผนมาตรการส่งเสริมคุณธรรม",
            "chapter_word": "ส่วนที่",
            "thai_digits": "on",
            "signatory_name": "",
            "signatory_position": "",
            "preface": "",
            "background": "",
        },
    )
    assert response.status_code == 302
    plan = ReportSettings.objects.get(organisation=org, fiscal_year=2565, kind="plan")
    assert (plan.title, plan.chapter_word, plan.thai_digits) == (
        "แผนมาตรการส่งเสริมคุณธรรม",
        "ส่วนที่",
        True,
    )
    # The annual report of the same year is untouched.
    assert not ReportSettings.objects.filter(
        organisation=org, fiscal_year=2565, kind=DocumentKind.ANNUAL
    ).exists()
    listing = client.get(reverse("measures_staff:documents", args=[org.slug, 2565]))
    html = listing.content.decode()
    assert "แผนมาตรการส่งเสริมคุณธรรม" in html
    for kind in DocumentKind.values:
        assert str(DocumentKind(kind).label) in html


def test_a_document_is_public_only_once_published_and_withdrawn_on_its_own(client, org):
    make_measure(org, 2565, title="มาตรการป้องกันการรับสินบน")
    page = f"/{org.slug}/reports/2565/announcement/"
    assert client.get(page).status_code == 404
    assert client.get(f"/{org.slug}/reports/2565/announcement.pdf").status_code == 404
    report_publish(
        organisation=org, fiscal_year=2565, user=None, published=True, kind="announcement"
    )
    response = client.get(page)
    assert response.status_code == 200
    assert "มาตรการป้องกันการรับสินบน" in response.content.decode()
    # The annual report was not published by publishing the announcement.
    assert client.get(f"/{org.slug}/reports/2565/").status_code == 404
    report_publish(
        organisation=org, fiscal_year=2565, user=None, published=False, kind="announcement"
    )
    assert client.get(page).status_code == 404
    # An unknown kind is no address at all.
    assert client.get(f"/{org.slug}/reports/2565/minutes/").status_code == 404


def test_items_carrying_the_measures_link_their_published_documents(client, org):
    make_disclosure(org, "O42", published=True)
    make_disclosure(org, "O43", published=True)
    make_measure(org, 2565, title="มาตรการเปิดเผยข้อมูล")
    for kind in ("announcement", "plan", "results"):
        report_publish(organisation=org, fiscal_year=2565, user=None, published=True, kind=kind)
    measures_page = client.get(f"/{org.slug}/oit/2565/O42/").content.decode()
    results_page = client.get(f"/{org.slug}/oit/2565/O43/").content.decode()
    assert f'href="/{org.slug}/reports/2565/announcement/"' in measures_page
    assert f'href="/{org.slug}/reports/2565/plan.pdf"' in measures_page
    assert "/reports/2565/results/" not in measures_page
    assert f'href="/{org.slug}/reports/2565/results/"' in results_page
    assert "/reports/2565/announcement/" not in results_page


WORDS = ("ดำเนินการ", "สำนักงาน", "ผู้รับผิดชอบ", "ตัวชี้วัด")


@pytest.mark.parametrize("kind", DocumentKind.values)
def test_render_report_writes_every_kind(org, tmp_path, kind):
    make_measure(org, 2565, title="มาตรการป้องกันผลประโยชน์ทับซ้อน")
    # A short paragraph in the document's own text (a word wrapped inside a narrow
    # table cell would be split by the line, in any tool).
    ReportSettings.objects.create(
        organisation=org,
        fiscal_year=2565,
        kind=kind,
        preface="สำนักงานดำเนินการตามตัวชี้วัด มีผู้รับผิดชอบ",
        body="สำนักงานดำเนินการตามตัวชี้วัด มีผู้รับผิดชอบ",
    )
    target = tmp_path / f"{kind}.pdf"
    out = io.StringIO()
    call_command("render_report", org.slug, "2565", "--kind", kind, "-o", str(target), stdout=out)
    assert target.read_bytes().startswith(b"%PDF")
    assert "draft" in out.getvalue()
    # Every link a reader can follow is an absolute public address, never the
    # made-up host the PDF's resources are fetched under.
    assert b"report.invalid" not in target.read_bytes()
    # The text layer gives back the words as typed, in layout and in raw order,
    # and the PDF is tagged.
    pdf = target.read_bytes()
    for mode in ((), ("-raw",)):
        text = _poppler("pdftotext", *mode, pdf=pdf)
        for word in WORDS:
            assert word in text, (kind, mode, word)
    assert "Tagged:          yes" in _poppler("pdfinfo", pdf=pdf)


def test_links_in_the_pdf_are_the_portals_public_addresses(settings):
    from measures.report import absolute_links

    settings.SITE_URL = "https://ita.example.go.th"
    html = (
        '<link rel="stylesheet" href="/static/css/report.css">'
        '<a class="x" href="/office/files/evidence/k/">ภาพ</a> <a href="#ch2">บทที่ 2</a>'
        '<img src="/office/files/evidence/k/preview/"> <a href="https://www.example.org/">x</a>'
    )
    out = absolute_links(html)
    assert 'href="https://ita.example.go.th/office/files/evidence/k/"' in out
    assert 'href="/static/css/report.css"' in out  # fetched from disk, not a link
    assert 'src="/office/files/evidence/k/preview/"' in out
    assert 'href="#ch2"' in out and 'href="https://www.example.org/"' in out
