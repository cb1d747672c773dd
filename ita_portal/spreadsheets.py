"""Spreadsheets in and out: formula-safe exports and imports that refuse hostile files.

Exports. A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is run as a formula by Excel and LibreOffice (CSV injection,
OWASP). In XLSX such text is written as a text cell with Excel's "quote
prefix", never as a formula; in CSV, which has no cell types, it gets a
leading apostrophe, as OWASP recommends. Numbers and dates written as numbers
and dates are left alone: -5 as a number is not a formula.

Imports. The apostrophe is taken off again (CSV), so an exported file imports
back unchanged. Before anything is parsed, the file's size, and for an XLSX
(a zip archive) its central directory, are checked; the rows are counted
while they are read, and reading stops at the limit; a time limit is the
backstop. A hostile file is refused with a Thai message naming the limit.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import time
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import tablib
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from import_export import widgets
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats
from import_export.forms import ImportForm
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.reader.excel import ExcelReader
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

# OWASP "CSV injection": what a spreadsheet may read as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMPORT_SUFFIXES = {".csv": "csv", ".xlsx": "xlsx"}


# -- exports ---------------------------------------------------------------------


def _needs_quote(text: str) -> bool:
    # Apostrophes already at the start are counted too, so that a text which
    # itself starts with "'=" comes back as itself after a round trip.
    return text.lstrip(QUOTE).startswith(FORMULA_STARTS)


def escape_cell(value: object) -> object:
    """A CSV cell as a spreadsheet must show it: text that could start a formula gets a quote."""
    if isinstance(value, str) and _needs_quote(value):
        return QUOTE + value
    return value


def unescape_cell(value: object) -> object:
    """The reverse of ``escape_cell``: the cell as it was before it was exported."""
    if isinstance(value, str) and value.startswith(QUOTE) and _needs_quote(value[1:]):
        return value[1:]
    return value


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """A CSV file, every cell formula-safe, with the byte-order mark Excel needs for Thai."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([escape_cell(h) for h in headers])
    writer.writerows([escape_cell(value) for value in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx_value(value: object) -> object:
    if isinstance(value, str):
        # Control characters other than tab and line breaks cannot be stored in XLSX.
        return ILLEGAL_CHARACTERS_RE.sub("\N{REPLACEMENT CHARACTER}", value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)  # XLSX has no time zones
    return value


def sheet_append(sheet: Worksheet, values: Sequence[object]) -> None:
    """Append a row to a worksheet; text is always a text cell, never a formula."""
    sheet.append([_xlsx_value(value) for value in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
            if _needs_quote(cell.value):
                # Excel keeps the cell text even when someone edits it and presses Enter.
                cell.quotePrefix = True


def xlsx_bytes(
    headers: Sequence[str], rows: Iterable[Sequence[object]], *, title: str = ""
) -> bytes:
    """A one-sheet XLSX workbook, every text a text cell."""
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.title = title[:31]  # Excel's limit for a sheet name
    sheet_append(sheet, list(headers))
    for row in rows:
        sheet_append(sheet, list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def dataset_export(dataset: tablib.Dataset, fmt: str) -> bytes:
    """A tablib dataset as formula-safe CSV (with the byte-order mark) or XLSX bytes."""
    headers = list(dataset.headers or [])
    if fmt == "csv":
        return csv_bytes(headers, dataset)
    if fmt == "xlsx":
        return xlsx_bytes(headers, dataset, title=dataset.title or "")
    raise ValueError(f"unknown export format {fmt!r}")


# -- imports ---------------------------------------------------------------------


def _limit(name: str) -> int:
    return getattr(settings, name)


def _refuse(message: str, **params: object) -> ValidationError:
    return ValidationError(message % params if params else message, code="import_limit")


class _Clock:
    """The backstop: a parse that is still running after IMPORT_MAX_SECONDS is refused."""

    def __init__(self) -> None:
        self.deadline = time.monotonic() + _limit("IMPORT_MAX_SECONDS")

    def check(self) -> None:
        if time.monotonic() >= self.deadline:
            raise _refuse(
                _("Reading the file took longer than %(seconds)s seconds; nothing was saved."),
                seconds=_limit("IMPORT_MAX_SECONDS"),
            )


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}"


def check_import_size(size: int) -> None:
    """Refuse a file larger than IMPORT_MAX_FILE_SIZE before it is read."""
    limit = _limit("IMPORT_MAX_FILE_SIZE")
    if size > limit:
        raise _refuse(
            _("The file is %(size)s MB; an import may be at most %(limit)s MB."),
            size=f"{size / (1024 * 1024):.1f}",
            limit=_megabytes(limit),
        )


def check_xlsx_archive(content: bytes) -> None:
    """Refuse a zip bomb by what its central directory declares, before anything is unpacked.

    Python's zipfile never unpacks more than a member declares (and checks its
    CRC), so the declared sizes bound the work openpyxl can be made to do.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ValidationError(
            _("The file could not be read as %(fmt)s.") % {"fmt": "XLSX"}
        ) from exc
    members = archive.infolist()
    if len(members) > _limit("IMPORT_MAX_XLSX_MEMBERS"):
        raise _refuse(
            _("The workbook has %(count)s parts; an import may have at most %(limit)s."),
            count=len(members),
            limit=_limit("IMPORT_MAX_XLSX_MEMBERS"),
        )
    unpacked = sum(member.file_size for member in members)
    if unpacked > _limit("IMPORT_MAX_UNPACKED_SIZE"):
        raise _refuse(
            _("The workbook unpacks to %(size)s MB; an import may unpack to at most %(limit)s MB."),
            size=_megabytes(unpacked),
            limit=_megabytes(_limit("IMPORT_MAX_UNPACKED_SIZE")),
        )
    ratio_limit = _limit("IMPORT_MAX_COMPRESSION_RATIO")
    for member in members:
        # Small members compress oddly well and are harmless whatever their ratio.
        if member.file_size > 1024 * 1024 and member.file_size > ratio_limit * max(
            member.compress_size, 1
        ):
            raise _refuse(
                _(
                    "The workbook is compressed more than %(limit)s times, as only a "
                    "deliberately inflated file is; nothing was saved."
                ),
                limit=ratio_limit,
            )


def _too_many_rows() -> ValidationError:
    return _refuse(
        _("The file has more than %(limit)s data rows; import it in smaller parts."),
        limit=_limit("IMPORT_MAX_ROWS"),
    )


def _is_empty(row: Sequence[object]) -> bool:
    return all(value is None or str(value).strip() == "" for value in row)


def _collect(rows: Iterator[Sequence[object]], clock: _Clock) -> tablib.Dataset:
    """The first row as the header, then the data rows, stopping at the row limit.

    Empty rows at the end (a spreadsheet's formatted but unused ones) are
    dropped without counting; empty rows between data rows are kept, for the
    import to name them.
    """
    limit = _limit("IMPORT_MAX_ROWS")
    dataset = tablib.Dataset()
    headers = next(rows, None)
    if headers is None:
        return dataset
    dataset.headers = list(headers)
    width = len(dataset.headers)
    kept = 0
    pending_empty: list[list[object]] = []
    for count, row in enumerate(rows):
        if count % 200 == 0:
            clock.check()
        values = list(row)
        # Cells beyond the header's columns are read only when they hold something.
        while len(values) > width and (values[-1] is None or values[-1] == ""):
            values.pop()
        if len(values) > width:
            raise tablib.InvalidDimensions
        values += [""] * (width - len(values))
        if _is_empty(values):
            pending_empty.append(values)
            if len(pending_empty) > limit:
                raise _too_many_rows()
            continue
        kept += len(pending_empty) + 1
        if kept > limit:
            raise _too_many_rows()
        for empty in pending_empty:
            dataset.append(empty)
        pending_empty = []
        dataset.append(values)
    return dataset


def _csv_rows(text: str) -> Iterator[list[object]]:
    for row in csv.reader(io.StringIO(text)):
        if row:  # a blank line, as tablib reads CSV
            yield [unescape_cell(value) for value in row]


class _UnsizedSheet(ReadOnlyWorksheet):
    def _get_size(self) -> None:
        # openpyxl reads a sheet that does not state its size to the end to find
        # it (7 s for 100,000 rows), and pads every row to a size the file may
        # state falsely (16,384 columns); rows are read as they come instead.
        return None


class _UnsizedReader(ExcelReader):
    def read_worksheets(self) -> None:
        for sheet, rel in self.parser.find_sheets():
            if rel.target in self.valid_files and "chartsheet" not in rel.Type:
                worksheet = _UnsizedSheet(self.wb, sheet.name, rel.target, self.shared_strings)
                worksheet.sheet_state = sheet.state
                self.wb._sheets.append(worksheet)


def _xlsx_rows(content: bytes) -> Iterator[tuple[object, ...]]:
    """The active sheet's header row, then its rows cut to the header's width."""
    with warnings.catch_warnings():
        # openpyxl warns about styles and extensions it does not know; not our concern.
        warnings.simplefilter("ignore")
        reader = _UnsizedReader(io.BytesIO(content), read_only=True, data_only=True)
        reader.read()
    workbook = reader.wb
    try:
        sheet = workbook.active
        header = next(sheet.iter_rows(max_row=1, values_only=True), None)
        if header is None:
            return
        yield header
        yield from sheet.iter_rows(min_row=2, max_col=max(len(header), 1), values_only=True)
    finally:
        workbook.close()


def read_sheet(*, content: bytes, fmt: str) -> tablib.Dataset:
    """Parse CSV (UTF-8, with or without BOM) or XLSX content into a dataset, within the limits.

    Raises ValidationError with a message for the user: the file breaks a
    limit, or it cannot be read in that format.
    """
    clock = _Clock()
    check_import_size(len(content))
    unreadable = ValidationError(
        _("The file could not be read as %(fmt)s.") % {"fmt": fmt.upper()}, code="unreadable"
    )
    if fmt == "xlsx":
        check_xlsx_archive(content)
    try:
        if fmt == "csv":
            return _collect(_csv_rows(content.decode("utf-8-sig")), clock)
        return _collect(_xlsx_rows(content), clock)
    except ValidationError:
        raise
    except (UnicodeDecodeError, ValueError, KeyError, csv.Error, tablib.InvalidDimensions) as exc:
        raise unreadable from exc
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise unreadable from exc


def read_import_file(*, content: bytes, file_name: str) -> tablib.Dataset:
    """``read_sheet`` with the format taken from the file's name (.csv or .xlsx)."""
    suffix = Path(file_name).suffix.lower()
    if suffix not in IMPORT_SUFFIXES:
        raise ValidationError(_("Only .csv and .xlsx files can be imported."))
    return read_sheet(content=content, fmt=IMPORT_SUFFIXES[suffix])


# -- django-import-export (the admin's import and export screens) -------------------


class SafeCSV(base_formats.CSV):
    """CSV for the admin: read within the limits, written formula-safe."""

    def create_dataset(self, in_stream, **kwargs) -> tablib.Dataset:
        if isinstance(in_stream, str):
            in_stream = in_stream.encode("utf-8")
        return read_sheet(content=in_stream, fmt="csv")

    def export_data(self, dataset: tablib.Dataset, **kwargs) -> bytes:
        return dataset_export(dataset, "csv")

    def is_binary(self) -> bool:
        # Read as bytes, so the size is checked before the text is decoded.
        return True

    def get_read_mode(self) -> str:
        return "rb"


class SafeXLSX(base_formats.XLSX):
    """XLSX for the admin: the archive checked before it is opened, text cells never formulas."""

    def create_dataset(self, in_stream, **kwargs) -> tablib.Dataset:
        return read_sheet(content=in_stream, fmt="xlsx")

    def export_data(self, dataset: tablib.Dataset, **kwargs) -> bytes:
        return dataset_export(dataset, "xlsx")


SAFE_FORMATS = [SafeCSV, SafeXLSX]


class NativeWidget(widgets.Widget):
    """A number stays a number in an XLSX; in CSV it is the same text as before."""

    def render(self, value, obj=None, **kwargs):
        if kwargs.get("force_native_type") and value is not None:
            return value
        return super().render(value, obj, **kwargs)


class SafeImportForm(ImportForm):
    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        check_import_size(upload.size or 0)
        return upload


class SafeImportExportMixin(ImportExportMixin):
    """The admin's import and export with the safe formats, and the refusal shown in Thai."""

    import_formats = SAFE_FORMATS
    export_formats = SAFE_FORMATS
    import_form_class = SafeImportForm

    def get_export_data(self, file_format, request, queryset, **kwargs):
        if not self.has_export_permission(request):
            raise PermissionDenied
        # Numbers and dates stay numbers and dates in an XLSX (import-export
        # turns everything into text unless the format is one of its own binary ones).
        data = self.get_data_for_export(
            request, queryset, force_native_type=isinstance(file_format, SafeXLSX), **kwargs
        )
        return file_format.export_data(data)

    def add_data_read_fail_error_to_form(self, form, e: Exception) -> None:
        if isinstance(e, ValidationError):
            for message in e.messages:
                form.add_error("import_file", message)
        else:
            super().add_data_read_fail_error_to_form(form, e)
