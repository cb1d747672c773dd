"""Typed in a browser, exported, imported back: nothing changes (issue 15, point 8).

The texts go through the real staff pages (the browser sends CRLF line
endings) and the real export and import code, in both file formats.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from assessments.models import Role
from measures.imports import follow_ups_export, follow_ups_import, measures_export, measures_import
from measures.models import FollowUp, Measure, MeasureStatus, Round
from measures.services import measure_steps_set
from tests.builders import make_user

pytestmark = pytest.mark.django_db

SUMMARY = "จัดอบรมบุคลากร 2 ครั้ง\r\n- ครั้งที่ 1 ตุลาคม\r\n- ครั้งที่ 2 มีนาคม\r\n\r\nรายงานผู้บริหารแล้ว"
OUTCOME = "บุคลากรร้อยละ 90 ผ่านการอบรม\r\nไม่มีข้อร้องเรียน"


@pytest.fixture
def editor_client(client, org):
    client.force_login(make_user("editor", org, Role.EDITOR))
    return client


def _staff(name: str, *args) -> str:
    return reverse(f"measures_staff:{name}", args=["office", *args])


def _typed_follow_ups(client, org) -> list[FollowUp]:
    """Ten follow-ups typed in the staff form, as a browser posts them."""
    for number in range(1, 6):
        measure = Measure.objects.create(
            organisation=org, fiscal_year=2566, number=number, title=f"มาตรการ {number}"
        )
        for round_, month_only in ((Round.SIX_MONTHS, False), (Round.TWELVE_MONTHS, True)):
            response = client.post(
                _staff("follow-up-add", measure.pk),
                {
                    "round": round_,
                    "report_date": "",
                    "summary": SUMMARY,
                    "outcome": OUTCOME,
                    "status": MeasureStatus.DONE,
                    "completed_on": "30/9/2566",
                    "completed_month_only": "on" if month_only else "",
                },
            )
            assert response.status_code == 302, response.content.decode()[:500]
    return list(FollowUp.objects.order_by("pk"))


def test_a_follow_up_typed_in_a_browser_is_stored_with_plain_line_endings(editor_client, org):
    follow_ups = _typed_follow_ups(editor_client, org)
    assert len(follow_ups) == 10
    assert all("\r" not in f.summary + f.outcome for f in follow_ups)
    assert follow_ups[0].summary == SUMMARY.replace("\r\n", "\n")
    assert [f.completed_month_only for f in follow_ups[:2]] == [False, True]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_follow_ups_exported_and_imported_back_are_unchanged(editor_client, org, fmt):
    before = [
        (f.summary, f.outcome, f.completed_on, f.completed_month_only)
        for f in _typed_follow_ups(editor_client, org)
    ]
    content = follow_ups_export(organisation=org, fiscal_year=2566, fmt=fmt)
    report = follow_ups_import(content=content, file_name=f"follow-ups.{fmt}")
    assert report.errors == []
    assert (report.new, report.updated, report.unchanged) == (0, 0, 10)
    after = [
        (f.summary, f.outcome, f.completed_on, f.completed_month_only)
        for f in FollowUp.objects.order_by("pk")
    ]
    assert after == before


def test_crlf_saved_before_the_fix_still_counts_as_unchanged(org):
    # Rows stored with CRLF by an older version: the file reads them back with "\n".
    measure = Measure.objects.create(organisation=org, fiscal_year=2566, number=1, title="ม")
    FollowUp.objects.create(measure=measure, round=Round.SIX_MONTHS, summary=SUMMARY)
    content = follow_ups_export(organisation=org, fmt="csv")
    report = follow_ups_import(content=content, file_name="f.csv")
    assert (report.updated, report.unchanged) == (0, 1)


def test_a_changed_flag_in_the_file_is_an_update(org):
    measure = Measure.objects.create(organisation=org, fiscal_year=2566, number=1, title="ม")
    FollowUp.objects.create(
        measure=measure, round=Round.SIX_MONTHS, completed_on=dt.date(2023, 9, 30)
    )
    content = follow_ups_export(organisation=org, fmt="csv").decode("utf-8-sig")
    lines = content.splitlines()
    assert lines[1].endswith(",no")
    lines[1] = lines[1][: -len("no")] + "yes"
    report = follow_ups_import(content="\n".join(lines).encode(), file_name="f.csv")
    assert (report.updated, report.unchanged) == (1, 0)
    assert FollowUp.objects.get().completed_month_only is True


def test_a_file_without_the_month_only_column_still_imports_and_keeps_the_flag(org):
    measure = Measure.objects.create(organisation=org, fiscal_year=2566, number=1, title="ม")
    FollowUp.objects.create(
        measure=measure,
        round=Round.SIX_MONTHS,
        completed_on=dt.date(2023, 9, 30),
        completed_month_only=True,
    )
    content = follow_ups_export(organisation=org, fmt="csv").decode("utf-8-sig")
    old = "\n".join(line.rsplit(",", 1)[0] for line in content.splitlines())
    report = follow_ups_import(content=old.encode(), file_name="f.csv")
    assert report.errors == [] and report.unchanged == 1
    assert FollowUp.objects.get().completed_month_only is True


def test_a_measure_typed_in_a_browser_with_levels_round_trips(editor_client, org):
    data = {
        "title": "มาตรการด้านการใช้งบประมาณ",
        "approach": "เผยแพร่แผน\r\nรายงานทุกไตรมาส",
        "steps-depth": ["0", "1", "1", "0", "2"],
        "steps-text": [
            "จัดทำแผนงบประมาณ",
            "1.1 ประชุมหารือ",  # its own number: stripped, level kept
            "เสนอขออนุมัติ",
            "๒. เผยแพร่แผน",
            "รายงานผล 30 วัน",
        ],
        "responsible_text": "ฝ่ายบริหารงบประมาณ\r\nบุคลากรทุกคน",
        "monitoring": "รายงานผู้อำนวยการ\r\nทุกไตรมาส",
        "due_date": "30/9/2566",
        "due_month_only": "on",
    }
    response = editor_client.post(
        reverse("measures_staff:measure-add", args=["office", 2566]), data
    )
    assert response.status_code == 302
    measure = Measure.objects.get()
    assert [(s.depth, s.text) for s in measure.steps.all()] == [
        (0, "จัดทำแผนงบประมาณ"),
        (1, "ประชุมหารือ"),
        (1, "เสนอขออนุมัติ"),
        (0, "เผยแพร่แผน"),
        (1, "รายงานผล 30 วัน"),  # a level deeper than the step above is one below it
    ]
    assert measure.responsible_text == "ฝ่ายบริหารงบประมาณ\nบุคลากรทุกคน"
    assert measure.due_month_only is True
    for fmt in ("csv", "xlsx"):
        content = measures_export(organisation=org, fmt=fmt)
        report = measures_import(content=content, file_name=f"m.{fmt}")
        assert report.errors == []
        assert (report.updated, report.unchanged) == (0, 1), fmt
    assert [(s.depth, s.text) for s in measure.steps.all()][1] == (1, "ประชุมหารือ")


def test_the_import_reads_a_steps_level_from_its_number(org):
    Measure.objects.create(organisation=org, fiscal_year=2566, number=1, title="ม")
    header = "organisation,fiscal_year,number,title,indicators,approach,steps,"
    header += "responsible_units,responsible_text,monitoring,due_date"
    steps = "1. สร้างวัฒนธรรม\n1.1 ประชุม\n๑.๒ อบรม\n1.2.1 ประเมิน\n2) ติดตาม\n30 วัน"
    row = f'office,2566,1,ม,,,"{steps}",,,,'
    report = measures_import(content=f"{header}\n{row}\n".encode(), file_name="m.csv")
    assert report.errors == [] and report.updated == 1
    steps_saved = [(s.depth, s.text) for s in Measure.objects.get().steps.all()]
    assert steps_saved == [
        (0, "สร้างวัฒนธรรม"),
        (1, "ประชุม"),
        (1, "อบรม"),
        (2, "ประเมิน"),
        (0, "ติดตาม"),
        (0, "30 วัน"),  # a bare number is the step's content, not its number
    ]


def test_a_step_whose_text_starts_with_a_number_survives_the_round_trip(org):
    measure = Measure.objects.create(organisation=org, fiscal_year=2566, number=1, title="ม")
    measure_steps_set(measure=measure, steps=["1.5 ล้านบาทต่อปี", "ติดตามผล"])
    content = measures_export(organisation=org, fmt="csv")
    report = measures_import(content=content, file_name="m.csv")
    assert (report.updated, report.unchanged) == (0, 1)
    assert [s.text for s in measure.steps.all()] == ["1.5 ล้านบาทต่อปี", "ติดตามผล"]
