"""The Django admin is for the site's operators only (issue 11, point 1)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.db.models.fields.files import FieldFile
from django.urls import reverse

from assessments.models import Membership, Organisation, Role
from measures.models import Measure
from tests.builders import PASSWORD, make_org, make_user
from tests.measures.builders import make_measure


@pytest.fixture
def intruder(org):
    """A staff user of one organisation, not a superuser, holding every model permission."""
    user = make_user("intruder", org, Role.VIEWER, is_staff=True)
    user.user_permissions.add(*Permission.objects.all())
    return user


@pytest.fixture
def other(db):
    return make_org("other", name_th="สำนักงานอื่น")


def _refused(response) -> bool:
    if response.status_code == 302:
        return response["Location"].startswith(reverse("admin:login"))
    return response.status_code in (403, 404)


def _history_urls(model: str, obj) -> list[str]:
    history_id = obj.history.earliest().history_id
    return [
        reverse(f"admin:{model}_history", args=[obj.pk]),
        reverse(f"admin:{model}_simple_history", args=[obj.pk, history_id]),
    ]


def test_non_superuser_cannot_read_or_revert_another_organisations_history(
    client, intruder, org, other
):
    measure = make_measure(other, title="มาตรการของหน่วยงานอื่น")
    client.force_login(intruder)
    for model, obj in [
        ("assessments_organisation", other),
        ("measures_measure", measure),
    ]:
        for url in _history_urls(model, obj):
            assert _refused(client.get(url)), url
            # The revert form of django-simple-history posts to the same address.
            posted = client.post(
                url,
                {"name_th": "ถูกยึด", "title": "ถูกยึด", "organisation": org.pk, "slug": "other"},
            )
            assert _refused(posted), url
    other.refresh_from_db()
    measure.refresh_from_db()
    assert other.name_th == "สำนักงานอื่น"
    assert measure.organisation == other
    assert measure.title == "มาตรการของหน่วยงานอื่น"


def test_non_superuser_cannot_promote_themselves_through_the_membership_admin(
    client, intruder, org
):
    membership = Membership.objects.get(user=intruder)
    client.force_login(intruder)
    url = reverse("admin:assessments_membership_change", args=[membership.pk])
    assert _refused(client.get(url))
    posted = client.post(
        url, {"user": intruder.pk, "organisation": org.pk, "role": Role.COMPLAINT_OFFICER}
    )
    assert _refused(posted)
    membership.refresh_from_db()
    assert membership.role == Role.VIEWER


@pytest.mark.parametrize(
    "name",
    [
        "admin:index",
        "admin:assessments_organisation_changelist",
        "admin:measures_measure_changelist",
        "admin:measures_measure_import",
        "admin:measures_measure_export",
        "admin:assessments_indicatorscore_import",
        "admin:auth_user_changelist",
    ],
)
def test_non_superuser_is_refused_on_every_admin_page(client, intruder, name):
    client.force_login(intruder)
    assert _refused(client.get(reverse(name)))


def test_staff_credentials_do_not_open_the_admin(client, intruder):
    response = client.post(
        reverse("admin:login"),
        {"username": "intruder", "password": PASSWORD, "next": reverse("admin:index")},
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "สำหรับผู้ดูแลระบบของเว็บไซต์เท่านั้น" in response.text
    assert f'href="{reverse("staff:dashboard")}"' in response.text


def test_inactive_superuser_is_refused(client, db):
    user = make_user("retired", is_staff=True, is_superuser=True, is_active=False)
    client.force_login(user)
    assert _refused(client.get(reverse("admin:index")))


def test_superuser_logs_in_and_still_reads_and_reverts_history(client, org, other):
    make_user("operator", is_staff=True, is_superuser=True)
    response = client.post(
        reverse("admin:login"),
        {"username": "operator", "password": PASSWORD, "next": reverse("admin:index")},
    )
    assert response.status_code == 302
    old_name = other.name_th
    other.name_th = "ชื่อใหม่"
    other.save()
    history_id = other.history.earliest().history_id
    for url in _history_urls("assessments_organisation", other):
        assert client.get(url).status_code == 200, url
    page = client.get(
        reverse("admin:assessments_organisation_simple_history", args=[other.pk, history_id])
    )
    form = page.context["adminform"].form
    data = {
        name: (value.pk if isinstance(value, Organisation) else value)
        for name, value in form.initial.items()
        if value and name in form.fields and not isinstance(value, FieldFile)
    }
    reverted = client.post(
        reverse("admin:assessments_organisation_simple_history", args=[other.pk, history_id]),
        data,
    )
    assert reverted.status_code == 302, reverted.context["adminform"].form.errors
    other.refresh_from_db()
    assert other.name_th == old_name
    assert Measure.objects.count() == 0
