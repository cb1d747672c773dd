"""The annual measures report as its reader gets it: the web page and the PDF."""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from assessments.models import Role
from measures.models import Announcement, ReportSettings, Round
from measures.report import report_build, report_pdf_bytes
from measures.services import report_publish
from tests.builders import PASSWORD, REFERENCE_003, make_assessment, make_org, make_user
from tests.measures.builders import make_follow_up, make_measure
from tests.task_worker import run_worker

YEAR = 2565
SUMMARY = "จัดอบรมผู้รับผิดชอบข้อมูลทุกกลุ่มงานและปรับปรุงเว็บไซต์ให้เป็นปัจจุบันครบทุกรายการ"


def normalise(text: str) -> str:
    """What a reader searches for: NFKC (ำ = ํ + า), no spaces or line breaks,
    nikhahit after a tone mark (PDF text gives them in drawing order)."""
    text = "".join(unicodedata.normalize("NFKC", text).split())
    return re.sub("(\u0e4d)([\u0e48-\u0e4b])", r"\2\1", text)


def pdf_text(pdf: bytes) -> tuple[str, PdfReader]:
    reader = PdfReader(io.BytesIO(pdf))
    return normalise("".join(page.extract_text() for page in reader.pages)), reader


def embedded_fonts(reader: PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        fonts = page["/Resources"].get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            names.add(str(font["/BaseFont"]).split("+", 1)[-1])
            for descendant in font.get("/DescendantFonts", []):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                assert "/FontFile2" in descriptor or "/FontFile3" in descriptor  # embedded
    return names


@pytest.fixture
def year_data(org):
    make_assessment(org, YEAR - 1, REFERENCE_003)
    first = make_measure(
        org,
        title="มาตรการเผยแพร่ข้อมูลต่อสาธารณะ",
        indicators=(9,),
        approach="ทุกกลุ่มงานนำข้อมูลขึ้นเว็บไซต์",
        monitoring="รายงานทุกไตรมาส",
        due_date=dt.date(2022, 9, 30),
    )
    make_measure(org, title="มาตรการป้องกันการรับสินบน", indicators=())
    make_follow_up(first, Round.SIX_MONTHS, summary="เริ่มดำเนินการแล้ว", status="in_progress")
    make_follow_up(first, Round.TWELVE_MONTHS, summary=SUMMARY, images=2)
    announcement = Announcement.objects.create(
        organisation=org,
        fiscal_year=YEAR,
        number="32/2565",
        title="มาตรการป้องกันการรับสินบน",
        body="ย่อหน้าแรกของประกาศ\n\nทั้งนี้ ตั้งแต่บัดนี้เป็นต้นไป",
        date=dt.date(2022, 1, 25),
        signatory_name="นายสมชาย ใจดี",
        signatory_position="ผู้อำนวยการสำนักงาน",
    )
    announcement.measures.add(first)
    return org


def test_pdf_text_fonts_and_pages(year_data):
    pdf = report_pdf_bytes(report_build(organisation=year_data, fiscal_year=YEAR), cached=False)
    text, reader = pdf_text(pdf)
    for expected in [
        "มาตรการเผยแพร่ข้อมูลต่อสาธารณะ",  # measure titles
        "มาตรการป้องกันการรับสินบน",
        "การเปิดเผยข้อมูล",  # indicator 9's name, in chapter 2 and in the plan
        "การป้องกันการทุจริต",  # indicator 10
        SUMMARY,  # a follow-up summary
        "ภาพกิจกรรมที่1",  # an evidence caption
        "32/2565",
        "นายสมชายใจดี",
        "บทที่3",
    ]:
        assert normalise(expected) in text, expected
    assert "\ufffd" not in text and not re.search("[\ue000-\uf8ff]", text)
    fonts = embedded_fonts(reader)
    assert any(name.startswith("Laksaman") for name in fonts), fonts
    assert fonts <= {"Laksaman", "Laksaman-Bold", "Laksaman-Italic", "Laksaman-BoldItalic"}, fonts
    # Cover, preface, contents, four chapters, an appendix: at least 8 pages, not dozens.
    assert 8 <= len(reader.pages) <= 25
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=1)  # A4


def test_pdf_with_thai_digits(year_data):
    ReportSettings.objects.create(organisation=year_data, fiscal_year=YEAR, thai_digits=True)
    text, _reader = pdf_text(
        report_pdf_bytes(report_build(organisation=year_data, fiscal_year=YEAR), cached=False)
    )
    assert "๓๒/๒๕๖๕" in text
    assert "32/2565" not in text


def test_empty_year_still_renders(org):
    text, reader = pdf_text(report_pdf_bytes(report_build(organisation=org, fiscal_year=2570)))
    assert normalise(org.name_th) in text
    assert len(reader.pages) >= 4


def test_stored_pdf_is_replaced_when_the_data_changes(year_data, settings):
    report = report_build(organisation=year_data, fiscal_year=YEAR)
    first = report_pdf_bytes(report)
    assert report_pdf_bytes(report_build(organisation=year_data, fiscal_year=YEAR)) == first
    stored = list((settings.MEDIA_ROOT / "report-pdfs").iterdir())
    assert len(stored) == 1
    make_measure(year_data, title="มาตรการทบทวนการใช้ดุลพินิจ")
    second = report_pdf_bytes(report_build(organisation=year_data, fiscal_year=YEAR))
    assert normalise("มาตรการทบทวนการใช้ดุลพินิจ") in pdf_text(second)[0]
    assert [p.name for p in (settings.MEDIA_ROOT / "report-pdfs").iterdir()] != [stored[0].name]
    assert len(list((settings.MEDIA_ROOT / "report-pdfs").iterdir())) == 1


def test_draft_is_hidden_from_the_public_and_shown_to_staff(client, year_data):
    url = reverse("measures:report", args=[year_data.slug, YEAR])
    pdf_url = reverse("measures:report-pdf", args=[year_data.slug, YEAR])
    assert client.get(url).status_code == 404
    assert client.get(pdf_url).status_code == 404
    make_user("viewer", year_data, Role.VIEWER)
    client.login(username="viewer", password=PASSWORD)
    response = client.get(url)
    assert response.status_code == 200
    assert "ร่าง" in response.content.decode()  # the draft banner
    assert response["Cache-Control"] == "private, no-store"


def test_other_organisations_staff_do_not_see_a_draft(client, year_data):
    other = make_org("other")
    make_user("stranger", other, Role.ADMINISTRATOR)
    client.login(username="stranger", password=PASSWORD)
    assert client.get(reverse("measures:report", args=[year_data.slug, YEAR])).status_code == 404


def test_published_report_is_public_then_hidden_again(client, year_data):
    admin = make_user("boss", year_data, Role.ADMINISTRATOR)
    report_publish(organisation=year_data, fiscal_year=YEAR, user=admin, published=True)
    url = reverse("measures:report", args=[year_data.slug, YEAR])
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "มาตรการเผยแพร่ข้อมูลต่อสาธารณะ" in html and SUMMARY in html
    assert 'lang="th"' in html
    pdf_url = reverse("measures:report-pdf", args=[year_data.slug, YEAR])
    assert "กำลังจัดทำเอกสาร" in client.get(pdf_url).content.decode()  # queued, not rendered
    run_worker()
    pdf = client.get(pdf_url)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    content = b"".join(pdf.streaming_content)
    assert content.startswith(b"%PDF")
    assert normalise(SUMMARY) in pdf_text(content)[0]
    report_publish(organisation=year_data, fiscal_year=YEAR, user=admin, published=False)
    assert client.get(url).status_code == 404


def test_html_report_structure(client, year_data):
    make_user("viewer", year_data, Role.VIEWER)
    client.login(username="viewer", password=PASSWORD)
    html = client.get(reverse("measures:report", args=[year_data.slug, YEAR])).content.decode()
    for anchor in (
        "cover",
        "preface",
        "toc",
        "chapter-1",
        "chapter-2",
        "chapter-3",
        "chapter-4",
        "announcements",
    ):
        assert f'id="{anchor}"' in html
    assert "<svg" in html  # the charts from the analysis
    assert "75.92" in html  # indicator 9 of the analysed year
    assert "ตัวชี้วัดที่ 9" in html
    assert html.count('class="evidence"') == 2


def test_report_page_query_count_does_not_grow_with_measures(
    client, year_data, django_assert_max_num_queries
):
    report_publish(organisation=year_data, fiscal_year=YEAR, user=None, published=True)
    url = reverse("measures:report", args=[year_data.slug, YEAR])
    client.get(url)
    for _ in range(10):
        make_follow_up(make_measure(year_data), images=1)
    with django_assert_max_num_queries(30):
        assert client.get(url).status_code == 200


def test_unknown_organisation_or_year_is_a_404(client, org):
    assert client.get("/nobody/reports/2565/").status_code == 404
    assert client.get(f"/{org.slug}/reports/2565.pdf").status_code == 404


def test_render_report_command(year_data, tmp_path):
    out = tmp_path / "report.pdf"
    stdout = io.StringIO()
    call_command("render_report", year_data.slug, str(YEAR), "-o", str(out), stdout=stdout)
    assert out.read_bytes().startswith(b"%PDF")
    assert "2 " in stdout.getvalue() or "2 measures" in stdout.getvalue()


def test_render_report_command_refuses_a_ce_year(org):
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("render_report", org.slug, "2023")
