import io
from decimal import Decimal

import pytest
import tablib
from django.core.management import call_command
from django.core.management.base import CommandError

from assessments.imports import scores_export, scores_import
from assessments.models import Assessment, IndicatorScore, InstrumentScore
from assessments.scoring import organisation_results
from tests.builders import REFERENCE_003, make_assessment, make_org

HEADER = "organisation,fiscal_year,indicator,score\n"


def _csv(*rows: str) -> bytes:
    return (HEADER + "\n".join(rows) + "\n").encode("utf-8")


def _full_year(slug="office", year=2564):
    return [f"{slug},{year},{n},{s}" for n, s in enumerate(REFERENCE_003, start=1)]


def test_valid_csv_is_imported(org):
    report = scores_import(content=_csv(*_full_year()), file_name="scores.csv")
    assert report.ok, report.errors
    assert report.saved and report.new == 10
    assessment = Assessment.objects.get(organisation=org, fiscal_year=2564)
    assert assessment.edition.code == "ita-2564-2565"
    assert IndicatorScore.objects.get(assessment=assessment, indicator__number=9).score == Decimal(
        "75.92"
    )


def test_csv_with_excel_bom_is_read(org):
    content = "\ufeff".encode() + _csv(*_full_year())
    assert scores_import(content=content, file_name="scores.csv").ok


def test_reimport_updates_and_skips_unchanged(org):
    scores_import(content=_csv(*_full_year()), file_name="a.csv")
    rows = _full_year()
    rows[0] = "office,2564,1,98.00"
    report = scores_import(content=_csv(*rows), file_name="a.csv")
    assert (report.new, report.updated, report.unchanged) == (0, 1, 9)
    assert IndicatorScore.objects.get(indicator__number=1).score == Decimal("98.00")
    assert IndicatorScore.objects.count() == 10


def test_xlsx_is_imported(org):
    data = tablib.Dataset(headers=["organisation", "fiscal_year", "indicator", "score"])
    data.append(["office", 2565, 1, 91.5])
    data.append(["office", 2565, 2, "88.25"])
    report = scores_import(content=data.export("xlsx"), file_name="scores.xlsx")
    assert report.ok, report.errors
    assert sorted(IndicatorScore.objects.values_list("score", flat=True)) == [
        Decimal("88.25"),
        Decimal("91.50"),
    ]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("nowhere,2564,1,90", "ไม่พบหน่วยงาน"),
        ("office,2570,1,90", "2570"),
        ("office,ปีนี้,1,90", "ปีงบประมาณ"),
        ("office,2564,11,90", "11"),
        ("office,2564,0,90", "0"),
        ("office,2564,1,เก้าสิบ", "ไม่ใช่ตัวเลข"),
        ("office,2564,1,100.01", "0–100"),
        ("office,2564,1,-1", "0–100"),
        ("office,2564,1,90.123", "ทศนิยม"),
        ("office,2564,1,", "ไม่ได้ระบุคะแนน"),
    ],
)
def test_one_bad_row_saves_nothing_and_is_named(org, row, message):
    rows = [*_full_year()[1:], row]
    report = scores_import(content=_csv(*rows), file_name="scores.csv")
    assert not report.ok
    assert not report.saved
    assert len(report.errors) == 1
    assert report.errors[0].startswith("แถวที่ 11:")
    assert message in report.errors[0]
    assert IndicatorScore.objects.count() == 0
    assert Assessment.objects.count() == 0


def test_duplicate_row_is_rejected_naming_both_rows(org):
    rows = [*_full_year(), "office,2564,3,90.00"]
    report = scores_import(content=_csv(*rows), file_name="scores.csv")
    assert len(report.errors) == 1
    assert report.errors[0].startswith("แถวที่ 12:")
    assert "แถวที่ 4" in report.errors[0]
    assert IndicatorScore.objects.count() == 0


def test_every_bad_row_is_listed(org):
    rows = ["office,2564,1,90", "x,2564,2,90", "office,2564,2,101", "office,2564,3,90"]
    report = scores_import(content=_csv(*rows), file_name="scores.csv")
    assert [e.split(":")[0] for e in report.errors] == ["แถวที่ 3", "แถวที่ 4"]


def test_existing_scores_are_untouched_when_the_file_is_rejected(org):
    make_assessment(org, 2564, REFERENCE_003)
    report = scores_import(content=_csv("office,2564,1,50", "office,2564,2,abc"), file_name="s.csv")
    assert not report.ok
    assert IndicatorScore.objects.get(indicator__number=1).score == Decimal("99.13")


def test_wrong_header_is_rejected(org):
    report = scores_import(content=b"org,year,ind,score\noffice,2564,1,90\n", file_name="s.csv")
    assert not report.ok
    assert "organisation,fiscal_year,indicator,score" in report.errors[0]


def test_other_file_types_are_rejected(org):
    report = scores_import(content=b"MZ\x90\x00", file_name="scores.exe")
    assert report.errors == ["นำเข้าได้เฉพาะไฟล์ .csv และ .xlsx เท่านั้น"]


def test_damaged_xlsx_is_rejected(org):
    report = scores_import(content=b"not a workbook", file_name="scores.xlsx")
    assert not report.ok and "XLSX" in report.errors[0]


def test_dry_run_saves_nothing(org):
    report = scores_import(content=_csv(*_full_year()), file_name="s.csv", dry_run=True)
    assert report.ok and report.new == 10 and not report.saved
    assert IndicatorScore.objects.count() == 0
    assert Assessment.objects.count() == 0


def test_command_imports(org, tmp_path):
    path = tmp_path / "scores.csv"
    path.write_bytes(_csv(*_full_year()))
    out = io.StringIO()
    call_command("import_scores", str(path), stdout=out)
    assert IndicatorScore.objects.count() == 10
    assert "10" in out.getvalue()


def test_command_names_the_bad_row_and_fails(org, tmp_path):
    path = tmp_path / "scores.csv"
    path.write_bytes(_csv(*_full_year()[:-1], "office,2564,10,abc"))
    err = io.StringIO()
    with pytest.raises(CommandError, match="ไม่ได้บันทึกข้อมูล"):
        call_command("import_scores", str(path), stderr=err, stdout=io.StringIO())
    assert "แถวที่ 11" in err.getvalue()
    assert IndicatorScore.objects.count() == 0


def test_command_dry_run(org, tmp_path):
    path = tmp_path / "scores.csv"
    path.write_bytes(_csv(*_full_year()))
    call_command("import_scores", str(path), "--dry-run", stdout=io.StringIO())
    assert IndicatorScore.objects.count() == 0


def test_export_round_trips_through_import(org):
    make_assessment(org, 2564, REFERENCE_003)
    other = make_org("other")
    make_assessment(other, 2565, ["80.00"] * 10)
    exported = scores_export(organisations=None, fmt="csv")
    lines = exported.strip().splitlines()
    assert lines[0] == "organisation,fiscal_year,indicator,score"
    assert lines[1] == "office,2564,1,99.13"
    assert len(lines) == 21
    IndicatorScore.objects.all().delete()
    assert scores_import(content=exported.encode(), file_name="back.csv").new == 20


def test_export_command_to_xlsx(org, tmp_path):
    make_assessment(org, 2564, REFERENCE_003)
    path = tmp_path / "out.xlsx"
    call_command("export_scores", "-o", str(path), "--organisation", "office")
    data = tablib.Dataset().load(path.read_bytes(), format="xlsx")
    assert len(data) == 10


# --- Instrument rows: years whose indicator scores are not known ------------

INSTRUMENT_HEADER = "organisation,fiscal_year,instrument,score\n"


def _instrument_csv(*rows: str) -> bytes:
    return (INSTRUMENT_HEADER + "\n".join(rows) + "\n").encode("utf-8")


def test_instrument_rows_are_imported_against_the_years_edition(org):
    rows = ["office,2568,IIT,96.67", "office,2568,eit,96.67", "office,2568,OIT,80.00"]
    report = scores_import(content=_instrument_csv(*rows), file_name="instruments.csv")
    assert report.ok, report.errors
    assert report.new == 3
    assessment = Assessment.objects.get(organisation=org, fiscal_year=2568)
    assert assessment.edition.code == "nacc-2568"
    assert dict(assessment.instrument_scores.values_list("instrument__code", "score")) == {
        "IIT": Decimal("96.67"),
        "EIT": Decimal("96.67"),
        "OIT": Decimal("80.00"),
    }
    result = organisation_results(organisation=org)[-1]
    assert result.total == Decimal("90.00")
    assert result.level.label_th == "ผ่าน"
    assert result.decision.reason == "OIT 80.00 ต่ำกว่า 85 จึงได้ระดับผ่าน"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("office,2568,XIT,90", "XIT"),
        ("office,2568,,90", "เครื่องมือ"),
        ("office,2590,IIT,90", "2590"),
        ("office,2568,IIT,101", "0–100"),
        ("office,2568,IIT,ดี", "ไม่ใช่ตัวเลข"),
        ("nowhere,2568,IIT,90", "ไม่พบหน่วยงาน"),
        ("office,2568,OIT,90", "แถวที่ 3"),  # the same instrument as row 3
    ],
)
def test_one_bad_instrument_row_saves_nothing_and_is_named(org, row, message):
    rows = ["office,2568,IIT,90", "office,2568,OIT,90", row]
    report = scores_import(content=_instrument_csv(*rows), file_name="instruments.csv")
    assert not report.ok and not report.saved
    assert len(report.errors) == 1, report.errors
    assert report.errors[0].startswith("แถวที่ 4:")
    assert message in report.errors[0]
    assert InstrumentScore.objects.count() == 0
    assert Assessment.objects.count() == 0


def test_an_unknown_instrument_names_the_editions_instruments(org):
    report = scores_import(
        content=_instrument_csv("office,2568,XIT,90"), file_name="instruments.csv"
    )
    assert "IIT, EIT, OIT" in report.errors[0]


def test_instrument_export_round_trips_through_import(org, tmp_path):
    scores_import(
        content=_instrument_csv("office,2568,IIT,96.67", "office,2568,OIT,80.00"),
        file_name="i.csv",
    )
    exported = scores_export(organisations=None, fmt="csv", kind="instrument")
    lines = exported.strip().splitlines()
    assert lines == [
        "organisation,fiscal_year,instrument,score",
        "office,2568,IIT,96.67",
        "office,2568,OIT,80.00",
    ]
    InstrumentScore.objects.all().delete()
    assert scores_import(content=exported.encode(), file_name="back.csv").new == 2
    path = tmp_path / "out.xlsx"
    call_command("export_scores", "-o", str(path), "--instruments")
    assert len(tablib.Dataset().load(path.read_bytes(), format="xlsx")) == 2


def test_import_command_takes_instrument_rows(org, tmp_path):
    path = tmp_path / "instruments.csv"
    path.write_bytes(_instrument_csv("office,2569,EIT,84.50"))
    call_command("import_scores", str(path), stdout=io.StringIO())
    assert InstrumentScore.objects.get().instrument.edition.code == "nacc-2569"
