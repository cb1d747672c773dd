"""The results report (reference 002) as its reader gets it: one table per measure with
steps, responsible, summary, outcome and completion date, the evidence pictures with
their measure, parts left out absent — in the HTML and in the PDF's text."""

from __future__ import annotations

import datetime as dt
import re
import subprocess

import pytest
from django.urls import reverse

from assessments.models import Role
from measures.models import DocumentKind, ReportSettings, Round
from measures.report import report_body_html, report_build, report_pdf_bytes
from measures.services import report_publish
from tests.builders import make_org, make_user
from tests.measures.builders import make_follow_up, make_measure
from tests.task_worker import run_worker

pytestmark = pytest.mark.django_db

YEAR = 2566
RESULTS = DocumentKind.RESULTS


def settings_for(org, **fields) -> ReportSettings:
    settings, _created = ReportSettings.objects.update_or_create(
        organisation=org, fiscal_year=YEAR, kind=RESULTS, defaults=fields
    )
    return settings


def results_html(org) -> str:
    return str(report_body_html(report_build(organisation=org, fiscal_year=YEAR, kind=RESULTS)))


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def pdf_text(pdf: bytes, tmp_path, *, raw: bool = False) -> str:
    path = tmp_path / "results.pdf"
    path.write_bytes(pdf)
    options = ["-raw"] if raw else []
    return subprocess.run(  # noqa: S603 - our own tool and a file we wrote
        ["pdftotext", *options, str(path), "-"],  # noqa: S607 - poppler-utils on the PATH
        capture_output=True,
        text=True,
        check=True,
    ).stdout


@pytest.fixture
def results(org):
    """Two measures as 002 has them: the first reported twice (6 and 12 months) with
    pictures, completed "in September"; the second once, on a day, without pictures."""
    first = make_measure(
        org,
        YEAR,
        title="มาตรการด้านการปฏิบัติหน้าที่",
        steps=[
            (0, "๑) สร้างวัฒนธรรมการปฏิบัติหน้าที่อย่างมีคุณธรรม"),
            (1, "1.1 จัดประชุมชี้แจงบุคลากร"),
            (0, "ติดตามวัดผลสถิติการให้บริการทุกไตรมาส"),
        ],
        responsible_text="บุคลากรทุกคน\nหัวหน้าฝ่ายงาน",
    )
    make_follow_up(first, Round.SIX_MONTHS, summary="ดำเนินการแล้วครึ่งหนึ่ง", images=1)
    make_follow_up(
        first,
        Round.TWELVE_MONTHS,
        summary="ปรับปรุงคู่มือการปฏิบัติงานแล้ว",
        outcome="มีคู่มือการปฏิบัติงานที่เป็นมาตรฐาน",
        completed_on=dt.date(2023, 9, 30),
        completed_month_only=True,
        images=2,
    )
    second = make_measure(
        org,
        YEAR,
        title="มาตรการด้านการใช้งบประมาณ",
        indicators=(2,),
        steps=["เผยแพร่แผนงบประมาณ"],
        due_date=dt.date(2023, 9, 30),
        due_month_only=True,
    )
    make_follow_up(
        second,
        Round.TWELVE_MONTHS,
        summary="เผยแพร่แผนทางเว็บไซต์แล้ว",
        outcome="บุคลากรรับทราบการใช้จ่าย",
        completed_on=dt.date(2023, 8, 15),
    )
    return first, second


def test_one_table_per_measure_with_the_columns_of_002(org, results):
    html = results_html(org)
    assert html.count('<table class="result-table">') == 2
    text = text_of(html)
    for heading in (
        "ขั้นตอน / วิธีการปฏิบัติ",
        "ผู้รับผิดชอบ",
        "สรุปผลการดำเนินการ",
        "ผลลัพธ์หรือความสำเร็จของการดำเนินงาน",
        "กำหนดการแล้วเสร็จ",
    ):
        assert text.count(heading) == 2
    assert "1. มาตรการด้านการปฏิบัติหน้าที่ มีผลการดำเนินงาน ดังนี้" in text
    assert "2. มาตรการด้านการใช้งบประมาณ มีผลการดำเนินงาน ดังนี้" in text
    # The introduction counts the measures and gives the fiscal year's period.
    assert "จำนวน 2 มาตรการ" in text
    assert "ปีงบประมาณ 2566 (1 ตุลาคม 2565 – 30 กันยายน 2566)" in text


def test_a_measures_row_has_its_steps_responsible_and_latest_report(org, results):
    first_section = results_html(org).split('id="result-2"')[0]
    text = text_of(first_section)
    # One numbering; the numbers the office typed are not printed twice.
    assert "1. สร้างวัฒนธรรมการปฏิบัติหน้าที่อย่างมีคุณธรรม" in text
    assert "1.1 จัดประชุมชี้แจงบุคลากร" in text
    assert "2. ติดตามวัดผลสถิติการให้บริการทุกไตรมาส" in text
    assert "๑)" not in text and "1.1 1.1" not in text
    assert "<p>บุคลากรทุกคน</p><p>หัวหน้าฝ่ายงาน</p>" in first_section
    # The latest report (12 months) is the one summarised, and named as such.
    assert "ปรับปรุงคู่มือการปฏิบัติงานแล้ว" in text
    assert "มีคู่มือการปฏิบัติงานที่เป็นมาตรฐาน" in text
    assert "ดำเนินการแล้วครึ่งหนึ่ง" not in text
    assert "รายงานรอบ 12 เดือน" in text


def test_completion_dates_month_only_or_the_day(org, results):
    html = results_html(org)
    first, second = html.split('id="result-2"')
    assert '<td class="rc-due">กันยายน 2566</td>' in first
    assert '<td class="rc-due">15 สิงหาคม 2566</td>' in second


def test_the_due_date_stands_in_for_a_completion_date_not_reported(org, results):
    _first, second = results
    second.follow_ups.update(completed_on=None)
    html = results_html(org).split('id="result-2"')[1]
    assert '<td class="rc-due">กันยายน 2566</td>' in html


def test_evidence_pictures_are_placed_with_their_measure(org, results):
    html = results_html(org)
    first, second = html.split('id="result-2"')
    assert first.count("<img ") == 3  # one from the 6-month report, two from the 12-month
    assert second.count("<img ") == 0
    # After the measure's table, before the next measure.
    assert first.index("result-table") < first.index("<img ")


def test_parts_left_out_are_absent(org, results):
    settings_for(org, hidden_parts=["cover", "intro", "pictures"])
    html = results_html(org)
    assert 'id="results-cover"' not in html and 'id="results-intro"' not in html
    assert "<img " not in html
    assert html.count('<table class="result-table">') == 2
    settings_for(org, hidden_parts=["tables"])
    html = results_html(org)
    assert "result-table" not in html
    # The pictures stay with their measure's heading.
    assert html.count("<img ") == 3 and 'id="result-1"' in html


def test_the_office_intro_and_signature(org, results):
    settings_for(
        org,
        body="โรงเรียนได้ดำเนินการตามมาตรการ\r\n\r\nรายละเอียดดังตารางแนบ",
        signatory_name="นายสมชาย ใจดี",
        signatory_position="ผู้อำนวยการโรงเรียน\nรักษาราชการแทน",
        document_date=dt.date(2023, 9, 30),
    )
    text = text_of(results_html(org))
    assert "โรงเรียนได้ดำเนินการตามมาตรการ" in text and "รายละเอียดดังตารางแนบ" in text
    assert "จำนวน 2 มาตรการ" not in text  # the office's text replaces the usual one
    assert "(นายสมชาย ใจดี) ผู้อำนวยการโรงเรียน รักษาราชการแทน" in text
    assert "รายงาน ณ วันที่ 30 เดือนกันยายน พ.ศ. 2566" in text


def test_the_pdf_reads_as_002_in_thai_digits(org, results, tmp_path):
    settings_for(org, thai_digits=True)
    report = report_build(organisation=org, fiscal_year=YEAR, kind=RESULTS)
    pdf = report_pdf_bytes(report, cached=False)
    text = pdf_text(pdf, tmp_path)
    assert "มาตรการด้านการปฏิบัติหน้าที่" in text
    assert "ผู้รับผิดชอบ" in text and "ปรับปรุงคู่มือ" in text
    # A narrow column may wrap the date, never change it.
    assert re.search(r"กันยายน\s+๒๕๖๖", text)
    raw = pdf_text(pdf, tmp_path, raw=True)
    assert "๑.๑ จัดประชุม" in raw and "๑. สร้างวัฒนธรรม" in raw and "๑)" not in raw
    assert not re.search(r"[0-9]", text.replace("OIT", "")), "an Arabic digit is left"


def test_the_public_address_once_published(client, org, results):
    url = reverse("measures:document", kwargs={"org": org.slug, "year": YEAR, "kind": RESULTS})
    assert url == f"/{org.slug}/reports/{YEAR}/results/"
    assert client.get(url).status_code == 404
    report_publish(
        organisation=org, fiscal_year=YEAR, user=make_user("admin"), published=True, kind=RESULTS
    )
    page = client.get(url)
    assert page.status_code == 200
    assert "มาตรการด้านการใช้งบประมาณ มีผลการดำเนินงาน ดังนี้" in text_of(page.text)
    assert client.get(f"/{org.slug}/reports/{YEAR}/results.pdf").status_code == 200  # queued
    run_worker()
    pdf = client.get(f"/{org.slug}/reports/{YEAR}/results.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_the_staff_settings_page_of_the_results_report(client, org, results):
    client.force_login(make_user("admin", org, Role.ADMINISTRATOR))
    url = reverse(
        "measures_staff:document-settings", kwargs={"org": org.slug, "year": YEAR, "kind": RESULTS}
    )
    page = client.get(url)
    assert page.status_code == 200
    for name in ("title", "body", "document_date", "signatory_name", "thai_digits"):
        assert f'name="{name}"' in page.text, name
    for part in ("cover", "intro", "tables", "pictures", "signature"):
        assert f'value="{part}"' in page.text, part
    client.force_login(make_user("stranger", make_org("elsewhere"), Role.ADMINISTRATOR))
    assert client.get(url).status_code == 404
