"""The period an item's evidence must fall in, as dates of one fiscal year.

An item's ``period`` is framework data (the current fiscal year, the previous
one, its first six months, each of its months); staff need the actual dates
for the year they are filling, in the Buddhist Era, to pick the right
documents.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from assessments.models import Item, ItemPeriod
from ita_portal.thai import fiscal_year_end, fiscal_year_start


@dataclass(frozen=True)
class EvidencePeriod:
    label: str  # the period in words, as the framework names it
    spans: list[tuple[dt.date, dt.date]]  # first and last day of each span, in order

    @property
    def monthly(self) -> bool:
        return len(self.spans) > 1


def _month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _months(fiscal_year: int) -> list[tuple[dt.date, dt.date]]:
    first = fiscal_year_start(fiscal_year)
    spans = []
    for offset in range(12):
        month = (first.month - 1 + offset) % 12 + 1
        year = first.year + (first.month - 1 + offset) // 12
        start = dt.date(year, month, 1)
        spans.append((start, _month_end(start)))
    return spans


def evidence_period(item: Item, fiscal_year: int) -> EvidencePeriod | None:
    """The dates the item's evidence must fall in for ``fiscal_year``; None without a period."""
    period = item.period
    if not period:
        return None
    try:
        label = str(ItemPeriod(period).label)
    except ValueError:  # a value newer data knows and this code does not: shown as it is
        label = period
    if period == ItemPeriod.CURRENT_YEAR:
        spans = [(fiscal_year_start(fiscal_year), fiscal_year_end(fiscal_year))]
    elif period == ItemPeriod.PREVIOUS_YEAR:
        spans = [(fiscal_year_start(fiscal_year - 1), fiscal_year_end(fiscal_year - 1))]
    elif period == ItemPeriod.FIRST_HALF:
        start = fiscal_year_start(fiscal_year)
        # 1 October – 31 March: the first six months end with March of the next CE year.
        spans = [(start, dt.date(start.year + 1, 3, 31))]
    elif period == ItemPeriod.MONTHLY:
        spans = _months(fiscal_year)
    else:
        spans = []
    return EvidencePeriod(label=label, spans=spans)
