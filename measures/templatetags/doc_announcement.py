"""Template helpers of the announcement document (measures/doc_announcement.html).

Numbered steps and lines come from the ``documents`` library all documents share."""

from __future__ import annotations

import datetime as dt

from django import template

from ita_portal.thai import THAI_MONTHS, be_year
from measures.documents.announcement import announcement_date

register = template.Library()


@register.filter
def signed_on(report) -> dt.date | None:
    """The date after "ประกาศ ณ วันที่" (see ``announcement_date``)."""
    return announcement_date(report)


@register.filter
def announce_date(value: dt.date | None) -> str:
    """``11 มิถุนายน พ.ศ. 2567``, as reference 001 prints the date it was announced."""
    if not value:
        return ""
    return f"{value.day} {THAI_MONTHS[value.month - 1]} พ.ศ. {be_year(value)}"
