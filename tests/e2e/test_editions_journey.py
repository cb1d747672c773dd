"""Working in fiscal year 2570 under the frameworks since 2566, in a real browser.

An editor enters the 2568 and 2569 results and reads the levels with their
reasons; opens 2570's OIT pages, which have no NACC framework yet, starts a
provisional one and fills an item; an operator exports the 2569 edition to
XLSX, corrects a title in the workbook and imports it back.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook

from assessments.models import Edition, Item, Role
from disclosures.models import Disclosure
from tests.builders import PASSWORD, make_org, make_user

pytestmark = pytest.mark.django_db(transaction=True)

# 2568: EIT 84.50 holds a total of 93.75 back to ผ่าน, as the NACC did in 2568 for an
# agency whose EIT was below 85.
SCORES_2568 = [
    "96.00",
    "97.00",
    "96.00",
    "95.00",
    "96.00",
    "84.00",
    "85.00",
    "84.50",
    "99.00",
    "99.00",
]
# 2569: every instrument above 95 and a total above 95.
SCORES_2569 = [
    "96.00",
    "96.50",
    "97.00",
    "96.00",
    "95.50",
    "95.50",
    "96.00",
    "95.00",
    "97.00",
    "98.00",
]


def _log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/staff/login/")
    page.get_by_label("ชื่อผู้ใช้").fill(username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("เข้าสู่ระบบ")).click()


def _enter_year(page, base: str, year: int, scores: list[str]) -> str:
    page.goto(f"{base}/staff/office/ita/")
    page.locator("input[name=fiscal_year]").fill(str(year))
    page.get_by_role("button", name="เพิ่ม", exact=True).click()
    for number, score in enumerate(scores, start=1):
        page.get_by_label(re.compile(rf"^ตัวชี้วัดที่ {number} ")).fill(score)
    page.get_by_role("button", name="บันทึก", exact=True).click()
    return page.locator("main").inner_text()


def test_editor_works_in_2570_and_operator_corrects_the_2569_edition(live_server, page):
    office = make_org("office", name_th="สำนักงานเขตพื้นที่การศึกษาทดสอบ")
    make_user("editor", office, Role.EDITOR)
    get_user_model().objects.create_superuser("operator", password=PASSWORD)
    base = live_server.url

    _log_in(page, base, "editor")
    text = _enter_year(page, base, 2568, SCORES_2568)
    assert "93.75" in text
    assert "EIT 84.50 ต่ำกว่า 85 จึงได้ระดับผ่าน" in text
    text = _enter_year(page, base, 2569, SCORES_2569)
    assert "ผ่านดีเยี่ยม" in text

    # The public page shows the same level and reason.
    page.goto(f"{base}/office/ita/2568/")
    public = page.locator("main").inner_text()
    assert "ผ่าน" in public and "EIT 84.50 ต่ำกว่า 85" in public

    # 2570: no NACC framework yet; the editor starts a provisional one from the OIT page.
    page.goto(f"{base}/staff/")
    page.get_by_role("link", name="ข้อมูล OIT").first.click()
    page.get_by_role("link", name=re.compile("2570")).first.click()
    page.get_by_role("button", name=re.compile("ชั่วคราว|คัดลอกจาก")).click()
    provisional = Edition.objects.get(first_year=2570)
    assert provisional.provisional and provisional.based_on.code == "nacc-2569"
    assert "ชั่วคราว" in page.locator("main").inner_text()

    # …and fills O1 with an explanation and a link, then publishes it.
    page.get_by_role("link", name="โครงสร้าง หน้าที่และอำนาจ").click()
    page.get_by_label("คำอธิบายที่แสดงบนหน้าเว็บ").fill("โครงสร้างและอำนาจหน้าที่ของสำนักงาน")
    page.get_by_role("button", name="บันทึก", exact=True).click()
    page.get_by_role("textbox", name="ลิงก์", exact=True).fill(
        "https://www.example.go.th/office/structure"
    )
    page.get_by_label("ชื่อรายการ").last.fill("แผนผังโครงสร้าง")
    page.get_by_role("button", name="เพิ่มลิงก์").click()
    page.get_by_role("button", name="เผยแพร่", exact=True).click()
    disclosure = Disclosure.objects.get(organisation=office, fiscal_year=2570, item__code="O1")
    assert disclosure.item.edition == provisional
    assert disclosure.entries.count() == 1
    page.goto(f"{base}/office/oit/2570/O1/")
    public = page.locator("main").inner_text()
    assert "แผนผังโครงสร้าง" in public and "ชั่วคราว" in public

    # The operator exports the 2569 edition, corrects a title and imports it back.
    page.context.clear_cookies()
    page.goto(f"{base}/admin/login/")
    page.locator("input[name=username]").fill("operator")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    edition = Edition.objects.get(code="nacc-2569")
    page.goto(f"{base}/admin/assessments/edition/{edition.pk}/change/")
    with page.expect_download() as download:
        page.get_by_role("link", name="ส่งออกเป็น XLSX").click()
    workbook = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    items = workbook["items"]
    header = [cell.value for cell in items[1]]
    code_col, title_col = header.index("code"), header.index("title_th")
    corrected = "แผนยุทธศาสตร์หรือแผนพัฒนาหน่วยงาน (ฉบับปรับปรุง)"
    for row in items.iter_rows(min_row=2):
        if row[code_col].value == "O5":
            row[title_col].value = corrected
    edited = io.BytesIO()
    workbook.save(edited)

    page.goto(f"{base}/admin/assessments/edition/")
    page.get_by_role("link", name=re.compile("นำเข้า.*XLSX")).click()
    page.locator("input[type=file]").set_input_files(
        files=[
            {
                "name": "nacc-2569.xlsx",
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "buffer": edited.getvalue(),
            }
        ]
    )
    page.get_by_role("button", name="ตรวจไฟล์").click()
    differences = page.locator(".edition-differences").inner_text()
    assert "O5" in differences and corrected in differences
    assert differences.count("\n") == 0  # exactly one line: nothing else would change
    page.get_by_role("button", name="ยืนยันการนำเข้า").click()
    assert Item.objects.get(edition=edition, code="O5").title_th == corrected
    assert Item.objects.filter(edition=edition).count() == 26
