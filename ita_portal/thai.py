"""Thai formatting: Buddhist Era years and dates, Thai digits, fiscal years.

A Thai fiscal year runs from 1 October to 30 September and is named by the
Buddhist Era year in which it ends: fiscal year 2566 is 1 October 2022 to
30 September 2023. BE = CE + 543.
"""

from __future__ import annotations

import datetime as dt
import re

BE_OFFSET = 543

THAI_MONTHS = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
THAI_MONTHS_SHORT = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)

_TO_THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def thai_digits(value: object) -> str:
    """The text of ``value`` with Arabic digits written as Thai digits."""
    return str(value).translate(_TO_THAI_DIGITS)


_FROM_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def arabic_digits(value: object) -> str:
    """The text of ``value`` with Thai digits written as Arabic ones (what people type)."""
    return ("" if value is None else str(value)).translate(_FROM_THAI_DIGITS)


_HTML_TEXT = re.compile(r"(<(style|script)\b.*?</\2>|<[^>]*>)|([^<]+)", re.DOTALL | re.IGNORECASE)
_DIGIT_OR_ENTITY = re.compile(r"&#?\w+;|[0-9]")


def thai_digits_html(html: str) -> str:
    """Thai digits in the text of an HTML document, leaving tags, attributes,
    character references and style or script blocks as they are (a URL or a
    CSS length must keep its Arabic digits)."""

    def text(match: re.Match) -> str:
        if match.group(1):
            return match.group(1)
        return _DIGIT_OR_ENTITY.sub(
            lambda m: m.group(0) if len(m.group(0)) > 1 else m.group(0).translate(_TO_THAI_DIGITS),
            match.group(3),
        )

    return _HTML_TEXT.sub(text, html)


def be_year(value: dt.date | int) -> int:
    """The Buddhist Era year of a date, or of a Common Era year."""
    year = value.year if isinstance(value, dt.date) else int(value)
    return year + BE_OFFSET


def ce_year(be: int) -> int:
    return int(be) - BE_OFFSET


def thai_date(
    value: dt.date | dt.datetime | None,
    *,
    digits: bool = False,
    short: bool = False,
    formal: bool = False,
) -> str:
    """``11 มิถุนายน 2567`` (or ``11 มิ.ย. 2567``); Thai digits when ``digits``.

    ``formal`` gives the wording of a signed announcement: ``11 เดือนมิถุนายน พ.ศ. 2567``.
    """
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    months = THAI_MONTHS_SHORT if short else THAI_MONTHS
    if formal:
        text = f"{value.day} เดือน{THAI_MONTHS[value.month - 1]} พ.ศ. {be_year(value)}"
    else:
        text = f"{value.day} {months[value.month - 1]} {be_year(value)}"
    return thai_digits(text) if digits else text


def fiscal_year_of(value: dt.date) -> int:
    """The BE fiscal year a date falls in (October starts the next year)."""
    if isinstance(value, dt.datetime):
        value = value.date()
    ce = value.year + 1 if value.month >= 10 else value.year
    return ce + BE_OFFSET


def fiscal_year_start(fiscal_year: int) -> dt.date:
    return dt.date(ce_year(fiscal_year) - 1, 10, 1)


def fiscal_year_end(fiscal_year: int) -> dt.date:
    return dt.date(ce_year(fiscal_year), 9, 30)


_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?")
_NUMERIC_DATE = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})")
_WORDED_DATE = re.compile(r"(\d{1,2})\s*(?:เดือน)?\s*([^\d\s]+)\s*(?:พ\.ศ\.)?\s*(\d{4})")
_NUMERIC_MONTH = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{4})")
_WORDED_MONTH = re.compile(r"(?:เดือน)?\s*([^\d\s]+)\s*(?:พ\.ศ\.)?\s*(\d{4})")
_BE_SUFFIX = re.compile(r"\s*(?:พ\.ศ\.|พ\.ศ|พศ\.?)\s*$")
_MONTH_NUMBERS = {name: index for index, name in enumerate(THAI_MONTHS, start=1)} | {
    name: index for index, name in enumerate(THAI_MONTHS_SHORT, start=1)
}
# Years a typed date may have once converted to the Common Era.
_CE_YEARS = range(1900, 2200)


class DateParseError(ValueError):
    """Why a typed date is not one; ``code`` names the reason so a form can say it.

    Codes: ``invalid`` (not a date at all), ``no_such_day`` (31/02/2569),
    ``ce_year`` (a Common Era year where a Buddhist Era one was asked for),
    ``year_range`` (a year no record of ours can have). ``params`` fill the message.
    """

    def __init__(self, text: str, *, code: str = "invalid", **params: object) -> None:
        super().__init__(text)
        self.code = code
        self.params = params


def be_date_text(value: dt.date | None) -> str:
    """``30/09/2569``: how a date is shown in a text box, day/month/Buddhist Era year."""
    if value is None:
        return ""
    return f"{value.day:02d}/{value.month:02d}/{be_year(value)}"


def _normalised(value: object) -> str:
    text = arabic_digits(value).strip()
    return _BE_SUFFIX.sub("", text) if not _WORDED_DATE.fullmatch(text) else text


def _ce_from(typed: int, text: str, *, be_only: bool) -> int:
    if typed > 2400:
        year = typed - BE_OFFSET
    elif be_only:
        raise DateParseError(text, code="ce_year", year=typed, be=typed + BE_OFFSET)
    else:
        year = typed
    if year not in _CE_YEARS:
        raise DateParseError(text, code="year_range", year=typed)
    return year


def parse_thai_date(value: object, *, be_only: bool = False) -> dt.date | None:
    """A date as Thai staff write it; None when empty; DateParseError (a ValueError)
    when it is not a date.

    Accepted: a date, ``2023-09-30``, ``30/9/2566`` (also with ``.`` or
    ``-``), ``30 ก.ย. 2566`` and ``30 เดือนกันยายน พ.ศ. 2566``, in Arabic or
    Thai digits (``๓๐/๐๙/๒๕๖๖``). A year above 2400 is Buddhist Era and one
    below it Common Era, so ``30/9/2566`` and ``30/9/2023`` are the same day,
    unless ``be_only``: then a day/month/year typed with a Common Era year is
    refused (code ``ce_year``) because a person typing into a Thai form most
    likely slipped. ISO dates (``YYYY-MM-DD``) are a machine's and stay
    Common Era either way.
    """
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        # A Buddhist Era year typed into a Gregorian spreadsheet.
        return value.replace(year=value.year - BE_OFFSET) if value.year > 2400 else value
    text = _normalised(value)
    if not text:
        return None
    if match := _ISO_DATE.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
        be_only = False
    elif match := _NUMERIC_DATE.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
    elif (match := _WORDED_DATE.fullmatch(text)) and match.group(2) in _MONTH_NUMBERS:
        day, month, year = int(match.group(1)), _MONTH_NUMBERS[match.group(2)], int(match.group(3))
    else:
        raise DateParseError(text)
    year = _ce_from(year, text, be_only=be_only)
    if not 1 <= month <= 12:
        raise DateParseError(text, code="no_such_month", month=month)
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise DateParseError(
            text, code="no_such_day", day=day, month=THAI_MONTHS[month - 1], year=be_year(year)
        ) from None


def parse_thai_month(value: object, *, be_only: bool = False) -> tuple[int, int] | None:
    """``(CE year, month)`` of a month typed as ``09/2569``, ``ก.ย. 2569`` or
    ``กันยายน พ.ศ. 2569``; None when empty; DateParseError otherwise (as
    ``parse_thai_date``)."""
    text = arabic_digits(value).strip()
    if not text:
        return None
    if match := _NUMERIC_MONTH.fullmatch(text):
        month, year = int(match.group(1)), int(match.group(2))
    elif (match := _WORDED_MONTH.fullmatch(text)) and match.group(1) in _MONTH_NUMBERS:
        month, year = _MONTH_NUMBERS[match.group(1)], int(match.group(2))
    else:
        raise DateParseError(text)
    if not 1 <= month <= 12:
        raise DateParseError(text, code="no_such_month", month=month)
    return _ce_from(year, text, be_only=be_only), month
