"""Form fields every app's forms share: Thai dates and several files at once."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from .thai import parse_thai_date

DATE_HELP = _("Pick the date, or type it as day/month/year, e.g. 30/09/2567.")


class DateInput(forms.DateInput):
    """The browser's date picker; it always sends and expects YYYY-MM-DD."""

    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class ThaiDateField(forms.DateField):
    """A date from the date picker (YYYY-MM-DD) or typed as day/month/year.

    Where the browser shows a plain text box, people type dates the Thai way,
    usually with a Buddhist Era year (30/09/2567, 30 ก.ย. 2567); a year above
    2400 is taken as BE and converted.
    """

    widget = DateInput
    default_error_messages = {
        "invalid": _("Enter a date as day/month/year, e.g. 30/09/2567."),
    }

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("help_text", DATE_HELP)
        super().__init__(**kwargs)

    def to_python(self, value: object) -> dt.date | None:
        if isinstance(value, str):
            try:
                return parse_thai_date(value)
            except (ValueError, OverflowError):
                raise forms.ValidationError(
                    self.error_messages["invalid"], code="invalid"
                ) from None
        return super().to_python(value)


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
