"""Template filters for Thai dates, BE years, Thai digits and scores."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template
from django.utils import timezone

from ita_portal import thai

register = template.Library()


def _local(value: dt.date | dt.datetime) -> dt.date | dt.datetime:
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def thai_date(value: dt.date | dt.datetime | str | None, arg: str = "") -> str:
    """``{{ d|thai_date }}`` → 11 มิถุนายน 2567; ``"short"``, ``"formal"`` and/or ``"digits"`` as argument.

    An ISO date text (as frozen snapshots keep dates in JSON) is read as a date.
    """
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    options = {part.strip() for part in arg.split(",")}
    return thai.thai_date(
        _local(value),
        digits="digits" in options,
        short="short" in options,
        formal="formal" in options,
    )


@register.filter
def thai_datetime(value: dt.datetime | None) -> str:
    if not value:
        return ""
    local = _local(value)
    return f"{thai.thai_date(local, short=True)} {local:%H:%M} น."


@register.filter
def thai_digits(value: object, enabled: bool = True) -> str:
    """Thai digits; ``{{ x|thai_digits:settings.thai_digits }}`` switches by a flag."""
    if value is None:
        return ""
    return thai.thai_digits(value) if enabled else str(value)


@register.filter
def be_year(value: dt.date | int | None) -> str:
    if value in (None, ""):
        return ""
    return str(thai.be_year(value))


@register.filter
def score(value: Decimal | None) -> str:
    """A score with two decimals (91.50), or an em dash when there is none."""
    if value is None:
        return "–"
    return f"{Decimal(value):.2f}"


@register.filter
def signed(value: Decimal | None) -> str:
    """A difference with its sign: +3.83, -5.42, 0.00."""
    if value is None:
        return "–"
    value = Decimal(value)
    return f"+{value:.2f}" if value > 0 else f"{value:.2f}"
