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

from assessments.models import Organisation
from assessments.scoring import round_half_up
from ita_portal.spreadsheets import sheet_append

from .models import Verdict
from .rollup import SchoolRow, rollup_rows


def _score(value: Decimal | None) -> Decimal | None:
    # Written as a number (two places), so the ESA can sort and average it in Excel.
    return None if value is None else round_half_up(value)


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
    workbook = Workbook()
    schools = workbook.active
    schools.title = _("Schools")[:31]
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
