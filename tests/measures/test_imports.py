import csv
import datetime as dt
import io

import pytest
import tablib
from django.core.management import call_command
from django.core.management.base import CommandError

from assessments.models import Unit
from measures.imports import (
    FOLLOW_UP_HEADERS,
    MEASURE_HEADERS,
    follow_ups_export,
    follow_ups_import,
    measures_export,
    measures_import,
    parse_date,
)
from measures.models import FollowUp, Measure, MeasureStatus, Round
from tests.builders import make_org

STEPS = "ประชุมชี้แจง\nจัดทำคู่มือ\nรายงานผล"


def _csv(headers: list[str], *rows: list) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _measure_row(**changes) -> list:
    row = {
        "organisation": "office",
        "fiscal_year": "2565",
        "number": "1",
        "title": "เปิดเผยข้อมูลการจัดซื้อจัดจ้าง",
        "indicators": "9, 1",
        "approach": "เผยแพร่ทางเว็บไซต์",
        "steps": STEPS,
        "responsible_units": "กลุ่มอำนวยการ\nกลุ่มนโยบายและแผน",
        "responsible_text": "",
        "monitoring": "รายงานผู้บริหารทุกไตรมาส",
        "due_date": "30/9/2565",
        "due_month_only": "no",
    } | changes
    return [row[name] for name in MEASURE_HEADERS]


def _follow_up_row(**changes) -> list:
    row = {
        "organisation": "office",
        "fiscal_year": "2565",
        "measure_number": "1",
        "round": "6m",
        "report_date": "2022-03-31",
        "summary": "ดำเนินการแล้วร้อยละ 50",
        "outcome": "",
        "status": "in_progress",
        "completed_on": "",
        "completed_month_only": "",
    } | changes
    return [row[name] for name in FOLLOW_UP_HEADERS]


def _measures(*rows: list) -> bytes:
    return _csv(MEASURE_HEADERS, *rows)


def _follow_ups(*rows: list) -> bytes:
    return _csv(FOLLOW_UP_HEADERS, *rows)


@pytest.fixture
def units(org):
    return [
        Unit.objects.create(organisation=org, name="กลุ่มอำนวยการ", order=1),
        Unit.objects.create(organisation=org, name="กลุ่มนโยบายและแผน", order=2),
    ]


@pytest.fixture
def measure(units):
    report = measures_import(content=_measures(_measure_row()), file_name="m.csv")
    assert report.ok, report.errors
    return Measure.objects.get()


# -- measures -------------------------------------------------------------------


def test_measures_csv_is_imported(units):
    report = measures_import(
        content=_measures(_measure_row(), _measure_row(number="2", indicators="", steps="")),
        file_name="measures.csv",
    )
    assert report.ok, report.errors
    assert report.saved and report.new == 2
    first, second = Measure.objects.order_by("number")
    assert first.steps_text == STEPS
    assert [s.order for s in first.steps.all()] == [1, 2, 3]
    assert sorted(first.indicators.values_list("number", flat=True)) == [1, 9]
    assert {u.name for u in first.responsible_units.all()} == {u.name for u in units}
    assert first.due_date == dt.date(2022, 9, 30)
    assert first.indicators.first().edition.code == "ita-2564-2565"
    assert second.indicators.count() == 0 and second.steps.count() == 0


def test_measures_xlsx_is_imported(units):
    data = tablib.Dataset(headers=MEASURE_HEADERS)
    row = _measure_row(fiscal_year=2564, number=3, indicators=5, due_date=dt.datetime(2021, 9, 30))
    data.append(row)
    report = measures_import(content=data.export("xlsx"), file_name="measures.xlsx")
    assert report.ok, report.errors
    saved = Measure.objects.get()
    assert (saved.fiscal_year, saved.number, saved.due_date) == (2564, 3, dt.date(2021, 9, 30))
    assert list(saved.indicators.values_list("number", flat=True)) == [5]
    assert saved.steps_text == STEPS


def test_columns_may_come_in_any_order(units):
    headers = list(reversed(MEASURE_HEADERS))
    content = _csv(headers, list(reversed(_measure_row())))
    assert measures_import(content=content, file_name="m.csv").ok


def test_reimport_updates_and_skips_unchanged(measure):
    again = measures_import(content=_measures(_measure_row()), file_name="m.csv")
    assert (again.new, again.updated, again.unchanged) == (0, 0, 1)
    changed = measures_import(
        content=_measures(_measure_row(steps="ขั้นเดียว", responsible_units="กลุ่มอำนวยการ")),
        file_name="m.csv",
    )
    assert (changed.new, changed.updated) == (0, 1)
    measure.refresh_from_db()
    assert measure.steps_text == "ขั้นเดียว"
    assert [u.name for u in measure.responsible_units.all()] == ["กลุ่มอำนวยการ"]
    assert Measure.objects.count() == 1


def test_row_without_number_goes_after_the_last(measure):
    content = _measures(_measure_row(number="", title="ใหม่"), _measure_row(number="2"))
    report = measures_import(content=content, file_name="m.csv")
    assert report.ok, report.errors
    assert Measure.objects.get(title="ใหม่").number == 3


def test_units_may_be_separated_by_commas(units):
    row = _measure_row(responsible_units="กลุ่มอำนวยการ, กลุ่มนโยบายและแผน")
    assert measures_import(content=_measures(row), file_name="m.csv").ok
    assert Measure.objects.get().responsible_units.count() == 2


@pytest.mark.parametrize(
    "value",
    ["2022-09-30", "30/9/2565", "30/09/2022", "30 ก.ย. 2565", "30 กันยายน 2565", "๓๐/๙/๒๕๖๕"],
)
def test_dates_are_read_in_either_era(value):
    assert parse_date(value) == dt.date(2022, 9, 30)


@pytest.mark.parametrize("value", ["31/2/2565", "30-9-65", "tomorrow", "2565"])
def test_what_is_not_a_date_is_refused(value):
    with pytest.raises(ValueError):
        parse_date(value)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"organisation": "nowhere"}, "nowhere"),
        ({"fiscal_year": "2022"}, "2022"),
        ({"fiscal_year": "ปีนี้"}, "ปีนี้"),
        ({"number": "0"}, "“0”"),
        ({"title": ""}, ""),
        ({"indicators": "1, 11"}, "11"),
        ({"indicators": "1, ห้า"}, "ห้า"),
        # A year no edition covers, not even the one before it.
        ({"fiscal_year": "2590", "indicators": "1"}, "2590"),
        ({"responsible_units": "กลุ่มอำนวยการ\nกลุ่มที่ไม่มี"}, "กลุ่มที่ไม่มี"),
        ({"due_date": "31/2/2565"}, "31/2/2565"),
        ({"number": "1"}, "2"),  # the same measure as row 2
    ],
)
def test_one_bad_measure_row_saves_nothing_and_is_named(units, changes, message):
    rows = [_measure_row(), _measure_row(**{"number": "2"} | changes), _measure_row(number="3")]
    report = measures_import(content=_measures(*rows), file_name="m.csv")
    assert not report.ok and not report.saved
    assert len(report.errors) == 1, report.errors
    assert report.errors[0].startswith("แถวที่ 3:")
    assert message in report.errors[0].split(":", 1)[1]
    assert Measure.objects.count() == 0


def test_every_bad_measure_row_is_listed(units):
    rows = [
        _measure_row(),
        _measure_row(number="2", organisation="x"),
        _measure_row(number="3"),
        _measure_row(number="4", due_date="ไม่ทราบ"),
    ]
    report = measures_import(content=_measures(*rows), file_name="m.csv")
    assert [e.split(":")[0] for e in report.errors] == ["แถวที่ 3", "แถวที่ 5"]


def test_existing_measures_are_untouched_when_the_file_is_rejected(measure):
    rows = [_measure_row(title="แก้ไขแล้ว"), _measure_row(number="2", fiscal_year="2022")]
    assert not measures_import(content=_measures(*rows), file_name="m.csv").ok
    measure.refresh_from_db()
    assert measure.title == "เปิดเผยข้อมูลการจัดซื้อจัดจ้าง"


def test_empty_rows_after_the_data_are_ignored(units):
    content = _measures(_measure_row(), [""] * len(MEASURE_HEADERS))
    report = measures_import(content=content, file_name="m.csv")
    assert report.ok, report.errors
    assert report.new == 1


def test_wrong_header_is_rejected_alone(units):
    report = measures_import(content=b"organisation,year\noffice,2565\n", file_name="m.csv")
    assert len(report.errors) == 1
    assert ",".join(MEASURE_HEADERS) in report.errors[0]


def test_dry_run_saves_nothing(units):
    report = measures_import(content=_measures(_measure_row()), file_name="m.csv", dry_run=True)
    assert report.ok and report.new == 1 and not report.saved
    assert Measure.objects.count() == 0


# -- follow-ups -------------------------------------------------------------------


def test_follow_ups_are_imported(measure):
    content = _follow_ups(
        _follow_up_row(),
        _follow_up_row(round="12m", report_date="", status="done", completed_on="15/9/2565"),
        _follow_up_row(round="dated", report_date="1/6/2565", status="delayed"),
    )
    report = follow_ups_import(content=content, file_name="f.csv")
    assert report.ok, report.errors
    assert report.new == 3
    twelve = FollowUp.objects.get(round=Round.TWELVE_MONTHS)
    assert twelve.measure == measure
    assert (twelve.status, twelve.completed_on) == (MeasureStatus.DONE, dt.date(2022, 9, 15))
    assert FollowUp.objects.get(round=Round.DATED).report_date == dt.date(2022, 6, 1)


def test_follow_ups_update_by_round_or_date(measure):
    rows = [_follow_up_row(), _follow_up_row(round="dated", report_date="1/6/2565")]
    follow_ups_import(content=_follow_ups(*rows), file_name="f.csv")
    rows = [
        _follow_up_row(status="done"),
        _follow_up_row(round="dated", report_date="1/6/2565"),
        _follow_up_row(round="dated", report_date="2/6/2565"),
    ]
    report = follow_ups_import(content=_follow_ups(*rows), file_name="f.csv")
    assert (report.new, report.updated, report.unchanged) == (1, 1, 1)
    assert FollowUp.objects.get(round=Round.SIX_MONTHS).status == MeasureStatus.DONE
    assert FollowUp.objects.count() == 3


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("6m", Round.SIX_MONTHS),
        ("รายงานรอบ 6 เดือน", Round.SIX_MONTHS),
        ("รอบ ๖ เดือน", Round.SIX_MONTHS),
        ("12-month report", Round.TWELVE_MONTHS),
        ("รายงานรอบ 12 เดือน", Round.TWELVE_MONTHS),
        ("Dated report", Round.DATED),
    ],
)
def test_round_may_be_written_in_words(measure, value, expected):
    row = _follow_up_row(round=value, report_date="1/6/2565")
    report = follow_ups_import(content=_follow_ups(row), file_name="f.csv")
    assert report.ok, report.errors
    assert FollowUp.objects.get().round == expected


def test_status_may_be_its_label_and_empty_means_not_started(measure):
    rows = [_follow_up_row(status="In progress"), _follow_up_row(round="12m", status="")]
    assert follow_ups_import(content=_follow_ups(*rows), file_name="f.csv").ok
    assert FollowUp.objects.get(round="6m").status == MeasureStatus.IN_PROGRESS
    assert FollowUp.objects.get(round="12m").status == MeasureStatus.NOT_STARTED


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"organisation": "nowhere"}, "nowhere"),
        ({"fiscal_year": "2022"}, "2022"),
        ({"measure_number": "7"}, "7"),
        ({"round": "quarterly"}, "quarterly"),
        ({"round": "dated", "report_date": ""}, ""),
        ({"status": "finished"}, "finished"),
        ({"completed_on": "2565-13-01"}, "2565-13-01"),
        ({"round": "6m"}, "2"),  # the same report as row 2
    ],
)
def test_one_bad_follow_up_row_saves_nothing_and_is_named(measure, changes, message):
    rows = [
        _follow_up_row(),
        _follow_up_row(**{"round": "12m"} | changes),
        _follow_up_row(round="dated", report_date="1/6/2565"),
    ]
    report = follow_ups_import(content=_follow_ups(*rows), file_name="f.csv")
    assert not report.ok and not report.saved
    assert len(report.errors) == 1, report.errors
    assert report.errors[0].startswith("แถวที่ 3:")
    assert message in report.errors[0].split(":", 1)[1]
    assert FollowUp.objects.count() == 0


def test_follow_up_dry_run_saves_nothing(measure):
    report = follow_ups_import(
        content=_follow_ups(_follow_up_row()), file_name="f.csv", dry_run=True
    )
    assert report.ok and report.new == 1 and not report.saved
    assert FollowUp.objects.count() == 0


# -- export -------------------------------------------------------------------------


def _state() -> list[tuple]:
    return [
        (
            m.organisation.slug,
            m.fiscal_year,
            m.number,
            m.title,
            m.steps_text,
            tuple(sorted(m.indicators.values_list("number", flat=True))),
            tuple(sorted(m.responsible_units.values_list("name", flat=True))),
            m.due_date,
            tuple(
                FollowUp.objects.filter(measure=m)
                .order_by("round", "report_date")
                .values_list("round", "report_date", "summary", "status", "completed_on")
            ),
        )
        for m in Measure.objects.order_by("organisation__slug", "fiscal_year", "number")
    ]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_round_trips_through_import(measure, fmt):
    other = make_org("other")
    Unit.objects.create(organisation=other, name="งานสารบรรณ, ธุรการ")
    rows = [
        _measure_row(
            organisation="other", fiscal_year="2564", responsible_units="งานสารบรรณ, ธุรการ"
        ),
        _measure_row(number="2", indicators="", due_date="", title="มาตรการ, มีจุลภาค"),
    ]
    assert measures_import(content=_measures(*rows), file_name="m.csv").ok
    rows = [_follow_up_row(), _follow_up_row(round="dated", report_date="1/6/2565")]
    assert follow_ups_import(content=_follow_ups(*rows), file_name="f.csv").ok
    before = _state()

    measures = measures_export(fmt=fmt)
    follow_ups = follow_ups_export(fmt=fmt)
    Measure.objects.all().delete()
    assert measures_import(content=measures, file_name=f"m.{fmt}").new == 3
    assert follow_ups_import(content=follow_ups, file_name=f"f.{fmt}").new == 2
    assert _state() == before


def test_export_filters_by_organisation_and_year(measure, org):
    other = make_org("other")
    rows = [_measure_row(organisation="other", responsible_units=""), _measure_row(number="2")]
    rows.append(_measure_row(fiscal_year="2564"))
    measures_import(content=_measures(*rows), file_name="m.csv")
    lines = measures_export(organisation=org, fiscal_year=2565).decode("utf-8-sig")
    data = tablib.Dataset().load(lines, format="csv")
    assert data.headers == MEASURE_HEADERS
    assert [(r[0], r[1], r[2]) for r in data] == [("office", "2565", "1"), ("office", "2565", "2")]
    assert (
        len(tablib.Dataset().load(measures_export(organisation=other).decode("utf-8-sig"), "csv"))
        == 1
    )


def test_export_writes_steps_one_per_line(measure):
    data = tablib.Dataset().load(measures_export().decode("utf-8-sig"), format="csv")
    assert data.dict[0]["steps"] == STEPS
    assert data.dict[0]["indicators"] == "1, 9"
    assert data.dict[0]["due_date"] == "2022-09-30"


# -- commands -------------------------------------------------------------------------


def test_import_measures_command(units, tmp_path):
    path = tmp_path / "measures.csv"
    path.write_bytes(_measures(_measure_row(), _measure_row(number="2")))
    out = io.StringIO()
    call_command("import_measures", str(path), stdout=out)
    assert Measure.objects.count() == 2
    assert "2" in out.getvalue()


def test_import_measures_command_names_the_bad_row_and_fails(units, tmp_path):
    path = tmp_path / "measures.csv"
    path.write_bytes(_measures(_measure_row(), _measure_row(number="2", fiscal_year="2022")))
    err = io.StringIO()
    with pytest.raises(CommandError, match="ไม่ได้บันทึกข้อมูล"):
        call_command("import_measures", str(path), stderr=err, stdout=io.StringIO())
    assert "แถวที่ 3" in err.getvalue()
    assert Measure.objects.count() == 0


def test_import_measures_command_dry_run(units, tmp_path):
    path = tmp_path / "measures.csv"
    path.write_bytes(_measures(_measure_row()))
    out = io.StringIO()
    call_command("import_measures", str(path), "--dry-run", stdout=out)
    assert "ทดลองนำเข้า" in out.getvalue()
    assert Measure.objects.count() == 0


def test_import_follow_ups_command(measure, tmp_path):
    path = tmp_path / "follow-ups.csv"
    path.write_bytes(_follow_ups(_follow_up_row()))
    call_command("import_follow_ups", str(path), stdout=io.StringIO())
    assert FollowUp.objects.count() == 1


def test_import_follow_ups_command_fails_on_a_missing_measure(measure, tmp_path):
    path = tmp_path / "follow-ups.csv"
    path.write_bytes(_follow_ups(_follow_up_row(measure_number="9")))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_follow_ups", str(path), stderr=err, stdout=io.StringIO())
    assert "แถวที่ 2" in err.getvalue()
    assert FollowUp.objects.count() == 0


def test_import_command_reports_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match=r"missing\.csv"):
        call_command("import_measures", str(tmp_path / "missing.csv"))


def test_export_measures_command_to_xlsx(measure, tmp_path):
    path = tmp_path / "out.xlsx"
    call_command("export_measures", "-o", str(path), "--organisation", "office", "--year", "2565")
    data = tablib.Dataset().load(path.read_bytes(), format="xlsx")
    assert len(data) == 1
    assert data.dict[0]["title"] == "เปิดเผยข้อมูลการจัดซื้อจัดจ้าง"


def test_export_follow_ups_command_to_csv(measure, tmp_path):
    follow_ups_import(content=_follow_ups(_follow_up_row()), file_name="f.csv")
    path = tmp_path / "out.csv"
    call_command("export_follow_ups", "-o", str(path), "--year", "2565")
    assert follow_ups_import(content=path.read_bytes(), file_name="out.csv").unchanged == 1


def test_export_command_refuses_an_unknown_organisation(db, tmp_path):
    with pytest.raises(CommandError, match="nowhere"):
        call_command("export_measures", "-o", str(tmp_path / "o.csv"), "--organisation", "nowhere")
