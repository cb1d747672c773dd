"""Dates of measures, follow-ups and announcements: typed in BE and checked for sense."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from assessments.models import Role
from measures.models import Announcement, FollowUp, Measure, MeasureStatus, Round
from tests.builders import make_user, post_edit


# Today, for every test here: 30 November 2026, fiscal year 2570.
@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 11, 30, 5, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def editor_client(client, org):
    client.force_login(make_user("editor", org, Role.EDITOR))
    return client


@pytest.fixture
def measure(org):
    return Measure.objects.create(organisation=org, fiscal_year=2569, number=1, title="มาตรการ")


def _url(name: str, *args) -> str:
    return reverse(f"measures_staff:{name}", args=["office", *args])


def _measure_form(**extra) -> dict:
    return {"title": "มาตรการเสริมสร้างวัฒนธรรมองค์กร", "due_date": "30/09/2570", **extra}


def _follow_up_form(**extra) -> dict:
    return {
        "round": Round.TWELVE_MONTHS,
        "report_date": "",
        "summary": "ดำเนินการครบทุกขั้นตอน",
        "outcome": "",
        "status": MeasureStatus.DONE,
        "completed_on": "",
        **extra,
    }


def test_a_due_date_outside_the_fiscal_year_is_refused(editor_client, org):
    response = editor_client.post(_url("measure-add", 2570), _measure_form(due_date="30/09/2574"))
    assert response.status_code == 400
    assert [e.code for e in response.context["form"].errors.as_data()["due_date"]] == [
        "fiscal_year"
    ]
    assert not Measure.objects.exists()


def test_a_due_date_in_the_year_is_saved(editor_client, org):
    response = editor_client.post(_url("measure-add", 2570), _measure_form())
    assert response.status_code == 302
    measure = Measure.objects.get()
    assert measure.due_date == dt.date(2027, 9, 30) and not measure.due_month_only


def test_a_due_month_typed_alone_is_printed_as_the_month(editor_client, org):
    editor_client.post(_url("measure-add", 2570), _measure_form(due_date="03/2570"))
    measure = Measure.objects.get()
    assert measure.due_date == dt.date(2027, 3, 31)
    assert measure.due_month_only


def test_editing_a_measure_checks_its_own_year(editor_client, measure):
    response = post_edit(
        editor_client, _url("measure", measure.pk), _measure_form(due_date="30/09/2580")
    )
    assert response.status_code == 400
    measure.refresh_from_db()
    assert measure.due_date is None


def test_a_future_completion_date_is_refused_and_nothing_saved(editor_client, measure):
    response = editor_client.post(
        _url("follow-up-add", measure.pk), _follow_up_form(completed_on="30/09/2574")
    )
    assert response.status_code == 400
    assert [e.code for e in response.context["form"].errors.as_data()["completed_on"]] == ["future"]
    assert not FollowUp.objects.exists()


def test_a_future_report_date_is_refused(editor_client, measure):
    response = editor_client.post(
        _url("follow-up-add", measure.pk),
        _follow_up_form(round=Round.DATED, report_date="01/12/2569"),
    )
    assert response.status_code == 400
    assert "report_date" in response.context["form"].errors
    assert not FollowUp.objects.exists()


def test_a_completion_date_long_before_the_measures_year_is_refused(editor_client, measure):
    response = editor_client.post(
        _url("follow-up-add", measure.pk), _follow_up_form(completed_on="30/09/2560")
    )
    assert response.status_code == 400
    assert not FollowUp.objects.exists()


def test_a_completion_date_of_today_in_thai_digits_is_saved(editor_client, measure):
    response = editor_client.post(
        _url("follow-up-add", measure.pk), _follow_up_form(completed_on="๓๐/๑๑/๒๕๖๙")
    )
    assert response.status_code == 302
    assert FollowUp.objects.get().completed_on == dt.date(2026, 11, 30)


def test_a_completion_month_is_its_first_day_printed_as_the_month(editor_client, measure):
    editor_client.post(_url("follow-up-add", measure.pk), _follow_up_form(completed_on="11/2569"))
    follow_up = FollowUp.objects.get()
    assert follow_up.completed_on == dt.date(2026, 11, 1) and follow_up.completed_month_only


def test_an_announcement_dated_years_away_is_refused(editor_client, org):
    response = editor_client.post(
        _url("announcement-add", 2570),
        {
            "kind": "announcement",
            "number": "1/2570",
            "title": "ประกาศเจตนารมณ์",
            "body": "ข้อความ",
            "date": "01/10/2750",
            "signatory_name": "ผู้อำนวยการ",
            "signatory_position": "ผู้อำนวยการสำนักงาน",
        },
    )
    assert response.status_code == 400
    assert "date" in response.context["form"].errors
    assert not Announcement.objects.exists()


def test_the_admin_shows_and_takes_be_dates(admin_client, measure):
    measure.due_date = dt.date(2026, 9, 30)
    measure.save()
    page = admin_client.get(reverse("admin:measures_measure_change", args=[measure.pk])).text
    assert 'name="due_date"' in page and 'value="30/09/2569"' in page
    assert 'class="vDateField' not in page
