"""Demo OIT pages: fiscal year 2565 nearly complete (a few drafts and gaps left
for the completeness board to show), 2564 complete.

Wording and addresses are the portal's own, written for the demo; links
point at example.go.th, which is reserved for examples.
"""

from __future__ import annotations

import datetime as dt
import io

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook
from PIL import Image, ImageDraw, ImageFont

from assessments.models import Organisation, Unit

from .models import Disclosure, DisclosureStatus
from .selectors import items_for_year
from .services import (
    disclosure_for,
    disclosure_publish,
    disclosure_update,
    entries_add_files,
    entry_add_link,
)

# Items left as drafts, and items not started, in the demo's current year.
DRAFTS = {"O17", "O26"}
NOT_STARTED = {"O33"}


def demo_font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(
        str(settings.BASE_DIR / "static" / "fonts" / "Laksaman.ttf"), size=size
    )


def _pdf(title: str) -> SimpleUploadedFile:
    """A one-page A4 PDF with the title drawn in the Thai face (Pillow writes real PDFs)."""
    page = Image.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(page)
    draw.text((120, 160), title, fill="black", font=demo_font(56))
    draw.line((120, 260, 1120, 260), fill="black", width=3)
    for row in range(8):
        draw.rectangle((120, 320 + row * 110, 1120, 400 + row * 110), outline="#999999", width=2)
    buffer = io.BytesIO()
    page.save(buffer, format="PDF", resolution=150)
    return SimpleUploadedFile("document.pdf", buffer.getvalue())


def _xlsx(title: str, fiscal_year: int) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.title = "สรุป"
    sheet.append([title])
    sheet.append(["ลำดับ", "งานที่จัดซื้อจัดจ้าง", "วงเงิน (บาท)", "วิธีซื้อหรือจ้าง"])
    for n, (work, amount) in enumerate(
        [("จัดซื้อวัสดุสำนักงาน", 24500), ("จ้างซ่อมแซมอาคาร", 98000), ("จัดซื้อหมึกพิมพ์", 12800)],
        start=1,
    ):
        sheet.append([n, work, amount, "เฉพาะเจาะจง"])
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("summary.xlsx", buffer.getvalue())


def _documents(code: str, title: str, fiscal_year: int) -> list[SimpleUploadedFile]:
    if code in {"O1", "O4", "O10", "O18", "O21", "O29", "O36", "O39"}:
        return [_pdf(f"{title} ปีงบประมาณ พ.ศ. {fiscal_year}")]
    if code in {"O23"}:
        return [_xlsx(f"{title} ปีงบประมาณ พ.ศ. {fiscal_year}", fiscal_year)]
    return []


def demo_disclosures_load(organisation: Organisation, fiscal_year: int, *, complete: bool) -> None:
    """Load one demo year once; a year that already has disclosures is left alone."""
    if Disclosure.objects.filter(organisation=organisation, fiscal_year=fiscal_year).exists():
        return
    _edition, items = items_for_year(fiscal_year)
    units = list(Unit.objects.filter(organisation=organisation).order_by("order"))
    # The ITAS deadline falls in the second quarter; the demo uses the end of March.
    due = dt.date(fiscal_year - 543, 3, 31)
    start = dt.date(fiscal_year - 544, 10, 1)
    with transaction.atomic():
        for index, item in enumerate(items):
            if not complete and item.code in NOT_STARTED:
                continue
            disclosure = disclosure_for(
                organisation=organisation, fiscal_year=fiscal_year, item=item
            )
            unit = units[item.sub_indicator.order % len(units)] if units else None
            explanation = (
                f"{organisation.name_th}เผยแพร่ข้อมูล{item.title_th} "
                f"ประจำปีงบประมาณ พ.ศ. {fiscal_year} ตามรายการด้านล่าง"
            )
            if item.role:
                explanation = "ข้อมูลในหน้านี้แสดงจากระบบมาตรการของสำนักงานโดยตรง จึงเป็นปัจจุบันเสมอ"
            disclosure_update(
                disclosure=disclosure, explanation=explanation, unit=unit, due_date=due
            )
            documents = _documents(item.code, item.title_th, fiscal_year)
            if documents:
                entries_add_files(
                    disclosure=disclosure,
                    files=documents,
                    titles=[f"{item.title_th} ปีงบประมาณ พ.ศ. {fiscal_year}"],
                    date=start + dt.timedelta(days=20 + index),
                )
            elif not item.role:
                entry_add_link(
                    disclosure=disclosure,
                    url=f"https://www.example.go.th/{organisation.slug}/{fiscal_year}/{item.code.lower()}",
                    title=f"{item.title_th} (เว็บไซต์สำนักงาน)",
                    date=start + dt.timedelta(days=20 + index),
                )
            if item.code == "O7":
                for month, news in enumerate(
                    ["ประชุมผู้บริหารสถานศึกษา", "อบรมครูด้านการวัดผล", "มอบทุนการศึกษา"], start=1
                ):
                    entry_add_link(
                        disclosure=disclosure,
                        url=f"https://www.example.go.th/{organisation.slug}/news/{fiscal_year}/{month}",
                        title=f"ข่าวประชาสัมพันธ์: {news}",
                        date=start + dt.timedelta(days=30 * month),
                    )
            if complete or item.code not in DRAFTS:
                disclosure_publish(disclosure=disclosure, published=True)
    # The demo's dates should look like that year's, not like the day it was loaded.
    stamp = timezone.make_aware(dt.datetime(fiscal_year - 543, 2, 15, 10, 0))
    Disclosure.objects.filter(organisation=organisation, fiscal_year=fiscal_year).update(
        content_updated_at=stamp,
        first_published_at=stamp,
    )
    Disclosure.objects.filter(
        organisation=organisation, fiscal_year=fiscal_year, status=DisclosureStatus.DRAFT
    ).update(first_published_at=None)


def demo_disclosures(organisation: Organisation) -> None:
    demo_disclosures_load(organisation, 2564, complete=True)
    demo_disclosures_load(organisation, 2565, complete=False)
