"""Demo OIT pages: fiscal year 2569 complete (O1–O26 of the 2569 edition) and the
current year, 2570, in progress on a provisional edition copied from 2569:
what was due by now is published, the monthly items are drafts with the
months so far, and the items due at the half-year are not started yet.

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

from assessments.framework import edition_for
from assessments.models import Item, ItemPeriod, Organisation, Unit
from assessments.provisional import edition_start_provisional
from assessments.public_cache import content_changed

from .models import ContentTick, Disclosure, DisclosureStatus, EntryKind
from .selectors import GENERATED_ROLES, items_for_year
from .services import (
    disclosure_for,
    disclosure_publish,
    disclosure_update,
    entries_add_files,
    entry_add_link,
)


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


def _documents(item: Item, fiscal_year: int) -> list[SimpleUploadedFile]:
    """A signed or dated document where the edition asks for one, a spreadsheet for
    monthly summaries; other items link to pages on the office's website."""
    title = f"{item.title_th} ปีงบประมาณ พ.ศ. {fiscal_year}"
    if item.period == ItemPeriod.MONTHLY:
        return [_xlsx(title, fiscal_year)]
    if item.signed_by_head or item.period in (ItemPeriod.CURRENT_YEAR, ItemPeriod.PREVIOUS_YEAR):
        return [_pdf(title)]
    return []


def _state(item: Item, *, complete: bool) -> str:
    """How far the demo's current year has got with an item, two months in."""
    if complete or item.role:
        return "published"
    if item.period == ItemPeriod.FIRST_HALF:
        return "not_started"  # due at the end of March
    if item.period == ItemPeriod.MONTHLY:
        return "draft"  # filled month by month
    if item.signed_by_head:
        return "draft"  # waiting for the head's signature
    return "published"


def _monthly_links(disclosure: Disclosure, item: Item, fiscal_year: int, *, until: dt.date) -> None:
    """One summary per month of the year, dated in its month, up to today."""
    for offset in range(12):
        month = (10 + offset - 1) % 12 + 1
        year = fiscal_year - 544 if month >= 10 else fiscal_year - 543
        day = dt.date(year, month, 5)
        if day > until:
            break
        entry_add_link(
            disclosure=disclosure,
            url=f"https://www.example.go.th/{disclosure.organisation.slug}/{fiscal_year}/"
            f"{item.code.lower()}/{year}-{month:02d}",
            title=f"{item.title_th} เดือน {month:02d}/{year + 543}",
            date=day,
        )


def _confirm(disclosure: Disclosure, item: Item) -> None:
    """What staff confirm for the pre-check on a finished item: the signed
    document, and where each required content is shown."""
    first = disclosure.entries.order_by("order", "id").first()
    if first is None:
        return
    if item.signed_by_head:
        disclosure.entries.filter(kind=EntryKind.DOCUMENT).update(signed=True)
    for line in item.content_lines:
        ContentTick.objects.get_or_create(
            disclosure=disclosure, line=line[:500], defaults={"entry": first}
        )


def demo_disclosures_load(organisation: Organisation, fiscal_year: int, *, complete: bool) -> None:
    """Load one demo year once; a year that already has disclosures is left alone."""
    if Disclosure.objects.filter(organisation=organisation, fiscal_year=fiscal_year).exists():
        return
    _edition, items = items_for_year(fiscal_year, organisation=organisation)
    units = list(Unit.objects.filter(organisation=organisation).order_by("order"))
    # The ITAS deadline falls in the second quarter; the demo uses the end of March.
    due = dt.date(fiscal_year - 543, 3, 31)
    start = dt.date(fiscal_year - 544, 10, 1)
    today = timezone.localdate()

    def dated(day: dt.date) -> dt.date:
        # The year in progress has nothing dated after today.
        return min(day, today)

    with transaction.atomic():
        for index, item in enumerate(items):
            state = _state(item, complete=complete)
            if state == "not_started":
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
                explanation = "ข้อมูลในหน้านี้แสดงจากระบบของสำนักงานโดยตรง จึงเป็นปัจจุบันเสมอ"
            disclosure_update(
                disclosure=disclosure, explanation=explanation, unit=unit, due_date=due
            )
            # An annual report is of the year before, dated in it; the rest of this year.
            about = fiscal_year - 1 if item.period == ItemPeriod.PREVIOUS_YEAR else fiscal_year
            when = (
                dt.date(fiscal_year - 544, 9, 15)
                if about < fiscal_year
                else dated(start + dt.timedelta(days=20 + index))
            )
            documents = _documents(item, about)
            if documents:
                entries_add_files(
                    disclosure=disclosure,
                    files=documents,
                    titles=[f"{item.title_th} ปีงบประมาณ พ.ศ. {about}"],
                    date=when,
                )
            elif item.role not in GENERATED_ROLES:
                entry_add_link(
                    disclosure=disclosure,
                    url=f"https://www.example.go.th/{organisation.slug}/{fiscal_year}/{item.code.lower()}",
                    title=f"{item.title_th} (เว็บไซต์สำนักงาน)",
                    date=when,
                )
            if item.title_th.startswith("ข่าวประชาสัมพันธ์"):
                for month, news in enumerate(
                    ["ประชุมผู้บริหารสถานศึกษา", "อบรมครูด้านการวัดผล", "มอบทุนการศึกษา"], start=1
                ):
                    if start + dt.timedelta(days=30 * month) > today:
                        break
                    entry_add_link(
                        disclosure=disclosure,
                        url=f"https://www.example.go.th/{organisation.slug}/news/{fiscal_year}/{month}",
                        title=f"ข่าวประชาสัมพันธ์: {news}",
                        date=start + dt.timedelta(days=30 * month),
                    )
            if item.period == ItemPeriod.MONTHLY:
                _monthly_links(disclosure, item, fiscal_year, until=today)
            if state == "published":
                disclosure_publish(disclosure=disclosure, published=True)
                _confirm(disclosure, item)
    # The demo's dates should look like that year's, not like the day it was loaded.
    stamp = min(timezone.make_aware(dt.datetime(fiscal_year - 543, 2, 15, 10, 0)), timezone.now())
    Disclosure.objects.filter(organisation=organisation, fiscal_year=fiscal_year).update(
        content_updated_at=stamp,
        first_published_at=stamp,
    )
    Disclosure.objects.filter(
        organisation=organisation, fiscal_year=fiscal_year, status=DisclosureStatus.DRAFT
    ).update(first_published_at=None)
    # The dates above are written past the services.
    content_changed(organisation)


def demo_disclosures(organisation: Organisation, *, current_year: int = 2570) -> None:
    """Last year complete; the current year in progress, on a provisional edition
    when the NACC has not published the year's framework."""
    demo_disclosures_load(organisation, current_year - 1, complete=True)
    if edition_for(organisation, current_year) is None:
        edition_start_provisional(fiscal_year=current_year, organisation=organisation)
    demo_disclosures_load(organisation, current_year, complete=False)
