"""Survey responses collected elsewhere (paper, Google Forms) read from CSV or XLSX.

One row per respondent, one column per sub-item code (a question without
sub-items is its own code, e.g. I2). A cell holds either the choice's label as
printed on the form (มากที่สุด, มาก, น้อย, น้อยที่สุดหรือไม่มีเลย, มี, ไม่มี, เคย,
ไม่เคย) or its number (0, 33, 67, 100; มี/เคย 100, ไม่มี/ไม่เคย 0). The number is
the CHOICE the respondent ticked, the same whether the sub-item is
reverse-scored or not: "มากที่สุด" is 100 everywhere, and a reverse-scored
sub-item's score (100 minus it) is worked out when scores are computed. That is
what a paper form records, and it keeps a file right if a bank's reverse flag
is corrected later.

Columns that are not sub-item codes (Google Forms' "Timestamp", an e-mail
column) are ignored: never read into a response, never stored. The import is
all or nothing: every row is checked, and any problem names the row (as the
spreadsheet numbers it, the header being row 1) and what is wrong.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment

from assessments.models import SCALE_CHOICES, Choice, QuestionItem, SurveyRound
from ita_portal.spreadsheets import read_import_file, sheet_append

from .bank import Bank
from .services import responses_import, round_bank

TEMPLATE_SHEET = "responses"
QUESTIONS_SHEET = "questions"


@dataclass
class ResponsesCheck:
    """What a file holds for a bank: the rows to store, or every problem."""

    rows: list[dict[str, int]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class ResponsesReport:
    checked: ResponsesCheck
    dry_run: bool
    stored: int = 0

    @property
    def ok(self) -> bool:
        return self.checked.ok

    @property
    def errors(self) -> list[str]:
        return self.checked.errors

    @property
    def rows(self) -> int:
        return len(self.checked.rows)


def _squash(text: str) -> str:
    # Thai is written without spaces between words: a stray space inside a label
    # (typed on paper-entry) must not make it unknown.
    return "".join(text.split())


def _lookup(choices: tuple[Choice, ...]) -> dict[str, int]:
    found = {_squash(c.label): c.value for c in choices}
    found.update({str(c.value): c.value for c in choices})
    return found


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # XLSX numbers come back as 67.0
    text = str(value).strip()
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    return _squash(text)


def _choices_text(choices: tuple[Choice, ...]) -> str:
    labels = ", ".join(c.label for c in choices)
    numbers = ", ".join(str(c.value) for c in choices)
    return f"{labels} / {numbers}"


def responses_check(*, bank: Bank, content: bytes, file_name: str) -> ResponsesCheck:
    """Read and check a file against a bank; nothing is stored."""
    result = ResponsesCheck()
    try:
        dataset = read_import_file(content=content, file_name=file_name)
    except ValidationError as exc:
        result.errors.extend(exc.messages)
        return result
    items: dict[str, QuestionItem] = bank.items_by_code
    if not items:
        result.errors.append(_("This survey has no questions to import answers for."))
        return result
    scales = {item.code: SCALE_CHOICES[q.scale] for q in bank.questions for item in q.items.all()}
    lookups = {code: _lookup(choices) for code, choices in scales.items()}

    by_upper = {code.upper(): code for code in items}
    columns: dict[str, int] = {}
    for position, header in enumerate(dataset.headers or []):
        name = str(header).strip() if header is not None else ""
        code = by_upper.get(name.upper())
        if code is None:
            if name:
                result.ignored_columns.append(name)
            continue
        if code in columns:
            result.errors.append(
                _("The column %(code)s appears twice in the first row.") % {"code": code}
            )
        columns[code] = position
    missing = [code for code in items if code not in columns]
    if missing:
        result.errors.append(
            _("The first row lacks the columns %(codes)s (one column per sub-item code).")
            % {"codes": ", ".join(missing)}
        )
    if result.errors:
        return result
    if not len(dataset):
        result.errors.append(_("The file has no data rows."))
        return result

    for index, row in enumerate(dataset, start=2):
        problems: list[str] = []
        values: dict[str, int] = {}
        empty = []
        for code, position in columns.items():
            text = _cell_text(row[position])
            if not text:
                empty.append(code)
                continue
            value = lookups[code].get(text)
            if value is None:
                problems.append(
                    _("%(code)s: “%(value)s” is not one of the choices (%(choices)s)")
                    % {
                        "code": code,
                        "value": str(row[position]).strip(),
                        "choices": _choices_text(scales[code]),
                    }
                )
            else:
                values[code] = value
        if len(empty) == len(columns):
            problems = [_("the row is empty")]
        elif empty:
            problems.insert(0, _("no answer for %(codes)s") % {"codes": ", ".join(empty)})
        if problems:
            result.errors.append(
                _("Row %(row)s: %(problems)s") % {"row": index, "problems": "; ".join(problems)}
            )
        else:
            result.rows.append(values)
    if result.errors:
        result.rows = []
    return result


def responses_file_import(
    *,
    survey_round: SurveyRound,
    content: bytes,
    file_name: str,
    today: dt.date,
    dry_run: bool = False,
    bank: Bank | None = None,
) -> ResponsesReport:
    """Check a file and, unless it is a dry run, store every row or none.

    The responses are dated ``today`` (the import day): a file's own dates or
    times are never read. Rows are stored in a shuffled order so that nothing
    in the database follows the file's order (a form's export is sorted by time).
    """
    bank = bank if bank is not None else round_bank(survey_round)
    checked = responses_check(bank=bank, content=content, file_name=file_name)
    report = ResponsesReport(checked=checked, dry_run=dry_run)
    if checked.ok and not dry_run:
        report.stored = responses_store(
            survey_round=survey_round, rows=checked.rows, today=today, bank=bank
        )
    return report


def responses_store(
    *, survey_round: SurveyRound, rows: list[dict[str, int]], today: dt.date, bank: Bank
) -> int:
    """Store checked rows, all or none, in a shuffled order (see above)."""
    rows = list(rows)
    random.SystemRandom().shuffle(rows)
    return responses_import(survey_round=survey_round, rows=rows, day=today, bank=bank)


def import_template_xlsx(bank: Bank) -> bytes:
    """An empty import file: the header row of sub-item codes (each with its question
    as a cell comment), and a second sheet listing the questions and their choices."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = TEMPLATE_SHEET
    items = bank.items
    sheet_append(sheet, [item.code for item in items])
    questions = {item.pk: q for q in bank.questions for item in q.items.all()}
    for cell, item in zip(sheet[1], items, strict=True):
        question = questions[item.pk]
        text = question.text_th + (f"\n– {item.text_th}" if item.text_th else "")
        cell.comment = Comment(text, "ITA Portal", width=320, height=160)
    sheet.freeze_panes = "A2"

    listing = workbook.create_sheet(QUESTIONS_SHEET)
    sheet_append(
        listing,
        [
            _("column"),
            _("indicator"),
            _("question"),
            _("sub-item"),
            _("choices (label or number)"),
            _("reverse-scored"),
        ],
    )
    for group in bank.indicators:
        for question in group.questions:
            choices = _choices_text(question.choices)
            for item in question.items.all():
                sheet_append(
                    listing,
                    [
                        item.code,
                        group.indicator.number,
                        question.text_th,
                        item.text_th,
                        choices,
                        _("yes") if item.reverse else "",
                    ],
                )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
