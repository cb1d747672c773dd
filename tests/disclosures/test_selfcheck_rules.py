"""Every pre-check rule, with dates on both sides of each period's boundaries."""

from __future__ import annotations

import datetime as dt

import pytest

from disclosures.models import ContentTick
from disclosures.selfcheck import year_selfcheck
from tests.builders import make_org
from tests.disclosures.selfcheck_world import YEAR, disclosure, document, link, rule_edition
from tests.measures.builders import make_follow_up, make_measure

pytestmark = pytest.mark.django_db

# During the year's third month (December 2036), so monthly items owe Oct, Nov and Dec.
TODAY = dt.date(2036, 12, 15)
AFTER_YEAR = dt.date(2037, 11, 1)


@pytest.fixture
def world(settings):
    settings.SITE_URL = "https://ita.office.go.th"
    rule_edition()
    return make_org("office", website="https://www.office.go.th/")


def check_of(org, code, today=TODAY):
    result = year_selfcheck(organisation=org, fiscal_year=YEAR, today=today)
    return next(c for c in result.items if c.item.code == code)


# --- Published, evidence ---------------------------------------------------------


def test_not_started_draft_and_published(world):
    check = check_of(world, "R1")
    assert not check.ready and "ยังไม่ได้เริ่มทำข้อนี้" in check.findings[0]
    d = disclosure(world, "R1", published=False)
    link(d)
    check = check_of(world, "R1")
    assert not check.ready
    assert check.findings == ["ข้อนี้ยังไม่เผยแพร่: ตรวจเนื้อหาแล้วกด “เผยแพร่”"]
    d.status, d.first_published_at = "published", d.created_at
    d.save()
    assert check_of(world, "R1").ready


def test_an_explanation_alone_is_not_evidence(world):
    d = disclosure(world, "R1")
    d.explanation = "<p>คำอธิบาย</p>"
    d.save()
    check = check_of(world, "R1")
    assert not check.ready
    assert "คำอธิบายอย่างเดียวไม่นับเป็นหลักฐาน" in check.findings[0]
    document(d)
    assert check_of(world, "R1").ready


# --- Periods -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code,day,ready",
    [
        # The current fiscal year: 1 Oct 2036 – 30 Sep 2037.
        ("CUR", dt.date(2036, 9, 30), False),
        ("CUR", dt.date(2036, 10, 1), True),
        ("CUR", dt.date(2037, 9, 30), True),
        ("CUR", dt.date(2037, 10, 1), False),
        # The previous fiscal year: 1 Oct 2035 – 30 Sep 2036.
        ("PREV", dt.date(2035, 9, 30), False),
        ("PREV", dt.date(2035, 10, 1), True),
        ("PREV", dt.date(2036, 9, 30), True),
        ("PREV", dt.date(2036, 10, 1), False),
        # The first six months: 1 Oct 2036 – 31 Mar 2037.
        ("HALF", dt.date(2036, 9, 30), False),
        ("HALF", dt.date(2036, 10, 1), True),
        ("HALF", dt.date(2037, 3, 31), True),
        ("HALF", dt.date(2037, 4, 1), False),
    ],
)
def test_period_boundaries(world, code, day, ready):
    d = disclosure(world, code)
    document(d, "แผนปฏิบัติการ", date=day)
    check = check_of(world, code, today=AFTER_YEAR)
    assert check.ready is ready, check.findings
    if not ready:
        assert "เอกสาร “แผนปฏิบัติการ” ลงวันที่" in check.findings[0]
        assert "อัปโหลดฉบับของช่วงนี้หรือแก้วันที่" in check.findings[0]


def test_out_of_year_finding_names_the_dates_in_the_buddhist_era(world):
    d = disclosure(world, "CUR")
    document(d, "รายงาน", date=dt.date(2036, 9, 12))
    assert check_of(world, "CUR").findings == [
        "เอกสาร “รายงาน” ลงวันที่ 12 ก.ย. 2579 อยู่นอกปีงบประมาณ 2580 "
        "(1 ต.ค. 2579 – 30 ก.ย. 2580): อัปโหลดฉบับของช่วงนี้หรือแก้วันที่"
    ]


def test_an_undated_entry_on_a_period_item_asks_for_the_date(world):
    d = disclosure(world, "CUR")
    link(d, "ลิงก์ไม่มีวันที่")
    findings = check_of(world, "CUR").findings
    assert len(findings) == 1 and "“ลิงก์ไม่มีวันที่” ยังไม่มีวันที่" in findings[0]
    # Without a period, no date is needed.
    link(disclosure(world, "R1"), "ลิงก์ไม่มีวันที่")
    assert check_of(world, "R1").ready


def test_monthly_lists_the_missing_months_up_to_the_current_month(world):
    d = disclosure(world, "MON")
    document(d, "ตุลาคม", date=dt.date(2036, 10, 31))
    check = check_of(world, "MON")  # 15 December 2036
    assert check.findings == [
        "ยังไม่มีรายการที่ลงวันที่ในเดือน พฤศจิกายน 2579, ธันวาคม 2579: เพิ่มรายงานของแต่ละเดือนนี้"
    ]
    document(d, "พฤศจิกายน", date=dt.date(2036, 11, 1))
    document(d, "ธันวาคม", date=dt.date(2036, 12, 1))
    assert check_of(world, "MON").ready
    # A month's boundary: 30 November is not December.
    assert not check_of(world, "MON", today=dt.date(2037, 1, 1)).ready


def test_monthly_for_a_past_year_needs_every_month_to_september(world):
    d = disclosure(world, "MON")
    for month, year in [(10, 2036), (11, 2036), (12, 2036)] + [(m, 2037) for m in range(1, 9)]:
        document(d, f"เดือน {month}", date=dt.date(year, month, 15))
    check = check_of(world, "MON", today=AFTER_YEAR)
    assert not check.ready
    assert "กันยายน 2580" in check.findings[0] and "สิงหาคม" not in check.findings[0]
    document(d, "กันยายน", date=dt.date(2037, 9, 30))
    assert check_of(world, "MON", today=AFTER_YEAR).ready


# --- Signature, contents ---------------------------------------------------------------


def test_signed_by_head_needs_a_document_marked_signed(world):
    d = disclosure(world, "SIG")
    link(d, "ลิงก์", signed=True)  # a link cannot carry the signature
    doc = document(d, "ประกาศ")
    check = check_of(world, "SIG")
    assert not check.ready and "ต้องลงนามโดยหัวหน้าหน่วยงาน" in check.findings[0]
    doc.signed = True
    doc.save()
    assert check_of(world, "SIG").ready


def test_contents_lines_need_a_tick_pointing_at_an_entry_of_the_item(world):
    d = disclosure(world, "CON")
    entry = document(d, "ทำเนียบผู้บริหาร")
    other = document(disclosure(world, "R1"), "อื่น")
    ContentTick.objects.create(disclosure=d, line="ชื่อ-นามสกุล", entry=entry)
    ContentTick.objects.create(disclosure=d, line="ช่องทางการติดต่อ", entry=other)
    check = check_of(world, "CON")
    assert not check.ready
    assert "“ช่องทางการติดต่อ”" in check.findings[0] and "“ชื่อ-นามสกุล”" not in check.findings[0]
    ContentTick.objects.filter(line="ช่องทางการติดต่อ").update(entry=entry)
    assert check_of(world, "CON").ready
    ContentTick.objects.filter(line="ช่องทางการติดต่อ").update(entry=None)
    assert not check_of(world, "CON").ready


# --- The website's host (a warning) -----------------------------------------------------


def test_domain_warning_never_blocks(world, settings):
    d = disclosure(world, "R1")
    link(d)
    # ita.office.go.th is under www.office.go.th's host: no warning.
    assert check_of(world, "R1").warnings == []
    settings.SITE_URL = "https://ita-portal.example.org"
    check = check_of(world, "R1")
    assert check.ready
    assert "ita-portal.example.org" in check.warnings[0]
    assert "office.go.th" in check.warnings[0]
    world.website = ""
    world.save()
    result = year_selfcheck(organisation=world, fiscal_year=YEAR, today=TODAY)
    assert "ยังไม่ได้บันทึกเว็บไซต์ของหน่วยงาน" in result.warnings[0]


# --- Broken links (as recorded by check_links) ---------------------------------------------


def test_a_link_that_answered_with_an_error_is_not_ready(world):
    d = disclosure(world, "R1")
    entry = link(d, "คู่มือ", link_status=404)
    check = check_of(world, "R1")
    assert not check.ready
    assert "ลิงก์ “คู่มือ” ตอบกลับด้วยข้อผิดพลาด 404" in check.findings[0]
    entry.link_status, entry.link_error = None, "timed out"
    entry.save()
    assert "(timed out)" in check_of(world, "R1").findings[0]
    entry.link_status, entry.link_error = 200, ""
    entry.save()
    assert check_of(world, "R1").ready


# --- Generated items check their own sources -------------------------------------------


def test_measures_item_needs_a_measure_of_the_year(world):
    disclosure(world, "MEA")
    check = check_of(world, "MEA")
    assert not check.ready and "ยังไม่มีมาตรการ" in check.findings[0]
    make_measure(world, YEAR - 1, indicators=())  # another year's measure does not count
    assert not check_of(world, "MEA").ready
    make_measure(world, YEAR, indicators=())
    assert check_of(world, "MEA").ready


def test_measure_results_need_a_follow_up_of_each_measure(world):
    disclosure(world, "RES")
    assert not check_of(world, "RES").ready
    first = make_measure(world, YEAR, title="มาตรการแรก", indicators=())
    make_measure(world, YEAR, title="มาตรการสอง", indicators=())
    make_follow_up(first)
    check = check_of(world, "RES")
    assert not check.ready
    assert "มาตรการสอง" in check.findings[0] and "มาตรการแรก" not in check.findings[0]


def test_complaint_items_are_ready_when_published(world):
    assert not check_of(world, "STAT").ready
    disclosure(world, "STAT")
    disclosure(world, "CHAN")
    assert check_of(world, "STAT").ready
    assert check_of(world, "CHAN").ready
