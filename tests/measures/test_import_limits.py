"""Hostile import files are refused before they cost time or memory; nothing is saved.

The files are built here: a zip bomb XLSX (a sheet of repeated rows that
compresses to almost nothing) and files of 100,000 rows.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from ita_portal.spreadsheets import read_sheet
from measures.imports import FOLLOW_UP_HEADERS, MEASURE_HEADERS, measures_import
from measures.models import FollowUp, Measure

ROW = ["office", 2565, "", "มาตรการ", "", "", "", "", "", "", ""]


def _xlsx(rows: int) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(MEASURE_HEADERS)
    for number in range(1, rows + 1):
        sheet.append([*ROW[:2], number, f"มาตรการที่ {number}", *ROW[4:]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _with_sheet(rows_xml: str, *, dimension: str = "") -> bytes:
    """A real workbook (from openpyxl) whose sheet is replaced by the given rows."""
    sheet = (
        '<?xml version="1.0"?><worksheet xmlns='
        '"http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + (f'<dimension ref="{dimension}"/>' if dimension else "")
        + "<sheetData>"
        + "<row>"
        + "".join(f'<c t="inlineStr"><is><t>{h}</t></is></c>' for h in MEASURE_HEADERS)
        + "</row>"
        + rows_xml
        + "</sheetData></worksheet>"
    )
    source = zipfile.ZipFile(io.BytesIO(_xlsx(0)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as workbook:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                data = sheet.encode()
            workbook.writestr(info.filename, data)
    return out.getvalue()


def zip_bomb(unpacked_mb: int) -> bytes:
    """Megabytes of one repeated row: they compress to almost nothing."""
    row = '<row><c t="inlineStr"><is><t>office</t></is></c></row>'
    return _with_sheet(row * (unpacked_mb * 1024 * 1024 // len(row)))


def _big_xlsx(rows: int) -> bytes:
    return _with_sheet(
        "".join(
            f'<row><c t="inlineStr"><is><t>office</t></is></c><c><v>2565</v></c><c><v>{n}</v></c>'
            f'<c t="inlineStr"><is><t>มาตรการที่ {n}</t></is></c></row>'
            for n in range(1, rows + 1)
        )
    )


def _csv(rows: int) -> bytes:
    lines = [",".join(MEASURE_HEADERS)]
    lines += [f"office,2565,{n},มาตรการที่ {n},,,,,,," for n in range(1, rows + 1)]
    return "\n".join(lines).encode()


def _refused(content: bytes, name: str, django_assert_num_queries) -> str:
    # Refused before the database is asked anything: no row was even looked at.
    with django_assert_num_queries(0):
        report = measures_import(content=content, file_name=name)
    assert not report.ok and not report.saved
    assert Measure.objects.count() == 0
    return " ".join(report.errors)


def test_a_zip_bomb_is_refused_by_its_unpacked_size(org, django_assert_num_queries):
    content = zip_bomb(unpacked_mb=40)
    assert len(content) < 200_000
    message = _refused(content, "bomb.xlsx", django_assert_num_queries)
    assert "20 MB" in message and "แตก" in message


def test_a_smaller_bomb_is_refused_by_its_compression_ratio(org, django_assert_num_queries):
    message = _refused(zip_bomb(unpacked_mb=5), "bomb.xlsx", django_assert_num_queries)
    assert "100" in message and "บีบอัด" in message


def test_a_csv_of_100000_rows_breaks_the_size_limit_first(org, django_assert_num_queries):
    assert "5 MB" in _refused(_csv(100_000), "big.csv", django_assert_num_queries)


def test_a_sheet_that_claims_16384_columns_is_read_at_the_header_width(
    org, django_assert_num_queries
):
    # openpyxl would pad every row to the width the file claims, and scan a
    # sheet that claims nothing to its end: both are ignored.
    far = '<row><c r="A{n}"><v>1</v></c><c r="XFD{n}"><v>1</v></c></row>'
    claims = "A1:XFD1048576"
    one_row = read_sheet(content=_with_sheet(far.format(n=2), dimension=claims), fmt="xlsx")
    assert len(one_row) == 1 and len(one_row[0]) == len(MEASURE_HEADERS)
    content = _with_sheet("".join(far.format(n=n) for n in range(2, 6003)), dimension=claims)
    assert "5000" in _refused(content, "wide.xlsx", django_assert_num_queries)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_file_of_100000_rows_is_refused_naming_the_row_limit(
    org, fmt, settings, django_assert_num_queries
):
    # With the size limits raised, counting the rows is what stops it.
    settings.IMPORT_MAX_FILE_SIZE = settings.IMPORT_MAX_UNPACKED_SIZE = 100 * 1024 * 1024
    content = _csv(100_000) if fmt == "csv" else _big_xlsx(100_000)
    message = _refused(content, f"big.{fmt}", django_assert_num_queries)
    assert "5000" in message and "แถว" in message


def test_the_row_limit_comes_from_the_settings(org, settings, django_assert_num_queries):
    settings.IMPORT_MAX_ROWS = 3
    _refused(_csv(4), "m.csv", django_assert_num_queries)
    assert measures_import(content=_csv(3), file_name="m.csv").new == 3


def test_an_oversized_file_is_refused_before_it_is_read(org, settings, django_assert_num_queries):
    settings.IMPORT_MAX_FILE_SIZE = 1024 * 1024
    message = _refused(_csv(1) + b"\n" * (1024 * 1024), "m.csv", django_assert_num_queries)
    assert "1 MB" in message


def test_a_parse_past_the_time_limit_is_refused(org, settings, django_assert_num_queries):
    settings.IMPORT_MAX_SECONDS = 0  # the deadline has passed when the first rows are read
    message = _refused(_xlsx(10), "m.xlsx", django_assert_num_queries)
    assert "วินาที" in message


def test_an_honest_file_of_5000_rows_is_within_every_limit():
    assert len(read_sheet(content=_xlsx(5000), fmt="xlsx")) == 5000
    assert len(read_sheet(content=_csv(5000), fmt="csv")) == 5000


@pytest.mark.parametrize("command", ["import_measures", "import_follow_ups"])
def test_the_commands_refuse_a_bomb_and_save_nothing(org, tmp_path, command):
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(zip_bomb(unpacked_mb=40))
    with pytest.raises(CommandError):
        call_command(command, str(path), stderr=io.StringIO())
    assert Measure.objects.count() == FollowUp.objects.count() == 0
    assert FOLLOW_UP_HEADERS


def test_the_command_refuses_an_oversized_file_without_reading_it(org, tmp_path, settings):
    settings.IMPORT_MAX_FILE_SIZE = 1024
    path = tmp_path / "m.csv"
    path.write_bytes(_csv(100))
    with pytest.raises(CommandError, match=r"MB"):
        call_command("import_measures", str(path))
