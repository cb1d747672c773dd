"""The staff workspace for measures: years, the year view, planning, copying, measures, report settings."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from assessments.models import Edition, Membership, Role, Unit
from measures.models import FollowUp, Measure, MeasureStatus, ReportSettings, Round
from measures.services import measure_steps_set
from tests.builders import REFERENCE_003, make_assessment, make_org, make_user, post_edit

BANGKOK = zoneinfo.ZoneInfo("Asia/Bangkok")


def _measure(org, year=2565, number=1, title=None, **fields) -> Measure:
    return Measure.objects.create(
        organisation=org,
        fiscal_year=year,
        number=number,
        title=title or f"มาตรการที่ {number}",
        **fields,
    )


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def editor_client(client, org):
    client.force_login(make_user("editor", org, Role.EDITOR))
    return client


@pytest.fixture
def admin_client(client, org):
    client.force_login(make_user("admin", org, Role.ADMINISTRATOR))
    return client


def _url(name: str, *args) -> str:
    return reverse(f"measures_staff:{name}", args=["office", *args])


# --- Access -----------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, org):
    measure = _measure(org)
    for url in (_url("years"), _url("year", 2565), _url("measure", measure.pk)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/staff/login/")


@pytest.mark.parametrize("role", [Role.VIEWER, Role.COMPLAINT_OFFICER])
def test_other_roles_can_look_but_every_post_is_404(client, org, role):
    make_assessment(org, 2564, REFERENCE_003)
    measure = _measure(org)
    _measure(org, number=2)
    client.force_login(make_user("reader", org, role))
    assert client.get(_url("years")).status_code == 200
    assert client.get(_url("year", 2565)).status_code == 200
    assert client.get(_url("measure", measure.pk)).status_code == 200
    assert client.get(_url("report-settings", 2565)).status_code == 200
    for url, data in (
        (_url("measure", measure.pk), {"title": "เปลี่ยน"}),
        (_url("measure-add", 2565), {"title": "ใหม่"}),
        (_url("plan", 2565), {}),
        (_url("copy", 2565), {}),
        (_url("measure-move", measure.pk), {"direction": "down"}),
        (_url("measure-delete", measure.pk), {}),
        (_url("report-settings", 2565), {"preface": "x"}),
        (_url("report-publish", 2565), {"published": "1"}),
    ):
        assert client.post(url, data).status_code == 404, url
    assert client.get(_url("measure-add", 2565)).status_code == 404
    assert client.get(_url("measure-delete", measure.pk)).status_code == 404
    assert list(Measure.objects.order_by("number").values_list("number", "title")) == [
        (1, "มาตรการที่ 1"),
        (2, "มาตรการที่ 2"),
    ]
    assert not ReportSettings.objects.exists()


def test_another_organisations_measures_are_404(client, org):
    other = make_org("other")
    theirs = _measure(other, title="ของหน่วยงานอื่น")
    # A member of "office" asking for another organisation's measure through their own address.
    client.force_login(make_user("editor", org, Role.EDITOR))
    assert client.get(_url("measure", theirs.pk)).status_code == 404
    assert client.post(_url("measure", theirs.pk), {"title": "ยึด"}).status_code == 404
    assert client.post(_url("measure-delete", theirs.pk)).status_code == 404
    assert client.post(_url("measure-move", theirs.pk), {"direction": "up"}).status_code == 404
    assert client.get(_url("follow-ups", theirs.pk)).status_code == 404
    # And the other organisation's own pages.
    assert client.get(reverse("measures_staff:years", args=["other"])).status_code == 404
    assert client.get(reverse("measures_staff:year", args=["other", 2565])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.title == "ของหน่วยงานอื่น"


def test_a_year_outside_the_accepted_range_is_404(editor_client, org):
    assert editor_client.get(_url("year", 1999)).status_code == 404
    assert editor_client.post(_url("measure-add", 3000), {"title": "x"}).status_code == 404


def test_dashboard_links_to_the_measures(editor_client, org):
    assert _url("years") in editor_client.get(reverse("staff:dashboard")).text


# --- Years and the year view ----------------------------------------------------


@time_machine.travel(dt.datetime(2022, 6, 1, 9, tzinfo=BANGKOK), tick=False)
def test_years_lists_years_with_measures_and_the_current_and_next(editor_client, org):
    _measure(org, year=2563)
    _measure(org, year=2563, number=2)
    response = editor_client.get(_url("years"))
    assert response.status_code == 200
    rows = {row["year"]: row for row in response.context["rows"]}
    # 1 June 2022 is in fiscal year 2565.
    assert set(rows) == {2563, 2565, 2566}
    assert rows[2563]["measures"] == 2 and rows[2565]["current"]
    assert _url("year", 2566) in response.text


def test_years_page_opens_a_typed_year(editor_client, org):
    response = editor_client.get(_url("years"), {"fiscal_year": "2570"})
    assert response.status_code == 302
    assert response["Location"] == _url("year", 2570)
    assert editor_client.get(_url("years"), {"fiscal_year": "2023"}).status_code == 400


@time_machine.travel(dt.datetime(2022, 10, 15, 9, tzinfo=BANGKOK), tick=False)
def test_year_view_shows_late_measures_and_rounds(editor_client, org):
    late = _measure(org, number=1, due_date=dt.date(2022, 9, 30))
    FollowUp.objects.create(measure=late, round=Round.SIX_MONTHS, status=MeasureStatus.IN_PROGRESS)
    done = _measure(org, number=2, due_date=dt.date(2022, 9, 30))
    FollowUp.objects.create(measure=done, round=Round.SIX_MONTHS, status=MeasureStatus.IN_PROGRESS)
    FollowUp.objects.create(measure=done, round=Round.TWELVE_MONTHS, status=MeasureStatus.DONE)
    response = editor_client.get(_url("year", 2565))
    assert response.status_code == 200
    rows = {row.measure.number: row for row in response.context["rows"]}
    assert rows[1].overdue and rows[1].overdue_rounds == [Round.TWELVE_MONTHS]
    assert not rows[2].overdue and rows[2].missing_rounds == []
    assert response.context["overdue_count"] == 1
    html = response.text
    assert f'id="measure-{late.pk}" class="late' in html
    assert f'id="measure-{done.pk}" class=""' in html  # no highlight
    assert 'role="alert"' in html
    # Links to the follow-ups and to the report preview.
    assert _url("follow-ups", late.pk) in html
    assert reverse("measures:report", kwargs={"org": "office", "year": 2565}) in html
    assert reverse("measures:report-pdf", kwargs={"org": "office", "year": 2565}) in html


@time_machine.travel(dt.datetime(2021, 11, 1, 9, tzinfo=BANGKOK), tick=False)
def test_nothing_is_late_early_in_the_year(editor_client, org):
    _measure(org, due_date=dt.date(2022, 9, 30))
    response = editor_client.get(_url("year", 2565))
    (row,) = response.context["rows"]
    assert row.missing_rounds == [Round.SIX_MONTHS, Round.TWELVE_MONTHS]
    assert row.overdue_rounds == [] and not row.overdue
    assert 'role="alert"' not in response.text


def test_unit_members_see_their_measures_first(client, org):
    finance = Unit.objects.create(organisation=org, name="กลุ่มบริหารงานการเงินและสินทรัพย์")
    legal = Unit.objects.create(organisation=org, name="กลุ่มกฎหมายและคดี")
    first = _measure(org, number=1)
    first.responsible_units.add(finance)
    second = _measure(org, number=2)
    second.responsible_units.add(legal)
    user = make_user("lawyer", org, Role.EDITOR)
    Membership.objects.get(user=user).units.add(legal)
    client.force_login(user)
    response = client.get(_url("year", 2565))
    rows = response.context["rows"]
    assert [row.measure.number for row in rows] == [2, 1]
    assert rows[0].mine and not rows[1].mine
    html = response.text
    assert html.index(f'id="measure-{second.pk}"') < html.index(f'id="measure-{first.pk}"')


def test_whole_organisation_members_see_the_numbered_order(editor_client, org):
    legal = Unit.objects.create(organisation=org, name="กลุ่มกฎหมายและคดี")
    _measure(org, number=1)
    _measure(org, number=2).responsible_units.add(legal)
    rows = editor_client.get(_url("year", 2565)).context["rows"]
    assert [row.measure.number for row in rows] == [1, 2]


# --- Planning and copying -----------------------------------------------------------


def test_plan_from_the_analysis_makes_one_measure_per_indicator_to_develop(
    editor_client, org, edition
):
    make_assessment(org, 2564, REFERENCE_003)
    response = editor_client.post(_url("plan", 2565))
    assert response.status_code == 302
    assert response["Location"] == _url("year", 2565)
    (measure,) = Measure.objects.filter(organisation=org, fiscal_year=2565)
    assert [i.number for i in measure.indicators.all()] == [9]
    assert measure.number == 1
    assert any("1" in text for text in _messages(response))
    # Running it again adds nothing.
    again = editor_client.post(_url("plan", 2565))
    assert again.status_code == 302
    assert Measure.objects.filter(organisation=org, fiscal_year=2565).count() == 1


def test_plan_without_last_years_result_explains_why(editor_client, org):
    response = editor_client.post(_url("plan", 2565))
    assert response.status_code == 302
    (text,) = _messages(response)
    assert "2564" in text
    assert not Measure.objects.exists()


def test_plan_needs_post(editor_client, org):
    assert editor_client.get(_url("plan", 2565)).status_code == 405


def test_copy_to_next_year_asks_first_then_copies(editor_client, org):
    unit = Unit.objects.create(organisation=org, name="กลุ่มอำนวยการ")
    source = _measure(org, title="มาตรการป้องกันการรับสินบน", due_date=dt.date(2022, 9, 30))
    source.responsible_units.add(unit)
    measure_steps_set(measure=source, steps=["ประกาศเจตนารมณ์", "อบรมบุคลากร"])
    FollowUp.objects.create(measure=source, round=Round.SIX_MONTHS)

    confirm = editor_client.get(_url("copy", 2565))
    assert confirm.status_code == 200
    assert "มาตรการป้องกันการรับสินบน" in confirm.text
    assert not Measure.objects.filter(fiscal_year=2566).exists()

    response = editor_client.post(_url("copy", 2565))
    assert response.status_code == 302
    assert response["Location"] == _url("year", 2566)
    copy = Measure.objects.get(organisation=org, fiscal_year=2566)
    assert copy.title == source.title and copy.due_date == dt.date(2023, 9, 30)
    assert copy.steps_text == "ประกาศเจตนารมณ์\nอบรมบุคลากร"
    assert list(copy.responsible_units.all()) == [unit]
    assert not copy.follow_ups.exists()
    # A second copy adds nothing.
    editor_client.post(_url("copy", 2565))
    assert Measure.objects.filter(fiscal_year=2566).count() == 1


def test_copy_of_an_empty_year_says_so(editor_client, org):
    response = editor_client.post(_url("copy", 2565))
    assert response.status_code == 302
    assert response["Location"] == _url("year", 2565)
    assert len(_messages(response)) == 1
    assert not Measure.objects.exists()


# --- Measures -------------------------------------------------------------------


def test_move_swaps_numbers(editor_client, org):
    one, two, three = (_measure(org, number=n) for n in (1, 2, 3))
    response = editor_client.post(_url("measure-move", three.pk), {"direction": "up"})
    assert response.status_code == 302
    assert response["Location"] == f"{_url('year', 2565)}#measure-{three.pk}"
    numbers = dict(Measure.objects.values_list("pk", "number"))
    assert numbers == {one.pk: 1, two.pk: 3, three.pk: 2}
    editor_client.post(_url("measure-move", one.pk), {"direction": "up"})  # already first
    assert Measure.objects.get(pk=one.pk).number == 1
    assert (
        editor_client.post(_url("measure-move", one.pk), {"direction": "left"}).status_code == 404
    )


def _measure_form(**extra) -> dict:
    data = {
        "title": "มาตรการเสริมสร้างวัฒนธรรมองค์กร",
        "approach": "ปลูกฝังค่านิยมสุจริต",
        "steps": "ประกาศนโยบาย\n\n  จัดอบรม  \r\nรายงานผล\n",
        "responsible_text": "ทุกกลุ่มงาน",
        "monitoring": "รายงานผู้อำนวยการทุก 6 เดือน",
        "due_date": "2022-09-30",
    }
    data.update(extra)
    return data


def test_add_a_measure_with_steps_indicators_and_units(editor_client, org, edition):
    unit = Unit.objects.create(organisation=org, name="กลุ่มอำนวยการ")
    _measure(org, number=1)
    indicator = edition.indicators.get(number=9)
    response = editor_client.post(
        _url("measure-add", 2565),
        _measure_form(indicators=[indicator.pk], responsible_units=[unit.pk]),
    )
    assert response.status_code == 302
    measure = Measure.objects.get(organisation=org, fiscal_year=2565, number=2)
    assert measure.title == "มาตรการเสริมสร้างวัฒนธรรมองค์กร"
    assert [s.text for s in measure.steps.all()] == ["ประกาศนโยบาย", "จัดอบรม", "รายงานผล"]
    assert list(measure.indicators.all()) == [indicator]
    assert list(measure.responsible_units.all()) == [unit]
    assert measure.due_date == dt.date(2022, 9, 30)


def test_add_form_offers_only_the_years_indicators_and_own_units(editor_client, org, edition):
    Unit.objects.create(organisation=org, name="กลุ่มอำนวยการ")
    Unit.objects.create(organisation=make_org("other"), name="กลุ่มของหน่วยงานอื่น")
    form = editor_client.get(_url("measure-add", 2565)).context["form"]
    assert {i.edition_id for i in form.fields["indicators"].queryset} == {edition.pk}
    assert form.fields["indicators"].queryset.count() == 10
    assert [u.name for u in form.fields["responsible_units"].queryset] == ["กลุ่มอำนวยการ"]
    # A year no edition covers (nor the year before it) has no indicators to choose.
    assert (
        not editor_client.get(_url("measure-add", 2590))
        .context["form"]
        .fields["indicators"]
        .queryset.exists()
    )


def test_measures_of_2570_are_planned_with_the_2569_editions_indicators(editor_client, org):
    # Measures answer the result of the year before: 2570's answer 2569's, under 2569's edition.
    form = editor_client.get(_url("measure-add", 2570)).context["form"]
    editions = {
        i.edition.code for i in form.fields["indicators"].queryset.select_related("edition")
    }
    assert editions == {"nacc-2569"}
    assert Edition.objects.filter(code="nacc-2569").exists()


def test_another_organisations_unit_is_refused(editor_client, org):
    theirs = Unit.objects.create(organisation=make_org("other"), name="กลุ่มของหน่วยงานอื่น")
    response = editor_client.post(
        _url("measure-add", 2565), _measure_form(responsible_units=[theirs.pk])
    )
    assert response.status_code == 400
    assert "responsible_units" in response.context["form"].errors
    assert not Measure.objects.exists()


def test_a_thai_typed_date_with_a_be_year_is_accepted(editor_client, org):
    editor_client.post(_url("measure-add", 2565), _measure_form(due_date="31/3/2565"))
    assert Measure.objects.get().due_date == dt.date(2022, 3, 31)


def test_a_failed_save_keeps_what_was_typed(editor_client, org):
    response = editor_client.post(
        _url("measure-add", 2565), _measure_form(title="", due_date="31/02/2565")
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"title", "due_date"}
    assert "ปลูกฝังค่านิยมสุจริต" in response.text
    assert "จัดอบรม" in response.text
    assert not Measure.objects.exists()


def test_edit_a_measure_replaces_its_steps(editor_client, org):
    measure = _measure(org, number=1)
    measure_steps_set(measure=measure, steps=["เดิม 1", "เดิม 2"])
    page = editor_client.get(_url("measure", measure.pk))
    assert page.status_code == 200
    # One row per step, in order (the form has a level and a text per step).
    assert page.text.index('value="เดิม 1"') < page.text.index('value="เดิม 2"')
    response = post_edit(
        editor_client,
        _url("measure", measure.pk),
        _measure_form(title="ชื่อใหม่", steps="ใหม่ 1\nใหม่ 2\nใหม่ 3"),
    )
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.title == "ชื่อใหม่" and measure.number == 1
    assert measure.steps_text == "ใหม่ 1\nใหม่ 2\nใหม่ 3"


def test_delete_a_measure_after_confirmation_renumbers(editor_client, org):
    one, two, three = (_measure(org, number=n) for n in (1, 2, 3))
    confirm = editor_client.get(_url("measure-delete", two.pk))
    assert confirm.status_code == 200
    assert Measure.objects.count() == 3
    response = editor_client.post(_url("measure-delete", two.pk))
    assert response.status_code == 302
    assert dict(Measure.objects.values_list("pk", "number")) == {one.pk: 1, three.pk: 2}


# --- Report settings and publishing ------------------------------------------------


def test_report_settings_are_created_on_first_save(editor_client, org):
    org.head_name = "นายสมชาย ใจดี"
    org.save()
    page = editor_client.get(_url("report-settings", 2565))
    assert page.status_code == 200
    assert "นายสมชาย ใจดี" in page.text  # the head of the agency is offered as signatory
    assert not ReportSettings.objects.exists()
    response = post_edit(
        editor_client,
        _url("report-settings", 2565),
        {
            "preface": "รายงานฉบับนี้จัดทำขึ้น",
            "background": "",
            "thai_digits": "on",
            "signatory_name": "นายสมชาย ใจดี",
            "signatory_position": "ผู้อำนวยการ",
        },
    )
    assert response.status_code == 302
    settings = ReportSettings.objects.get(organisation=org, fiscal_year=2565)
    assert settings.thai_digits and settings.preface == "รายงานฉบับนี้จัดทำขึ้น"
    assert not settings.published
    again = post_edit(editor_client, _url("report-settings", 2565), {"preface": "แก้ไข"})
    assert again.status_code == 302
    assert ReportSettings.objects.get().preface == "แก้ไข"


def test_only_administrators_publish(client, org):
    editor = make_user("editor", org, Role.EDITOR)
    client.force_login(editor)
    assert client.post(_url("report-publish", 2565), {"published": "1"}).status_code == 404
    assert _url("report-publish", 2565) not in client.get(_url("report-settings", 2565)).text
    assert not ReportSettings.objects.exists()

    admin = make_user("admin", org, Role.ADMINISTRATOR)
    client.force_login(admin)
    assert _url("report-publish", 2565) in client.get(_url("report-settings", 2565)).text
    response = client.post(_url("report-publish", 2565), {"published": "1"})
    assert response.status_code == 302
    settings = ReportSettings.objects.get(organisation=org, fiscal_year=2565)
    assert settings.published and settings.published_by == admin
    client.post(_url("report-publish", 2565), {"published": "0"})
    settings.refresh_from_db()
    assert not settings.published and settings.published_at is None


def test_publish_is_404_for_another_organisations_administrator(client, org):
    client.force_login(make_user("admin", make_org("other"), Role.ADMINISTRATOR))
    assert client.post(_url("report-publish", 2565), {"published": "1"}).status_code == 404
    assert not ReportSettings.objects.exists()
