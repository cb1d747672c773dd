"""Units: add, rename, reorder, merge, retire; never deleted while records refer to them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments.models import Membership, Role, Unit
from assessments.org_admin import unit_merge
from disclosures.models import Disclosure
from measures.forms import MeasureForm
from tests.builders import make_user
from tests.disclosures.builders import make_disclosure
from tests.measures.builders import make_measure


@pytest.fixture
def admin_client(client, org):
    client.force_login(make_user("admin", org, Role.ADMINISTRATOR))
    return client


def _units(org) -> list[str]:
    return list(
        Unit.objects.filter(organisation=org).order_by("order").values_list("name", flat=True)
    )


def test_administrator_adds_and_renames_units(admin_client, org):
    url = reverse("assessments_staff:units", args=["office"])
    assert admin_client.post(url, {"name": "กลุ่มอำนวยการ"}).status_code == 302
    assert admin_client.post(url, {"name": "  กลุ่มกฎหมาย   และคดี "}).status_code == 302
    assert _units(org) == ["กลุ่มอำนวยการ", "กลุ่มกฎหมาย และคดี"]
    unit = Unit.objects.get(name="กลุ่มอำนวยการ")
    edit = reverse("assessments_staff:unit", args=["office", unit.pk])
    assert admin_client.post(edit, {"name": "กลุ่มบริหารงานทั่วไป"}).status_code == 302
    assert _units(org)[0] == "กลุ่มบริหารงานทั่วไป"


def test_a_duplicate_name_is_refused_in_thai(admin_client, org):
    Unit.objects.create(organisation=org, name="กลุ่มอำนวยการ")
    response = admin_client.post(
        reverse("assessments_staff:units", args=["office"]), {"name": "กลุ่มอำนวยการ"}
    )
    assert response.status_code == 400
    assert "มีหน่วยงานย่อยชื่อ" in response.text or "name" in response.context["form"].errors
    assert Unit.objects.count() == 1


def test_units_are_reordered(admin_client, org):
    for order, name in enumerate(["ก", "ข", "ค"], start=1):
        Unit.objects.create(organisation=org, name=name, order=order)
    last = Unit.objects.get(name="ค")
    admin_client.post(
        reverse("assessments_staff:unit-move", args=["office", last.pk]), {"step": "up"}
    )
    assert _units(org) == ["ก", "ค", "ข"]
    first = Unit.objects.get(name="ก")
    admin_client.post(
        reverse("assessments_staff:unit-move", args=["office", first.pk]), {"step": "down"}
    )
    assert _units(org) == ["ค", "ก", "ข"]


def test_merge_moves_measures_disclosures_and_members_then_retires(admin_client, org):
    old = Unit.objects.create(organisation=org, name="กลุ่มเดิม")
    new = Unit.objects.create(organisation=org, name="กลุ่มใหม่")
    measure = make_measure(org)
    measure.responsible_units.set([old])
    disclosure = make_disclosure(org, "O1", unit=old)
    member = Membership.objects.get(user=make_user("limited", org, Role.EDITOR))
    member.units.set([old])
    response = admin_client.post(
        reverse("assessments_staff:unit-merge", args=["office", old.pk]), {"target": new.pk}
    )
    assert response.status_code == 302
    assert list(measure.responsible_units.all()) == [new]
    assert Disclosure.objects.get(pk=disclosure.pk).unit == new
    assert list(member.units.all()) == [new]
    old.refresh_from_db()
    assert old.retired_at is not None
    # Each moved record keeps its history (saved one by one, not with update()).
    assert disclosure.history.latest().unit_id == new.pk


def test_merge_refuses_another_organisations_unit(org):
    from tests.builders import make_org

    other = Unit.objects.create(organisation=make_org("other"), name="อื่น")
    mine = Unit.objects.create(organisation=org, name="ของเรา")
    with pytest.raises(ValidationError):
        unit_merge(source=mine, target=other)
    assert Unit.objects.get(pk=mine.pk).retired_at is None


def test_a_retired_unit_stays_on_records_but_is_not_offered(admin_client, org, edition):
    unit = Unit.objects.create(organisation=org, name="กลุ่มเก่า")
    measure = make_measure(org)
    measure.responsible_units.set([unit])
    admin_client.post(reverse("assessments_staff:unit-retire", args=["office", unit.pk]))
    unit.refresh_from_db()
    assert unit.retired_at is not None
    assert list(measure.responsible_units.all()) == [unit]
    assert (
        unit not in MeasureForm(organisation=org, edition=None).fields["responsible_units"].queryset
    )
    admin_client.post(
        reverse("assessments_staff:unit-retire", args=["office", unit.pk]), {"action": "reactivate"}
    )
    unit.refresh_from_db()
    assert unit.retired_at is None


def test_a_unit_records_refer_to_is_never_deleted(admin_client, org):
    unit = Unit.objects.create(organisation=org, name="กลุ่มที่ใช้อยู่")
    make_disclosure(org, "O1", unit=unit)
    response = admin_client.post(reverse("assessments_staff:unit-delete", args=["office", unit.pk]))
    assert response.status_code == 302
    assert Unit.objects.filter(pk=unit.pk).exists()
    assert Disclosure.objects.get().unit == unit
    spare = Unit.objects.create(organisation=org, name="เพิ่มผิด")
    admin_client.post(reverse("assessments_staff:unit-delete", args=["office", spare.pk]))
    assert not Unit.objects.filter(pk=spare.pk).exists()
