"""The link sheet: one row per OIT item with its permanent address, for ITAS.

An office copies these addresses into the national ITAS system item by item,
so the sheet must open cleanly in Excel (Thai text, one row per item) and
make the items that are not published yet impossible to miss: their address
answers "not available" to an assessor.
"""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from assessments.models import Organisation
from ita_portal.spreadsheets import csv_bytes, sheet_append
from ita_portal.thai import thai_date

from .selectors import LinkRow, link_sheet

FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Code, title, address, status, last update: wide enough for a Thai title and a full URL.
COLUMN_WIDTHS = (8, 60, 60, 22, 20)
UNPUBLISHED_FILL = PatternFill(fill_type="solid", start_color="FDECEB", end_color="FDECEB")
UNPUBLISHED_FONT = Font(bold=True, color="B3261E")


def link_sheet_headers() -> list[str]:
    return [_("Code"), _("Title"), _("Address (URL)"), _("Status"), _("Last updated")]


def link_sheet_values(row: LinkRow) -> list[str]:
    """A row as text; the date in the Buddhist Era, as staff write it."""
    updated = thai_date(timezone.localtime(row.updated)) if row.updated else ""
    return [row.code, row.title, row.url, row.status_label, updated]


def link_sheet_csv(rows: list[LinkRow]) -> bytes:
    # Formula-safe, with the byte-order mark Excel needs to read Thai as UTF-8.
    return csv_bytes(link_sheet_headers(), [link_sheet_values(row) for row in rows])


def link_sheet_xlsx(rows: list[LinkRow], *, fiscal_year: int) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"OIT {fiscal_year}"
    sheet_append(sheet, link_sheet_headers())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        # Titles come from framework files operators edit: text cells, never formulas.
        sheet_append(sheet, link_sheet_values(row))
        cells = sheet[sheet.max_row]
        cells[2].hyperlink = row.url
        if not row.published:
            # Colour for the eye, and the status text for a printout in black and white.
            for cell in cells:
                cell.fill = UNPUBLISHED_FILL
            cells[3].font = UNPUBLISHED_FONT
    for index, width in enumerate(COLUMN_WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    for (title_cell,) in sheet.iter_rows(min_row=2, min_col=2, max_col=2):
        title_cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def link_sheet_export(*, organisation: Organisation, fiscal_year: int, fmt: str) -> bytes:
    """The year's link sheet as CSV or XLSX bytes."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format: {fmt}")
    rows = link_sheet(organisation=organisation, fiscal_year=fiscal_year)
    if fmt == "csv":
        return link_sheet_csv(rows)
    return link_sheet_xlsx(rows, fiscal_year=fiscal_year)


def link_sheet_filename(*, organisation: Organisation, fiscal_year: int, fmt: str) -> str:
    return f"oit-links-{organisation.slug}-{fiscal_year}.{fmt}"
