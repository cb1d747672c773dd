"""Form fields every app's forms share: Thai dates and several files at once."""

from __future__ import annotations

import calendar
import datetime as dt

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .thai import (
    DateParseError,
    be_date_text,
    fiscal_year_end,
    fiscal_year_start,
    parse_thai_date,
    parse_thai_month,
    thai_date,
)

DATE_HELP = _("Day/month/year in the Buddhist Era (พ.ศ.), e.g. 30/09/2569.")
DATE_MONTH_HELP = _(
    "Day/month/year in the Buddhist Era (พ.ศ.), e.g. 30/09/2569, or the month only, e.g. 09/2569."
)
DATE_PLACEHOLDER = _("dd/mm/yyyy")

DATE_MESSAGES = {
    "invalid": _("Enter a date as day/month/year in the Buddhist Era, e.g. 30/09/2569."),
    "no_such_day": _("%(month)s %(year)s has no day %(day)s. Check the day and the month."),
    "no_such_month": _("There is no month %(month)s: months run from 01 to 12."),
    "ce_year": _(
        "%(year)s is a year of the Common Era (ค.ศ.). Type the Buddhist Era year (พ.ศ.): %(be)s."
    ),
    "year_range": _("The year %(year)s cannot be right. Type the Buddhist Era year, e.g. 2569."),
    "future": _("This date is after today (%(today)s). Enter the day it really happened."),
    "fiscal_year": _(
        "Enter a date from %(start)s to %(end)s: fiscal year %(year)s runs from "
        "%(fy_start)s to %(fy_end)s."
    ),
    "order": _("This date is before %(other)s (%(date)s)."),
}


class BEDateInput(forms.TextInput):
    """A text box for a date typed as day/month/Buddhist Era year (30/09/2569).

    Not the browser's ``type=date`` picker: that shows a Gregorian mm/dd/yyyy
    calendar whatever the help text says. ``static/js/bedate.js`` adds a small
    Buddhist Era calendar next to the box; without it the box still works.
    """

    def __init__(self, attrs: dict | None = None) -> None:
        defaults = {
            "inputmode": "numeric",
            "autocomplete": "off",
            "placeholder": DATE_PLACEHOLDER,
            "size": 12,
            "maxlength": 40,
            "class": "be-date",
            "data-be-date": "",
        }
        super().__init__(attrs={**defaults, **(attrs or {})})

    def format_value(self, value: object) -> str | None:
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return be_date_text(value)
        if isinstance(value, str):
            # An ISO date (a script's post, an initial value) is shown the Thai way;
            # what a person typed is shown back as typed.
            try:
                if len(value) == 10 and value[4] == "-":
                    return be_date_text(dt.date.fromisoformat(value))
            except ValueError:
                pass
        return super().format_value(value)


# Kept for code that imported the old name: the widget is now the BE text box.
DateInput = BEDateInput


class ThaiDateField(forms.DateField):
    """A date typed as day/month/Buddhist Era year (30/09/2569, ๓๐/๐๙/๒๕๖๙,
    30 ก.ย. 2569) or sent as ISO ``YYYY-MM-DD`` by a script.

    A day/month/year with a Common Era year (30/09/2026) is refused with a
    message that gives the BE year: people typing into a Thai form mean BE,
    and silently converting would hide a slip. With ``month_allowed`` the
    month alone (09/2569, ก.ย. 2569) is accepted too and gives the month's
    last day (or first, ``month_day="first"``); ``typed_month_only`` then says
    it was typed so, for forms that print such dates as the month only.
    """

    widget = BEDateInput
    default_error_messages = DATE_MESSAGES

    def __init__(self, *, month_allowed: bool = False, month_day: str = "last", **kwargs) -> None:
        self.month_allowed = month_allowed
        self.month_day = month_day
        self.typed_month_only = False
        kwargs.setdefault("help_text", DATE_MONTH_HELP if month_allowed else DATE_HELP)
        super().__init__(**kwargs)

    def to_python(self, value: object) -> dt.date | None:
        self.typed_month_only = False
        if not isinstance(value, str):
            return super().to_python(value)
        try:
            return parse_thai_date(value, be_only=True)
        except DateParseError as error:
            if self.month_allowed and error.code == "invalid":
                return self._month(value, error)
            raise self._error(error) from None
        except OverflowError:
            raise self._error(DateParseError(value)) from None

    def _month(self, value: str, date_error: DateParseError) -> dt.date:
        try:
            parsed = parse_thai_month(value, be_only=True)
        except DateParseError as error:
            raise self._error(date_error if error.code == "invalid" else error) from None
        year, month = parsed
        self.typed_month_only = True
        day = 1 if self.month_day == "first" else calendar.monthrange(year, month)[1]
        return dt.date(year, month, day)

    def _error(self, error: DateParseError) -> forms.ValidationError:
        return forms.ValidationError(
            self.error_messages[error.code], code=error.code, params=error.params
        )


def check_not_future(value: dt.date | None, *, today: dt.date | None = None) -> None:
    """Refuse a date after today: a completion or report date has happened."""
    today = today or timezone.localdate()
    if value is not None and value > today:
        raise forms.ValidationError(
            DATE_MESSAGES["future"], code="future", params={"today": thai_date(today)}
        )


def fiscal_year_window(
    fiscal_year: int, *, days_before: int = 92, days_after: int = 366
) -> tuple[dt.date, dt.date]:
    """The dates a record of ``fiscal_year`` may carry: the year itself and a
    margin (plans are written in the summer before, 12-month reports after)."""
    return (
        fiscal_year_start(fiscal_year) - dt.timedelta(days=days_before),
        fiscal_year_end(fiscal_year) + dt.timedelta(days=days_after),
    )


def check_in_fiscal_year(
    value: dt.date | None, *, fiscal_year: int, days_before: int = 92, days_after: int = 366
) -> None:
    """Refuse a date far from ``fiscal_year`` (a slip such as 2031 for 2571)."""
    if value is None:
        return
    start, end = fiscal_year_window(fiscal_year, days_before=days_before, days_after=days_after)
    if not start <= value <= end:
        raise forms.ValidationError(
            DATE_MESSAGES["fiscal_year"],
            code="fiscal_year",
            params={
                "start": thai_date(start),
                "end": thai_date(end),
                "year": fiscal_year,
                "fy_start": thai_date(fiscal_year_start(fiscal_year)),
                "fy_end": thai_date(fiscal_year_end(fiscal_year)),
            },
        )


def check_order(first: dt.date | None, later: dt.date | None, *, first_label: str) -> None:
    """Refuse ``later`` when it comes before ``first`` (an end before its start)."""
    if first is not None and later is not None and later < first:
        raise forms.ValidationError(
            DATE_MESSAGES["order"],
            code="order",
            params={"other": first_label, "date": thai_date(first)},
        )


def add_date_error(form: forms.BaseForm, name: str, check, *args, **kwargs) -> None:
    """Run a check on a cleaned date and put its message beside the field."""
    if name in form.errors:
        return
    try:
        check(form.cleaned_data.get(name), *args, **kwargs)
    except forms.ValidationError as error:
        form.add_error(name, error)


class BEDateAdminMixin:
    """Admin pages type dates as day/month/BE year, as the staff pages do."""

    formfield_overrides = {
        models.DateField: {"form_class": ThaiDateField, "widget": BEDateInput},
    }


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one ``<input type="file" multiple>``; cleans to a list.

    ``accept`` hints the browser's file chooser; the content of each file is
    checked by the service that stores them (``ita_portal.uploads``).
    """

    def __init__(self, *, accept: str | None = None, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept} if accept else {}))
        super().__init__(**kwargs)

    def clean(self, data: object, initial: object = None) -> list:
        single = super().clean
        if isinstance(data, list | tuple) and data:
            return [single(item, initial) for item in data]
        # Nothing chosen: the single-file check says "required" (or gives None).
        result = single(data or None, initial)
        return [result] if result else []
