"""The OIT self-assessment in a real browser.

A school sees its 2570 board with a predicted OIT score and a Thai sentence
for the failing item, fixes the out-of-period link date, watches the item
turn ready and submits; the ESA's assessor reviews three schools, one school
files a clarification, the assessor confirms, and the ESA downloads the
consolidated sheet.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook

from assessments.models import Item, ItemPeriod, ItemResult, OrganisationKind, Role
from disclosures.models import Disclosure, Submission, SubmissionStatus
from disclosures.review.services import submission_submit
from disclosures.services import disclosure_for, disclosure_publish, entry_add_link
from ita_portal.thai import be_date_text
from tests.builders import PASSWORD, make_org, make_user
from tests.editions import make_edition

pytestmark = pytest.mark.django_db(transaction=True)

IN_YEAR = dt.date(2026, 10, 20)  # inside fiscal year 2570
LAST_YEAR = dt.date(2026, 9, 1)  # fiscal year 2569


def _school(esa, slug: str, *, o1_date: dt.date):
    school = make_org(slug, name_th=f"โรงเรียน{slug}", kind=OrganisationKind.SCHOOL, parent=esa)
    for item in Item.objects.filter(edition__code="e2e-2570").order_by("number"):
        disclosure = disclosure_for(organisation=school, fiscal_year=2570, item=item)
        entry_add_link(
            disclosure=disclosure,
            url=f"https://www.example.go.th/{slug}/{item.code}",
            title=f"{item.title_th} ของ{slug}",
            date=o1_date if item.code == "O1" else IN_YEAR,
        )
        disclosure_publish(disclosure=disclosure, published=True)
    return school


def _log_in(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/staff/login/")
    page.get_by_label("ชื่อผู้ใช้").fill(username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("เข้าสู่ระบบ")).click()
    # Wait for the session before going anywhere else.
    page.wait_for_url(lambda url: "/login/" not in url)


def _verdict(page, code: str, verdict: str, improvement: str = "") -> None:
    button = page.get_by_role("button", name=f"บันทึกผลการตรวจข้อ {code}")
    form = page.locator("form", has=button)
    form.locator(f"input[type=radio][value={verdict}]").check()
    if improvement:
        form.get_by_role("textbox", name="สิ่งที่ควรปรับปรุง").fill(improvement)
    button.click()


def test_school_submits_and_esa_reviews_three_schools(live_server, page):
    make_edition(
        code="e2e-2570",
        first_year=2570,
        instruments=[("IIT", "30", [1]), ("EIT", "30", [2]), ("OIT", "40", [3])],
        items={3: ["O1", "O2", "O3"]},
    )
    Item.objects.filter(edition__code="e2e-2570").update(period=ItemPeriod.CURRENT_YEAR)
    esa = make_org("esa", name_th="สำนักงานเขตพื้นที่การศึกษาทดสอบ")
    make_user("assessor", esa, Role.ASSESSOR)
    make_user("esa-admin", esa, Role.ADMINISTRATOR)
    first = _school(esa, "first", o1_date=LAST_YEAR)
    second = _school(esa, "second", o1_date=IN_YEAR)
    third = _school(esa, "third", o1_date=IN_YEAR)
    make_user("teacher", first, Role.EDITOR)
    make_user("head2", second, Role.ADMINISTRATOR)
    base = live_server.url

    # The school's board: a predicted score and what to fix, in Thai.
    _log_in(page, base, "teacher")
    page.goto(f"{base}/staff/first/oit/2570/")
    board = page.locator("main").inner_text()
    assert "66.67" in board  # two of three items ready
    assert "นอก" in board  # the out-of-period finding
    # Fix the link's date, and the item turns ready.
    page.get_by_role("link", name=re.compile("ข้อ O1")).first.click()
    page.get_by_role("link", name="แก้ไข").first.click()
    page.get_by_label("วันที่").fill("25/10/2569")
    page.get_by_role("button", name="บันทึก", exact=True).click()
    page.goto(f"{base}/staff/first/oit/2570/")
    assert "100.00" in page.locator("main").inner_text()
    # Submit for review.
    page.get_by_role("link", name="ส่งประเมินตนเองและผลการพิจารณา").click()
    page.get_by_role("checkbox").first.check()
    page.get_by_role("button", name="ส่งปีงบประมาณ 2570 ให้ผู้ประเมินตรวจ").click()
    assert (
        Submission.objects.get(organisation=first, fiscal_year=2570).status
        == SubmissionStatus.SUBMITTED
    )
    for school in (second, third):
        submission_submit(organisation=school, fiscal_year=2570, user=None)
    assert Submission.objects.filter(fiscal_year=2570).count() == 3

    # The ESA's assessor reviews the three schools; O2 of the second fails.
    _log_in(page, base, "assessor")
    for school in (first, second, third):
        page.goto(f"{base}/staff/{school.slug}/oit/2570/review/")
        for code in ("O1", "O2", "O3"):
            if school == second and code == "O2":
                _verdict(page, code, "fail", "เพิ่มรายงานฉบับที่ลงนามแล้ว")
            else:
                _verdict(page, code, "pass")
    page.goto(f"{base}/staff/second/oit/2570/review/")
    deadline = dt.date.today() + dt.timedelta(days=30)
    page.get_by_label("ชี้แจงได้ถึงวันที่").fill(be_date_text(deadline))
    page.get_by_role("button", name=re.compile("เปิดให้ชี้แจงถึงวันที่นี้")).click()

    # The second school files its one clarification.
    _log_in(page, base, "head2")
    page.goto(f"{base}/staff/second/oit/2570/self-assessment/")
    assert "เพิ่มรายงานฉบับที่ลงนามแล้ว" in page.locator("main").inner_text()
    page.get_by_label("คำชี้แจง").fill("อัปโหลดรายงานที่ลงนามแล้ว ตามลิงก์")
    page.get_by_role("button", name="ส่งคำชี้แจงข้อ O2").click()

    # The assessor confirms all three; the ESA's verdicts become the official results.
    _log_in(page, base, "assessor")
    for school in (first, second, third):
        page.goto(f"{base}/staff/{school.slug}/oit/2570/review/")
        page.get_by_role("button", name="ยืนยันผลการตรวจขั้นสุดท้าย").click()
    assert set(Submission.objects.values_list("status", flat=True)) == {SubmissionStatus.CONFIRMED}
    assert ItemResult.objects.filter(assessment__organisation=second, passed=False).count() == 1

    # The ESA downloads the consolidated sheet.
    _log_in(page, base, "esa-admin")
    page.goto(f"{base}/staff/esa/oit/2570/schools/")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("ดาวน์โหลด")).first.click()
    book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert {"first", "second", "third"} <= {str(cell) for row in rows for cell in row}
    assert Disclosure.objects.filter(organisation=first).count() == 3
    assert get_user_model().objects.filter(username="assessor").exists()
