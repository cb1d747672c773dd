"""The columns of the measures and follow-ups sheets, and how a cell is read."""

from __future__ import annotations

import datetime as dt
import re

from django.db.models import TextChoices
from django.utils import translation

from ita_portal.thai import arabic_digits, parse_thai_date

from ..models import Round
from ..steps import normalise_newlines

MEASURE_HEADERS = [
    "organisation",
    "fiscal_year",
    "number",
    "title",
    "indicators",
    "approach",
    "steps",
    "responsible_units",
    "responsible_text",
    "monitoring",
    "due_date",
    "due_month_only",
]
FOLLOW_UP_HEADERS = [
    "organisation",
    "fiscal_year",
    "measure_number",
    "round",
    "report_date",
    "summary",
    "outcome",
    "status",
    "completed_on",
    "completed_month_only",
]
# Columns added later: a file written before them still imports, and leaves them as they are.
OPTIONAL_HEADERS = ("due_month_only", "completed_month_only")
EXPORT_FORMATS = ("csv", "xlsx")

# -- reading cells ---------------------------------------------------------------

# A year this size in a date or a fiscal-year column is a Common Era year.
_CE_YEARS = range(1900, 2200)


def _cell(value: object) -> str:
    """A cell as text; spreadsheets hand over whole numbers as floats (5.0).

    Line endings are stored as "\\n" whatever the file has (a text typed in a
    browser and exported has CRLF), so a file imports back unchanged.
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return normalise_newlines(str(value)).strip()


def _plain(value: object) -> str:
    """A cell holding a code, number or date: Thai digits read as Arabic ones."""
    return arabic_digits(_cell(value))


def _number(value: object) -> int | None:
    text = _plain(value)
    if text.endswith(".0"):
        text = text[:-2]
    return int(text) if text.isdigit() else None


def _normal(text: object) -> str:
    """For comparing labels: lower case, without spaces, hyphens or underscores."""
    return re.sub(r"[\s_\-]+", "", _plain(text).lower())


_YES = {"1", "yes", "y", "true", "x", "✓", "ใช่", "จริง"}
_NO = {"", "0", "no", "n", "false", "ไม่", "ไม่ใช่", "เท็จ"}


def parse_flag(value: object) -> bool | None:
    """A yes/no cell (yes, 1, ใช่ … or empty, no, 0, ไม่); None when it is neither."""
    text = _normal(value)
    if text in _YES:
        return True
    if text in _NO:
        return False
    return None


def parse_date(value: object) -> dt.date | None:
    """A date cell (see ``ita_portal.thai.parse_thai_date``); spreadsheets give floats too."""
    return parse_thai_date(value if isinstance(value, dt.date) else _cell(value))


def _labels(choices: type[TextChoices]) -> dict[str, str]:
    """Normalised value, name and (English and Thai) label of each choice → value."""
    known: dict[str, str] = {}
    for member in choices:
        names = [member.value, member.name]
        for language in ("en", "th"):
            with translation.override(language):
                names.append(str(member.label))
        known.update({_normal(name): member.value for name in names})
    return known


_ROUND_MONTHS = re.compile(r"(?<!\d)(6|12)(?!\d)(?:m|months?|เดือน)")


def parse_round(value: object, labels: dict[str, str]) -> str | None:
    """6m, 12m or dated from a code, a label or words such as "รายงานรอบ 6 เดือน"."""
    text = _normal(value)
    if not text:
        return None
    if text in labels:
        return labels[text]
    if text in {"6", "12"} or (match := _ROUND_MONTHS.search(text)):
        months = text if text in {"6", "12"} else match.group(1)
        return Round.SIX_MONTHS if months == "6" else Round.TWELVE_MONTHS
    if "dated" in text or "วันที่" in text:
        return Round.DATED
    return None
