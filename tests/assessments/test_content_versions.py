"""Every write of the assessments and surveys apps that changes what the public sees
moves the organisation's content version (issue 16, point 2), so a cached public
page is never served stale: results, the organisation and its units, survey
rounds, and the framework (which every organisation shows)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from assessments.edition_apply import edition_apply
from assessments.edition_data import edition_snapshot
from assessments.edition_moves import edition_delete
from assessments.framework import edition_files
from assessments.imports import scores_import
from assessments.models import Edition, Organisation, OrganisationKind, Role, Unit
from assessments.org_admin import (
    organisation_create,
    organisation_update,
    unit_create,
    unit_delete,
    unit_merge,
    unit_move,
    unit_reactivate,
    unit_rename,
    unit_retire,
)
from assessments.provisional import edition_start_provisional
from assessments.services import (
    assessment_get_or_create,
    assessment_item_results_update,
    assessment_update,
)
from assessments.surveys.rounds import round_update, rounds_create_for_children
from assessments.surveys.services import self_assessment_record
from tests.builders import (
    REFERENCE_003,
    content_version,
    make_assessment,
    make_org,
    make_user,
)

from .survey_staff_builders import CLOSES, DAY, OPENS, YEAR, make_round

pytestmark = pytest.mark.django_db


class Moves:
    """``with Moves(org):`` asserts the block moved the organisation's version."""

    def __init__(self, *organisations: Organisation) -> None:
        self.organisations = organisations

    def __enter__(self) -> Moves:
        self.before = [content_version(o) for o in self.organisations]
        return self

    def __exit__(self, *exc) -> None:
        if exc[0] is None:
            after = [content_version(o) for o in self.organisations]
            assert all(a > b for a, b in zip(after, self.before, strict=True)), (
                self.before,
                after,
            )


def _csv(*rows: str) -> bytes:
    return ("organisation,fiscal_year,indicator,score\n" + "\n".join(rows) + "\n").encode()


def _full_year(slug: str = "office", year: int = 2564) -> list[str]:
    return [f"{slug},{year},{n},{s}" for n, s in enumerate(REFERENCE_003, start=1)]


# --- The organisation and its units --------------------------------------------------


def test_a_rename_through_the_staff_form_shows_on_the_home_and_oit_pages(client, org):
    assert "ชื่อใหม่ของสำนักงาน" not in client.get("/office/").text
    assert "ชื่อใหม่ของสำนักงาน" not in client.get("/office/oit/2564/").text
    staff = make_user("admin", org, Role.ADMINISTRATOR)
    url = reverse("assessments_staff:organisation", args=["office"])
    client.force_login(staff)
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields if name != "logo"}
    assert client.post(url, {**data, "name_th": "ชื่อใหม่ของสำนักงาน"}).status_code == 302
    client.logout()
    client.cookies.clear()  # a sessionless visitor again: the cached page is what they get
    assert "ชื่อใหม่ของสำนักงาน" in client.get("/office/").text
    assert "ชื่อใหม่ของสำนักงาน" in client.get("/office/oit/2564/").text


def test_moving_an_organisation_moves_its_old_and_new_parent(org):
    school = make_org("school", kind=OrganisationKind.SCHOOL, parent=org)
    other = make_org("other")
    with Moves(school, org, other):
        organisation_update(organisation=school, token=None, values={"parent": other})


def test_a_new_organisation_moves_its_parent(org):
    with Moves(org):
        organisation_create(
            slug="newschool", name_th="โรงเรียนใหม่", name_en="", kind="school", parent=org
        )


def test_the_threshold_setting_moves_the_version(client, org):
    client.force_login(make_user("editor", org, Role.EDITOR))
    with Moves(org):
        response = client.post(
            reverse("assessments_staff:settings", args=["office"]), {"develop_threshold": "90"}
        )
    assert response.status_code == 302


def test_every_unit_write_moves_the_version(org):
    with Moves(org):
        first = unit_create(organisation=org, name="กลุ่มอำนวยการ")
    second = unit_create(organisation=org, name="กลุ่มนโยบายและแผน")
    with Moves(org):
        unit_rename(unit=first, name="กลุ่มบริหารงานทั่วไป")
    with Moves(org):
        unit_move(unit=second, step=-1)
    with Moves(org):
        unit_retire(unit=first)
    with Moves(org):
        unit_reactivate(unit=first)
    with Moves(org):
        unit_merge(source=second, target=first)
    spare = unit_create(organisation=org, name="พิมพ์ผิด")
    with Moves(org):
        unit_delete(unit=spare)
    assert not Unit.objects.filter(pk=spare.pk).exists()


def test_a_unit_rename_through_the_staff_page_moves_the_version(client, org):
    unit = unit_create(organisation=org, name="กลุ่มอำนวยการ")
    client.force_login(make_user("admin", org, Role.ADMINISTRATOR))
    with Moves(org):
        response = client.post(
            reverse("assessments_staff:unit", args=["office", unit.pk]),
            {"name": "กลุ่มบริหารงานทั่วไป"},
        )
    assert response.status_code == 302


def test_a_schools_import_moves_the_parent(org):
    from assessments.schools import schools_import

    sheet = "code,name,kind,email\nschool1,โรงเรียนหนึ่ง,school,head@example.com\n"
    with Moves(org):
        schools_import(
            parent=org,
            actor=make_user("admin", org, Role.ADMINISTRATOR),
            content=sheet.encode(),
            file_name="schools.csv",
        )
    assert Organisation.objects.filter(parent=org).count() == 1


# --- Results -------------------------------------------------------------------------


def test_a_results_import_shows_on_the_year_page(client, org):
    make_assessment(org, 2564, official_total="50.00")
    before = client.get("/office/ita/2564/").text
    assert "75.92" not in before
    report = scores_import(content=_csv(*_full_year()), file_name="scores.csv")
    assert report.saved, report.errors
    assert "75.92" in client.get("/office/ita/2564/").text


def test_a_refused_or_dry_run_import_leaves_the_version_alone(org):
    """The import runs in one transaction: a bad row rolls the version back with the rows."""
    start = content_version(org)
    refused = scores_import(content=_csv(*_full_year(), "office,2564,99,50"), file_name="s.csv")
    assert not refused.saved and refused.errors
    dry = scores_import(content=_csv(*_full_year()), file_name="s.csv", dry_run=True)
    assert dry.ok and not dry.saved
    assert content_version(org) == start


def test_a_rolled_back_service_call_leaves_the_version_alone(org):
    start = content_version(org)
    with pytest.raises(RuntimeError), transaction.atomic():
        unit_create(organisation=org, name="กลุ่มอำนวยการ")
        assert content_version(org) == start + 1  # moved with the unit…
        raise RuntimeError("the caller's transaction fails")
    assert content_version(org) == start  # …and rolled back with it
    assert not Unit.objects.filter(organisation=org).exists()


def test_results_writes_move_the_version(org, edition):
    with Moves(org):
        assessment = assessment_get_or_create(organisation=org, fiscal_year=2564)
    with Moves(org):
        assessment_update(
            assessment=assessment,
            scores={1: Decimal("90")},
            official_total=Decimal("90"),
            rank=None,
            ranked_out_of=None,
            notes="",
        )
    item = edition.items.get(code="O1")
    with Moves(org):
        assessment_item_results_update(
            assessment=assessment, results={item.pk: (True, "ครบถ้วน", "")}
        )
    with Moves(org):
        self_assessment_record(
            organisation=org, fiscal_year=2564, indicator_scores={}, instrument_scores={}
        )


def test_a_year_covered_later_by_an_edition_moves_the_version(org):
    assessment_get_or_create(organisation=org, fiscal_year=2570)  # no edition covers 2570 yet
    with Moves(org):
        edition_start_provisional(fiscal_year=2570, organisation=org)
    with Moves(org):
        assert assessment_get_or_create(organisation=org, fiscal_year=2570).edition is not None


# --- The framework: every organisation ---------------------------------------------


def test_an_edition_change_shows_an_items_new_title_everywhere(client, org, edition):
    other = make_org("other")
    assert "โครงสร้างองค์กรฉบับใหม่" not in client.get("/office/oit/2564/").text
    data = edition_snapshot(edition)
    data["items"]["O1"]["title_th"] = "โครงสร้างองค์กรฉบับใหม่"
    with Moves(org, other):
        edition_apply(data, source="test")
    assert "โครงสร้างองค์กรฉบับใหม่" in client.get("/office/oit/2564/").text


def test_an_unchanged_edition_moves_nothing(org, edition):
    start = content_version(org)
    edition_apply(edition_snapshot(edition), source="test")
    assert content_version(org) == start


def test_load_framework_with_a_changed_file_shows_the_new_title(client, org, tmp_path: Path):
    shipped = next(p for p in edition_files() if p.name == "nacc-2564-2565.toml")
    changed = tmp_path / shipped.name
    changed.write_text(
        shipped.read_text(encoding="utf-8").replace(
            'title_th = "โครงสร้าง"', 'title_th = "แผนผังโครงสร้าง"', 1
        ),
        encoding="utf-8",
    )
    assert "แผนผังโครงสร้าง" not in client.get("/office/oit/2564/").text
    with Moves(org):
        call_command("load_framework", str(changed), stdout=io.StringIO())
    assert "แผนผังโครงสร้าง" in client.get("/office/oit/2564/").text


def test_deleting_an_edition_moves_every_organisation(org):
    edition = edition_start_provisional(fiscal_year=2570, organisation=org)
    with Moves(org):
        edition_delete(Edition.objects.get(pk=edition.pk))


# --- Survey rounds ------------------------------------------------------------------


@time_machine.travel(dt.datetime.combine(DAY, dt.time(9)), tick=False)
def test_a_rounds_new_closing_date_through_the_staff_form_shows_on_its_public_form(client, org):
    survey_round = make_round(org, "EIT")  # closes 27 February 2569
    form_url = f"/s/{survey_round.code}/"
    assert "27 กุมภาพันธ์ 2569" in client.get(form_url).text
    client.force_login(make_user("editor", org, Role.EDITOR))
    response = client.post(
        reverse("surveys_staff:round-edit", args=["office", YEAR, "EIT"]),
        {"opens_on": "5/1/2569", "closes_on": "31/3/2569", "population": "12"},
    )
    assert response.status_code == 302
    client.logout()
    client.cookies.clear()
    page = client.get(form_url).text
    assert "31 มีนาคม 2569" in page and "27 กุมภาพันธ์ 2569" not in page


def test_round_writes_move_the_version(org):
    with Moves(org):
        survey_round = make_round(org)
    with Moves(org):
        round_update(
            survey_round=survey_round,
            opens_on=OPENS,
            closes_on=CLOSES + dt.timedelta(days=3),
            population=50,
            uses_codes=False,
        )


def test_rounds_for_schools_move_each_school(org):
    school = make_org("school", kind=OrganisationKind.SCHOOL, parent=org)
    with Moves(school, org):
        result = rounds_create_for_children(
            parent=org,
            fiscal_year=YEAR,
            instrument_codes=["IIT"],
            opens_on=OPENS,
            closes_on=CLOSES,
            uses_codes=False,
        )
    assert result.created
