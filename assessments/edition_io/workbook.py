"""Writing an edition to an XLSX workbook and reading one back into raw data.

One sheet per part of an edition. The first row of every sheet holds the
canonical field names (``edition_data``), with a Thai note on each header
cell; the ``edition`` sheet is a list of field/value rows. Reading is
lenient about how a spreadsheet stores a value (9 or 9.0 or "9"; TRUE or
"ใช่") but never guesses: a value it cannot read is named with its sheet and
row, and nothing is passed on to be saved.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment

from ita_portal.spreadsheets import check_import_size, check_xlsx_archive, sheet_append

from ..edition_data import (
    DECIMAL_FIELDS,
    EDITION_FIELDS,
    FIELDS,
    KEY_FIELD,
    SECTIONS,
    SURVEY_SECTIONS,
    edition_snapshot,
)
from ..models import Edition

SHEETS = ("edition", *SECTIONS)
INT_FIELDS = {"first_year", "last_year", "order", "number"}
BOOL_FIELDS = {"provisional", "keeps_codes", "signed_by_head", "passed", "verify", "reverse"}
TRUE_WORDS = {"true", "1", "yes", "y", "ใช่", "จริง", "x", "✓"}
FALSE_WORDS = {"false", "0", "no", "n", "ไม่", "ไม่ใช่", "เท็จ", ""}

# Thai notes on the header cells, so an office can fill a sheet without the manual.
HEADER_NOTES = {
    "code": "รหัส (ไม่ซ้ำกันในฉบับ)",
    "scheme": "รหัสชุดเกณฑ์ เช่น nacc",
    "name_th": "ชื่อภาษาไทย",
    "name_en": "ชื่อภาษาอังกฤษ",
    "first_year": "ปีงบประมาณแรก (พ.ศ.)",
    "last_year": "ปีงบประมาณสุดท้าย (พ.ศ.)",
    "provisional": "ฉบับชั่วคราว TRUE/FALSE",
    "pass_mark": "คะแนนผ่าน",
    "indicator_levels": "levels (ตัวอักษร) หรือ pass_fail (ผ่าน/ไม่ผ่าน)",
    "keeps_codes": "รหัสข้อคงเดิมจากฉบับก่อน TRUE/FALSE",
    "source": "แหล่งข้อมูลและความเชื่อมั่น",
    "weight": "น้ำหนัก (%) รวมทุกเครื่องมือ = 100",
    "order": "ลำดับ",
    "verify": "ต้องตรวจถ้อยคำกับคู่มือ ป.ป.ช. TRUE/FALSE",
    "number": "เลขตัวชี้วัด / ลำดับข้อ",
    "instrument": "รหัสเครื่องมือ (จากแผ่นงาน instruments)",
    "description": "คำอธิบาย",
    "indicator": "เลขตัวชี้วัด (จากแผ่นงาน indicators)",
    "sub_indicator": "รหัสตัวชี้วัดย่อย (จากแผ่นงาน sub_indicators)",
    "title_th": "ชื่อข้อภาษาไทย",
    "title_en": "ชื่อข้อภาษาอังกฤษ",
    "heading": "หัวข้อ",
    "requirement": "สิ่งที่หน้าเว็บต้องแสดง",
    "period": "ช่วงเวลา: current_year, previous_year, first_half, monthly หรือเว้นว่าง",
    "signed_by_head": "ต้องลงนามโดยหัวหน้าส่วนราชการ TRUE/FALSE",
    "contents": "อย่างน้อยประกอบด้วย (หนึ่งบรรทัดต่อหนึ่งรายการ)",
    "role": "บทบาท: measures, measure_results, complaint_statistics, "
    "complaint_channel, complaint_guideline หรือเว้นว่าง",
    "continues": "รหัสข้อของฉบับก่อนที่ข้อนี้สืบต่อ คั่นด้วยจุลภาค",
    "grade": "ตัวอักษรระดับ (AA–F) หรือเว้นว่าง",
    "label_th": "ชื่อระดับภาษาไทย",
    "label_en": "ชื่อระดับภาษาอังกฤษ",
    "min_total": "คะแนนรวมขั้นต่ำ",
    "min_instrument": "คะแนนขั้นต่ำของทุกเครื่องมือ (เว้นว่าง = ไม่มีเงื่อนไข)",
    "passed": "ผ่านหรือไม่ TRUE/FALSE",
    "field": "ชื่อช่อง",
    "value": "ค่า",
}


def columns(section: str) -> list[str]:
    return [KEY_FIELD[section], *FIELDS[section]]


# --- Writing ----------------------------------------------------------------------


def _cell(name: str, value: Any) -> Any:
    """A value as the workbook shows it: numbers as numbers, lists of lines as one cell."""
    if value is None:
        return None
    if name in DECIMAL_FIELDS:
        number = Decimal(value)
        return int(number) if number == number.to_integral() else float(number)
    if name == "number" or name == "indicator":
        return int(value) if str(value).isdigit() else value
    return value


def _header(sheet, names: list[str]) -> None:
    sheet_append(sheet, names)
    for cell in sheet[1]:
        note = HEADER_NOTES.get(str(cell.value))
        if note:
            cell.comment = Comment(note, "ITA Portal")
    sheet.freeze_panes = "A2"


def edition_to_xlsx(edition: Edition) -> bytes:
    """The whole edition as an XLSX workbook (every text a text cell, never a formula)."""
    data = edition_snapshot(edition)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "edition"
    _header(sheet, ["field", "value"])
    for name in EDITION_FIELDS:
        sheet_append(sheet, [name, _cell(name, data["edition"][name])])
    for section in SECTIONS:
        sheet = workbook.create_sheet(section)
        names = columns(section)
        _header(sheet, names)
        for key, row in data[section].items():
            values = {KEY_FIELD[section]: key, **row}
            sheet_append(sheet, [_cell(name, values[name]) for name in names])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Reading ----------------------------------------------------------------------


@dataclass
class ParsedBook:
    """Raw edition data (for ``canonical``) and where each part of it came from."""

    raw: dict = field(default_factory=dict)
    # (section, key) → the row it was read from; ("edition", field name) → its row.
    rows: dict[tuple[str, str], int] = field(default_factory=dict)
    # section → the row of its n-th record (canonical counts records from 1).
    positions: dict[str, list[int]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def problem(self, sheet: str, row: int | None, text: str) -> None:
        self.errors.append(located(sheet, row, text))


def located(sheet: str, row: int | None, text: str) -> str:
    if row is None:
        return _("Sheet “%(sheet)s”: %(problem)s") % {"sheet": sheet, "problem": text}
    return _("Sheet “%(sheet)s”, row %(row)s: %(problem)s") % {
        "sheet": sheet,
        "row": row,
        "problem": text,
    }


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _value(name: str, value: Any) -> Any:
    """A cell as raw edition data; ValueError with a Thai reason when it cannot be read."""
    if name in BOOL_FIELDS:
        if isinstance(value, bool):
            return value
        word = _text(value).lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValueError(
            _("“%(field)s” must be TRUE or FALSE, not “%(value)s”")
            % {"field": name, "value": value}
        )
    if name in INT_FIELDS:
        text = _text(value)
        if text == "":
            return None
        if not text.isdigit():
            raise ValueError(
                _("“%(field)s” must be a whole number, not “%(value)s”")
                % {"field": name, "value": value}
            )
        return int(text)
    if name in DECIMAL_FIELDS:
        return None if _text(value) == "" else _text(value)
    return _text(value)


def _rows(sheet, limit: int):
    count = 0
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if all(v is None or str(v).strip() == "" for v in row):
            continue
        count += 1
        if count > limit:
            raise ValidationError(
                _("The file has more than %(limit)s data rows; import it in smaller parts.")
                % {"limit": limit}
            )
        yield number, row


def _read_edition_sheet(sheet, book: ParsedBook, limit: int) -> None:
    edition: dict[str, Any] = {}
    for number, row in _rows(sheet, limit):
        name, value = _text(row[0] if row else None), row[1] if len(row) > 1 else None
        if number == 1 and name == "field":
            continue
        if name not in EDITION_FIELDS:
            book.problem("edition", number, _("unknown field “%(field)s”") % {"field": name})
            continue
        if name in edition:
            book.problem("edition", number, _("“%(field)s” appears twice") % {"field": name})
            continue
        book.rows[("edition", name)] = number
        try:
            parsed = _value(name, value)
        except ValueError as exc:
            if name in ("first_year", "last_year"):
                # canonical() names a year it cannot read, with this row.
                parsed = _text(value)
            else:
                book.problem("edition", number, str(exc))
                continue
        if parsed is not None:
            edition[name] = parsed
    book.raw["edition"] = edition


def _read_section(sheet, section: str, book: ParsedBook, limit: int) -> None:
    records: list[dict] = []
    positions: list[int] = []
    known = set(columns(section))
    header: list[str] | None = None
    for number, row in _rows(sheet, limit):
        if header is None:
            header = [_text(v) for v in row]
            unknown = [h for h in header if h and h not in known]
            if unknown:
                book.problem(
                    section,
                    number,
                    _("unknown columns: %(names)s") % {"names": ", ".join(unknown)},
                )
            missing = KEY_FIELD[section] not in header
            if missing:
                book.problem(
                    section,
                    number,
                    _("the column “%(name)s” is missing") % {"name": KEY_FIELD[section]},
                )
                return
            continue
        record: dict[str, Any] = {}
        for name, value in zip(header, row, strict=False):
            if name not in known:
                continue
            try:
                parsed = _value(name, value)
            except ValueError as exc:
                book.problem(section, number, str(exc))
                continue
            if parsed is not None:
                record[name] = parsed
        records.append(record)
        positions.append(number)
        key = _text(record.get(KEY_FIELD[section]))
        book.rows.setdefault((section, key), number)
    book.raw[section] = records
    book.positions[section] = positions


def read_workbook(content: bytes) -> ParsedBook:
    """Raw edition data from an XLSX workbook, within the import limits.

    Raises ValidationError (a message for the user) when the file is not a
    readable workbook or breaks a limit; problems with single cells are
    collected in ``errors`` with their sheet and row.
    """
    check_import_size(len(content))
    check_xlsx_archive(content)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # styles and extensions openpyxl does not know
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise ValidationError(
            _("The file could not be read as %(fmt)s.") % {"fmt": "XLSX"}
        ) from exc
    book = ParsedBook()
    limit = settings.IMPORT_MAX_ROWS
    try:
        for name in SHEETS:
            if name not in workbook.sheetnames:
                # The survey sheets came later: a workbook without them has no bank.
                if name not in SURVEY_SECTIONS:
                    book.problem(name, None, _("the sheet is missing"))
                continue
            if name == "edition":
                _read_edition_sheet(workbook[name], book, limit)
            else:
                _read_section(workbook[name], name, book, limit)
    finally:
        workbook.close()
    return book
