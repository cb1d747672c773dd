"""Dates typed and shown as day/month/Buddhist Era year, and the sense checks on them."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django import forms
from django.utils import translation

from ita_portal.fields import (
    BEDateInput,
    ThaiDateField,
    check_in_fiscal_year,
    check_not_future,
    check_order,
)
from ita_portal.thai import DateParseError, be_date_text, parse_thai_date, parse_thai_month


class _Form(forms.Form):
    day = ThaiDateField(label="Day", required=False)
    month_or_day = ThaiDateField(label="Due", required=False, month_allowed=True)


def _clean(value: str, name: str = "day") -> tuple[dt.date | None, list[str]]:
    form = _Form({name: value})
    form.is_valid()
    return form.cleaned_data.get(name), [e.code for e in form.errors.as_data().get(name, [])]


def test_the_widget_is_a_text_box_showing_the_be_date():
    html = _Form(initial={"day": dt.date(2026, 9, 30)}).as_p()
    assert 'type="date"' not in html
    assert 'type="text"' in html
    assert 'value="30/09/2569"' in html
    assert 'inputmode="numeric"' in html and 'autocomplete="off"' in html
    assert "data-be-date" in html


def test_the_placeholder_and_help_ask_for_the_be_year():
    with translation.override("en"):
        html = _Form().as_p()
    assert 'placeholder="dd/mm/yyyy"' in html
    assert "Buddhist Era (พ.ศ.), e.g. 30/09/2569" in html


def test_an_iso_value_is_shown_the_thai_way_and_what_was_typed_as_typed():
    widget = BEDateInput()
    assert widget.format_value("2026-09-30") == "30/09/2569"
    assert widget.format_value("31/02/2569") == "31/02/2569"
    assert widget.format_value(None) is None


@pytest.mark.parametrize(
    "text",
    [
        "30/09/2569",
        "30/9/2569",
        "๓๐/๐๙/๒๕๖๙",
        "30.09.2569",
        "30-09-2569",
        "30 ก.ย. 2569",
        "30 กันยายน 2569",
        "30 เดือนกันยายน พ.ศ. 2569",
        "30/09/2569 พ.ศ.",
        " 30 / 09 / 2569 ",
        "2026-09-30",  # ISO, as scripts and the old date picker sent it
    ],
)
def test_the_ways_people_type_a_date_are_read(text):
    assert _clean(text) == (dt.date(2026, 9, 30), [])


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("31/02/2569", "no_such_day"),
        ("๓๑/๐๒/๒๕๖๙", "no_such_day"),
        ("30/13/2569", "no_such_month"),
        ("30/09/2026", "ce_year"),
        ("30/09/3600", "year_range"),
        ("พรุ่งนี้", "invalid"),
        ("09/2569", "invalid"),  # a month alone where a day is needed
    ],
)
def test_a_bad_date_is_refused_with_its_reason(text, code):
    assert _clean(text) == (None, [code])


def test_the_messages_say_what_is_wrong_in_words_people_use():
    with translation.override("en"):
        form = _Form({"day": "30/09/2026"})
        assert form.errors["day"] == [
            "2026 is a year of the Common Era (ค.ศ.). Type the Buddhist Era year (พ.ศ.): 2569."
        ]
        form = _Form({"day": "31/02/2569"})
        assert form.errors["day"] == ["กุมภาพันธ์ 2569 has no day 31. Check the day and the month."]


def test_common_era_years_are_still_read_where_machines_write_them():
    # Spreadsheet imports and commands call the parser without be_only.
    assert parse_thai_date("30/09/2026") == dt.date(2026, 9, 30)
    with pytest.raises(DateParseError) as error:
        parse_thai_date("30/09/2026", be_only=True)
    assert error.value.params == {"year": 2026, "be": 2569}


def test_a_month_alone_where_allowed_gives_its_last_day_and_says_so():
    form = _Form({"month_or_day": "02/2568"})
    assert form.is_valid()
    assert form.cleaned_data["month_or_day"] == dt.date(2025, 2, 28)
    assert form.fields["month_or_day"].typed_month_only
    form = _Form({"month_or_day": "ก.พ. ๒๕๖๗"})
    assert form.is_valid() and form.cleaned_data["month_or_day"] == dt.date(2024, 2, 29)
    form = _Form({"month_or_day": "15/02/2568"})
    assert form.is_valid() and not form.fields["month_or_day"].typed_month_only


def test_month_parsing():
    assert parse_thai_month("09/2569") == (2026, 9)
    assert parse_thai_month("กันยายน พ.ศ. 2569") == (2026, 9)
    assert parse_thai_month("") is None
    with pytest.raises(DateParseError):
        parse_thai_month("13/2569")


def test_be_date_text():
    assert be_date_text(dt.date(2023, 1, 5)) == "05/01/2566"
    assert be_date_text(None) == ""


@time_machine.travel(dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC), tick=False)
def test_not_future_takes_today_and_refuses_tomorrow():
    check_not_future(dt.date(2026, 11, 30))
    check_not_future(None)
    with pytest.raises(forms.ValidationError) as error:
        check_not_future(dt.date(2031, 9, 30))
    assert error.value.code == "future"


def test_in_fiscal_year_allows_a_margin_and_refuses_a_slip():
    # Fiscal year 2570: 1 Oct 2026 – 30 Sep 2027; a quarter before, a year after.
    for ok in (
        dt.date(2026, 10, 1),
        dt.date(2027, 9, 30),
        dt.date(2026, 7, 1),
        dt.date(2028, 9, 30),
    ):
        check_in_fiscal_year(ok, fiscal_year=2570)
    for wrong in (dt.date(2031, 9, 30), dt.date(2026, 6, 30), dt.date(2028, 10, 2)):
        with pytest.raises(forms.ValidationError) as error:
            check_in_fiscal_year(wrong, fiscal_year=2570)
        assert error.value.code == "fiscal_year"
    with pytest.raises(forms.ValidationError):
        check_in_fiscal_year(dt.date(2026, 9, 30), fiscal_year=2570, days_before=0)


def test_in_fiscal_year_message_names_the_year_and_its_dates():
    with translation.override("en"), pytest.raises(forms.ValidationError) as error:
        check_in_fiscal_year(dt.date(2031, 9, 30), fiscal_year=2570, days_before=0, days_after=0)
    with translation.override("en"):  # the message is lazy: read it in English too
        messages = error.value.messages
    assert messages == [
        "Enter a date from 1 ตุลาคม 2569 to 30 กันยายน 2570: fiscal year 2570 runs from "
        "1 ตุลาคม 2569 to 30 กันยายน 2570."
    ]


def test_an_end_before_its_start_is_refused():
    check_order(dt.date(2026, 10, 1), dt.date(2026, 10, 1), first_label="start")
    with pytest.raises(forms.ValidationError) as error:
        check_order(dt.date(2026, 10, 2), dt.date(2026, 10, 1), first_label="start")
    assert error.value.code == "order"
