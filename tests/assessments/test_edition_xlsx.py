"""An edition's XLSX round trip: export, edit, check, import, all or nothing."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from openpyxl import load_workbook

from assessments.edition_io import (
    EditionImportError,
    edition_import,
    edition_import_preview,
    edition_to_xlsx,
)
from assessments.framework import edition_for
from assessments.models import Edition, Item, ItemResult, ResultLevel, Scheme
from tests.builders import make_assessment, make_org


@pytest.fixture
def nacc_2569(db) -> Edition:
    return Edition.objects.get(code="nacc-2569")


def _find_row(sheet, key: str) -> int:
    for row in range(2, sheet.max_row + 1):
        if str(sheet.cell(row, 1).value) == key:
            return row
    raise AssertionError(f"{key} not on {sheet.title}")


def _column(sheet, name: str) -> int:
    return [c.value for c in sheet[1]].index(name) + 1


def edited(edition: Edition, changes: list[tuple[str, str, str, object]]) -> bytes:
    """The edition's workbook with cells changed: (sheet, row key, column, value).

    A column of None deletes the row; on the edition sheet the key is the field.
    """
    book = load_workbook(io.BytesIO(edition_to_xlsx(edition)))
    for sheet_name, key, column, value in changes:
        sheet = book[sheet_name]
        row = _find_row(sheet, key)
        if column is None:
            sheet.delete_rows(row)
        else:
            column_number = 2 if sheet_name == "edition" else _column(sheet, column)
            sheet.cell(row, column_number).value = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def problems(content: bytes) -> list[str]:
    with pytest.raises(EditionImportError) as caught:
        edition_import_preview(content)
    return caught.value.errors


def test_an_exported_edition_imports_back_unchanged(nacc_2569):
    preview = edition_import_preview(edition_to_xlsx(nacc_2569))
    assert preview.unchanged
    assert preview.differences == []


def test_the_workbook_has_a_sheet_per_part_and_one_row_per_item(nacc_2569):
    book = load_workbook(io.BytesIO(edition_to_xlsx(nacc_2569)))
    assert book.sheetnames == [
        "edition",
        "instruments",
        "indicators",
        "sub_indicators",
        "items",
        "levels",
        "questions",
        "question_items",
    ]
    items = book["items"]
    assert items.max_row == 1 + 26
    # The survey bank: 30 IIT and 15 EIT questions, 51 + 19 answer fields.
    assert book["questions"].max_row == 1 + 45
    assert book["question_items"].max_row == 1 + 70
    assert [c.value for c in items[1]][:3] == ["code", "sub_indicator", "number"]
    # Contents stay in one cell, one line per content.
    column = _column(items, "contents")
    with_contents = Item.objects.filter(edition=nacc_2569).exclude(contents="").first()
    cell = items.cell(_find_row(items, with_contents.code), column).value
    assert cell.splitlines() == with_contents.content_lines


def test_text_that_looks_like_a_formula_stays_text(nacc_2569):
    Item.objects.filter(edition=nacc_2569, code="O1").update(title_th="=HYPERLINK(1)")
    book = load_workbook(io.BytesIO(edition_to_xlsx(nacc_2569)))
    cell = book["items"].cell(_find_row(book["items"], "O1"), _column(book["items"], "title_th"))
    assert cell.data_type == "s"
    assert cell.value == "=HYPERLINK(1)"


def test_changing_one_title_changes_only_that_title(nacc_2569):
    o5 = Item.objects.get(edition=nacc_2569, code="O5")
    history_before = {item.pk: item.history.count() for item in nacc_2569.items.all()}
    edition_history = nacc_2569.history.count()
    loaded = nacc_2569.loaded_snapshot
    content = edited(nacc_2569, [("items", "O5", "title_th", "ชื่อข้อใหม่")])

    preview = edition_import_preview(content)
    assert preview.differences == [f"items O5 title_th: {o5.title_th!r} → 'ชื่อข้อใหม่'"]
    outcome = edition_import(data=preview.data, base=preview.base)

    assert (outcome.created, outcome.changed) == (0, 1)
    o5.refresh_from_db()
    assert o5.title_th == "ชื่อข้อใหม่"
    assert o5.history.count() == history_before[o5.pk] + 1
    others = {i.pk: i.history.count() for i in nacc_2569.items.exclude(pk=o5.pk)}
    assert others == {pk: n for pk, n in history_before.items() if pk != o5.pk}
    nacc_2569.refresh_from_db()
    assert nacc_2569.history.count() == edition_history
    # Still counted as edited in the portal: load_framework will show the difference.
    assert nacc_2569.loaded_snapshot == loaded


def test_importing_the_same_data_twice_changes_nothing_the_second_time(nacc_2569):
    preview = edition_import_preview(edited(nacc_2569, [("items", "O5", "title_th", "ใหม่")]))
    edition_import(data=preview.data, base=preview.base)
    again = edition_import(data=preview.data, base=preview.base)
    assert again.unchanged


def test_an_edition_changed_after_the_check_is_not_overwritten(nacc_2569):
    preview = edition_import_preview(edited(nacc_2569, [("items", "O5", "title_th", "ใหม่")]))
    Item.objects.filter(edition=nacc_2569, code="O7").update(title_th="แก้ระหว่างนั้น")
    with pytest.raises(EditionImportError, match="nacc-2569"):
        edition_import(data=preview.data, base=preview.base)
    assert Item.objects.get(edition=nacc_2569, code="O5").title_th != "ใหม่"


def test_a_removed_row_removes_the_item(nacc_2569):
    preview = edition_import_preview(edited(nacc_2569, [("items", "O26", None, None)]))
    assert "items O26: only in the database" in preview.differences
    edition_import(data=preview.data, base=preview.base)
    assert not Item.objects.filter(edition=nacc_2569, code="O26").exists()


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        # Weights 35 + 30 + 40.
        ([("instruments", "IIT", "weight", 35)], ["“instruments”", "105"]),
        ([("indicators", "1", "instrument", "XYZ")], ["“indicators”", "row 2", "XYZ"]),
        ([("items", "O3", "code", "O2")], ["“items”", "row 4", "O2"]),
        ([("items", "O4", "period", "weekly")], ["“items”", "row 5", "weekly"]),
        ([("levels", "excellent", "label_th", None)], ["“levels”", "row 2", "label_th"]),
        ([("levels", "good", "min_instrument", None)], ["“levels”", "rows 3, 4"]),
        ([("items", "O1", "verify", "maybe")], ["“items”", "row 2", "maybe"]),
        ([("items", "O1", "sub_indicator", "99.9")], ["“items”", "row 2", "99.9"]),
        ([("edition", "first_year", "value", "สองพัน")], ["“edition”", "row 6", "first_year"]),
    ],
    ids=[
        "weights",
        "unknown-instrument",
        "duplicate-item",
        "unknown-period",
        "level-no-thai-label",
        "same-rule",
        "bad-boolean",
        "unknown-sub-indicator",
        "bad-year",
    ],
)
def test_a_bad_row_is_named_and_nothing_is_saved(nacc_2569, changes, expected):
    snapshot = [(i.code, i.title_th, i.period) for i in nacc_2569.items.all()]
    changes = [*changes, ("items", "O10", "title_th", "ไม่ควรถูกบันทึก")]
    with translation.override("en"):
        found = problems(edited(nacc_2569, changes))
    text = "\n".join(found)
    for part in expected:
        assert part in text, text
    assert [(i.code, i.title_th, i.period) for i in nacc_2569.items.all()] == snapshot


def test_every_problem_is_named_at_once(nacc_2569):
    changes = [
        ("items", "O4", "period", "weekly"),
        ("items", "O6", "role", "nonsense"),
        ("levels", "excellent", "label_th", None),
    ]
    with translation.override("en"):
        found = problems(edited(nacc_2569, changes))
    assert len(found) == 3, found


def test_problems_are_told_in_thai(nacc_2569):
    with translation.override("th"):
        found = problems(edited(nacc_2569, [("items", "O4", "period", "weekly")]))
    assert found == [
        "แผ่นงาน “items” แถวที่ 5: ข้อ O4: “weekly” ไม่ใช่ช่วงเวลาที่กำหนดได้ "
        "ใช้ current_year, previous_year, first_half, monthly หรือเว้นว่าง"
    ]


def test_an_item_with_results_cannot_be_removed(nacc_2569):
    org = make_org("office")
    assessment = make_assessment(org, 2569)
    o26 = Item.objects.get(edition=nacc_2569, code="O26")
    ItemResult.objects.create(assessment=assessment, item=o26, passed=True)
    with translation.override("en"):
        found = problems(edited(nacc_2569, [("items", "O26", None, None)]))
    assert any("O26" in line and "recorded results" in line for line in found), found
    assert Item.objects.filter(pk=o26.pk).exists()


def test_a_file_that_is_not_a_workbook_is_refused(db):
    with pytest.raises(EditionImportError):
        edition_import_preview(b"PK\x03\x04 not really a zip")


def test_a_missing_sheet_is_named(nacc_2569):
    book = load_workbook(io.BytesIO(edition_to_xlsx(nacc_2569)))
    del book["levels"]
    buffer = io.BytesIO()
    book.save(buffer)
    with translation.override("en"):
        found = problems(buffer.getvalue())
    assert found == ["Sheet “levels”: the sheet is missing"]


def test_a_new_scheme_edition_is_made_by_copying_one(nacc_2569):
    Scheme.objects.get_or_create(code="obec", defaults={"name_th": "สพฐ. ITA Online"})[0]
    content = edited(
        nacc_2569,
        [
            ("edition", "code", "value", "obec-2569"),
            ("edition", "scheme", "value", "obec"),
            ("edition", "name_th", "value", "ITA Online สพฐ. 2569"),
            ("items", "O26", None, None),
        ],
    )
    preview = edition_import_preview(content)
    assert preview.is_new
    outcome = edition_import(data=preview.data, base=preview.base)
    new = outcome.edition
    assert outcome.is_new
    assert new.scheme.code == "obec"
    assert new.items.count() == 25
    assert new.levels.count() == 5
    assert ResultLevel.objects.get(edition=new, code="good").min_instrument == Decimal("85.00")
    # Made in the portal: load_framework has nothing to compare it with.
    new.refresh_from_db()
    assert new.loaded_snapshot == {}
    school = make_org("school", scheme=Scheme.objects.get(code="obec"))
    assert edition_for(school, 2569) == new
    assert edition_for(make_org("office"), 2569) == nacc_2569
    # The NACC edition it was copied from is untouched.
    assert nacc_2569.items.count() == 26


def test_a_new_edition_may_not_overlap_its_schemes_years(nacc_2569):
    content = edited(nacc_2569, [("edition", "code", "value", "nacc-2569-copy")])
    with translation.override("en"):
        found = problems(content)
    assert any("nacc-2569" in line and "overlap" in line for line in found), found


def test_an_unknown_scheme_is_named(nacc_2569):
    content = edited(
        nacc_2569,
        [("edition", "code", "value", "x-2569"), ("edition", "scheme", "value", "nobody")],
    )
    with translation.override("en"):
        found = problems(content)
    assert any("nobody" in line for line in found), found


def test_commands_export_and_import(nacc_2569, tmp_path):
    path = tmp_path / "nacc-2569.xlsx"
    call_command("export_edition", "nacc-2569", str(path), stdout=io.StringIO())
    path.write_bytes(edited(nacc_2569, [("items", "O5", "title_th", "จากคำสั่ง")]))

    out = io.StringIO()
    call_command("import_edition", str(path), "--dry-run", stdout=out)
    assert "items O5 title_th" in out.getvalue()
    assert Item.objects.get(edition=nacc_2569, code="O5").title_th != "จากคำสั่ง"

    call_command("import_edition", str(path), stdout=io.StringIO())
    assert Item.objects.get(edition=nacc_2569, code="O5").title_th == "จากคำสั่ง"


def test_import_command_names_bad_rows(nacc_2569, tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(edited(nacc_2569, [("items", "O4", "period", "weekly")]))
    with translation.override("en"), pytest.raises(CommandError, match="row 5"):
        call_command("import_edition", str(path), stdout=io.StringIO())


def test_export_command_names_an_unknown_edition(db, tmp_path):
    with pytest.raises(CommandError, match="nacc-2569"):
        call_command("export_edition", "nope", str(tmp_path / "x.xlsx"), stdout=io.StringIO())
