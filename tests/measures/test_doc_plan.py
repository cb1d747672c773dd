"""The measures plan (reference 003) as its reader gets it: its parts, the office's
interpretation, the strengths threshold, nested steps, month-only dates and the
contents' page numbers in the PDF."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse

from measures.models import AnalysisText, DocumentKind, ReportSettings
from measures.report import report_body_html, report_build, report_pdf_bytes
from measures.services import report_publish
from tests.builders import REFERENCE_003, make_assessment, make_user
from tests.measures.builders import make_measure

pytestmark = pytest.mark.django_db

YEAR = 2566  # the plan of 2566 analyses the result of 2565
PLAN = DocumentKind.PLAN


def settings_for(org, **fields) -> ReportSettings:
    settings, _created = ReportSettings.objects.update_or_create(
        organisation=org, fiscal_year=YEAR, kind=PLAN, defaults=fields
    )
    return settings


def plan_html(org) -> str:
    return str(report_body_html(report_build(organisation=org, fiscal_year=YEAR, kind=PLAN)))


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def plan_data(org):
    make_assessment(org, YEAR - 1, REFERENCE_003)
    make_measure(
        org,
        YEAR,
        title="มาตรการเผยแพร่ข้อมูลต่อสาธารณะ",
        approach="ทุกกลุ่มงานนำข้อมูลขึ้นเว็บไซต์",
        steps=[
            (0, "แต่งตั้งผู้รับผิดชอบ"),
            (1, "1.1 ประชุมชี้แจงผู้รับผิดชอบ"),
            (1, "จัดทำปฏิทินการเผยแพร่"),
            (2, "กำหนดวันเผยแพร่รายเดือน"),
            (0, "2. ตรวจสอบความครบถ้วนบนเว็บไซต์"),
        ],
        responsible_text="กลุ่มส่งเสริมการศึกษาทางไกล\nทุกกลุ่มงาน",
        monitoring="รายงานทุกไตรมาส",
        due_date=dt.date(2023, 9, 30),
        due_month_only=True,
    )
    make_measure(org, YEAR, title="มาตรการป้องกันการรับสินบน", indicators=(), steps=["งดรับของขวัญ"])


def test_every_part_in_the_order_of_003(org, plan_data):
    html = plan_html(org)
    ids = [
        "plan-cover",
        "plan-preface",
        "plan-toc",
        "plan-background",
        "plan-analysis",
        "plan-measures",
    ]
    positions = [html.index(f'id="{i}"') for i in ids]
    assert positions == sorted(positions)
    text = text_of(html)
    assert "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. 2566" in text
    assert "บทที่ 1 บทนำ" in text
    assert "บทที่ 2 การวิเคราะห์ผลการประเมิน ITA ปีงบประมาณ พ.ศ. 2565" in text
    assert "บทที่ 3 มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน" in text
    assert "ผลการประเมิน" in text and "91.50" in text


def test_hidden_parts_are_absent_and_chapters_renumbered(org, plan_data):
    settings_for(org, hidden_parts=["cover", "background", "toc"], chapter_word="ส่วนที่")
    html = plan_html(org)
    for absent in ("plan-cover", "plan-toc", "plan-background"):
        assert f'id="{absent}"' not in html
    text = text_of(html)
    assert "ส่วนที่ 1 การวิเคราะห์ผลการประเมิน ITA" in text
    assert "ส่วนที่ 2 มาตรการส่งเสริมคุณธรรม" in text
    assert "บทที่" not in text and "ส่วนที่ 3" not in text
    # The running head still names the agency when the cover is left out.
    assert 'class="running-agency"' in html


def test_the_office_interpretation_is_printed_and_wins_over_the_draft(org, plan_data):
    text = text_of(plan_html(org))
    # The drafts: the whole result, and indicator 9 (the one to develop).
    assert "ได้คะแนน 91.50 คะแนน อยู่ในระดับ A (ดีมาก)" in text
    assert "ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล ได้คะแนน 75.92 คะแนน" in text
    AnalysisText.objects.create(
        organisation=org,
        fiscal_year=YEAR,
        key="indicator-9",
        text="ชี้แจงผู้รับผิดชอบข้อมูลทั้ง 10 ข้อถึงข้อบกพร่องและแนวทางที่ถูกต้อง",
    )
    text = text_of(plan_html(org))
    assert "ชี้แจงผู้รับผิดชอบข้อมูลทั้ง 10 ข้อถึงข้อบกพร่องและแนวทางที่ถูกต้อง" in text
    assert "ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล ได้คะแนน 75.92 คะแนน" not in text


@pytest.mark.parametrize(("threshold", "strong"), [("85", True), ("95", False)])
def test_strengths_threshold_applies_to_the_plan_and_the_annual_report(org, threshold, strong):
    make_assessment(org, YEAR - 1, ["86.00"] + ["70.00"] * 9)
    settings_for(org, strengths_threshold=Decimal(threshold))
    ReportSettings.objects.create(
        organisation=org, fiscal_year=YEAR, kind=DocumentKind.ANNUAL, strengths_threshold=threshold
    )
    for kind in (PLAN, DocumentKind.ANNUAL):
        html = str(report_body_html(report_build(organisation=org, fiscal_year=YEAR, kind=kind)))
        strengths = html.split('class="analysis-list strengths"')
        listed = (
            len(strengths) > 1 and 'id="analysis-indicator-1"' in strengths[1].split("</ol>")[0]
        )
        assert listed is strong, kind


def test_nested_steps_have_one_numbering_never_doubled(org, plan_data):
    text = text_of(plan_html(org))
    assert "1. แต่งตั้งผู้รับผิดชอบ" in text
    assert "1.1 ประชุมชี้แจงผู้รับผิดชอบ" in text
    assert "1.2 จัดทำปฏิทินการเผยแพร่" in text
    assert "1.2.1 กำหนดวันเผยแพร่รายเดือน" in text
    assert "2. ตรวจสอบความครบถ้วนบนเว็บไซต์" in text
    assert "1.1 1.1" not in text and "2. 2." not in text


def test_responsible_on_several_lines_and_due_month_only(org, plan_data):
    html = plan_html(org)
    assert "<div>กลุ่มส่งเสริมการศึกษาทางไกล</div>" in html and "<div>ทุกกลุ่มงาน</div>" in html
    text = text_of(html)
    assert "กันยายน 2566" in text
    assert "30 กันยายน 2566" not in text


def test_thai_digits_in_the_plan(org, plan_data):
    settings_for(org, thai_digits=True)
    text = text_of(plan_html(org))
    assert "กันยายน ๒๕๖๖" in text and "๑.๒.๑ กำหนดวันเผยแพร่รายเดือน" in text
    assert not re.search(r"[0-9]", text)


@pytest.mark.parametrize("thai", [False, True])
def test_the_contents_have_page_numbers_in_the_pdf(org, plan_data, tmp_path, thai):
    settings_for(org, thai_digits=thai)
    report = report_build(organisation=org, fiscal_year=YEAR, kind=PLAN)
    path = tmp_path / "plan.pdf"
    path.write_bytes(report_pdf_bytes(report, cached=False))
    text = subprocess.run(  # noqa: S603 - our own tool and a file we wrote
        ["pdftotext", "-layout", str(path), "-"],  # noqa: S607 - poppler-utils on the PATH
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    contents = text.split("สารบัญ", 1)[1].split("\f", 1)[0]
    lines = [line for line in contents.splitlines() if "...." in line]
    # The preface, three chapters and the two measures, each ending with its page.
    assert len(lines) == 6, contents
    digits = "[๐-๙]" if thai else "[0-9]"
    numbers = [re.search(rf"({digits}+)\s*$", line) for line in lines]
    assert all(numbers), contents
    pages = [int(n.group(1).translate(str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789"))) for n in numbers]
    assert pages == sorted(pages) and pages[0] >= 2


def test_the_plan_is_public_at_its_permanent_address_once_published(client, org, plan_data):
    assert (
        reverse("measures:document", args=[org.slug, YEAR, "plan"])
        == f"/{org.slug}/reports/{YEAR}/plan/"
    )
    assert client.get(f"/{org.slug}/reports/{YEAR}/plan/").status_code == 404
    report_publish(
        organisation=org, fiscal_year=YEAR, user=make_user("boss", org), published=True, kind=PLAN
    )
    page = client.get(f"/{org.slug}/reports/{YEAR}/plan/")
    assert page.status_code == 200
    assert "ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล ได้คะแนน 75.92 คะแนน" in text_of(page.content.decode())
