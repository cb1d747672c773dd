"""The annual report omits a part that has nothing to say (or that the office left out)
rather than printing it empty, and its contents do not list it (issue 15, point 1)."""

from __future__ import annotations

import re
import subprocess

import pytest

from measures.models import Announcement, DocumentKind, ReportSettings
from measures.report import report_body_html, report_build, report_pdf_bytes
from tests.builders import REFERENCE_003, make_assessment
from tests.measures.builders import make_follow_up, make_measure

pytestmark = pytest.mark.django_db

# No framework edition covers 2559 or 2560: the background has nothing to explain.
BARE_YEAR = 2560


def annual_html(org, year: int) -> str:
    return str(report_body_html(report_build(organisation=org, fiscal_year=year)))


def toc_of(html: str) -> str:
    toc = re.search(r'<nav class="toc".*?</nav>', html, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", toc.group(0))) if toc else ""


def test_no_background_and_no_announcements_are_absent_from_page_and_contents(org):
    make_follow_up(make_measure(org, BARE_YEAR, indicators=()))
    html = annual_html(org, BARE_YEAR)
    assert 'id="chapter-1"' not in html  # no background text, no framework to explain
    assert 'id="announcements"' not in html
    toc = toc_of(html)
    assert "บทนำ" not in toc and "ภาคผนวก" not in toc
    # The chapters printed are numbered from 1 in the contents and in their headings.
    assert "บทที่ 1 มาตรการส่งเสริมคุณธรรมและความโปร่งใส" in toc
    assert "บทที่ 2 ผลการดำเนินการตามมาตรการ" in toc
    assert '<span class="chapter-number">บทที่ 1</span> มาตรการ' in html


def test_the_pdf_has_no_empty_part(org, tmp_path):
    make_follow_up(make_measure(org, BARE_YEAR, indicators=()))
    pdf = report_pdf_bytes(report_build(organisation=org, fiscal_year=BARE_YEAR), cached=False)
    path = tmp_path / "annual.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(  # noqa: S603 - our own tool and a file we wrote
        ["pdftotext", str(path), "-"],  # noqa: S607 - poppler-utils on the PATH
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "มาตรการส่งเสริมคุณธรรมและความโปร่งใส" in text
    for absent in ("บทนำ", "ภาคผนวก", "ประกาศและคำสั่ง", "บทที่ 3", "บทที่ 4"):
        assert absent not in text, absent


def test_a_year_without_measures_or_results_prints_neither_chapter(org):
    html = annual_html(org, BARE_YEAR)
    assert 'id="chapter-3"' not in html and 'id="chapter-4"' not in html
    toc = toc_of(html)
    assert "บทที่" not in toc and "คำนำ" in toc


def test_measures_without_any_report_leave_out_the_results_chapter(org):
    make_measure(org, BARE_YEAR, indicators=())
    html = annual_html(org, BARE_YEAR)
    assert 'id="chapter-3"' in html and 'id="chapter-4"' not in html
    assert "ผลการดำเนินการตามมาตรการ" not in toc_of(html)


def test_parts_with_content_are_printed_and_listed(org):
    make_assessment(org, 2564, REFERENCE_003)
    measure = make_measure(org, 2565)
    make_follow_up(measure)
    Announcement.objects.create(
        organisation=org,
        fiscal_year=2565,
        title="มาตรการป้องกันการรับสินบน",
        body="ประกาศ",
        date="2022-01-10",
    )
    html = annual_html(org, 2565)
    toc = toc_of(html)
    for part in ("chapter-1", "chapter-2", "chapter-3", "chapter-4", "announcements"):
        assert f'id="{part}"' in html, part
    assert "บทที่ 1 บทนำ" in toc and "ภาคผนวก" in toc
    assert "บทที่ 2 การวิเคราะห์ผลการประเมิน ITA" in toc
    assert "บทที่ 3 มาตรการส่งเสริมคุณธรรมและความโปร่งใส" in toc
    assert "บทที่ 4 ผลการดำเนินการตามมาตรการ" in toc


def test_a_year_without_an_analysed_result_has_no_analysis_chapter(org):
    make_follow_up(make_measure(org, 2565))
    html = annual_html(org, 2565)
    assert 'id="chapter-2"' not in html
    assert "การวิเคราะห์" not in toc_of(html)
    assert "บทที่ 2 มาตรการส่งเสริมคุณธรรมและความโปร่งใส" in toc_of(html)


def test_parts_the_office_leaves_out_are_absent_and_the_chapters_renumbered(org):
    make_assessment(org, 2564, REFERENCE_003)
    make_follow_up(make_measure(org, 2565))
    ReportSettings.objects.create(
        organisation=org,
        fiscal_year=2565,
        kind=DocumentKind.ANNUAL,
        hidden_parts=["background", "preface"],
        chapter_word="ส่วนที่",
    )
    html = annual_html(org, 2565)
    assert 'id="chapter-1"' not in html and 'id="preface"' not in html
    toc = toc_of(html)
    assert "คำนำ" not in toc and "บทนำ" not in toc
    assert "ส่วนที่ 2 มาตรการส่งเสริมคุณธรรมและความโปร่งใส" in toc
    assert '<span class="chapter-number">ส่วนที่ 3</span> ผลการดำเนินการ' in html
