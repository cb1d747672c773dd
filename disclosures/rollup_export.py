"""The consolidated sheet an ESA sends on: one row per school, then every item's verdict.

Both the staff download and ``manage.py oit_rollup`` write it with this
function. Every text cell is written formula-safe (``ita_portal.spreadsheets``):
school names and assessors' comments are typed by people.
"""

from __future__ import annotations

import io
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from assessments.models import Organisation
from assessments.scoring import round_half_up
from ita_portal.spreadsheets import _needs_quote, _xlsx_value

from .models import Verdict
from .rollup import SchoolRow, rollup_rows


def _score(value: Decimal | None) -> Decimal | None:
    # Written as a number (two places), so the ESA can sort and average it in Excel.
    return None if value is None else round_half_up(value)


def sheet_append(sheet: WriteOnlyWorksheet, values: list[object]) -> None:
    """Append a row, every text a text cell, never a formula (as ``spreadsheets.sheet_append``).

    A write-only sheet, because ``spreadsheets.sheet_append`` looks its row up
    through ``max_row``, which scans every cell: an ESA's 300 schools × 26
    verdicts took a minute that way, and take a fraction of a second so.
    """
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, _xlsx_value(value))
        if isinstance(cell.value, str):
            cell.data_type = "s"
            if _needs_quote(cell.value):
                cell.quotePrefix = True  # Excel keeps it text even when the cell is edited
        cells.append(cell)
    sheet.append(cells)


def school_headers() -> list[str]:
    return [
        _("School code"),
        _("School"),
        _("Readiness (%)"),
        _("Submitted"),
        _("Review status"),
        _("Items reviewed"),
        _("Predicted OIT"),
        _("Final OIT"),
        _("Last official year"),
        _("Last official total"),
        _("Level"),
        # Added with the surveys: last, so sheets read by column position keep working.
        _("IIT (self-assessed)"),
        _("EIT (self-assessed)"),
        _("Predicted total (self-assessed)"),
        _("Predicted level (self-assessed)"),
    ]


def school_values(row: SchoolRow) -> list[object]:
    return [
        row.organisation.slug,
        row.organisation.name_th,
        _score(row.readiness),
        _("Yes") if row.submitted else _("No"),
        row.status_label,
        f"{row.reviewed}/{len(row.reviews)}" if row.submitted else "",
        _score(row.predicted),
        _score(row.final),
        row.official_year,
        _score(row.official_total),
        row.official_level,
        _score(row.iit),
        _score(row.eit),
        _score(row.predicted_total),
        row.predicted_level,
    ]


def verdict_headers() -> list[str]:
    return [
        _("School code"),
        _("School"),
        _("Item"),
        _("Title"),
        _("Verdict"),
        _("Score"),
        _("Assessor's comment"),
        _("Improvement needed"),
    ]


def rollup_workbook(rows: list[SchoolRow]) -> bytes:
    """The two-sheet XLSX workbook of the rows (schools, then verdicts)."""
    workbook = Workbook(write_only=True)
    schools = workbook.create_sheet(_("Schools")[:31])
    sheet_append(schools, school_headers())
    for row in rows:
        sheet_append(schools, school_values(row))
    verdicts = workbook.create_sheet(_("Item verdicts")[:31])
    sheet_append(verdicts, verdict_headers())
    labels = dict(Verdict.choices)
    for row in rows:
        for review in row.reviews:
            sheet_append(
                verdicts,
                [
                    row.organisation.slug,
                    row.organisation.name_th,
                    review.item.code,
                    review.item.title_th,
                    str(labels[review.verdict]),
                    _score(review.score),
                    review.comment,
                    review.improvement,
                ],
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rollup_xlsx(*, parent: Organisation, fiscal_year: int, today=None) -> bytes:
    """The consolidated sheet of ``parent``'s schools for the year."""
    return rollup_workbook(rollup_rows(parent=parent, fiscal_year=fiscal_year, today=today))


def rollup_filename(*, parent: Organisation, fiscal_year: int) -> str:
    return f"oit-rollup-{parent.slug}-{fiscal_year}.xlsx"
