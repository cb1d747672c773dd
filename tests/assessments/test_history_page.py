"""The organisation's change history in the staff workspace, for its administrators."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from assessments.models import Role, Unit
from complaints.models import Complaint
from ita_portal.templatetags.thai import thai_datetime
from tests.builders import REFERENCE_003, form_token, make_assessment, make_org, make_user
from tests.disclosures.builders import make_disclosure
from tests.measures.builders import make_follow_up, make_measure

URL = reverse("assessments_staff:history", args=["office"])


@pytest.fixture
def admin(org):
    return make_user("admin", org, Role.ADMINISTRATOR, first_name="สมหญิง", last_name="ดูแล")


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


def test_a_change_through_the_staff_workspace_shows_who_when_and_old_to_new(admin_client, org):
    editor = make_user("somchai", org, Role.EDITOR, first_name="สมชาย", last_name="ใจดี")
    make_assessment(org, 2564)
    other = Client()
    other.force_login(editor)
    data = {f"score_{n}": s for n, s in enumerate(REFERENCE_003, start=1)}
    data.update({"official_total": "", "rank": "", "ranked_out_of": "", "notes": "ตามประกาศ"})
    url = reverse("assessments_staff:year", args=["office", 2564])
    assert other.post(url, {**data, "edit_token": form_token(other, url)}).status_code == 302
    page = admin_client.get(URL)
    rows = page.context["page"].object_list
    notes = next(r for r in rows if r.kind == "assessment" and r.changes)
    assert notes.user == editor
    assert any(c.old == "–" and c.new == "ตามประกาศ" for c in notes.changes)
    assert "สมชาย ใจดี" in page.text and "ตามประกาศ" in page.text
    assert thai_datetime(notes.at) in page.text  # a Thai Buddhist Era date and time


def test_unit_renames_and_foreign_keys_read_as_names(admin_client, org):
    admin_client.post(reverse("assessments_staff:units", args=["office"]), {"name": "กลุ่มเดิม"})
    unit = Unit.objects.get()
    admin_client.post(
        reverse("assessments_staff:unit", args=["office", unit.pk]), {"name": "กลุ่มใหม่"}
    )
    new = Unit.objects.create(organisation=org, name="กลุ่มปลายทาง")
    make_disclosure(org, "O1", unit=unit)
    admin_client.post(
        reverse("assessments_staff:unit-merge", args=["office", unit.pk]), {"target": new.pk}
    )
    text = admin_client.get(URL).text
    assert "กลุ่มเดิม → กลุ่มใหม่" in text
    assert "กลุ่มใหม่ → กลุ่มปลายทาง" in text  # the disclosure's unit, by name


def test_only_this_organisations_records_and_never_complaints(admin_client, org):
    other = make_org("other", name_th="หน่วยงานอื่น")
    Unit.objects.create(organisation=other, name="กลุ่มของหน่วยงานอื่น")
    make_measure(other, title="มาตรการของหน่วยงานอื่น")
    make_measure(org, title="มาตรการของเรา")
    assert not hasattr(Complaint, "history")  # confidential: no history table to leak from
    text = admin_client.get(URL).text
    assert "มาตรการของเรา" in text
    assert "หน่วยงานอื่น" not in text and "กลุ่มของหน่วยงานอื่น" not in text


def test_filter_by_kind(admin_client, org):
    Unit.objects.create(organisation=org, name="กลุ่มอำนวยการ")
    make_measure(org, title="มาตรการทดสอบ")
    page = admin_client.get(URL, {"kind": "unit"})
    assert {r.kind for r in page.context["page"].object_list} == {"unit"}
    assert "มาตรการทดสอบ" not in page.text
    assert admin_client.get(URL, {"kind": "nonsense"}).status_code == 200


def test_paginated_newest_first_in_a_bounded_number_of_queries(
    admin_client, org, django_assert_max_num_queries
):
    for n in range(30):
        Unit.objects.create(organisation=org, name=f"กลุ่ม {n}")
    measure = make_measure(org)
    make_follow_up(measure, round="6m")
    make_follow_up(measure, round="12m")
    make_disclosure(org, "O1", links=3)
    make_assessment(org, 2564, REFERENCE_003)
    for n in range(10):
        make_user(f"user{n}", org, Role.VIEWER)
    with django_assert_max_num_queries(40):
        first = admin_client.get(URL)
    page = first.context["page"]
    assert len(page.object_list) == 50 and page.paginator.count > 50
    times = [r.at for r in page.object_list]
    assert times == sorted(times, reverse=True)
    with django_assert_max_num_queries(40):
        second = admin_client.get(URL, {"page": 2})
    assert second.context["page"].number == 2


def test_dates_read_in_buddhist_era_and_html_as_words(admin_client, org):
    import datetime as dt

    from disclosures.services import disclosure_update

    disclosure = make_disclosure(org, "O1", due_date=dt.date(2022, 3, 31))
    disclosure_update(
        disclosure=disclosure,
        explanation="<p>ข้อมูล<strong>โครงสร้าง</strong>หน่วยงาน</p>",
        unit=None,
        due_date=dt.date(2023, 3, 31),
    )
    text = admin_client.get(URL).text
    assert "31 มี.ค. 2565 → 31 มี.ค. 2566" in text
    assert "2023-03-31" not in text
    assert "ข้อมูลโครงสร้างหน่วยงาน" in text
    assert "&lt;p&gt;" not in text
