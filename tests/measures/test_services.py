"""Planning, copying, ordering and follow-up rules of measures."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.core.exceptions import ValidationError

from assessments.models import Unit
from measures.models import Evidence, Measure, Round
from measures.services import (
    PlanningError,
    evidence_add_files,
    evidence_delete,
    measure_delete,
    measure_move,
    measures_copy_to_next_year,
    measures_plan_from_analysis,
    year_overview,
)
from tests.builders import REFERENCE_003, make_assessment
from tests.measures.builders import image_bytes, make_follow_up, make_measure, upload


def numbers_and_titles(org, year):
    return list(
        Measure.objects.filter(organisation=org, fiscal_year=year)
        .order_by("number")
        .values_list("number", "title")
    )


def test_plan_from_analysis_makes_one_measure_per_indicator_to_develop(org):
    scores = list(REFERENCE_003)
    scores[1] = "80.00"  # indicator 2 below the pass mark too
    make_assessment(org, 2564, scores)
    created = measures_plan_from_analysis(organisation=org, fiscal_year=2565)
    assert [[i.number for i in m.indicators.all()] for m in created] == [
        [2],
        [9],
    ]  # in indicator order
    assert [m.number for m in created] == [1, 2]
    assert "การเปิดเผยข้อมูล" in created[1].title
    assert created[0].due_date == dt.date(2022, 9, 30)
    assert measures_plan_from_analysis(organisation=org, fiscal_year=2565) == []  # idempotent
    assert Measure.objects.filter(organisation=org).count() == 2


def test_plan_without_a_previous_result_says_so(org):
    with pytest.raises(PlanningError) as error:
        measures_plan_from_analysis(organisation=org, fiscal_year=2565)
    assert "2564" in str(error.value)


def test_copy_to_next_year_copies_steps_indicators_and_units_once(org):
    unit = Unit.objects.create(organisation=org, name="กลุ่มอำนวยการ")
    measure = make_measure(org, 2564, due_date=dt.date(2021, 9, 30), responsible_text="ทุกกลุ่มงาน")
    measure.responsible_units.add(unit)
    make_follow_up(measure)
    copies = measures_copy_to_next_year(organisation=org, fiscal_year=2564)
    assert len(copies) == 1
    copy = copies[0]
    assert copy.fiscal_year == 2565 and copy.number == 1
    assert copy.steps_text == measure.steps_text
    assert list(copy.indicators.all()) == list(measure.indicators.all())
    assert list(copy.responsible_units.all()) == [unit]
    assert copy.due_date == dt.date(2022, 9, 30)
    assert copy.follow_ups.count() == 0
    assert measures_copy_to_next_year(organisation=org, fiscal_year=2564) == []


def test_copy_of_an_empty_year_is_refused(org):
    with pytest.raises(PlanningError):
        measures_copy_to_next_year(organisation=org, fiscal_year=2564)


def test_move_and_delete_keep_numbers_one_to_n(org):
    a, _b, c = (make_measure(org, title=t) for t in ("ก", "ข", "ค"))
    measure_move(measure=c, offset=-1)
    assert numbers_and_titles(org, 2565) == [(1, "ก"), (2, "ค"), (3, "ข")]
    measure_move(measure=a, offset=-1)  # already first: nothing happens
    assert numbers_and_titles(org, 2565)[0] == (1, "ก")
    measure_delete(measure=Measure.objects.get(pk=a.pk))
    assert numbers_and_titles(org, 2565) == [(1, "ค"), (2, "ข")]


def test_year_overview_status_overdue_missing_rounds_and_own_units_first(org):
    unit = Unit.objects.create(organisation=org, name="กลุ่มกฎหมายและคดี")
    first = make_measure(org, title="หนึ่ง", due_date=dt.date(2022, 9, 30))
    second = make_measure(org, title="สอง", due_date=dt.date(2022, 9, 30))
    second.responsible_units.add(unit)
    make_follow_up(first, Round.SIX_MONTHS, status="in_progress")
    rows = year_overview(
        organisation=org, fiscal_year=2565, units=[unit], today=dt.date(2022, 5, 1)
    )
    assert [r.measure.title for r in rows] == ["สอง", "หนึ่ง"]  # my unit's measure first
    mine, other = rows
    assert mine.mine and not other.mine
    assert other.status == "in_progress" and mine.status == "not_started"
    assert other.missing_rounds == [Round.TWELVE_MONTHS]
    assert mine.overdue_rounds == [Round.SIX_MONTHS]  # the first half ended on 31 March
    assert not mine.overdue
    later = year_overview(organisation=org, fiscal_year=2565, today=dt.date(2022, 10, 15))
    assert all(r.overdue for r in later)  # past the due date and not done


def test_evidence_upload_is_all_or_nothing(org):
    follow_up = make_follow_up(make_measure(org))
    files = [upload("ok.jpg", image_bytes()), upload("bad.jpg", b"MZ" + b"\0" * 100)]
    with pytest.raises(ValidationError) as error:
        evidence_add_files(follow_up=follow_up, files=files, captions=["a", "b"])
    assert "bad.jpg" in " ".join(error.value.messages)
    assert Evidence.objects.count() == 0


def test_evidence_is_stored_under_an_unguessable_name_and_deleted_with_its_files(
    org, django_capture_on_commit_callbacks
):
    follow_up = make_follow_up(make_measure(org))
    (evidence,) = evidence_add_files(
        follow_up=follow_up, files=[upload("ภาพของฉัน.png", image_bytes("PNG"))], captions=["ภาพ"]
    )
    assert "ภาพของฉัน" not in evidence.file.name
    assert evidence.file.name.endswith(".png") and evidence.preview.name.endswith(".jpg")
    assert len(evidence.file.name.split("/")[-1]) >= 36
    paths = [evidence.file.path, evidence.preview.path]
    with django_capture_on_commit_callbacks(execute=True):
        evidence_delete(evidence=evidence)
    assert not any(os.path.exists(p) for p in paths)


def test_deleting_a_measure_removes_its_evidence_files(org, django_capture_on_commit_callbacks):
    follow_up = make_follow_up(make_measure(org), images=2)
    paths = [e.file.path for e in follow_up.evidence.all()]
    assert all(os.path.exists(p) for p in paths)
    with django_capture_on_commit_callbacks(execute=True):
        measure_delete(measure=follow_up.measure)
    assert not any(os.path.exists(p) for p in paths)
