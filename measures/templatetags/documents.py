"""Template helpers the measures documents share: numbered steps, month dates, lines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django import template

from ita_portal import thai
from measures.steps import NumberedStep, StepLike, normalise_newlines, numbered

register = template.Library()


@register.filter
def numbered_steps(steps: Iterable[StepLike] | None) -> list[NumberedStep]:
    """``{% for label, text in measure.steps.all|numbered_steps %}``: 1, 1.1, 1.2, 2 …

    A step typed with its own number ("1.1 …", "๑.๑ …") has it stripped, so the
    number is never printed twice.
    """
    return numbered(steps or [])


@register.filter
def month_or_date(value: dt.date | None, month_only: bool = False) -> str:
    """ "กันยายน 2566" when only the month is known, else the usual Thai date."""
    if not value:
        return ""
    if month_only:
        return f"{thai.THAI_MONTHS[value.month - 1]} {thai.be_year(value)}"
    return thai.thai_date(value)


@register.filter
def lines(text: str | None) -> list[str]:
    """Free text (a measure's responsible) as its non-empty lines."""
    return [line.strip() for line in normalise_newlines(text).split("\n") if line.strip()]
