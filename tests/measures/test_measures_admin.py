import datetime as dt
import re

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import Role, Unit
from measures.imports import MEASURE_HEADERS
from measures.models import Announcement, FollowUp, Measure, ReportSettings, Round
from tests.builders import make_org, make_user

HEADER = ",".join(MEASURE_HEADERS)


def _measure(org, number: int = 1, title: str = "มาตรการทดสอบ", year: int = 2565) -> Measure:
    return Measure.objects.create(organisation=org, fiscal_year=year, number=number, title=title)


def _staff(org, *codenames: str):
    user = make_user("orgadmin", org, Role.ADMINISTRATOR, is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


def _upload(content: bytes) -> dict:
    return {
        "format": "0",
        "resource": "0",
        "import_file": SimpleUploadedFile("measures.csv", content, content_type="text/csv"),
    }


def test_admin_pages_render(admin_client, org):
    measure = _measure(org)
    follow_up = FollowUp.objects.create(measure=measure, round=Round.SIX_MONTHS)
    announcement = Announcement.objects.create(
        organisation=org,
        fiscal_year=2565,
        title="ประกาศเจตนารมณ์",
        body="ข้อความ",
        date=dt.date(2022, 1, 10),
        signatory_name="ผู้อำนวยการ",
        signatory_position="ผู้อำนวยการสำนักงาน",
    )
    settings = ReportSettings.objects.create(organisation=org, fiscal_year=2565)
    for name, args in [
        ("admin:measures_measure_changelist", []),
        ("admin:measures_measure_change", [measure.pk]),
        ("admin:measures_measure_add", []),
        ("admin:measures_measure_import", []),
        ("admin:measures_measure_export", []),
        ("admin:measures_followup_changelist", []),
        ("admin:measures_followup_change", [follow_up.pk]),
        ("admin:measures_followup_import", []),
        ("admin:measures_announcement_change", [announcement.pk]),
        ("admin:measures_reportsettings_change", [settings.pk]),
    ]:
        assert admin_client.get(reverse(name, args=args)).status_code == 200, name


def test_admin_import_shows_bad_rows_and_saves_nothing(admin_client, org):
    content = (
        f"{HEADER}\noffice,2565,1,มาตรการหนึ่ง,1,,,,,,\noffice,2565,2,มาตรการสอง,99,,,,,,\n"
    ).encode()
    response = admin_client.post(reverse("admin:measures_measure_import"), _upload(content))
    assert response.status_code == 200
    assert "แถวที่ 3" in response.text
    assert Measure.objects.count() == 0


def test_admin_import_saves_after_confirmation(admin_client, org):
    Unit.objects.create(organisation=org, name="กลุ่มอำนวยการ")
    content = (
        f'{HEADER}\noffice,2565,1,มาตรการหนึ่ง,"1, 5",,"ขั้นที่ 1\nขั้นที่ 2",กลุ่มอำนวยการ,,,30/9/2565\n'
    ).encode()
    preview = admin_client.post(reverse("admin:measures_measure_import"), _upload(content))
    assert preview.status_code == 200
    assert Measure.objects.count() == 0
    confirm = {
        name: value
        for name, value in re.findall(
            r'<input type="hidden" name="(\w+)" value="([^"]*)"', preview.text
        )
    }
    assert "import_file_name" in confirm
    response = admin_client.post(reverse("admin:measures_measure_process_import"), confirm)
    assert response.status_code == 302
    measure = Measure.objects.get()
    assert measure.steps_text == "ขั้นที่ 1\nขั้นที่ 2"
    assert measure.responsible_units.get().name == "กลุ่มอำนวยการ"


def _refused(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))


# The admin is for operators (superusers) only: staff members, whatever their
# model permissions, are refused everywhere (tests/ita_portal/test_admin_site.py).
def test_staff_member_may_not_import_through_the_admin(client, org):
    client.force_login(_staff(org, "view_measure", "add_measure", "change_measure"))
    assert _refused(client.get(reverse("admin:measures_measure_changelist")))
    assert _refused(client.get(reverse("admin:measures_measure_import")))


def test_staff_member_may_not_open_measures_in_the_admin(client, org):
    ours = _measure(org, title="มาตรการของเรา")
    theirs = _measure(make_org("other"), title="มาตรการของหน่วยงานอื่น")
    client.force_login(_staff(org, "view_measure", "change_measure"))
    for measure in (ours, theirs):
        url = reverse("admin:measures_measure_change", args=[measure.pk])
        assert _refused(client.get(url))
        assert _refused(client.post(url, {"title": "แก้ไข"}))
    assert not Measure.objects.filter(title="แก้ไข").exists()


def test_staff_member_may_not_list_follow_ups_in_the_admin(client, org):
    FollowUp.objects.create(measure=_measure(org), round=Round.SIX_MONTHS, summary="ผลของเรา")
    client.force_login(_staff(org, "view_followup"))
    assert _refused(client.get(reverse("admin:measures_followup_changelist")))


def test_staff_member_may_not_add_measures_in_the_admin(client, org):
    client.force_login(_staff(org, "view_measure", "add_measure"))
    assert _refused(client.get(reverse("admin:measures_measure_add")))


@pytest.fixture
def add_form(org):
    return {
        "organisation": org.pk,
        "fiscal_year": 2565,
        "number": 1,
        "title": "มาตรการใหม่",
        "steps-TOTAL_FORMS": 1,
        "steps-INITIAL_FORMS": 0,
        "steps-0-order": 1,
        "steps-0-text": "ขั้นแรก",
        "steps-0-depth": 0,
    }


def test_admin_adds_a_measure_with_its_steps(admin_client, org, add_form):
    unit = Unit.objects.create(organisation=org, name="กลุ่มอำนวยการ")
    response = admin_client.post(
        reverse("admin:measures_measure_add"), add_form | {"responsible_units": [unit.pk]}
    )
    assert response.status_code == 302
    assert Measure.objects.get().steps_text == "ขั้นแรก"


def test_admin_refuses_another_organisations_unit(admin_client, org, add_form):
    other = make_org("other")
    unit = Unit.objects.create(organisation=other, name="กลุ่มของหน่วยงานอื่น")
    response = admin_client.post(
        reverse("admin:measures_measure_add"), add_form | {"responsible_units": [unit.pk]}
    )
    assert response.status_code == 200
    assert "กลุ่มของหน่วยงานอื่น" in str(response.context["adminform"].form.errors)
    assert Measure.objects.count() == 0


def test_admin_delete_closes_the_numbering_gap(admin_client, org):
    first, second = _measure(org, 1), _measure(org, 2, title="ที่สอง")
    response = admin_client.post(
        reverse("admin:measures_measure_delete", args=[first.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.number == 1
