"""Who may open the organisation's administration: its administrators and superusers only."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from assessments.models import Membership, Role, Unit
from tests.builders import make_org, make_user


@pytest.fixture
def pages(org):
    admin = make_user("admin", org, Role.ADMINISTRATOR)
    unit = Unit.objects.create(organisation=org, name="กลุ่มอำนวยการ")
    membership = Membership.objects.get(user=admin)
    get = [
        reverse("assessments_staff:organisation", args=["office"]),
        reverse("assessments_staff:units", args=["office"]),
        reverse("assessments_staff:unit", args=["office", unit.pk]),
        reverse("assessments_staff:members", args=["office"]),
        reverse("assessments_staff:member-invite", args=["office"]),
        reverse("assessments_staff:member-new", args=["office"]),
        reverse("assessments_staff:member", args=["office", membership.pk]),
        reverse("assessments_staff:history", args=["office"]),
    ]
    post = [
        reverse("assessments_staff:unit-move", args=["office", unit.pk]),
        reverse("assessments_staff:unit-merge", args=["office", unit.pk]),
        reverse("assessments_staff:unit-retire", args=["office", unit.pk]),
        reverse("assessments_staff:unit-delete", args=["office", unit.pk]),
        reverse("assessments_staff:member-remove", args=["office", membership.pk]),
        reverse("assessments_staff:member-unlock", args=["office", membership.pk]),
    ]
    return get, post


def test_anonymous_is_sent_to_login(client, pages):
    get, post = pages
    for url in [*get, reverse("assessments_staff:organisation-new")]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/staff/login/")
    for url in post:
        assert client.post(url)["Location"].startswith("/staff/login/")


@pytest.mark.parametrize("role", [Role.EDITOR, Role.VIEWER, Role.COMPLAINT_OFFICER])
def test_other_roles_of_the_organisation_get_404(client, org, pages, role):
    get, post = pages
    client.force_login(make_user("member", org, role))
    for url in get:
        assert client.get(url).status_code == 404, url
    for url in post:
        assert client.post(url).status_code == 404, url
    assert Unit.objects.filter(retired_at__isnull=True).count() == 1  # nothing was done


def test_another_organisations_administrator_gets_404(client, pages):
    get, post = pages
    client.force_login(make_user("stranger", make_org("other"), Role.ADMINISTRATOR))
    for url in get:
        assert client.get(url).status_code == 404, url
    for url in post:
        assert client.post(url).status_code == 404, url
    assert Membership.objects.filter(organisation__slug="office").count() == 1


def test_objects_of_another_organisation_are_404_on_ones_own_pages(client, org):
    other = make_org("other")
    foreign_unit = Unit.objects.create(organisation=other, name="กลุ่มอื่น")
    foreign_member = Membership.objects.get(user=make_user("x", other, Role.ADMINISTRATOR))
    client.force_login(make_user("admin", org, Role.ADMINISTRATOR))
    assert (
        client.get(reverse("assessments_staff:unit", args=["office", foreign_unit.pk])).status_code
        == 404
    )
    assert (
        client.post(
            reverse("assessments_staff:unit-retire", args=["office", foreign_unit.pk])
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("assessments_staff:member-remove", args=["office", foreign_member.pk])
        ).status_code
        == 404
    )
    assert Membership.objects.filter(pk=foreign_member.pk).exists()


def test_administrator_and_superuser_open_every_page(client, org, pages):
    get, _post = pages
    client.force_login(get_user_model().objects.get(username="admin"))
    for url in get:
        assert client.get(url).status_code == 200, url
    client.force_login(
        get_user_model().objects.create_superuser("root", "root@example.go.th", "x-long-password")
    )
    for url in get:
        assert client.get(url).status_code == 200, url


def test_only_superusers_create_organisations(client, org):
    url = reverse("assessments_staff:organisation-new")
    client.force_login(make_user("admin", org, Role.ADMINISTRATOR))
    assert client.get(url).status_code == 404
    assert client.post(url, {"slug": "new", "name_th": "ใหม่", "kind": "school"}).status_code == 404


def test_dashboard_links_administration_for_administrators_only(client, org):
    client.force_login(make_user("admin", org, Role.ADMINISTRATOR))
    page = client.get(reverse("staff:dashboard")).text
    assert reverse("assessments_staff:members", args=["office"]) in page
    assert reverse("assessments_staff:history", args=["office"]) in page
    assert reverse("assessments_staff:organisation-new") not in page
    client.force_login(make_user("editor", org, Role.EDITOR))
    page = client.get(reverse("staff:dashboard")).text
    assert reverse("assessments_staff:members", args=["office"]) not in page
