"""An administrator edits the organisation's details; superusers add organisations."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import Membership, Organisation, Role
from tests.builders import make_org, make_user
from tests.measures.builders import image_bytes

URL = reverse("assessments_staff:organisation", args=["office"])


@pytest.fixture
def admin_client(client, org):
    client.force_login(make_user("admin", org, Role.ADMINISTRATOR))
    return client


def _form(client, **changes) -> dict:
    form = client.get(URL).context["form"]
    data = {name: form[name].value() or "" for name in form.fields if name != "logo"}
    data.update(changes)
    return data


def test_administrator_saves_the_details(admin_client, org):
    data = _form(
        admin_client,
        name_th="สำนักงานเขตพื้นที่การศึกษามัธยมศึกษาขอนแก่น",
        phone="043-000000",
        head_name="นายสมชาย ใจดี",
        develop_threshold="90",
    )
    response = admin_client.post(URL, data)
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.name_th == "สำนักงานเขตพื้นที่การศึกษามัธยมศึกษาขอนแก่น"
    assert org.head_name == "นายสมชาย ใจดี" and str(org.develop_threshold) == "90.00"
    assert org.slug == "office"


def test_the_slug_cannot_be_changed(admin_client, org):
    admin_client.post(URL, _form(admin_client, slug="renamed"))
    org.refresh_from_db()
    assert org.slug == "office"


def test_a_second_save_from_an_old_form_is_refused_and_keeps_the_typing(admin_client, org):
    first = _form(admin_client, phone="043-111111")
    second = _form(admin_client, head_name="นางสาวสมศรี")
    assert admin_client.post(URL, first).status_code == 302
    response = admin_client.post(URL, second)
    assert response.status_code == 409
    org.refresh_from_db()
    assert org.phone == "043-111111" and org.head_name == ""
    assert "บันทึก" in response.text  # the Thai stale message
    assert "043-111111" in response.text  # what changed
    assert response.context["form"]["head_name"].value() == "นางสาวสมศรี"
    # With the fresh token the page now carries, saving again works.
    again = response.context["form"]["edit_token"].value()
    assert (
        admin_client.post(URL, {**second, "edit_token": again, "phone": "043-111111"}).status_code
        == 302
    )
    org.refresh_from_db()
    assert org.head_name == "นางสาวสมศรี"


def test_a_logo_must_really_be_an_image(admin_client, org):
    bad = SimpleUploadedFile("logo.png", b"<html><script>alert(1)</script></html>")
    response = admin_client.post(URL, {**_form(admin_client), "logo": bad})
    assert response.status_code == 200 and "logo" in response.context["form"].errors
    good = SimpleUploadedFile("logo.png", image_bytes("PNG"))
    assert admin_client.post(URL, {**_form(admin_client), "logo": good}).status_code == 302
    org.refresh_from_db()
    assert org.logo.name.startswith("logos/")


def test_parent_is_offered_only_among_administered_and_never_makes_a_cycle(client, org):
    admin = make_user("admin", org, Role.ADMINISTRATOR)
    child = make_org("school", parent=org)
    Membership.objects.create(user=admin, organisation=child, role=Role.ADMINISTRATOR)
    make_org("foreign")
    client.force_login(admin)
    offered = set(client.get(URL).context["form"].fields["parent"].queryset)
    assert offered == set()  # itself and its own school are excluded; the foreign one is not theirs
    # A forged parent (its own child) is refused.
    response = client.post(URL, _form(client, parent=str(child.pk)))
    assert response.status_code == 200 and "parent" in response.context["form"].errors
    org.refresh_from_db()
    assert org.parent is None
    child_url = reverse("assessments_staff:organisation", args=["school"])
    form = client.get(child_url).context["form"]
    assert set(form.fields["parent"].queryset) == {org}


def test_superuser_creates_an_organisation_and_adds_its_first_administrator(client, db, mailoutbox):
    root = get_user_model().objects.create_superuser("root", "r@example.go.th", "long-password-1")
    client.force_login(root)
    response = client.post(
        reverse("assessments_staff:organisation-new"),
        {"slug": "newschool", "name_th": "โรงเรียนใหม่", "name_en": "", "kind": "school"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments_staff:members", args=["newschool"])
    organisation = Organisation.objects.get(slug="newschool")
    client.post(
        reverse("assessments_staff:member-invite", args=["newschool"]),
        {"email": "head@school.go.th", "role": Role.ADMINISTRATOR},
    )
    assert Membership.objects.get(organisation=organisation).role == Role.ADMINISTRATOR


def test_reserved_or_taken_slugs_are_refused_in_thai(client, org):
    root = get_user_model().objects.create_superuser("root", "r@example.go.th", "long-password-1")
    client.force_login(root)
    url = reverse("assessments_staff:organisation-new")
    for slug in ("staff", "office"):
        response = client.post(url, {"slug": slug, "name_th": "ซ้ำ", "kind": "school"})
        assert response.status_code == 200
        assert "slug" in response.context["form"].errors
