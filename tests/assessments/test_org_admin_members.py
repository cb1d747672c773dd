"""Members: invitations, one-time passwords, roles (recorded), removal, the last administrator."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail.backends.base import BaseEmailBackend
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.members import member_remove, member_update
from assessments.models import Membership, MembershipChange, Role, Unit
from tests.builders import PASSWORD, make_user

User = get_user_model()


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses connections, as a stopped SMTP server does."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError(111, "Connection refused")


@pytest.fixture
def admin(org):
    return make_user("admin", org, Role.ADMINISTRATOR)


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


def _url(name: str, *args) -> str:
    return reverse(f"assessments_staff:{name}", args=["office", *args])


def test_invite_creates_the_account_and_mails_a_password_link(admin_client, org, mailoutbox):
    unit = Unit.objects.create(organisation=org, name="กลุ่มอำนวยการ")
    response = admin_client.post(
        _url("member-invite"),
        {"email": "Somsri.K@school.go.th", "role": Role.EDITOR, "units": [unit.pk]},
    )
    assert response.status_code == 302
    user = User.objects.get(email="Somsri.K@school.go.th")
    assert user.username == "Somsri.K" and not user.has_usable_password()
    membership = Membership.objects.get(user=user, organisation=org)
    assert membership.role == Role.EDITOR and list(membership.units.all()) == [unit]
    assert len(mailoutbox) == 1
    path = reverse("staff:password-reset-confirm", args=[_uid(user), "x"]).rsplit("/", 2)[0]
    assert path in mailoutbox[0].body
    # The link works: it opens the set-password page.
    link = next(line for line in mailoutbox[0].body.splitlines() if "/staff/" in line)
    page = admin_client.get(link.strip().replace("http://testserver", ""), follow=True)
    assert page.status_code == 200


def _uid(user) -> str:
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    return urlsafe_base64_encode(force_bytes(user.pk))


def test_a_refused_mail_server_never_breaks_the_invitation(admin_client, org, settings, caplog):
    settings.EMAIL_BACKEND = "tests.assessments.test_org_admin_members.RefusingBackend"
    response = admin_client.post(
        _url("member-invite"), {"email": "somchai@school.go.th", "role": Role.VIEWER}
    )
    assert response.status_code == 200
    assert "ส่งอีเมลไม่สำเร็จ" in response.text
    user = User.objects.get(email="somchai@school.go.th")
    assert _uid(user) in response.context["link"] and response.context["link"] in response.text
    assert Membership.objects.filter(user=user, organisation=org).exists()
    assert "somchai" not in caplog.text  # logged without personal data
    assert "ConnectionRefusedError" in caplog.text


def test_inviting_an_existing_member_is_refused_in_thai(admin_client, org, admin):
    admin.email = "admin@school.go.th"
    admin.save()
    response = admin_client.post(
        _url("member-invite"), {"email": "admin@school.go.th", "role": Role.VIEWER}
    )
    assert response.status_code == 200
    assert "เป็นสมาชิก" in response.text
    assert Membership.objects.filter(organisation=org).count() == 1


def test_create_with_a_one_time_password_that_must_be_changed(admin_client, org):
    response = admin_client.post(
        _url("member-new"),
        {
            "username": "somsak",
            "first_name": "สมศักดิ์",
            "last_name": "",
            "email": "",
            "role": Role.EDITOR,
        },
    )
    assert response.status_code == 200
    password = response.context["password"]
    assert password in response.text
    # The member logs in with it and is sent to change it before anything else.
    client = Client()
    client.post(reverse("staff:login"), {"username": "somsak", "password": password})
    blocked = client.get(_url("results"))
    assert blocked.status_code == 302 and blocked["Location"] == reverse("staff:password-change")
    changed = client.post(
        reverse("staff:password-change"),
        {
            "old_password": password,
            "new_password1": "a-new-own-pass-99",
            "new_password2": "a-new-own-pass-99",
        },
    )
    assert changed.status_code == 302
    assert client.get(reverse("staff:dashboard")).status_code == 200


def test_role_change_is_recorded_and_shown_in_the_history(admin_client, org, admin):
    member = Membership.objects.get(user=make_user("somchai", org, Role.VIEWER))
    response = admin_client.post(_url("member", member.pk), {"role": Role.COMPLAINT_OFFICER})
    assert response.status_code == 302
    change = MembershipChange.objects.get(member__username="somchai")
    assert (change.actor, change.old_role, change.new_role) == (
        admin,
        Role.VIEWER,
        Role.COMPLAINT_OFFICER,
    )
    history = admin_client.get(_url("history")).text
    assert "somchai" in history and "เจ้าหน้าที่รับเรื่องร้องเรียน" in history


def test_the_last_administrator_cannot_be_demoted_or_removed(admin_client, org, admin):
    mine = Membership.objects.get(user=admin)
    response = admin_client.post(_url("member", mine.pk), {"role": Role.EDITOR})
    assert response.status_code == 200 and "ผู้ดูแลระบบคนสุดท้าย" in response.text
    admin_client.post(_url("member-remove", mine.pk))
    mine.refresh_from_db()
    assert mine.role == Role.ADMINISTRATOR
    # With a second administrator, the first may step down.
    make_user("second", org, Role.ADMINISTRATOR)
    assert admin_client.post(_url("member", mine.pk), {"role": Role.EDITOR}).status_code == 302


def test_two_administrators_demoting_each_other_leave_one(org, admin):
    other = make_user("second", org, Role.ADMINISTRATOR)
    a, b = Membership.objects.get(user=admin), Membership.objects.get(user=other)
    member_update(membership=a, actor=other, role=Role.EDITOR, units=[])
    # b was read before a's change; the service re-reads under the lock and refuses.
    with pytest.raises(ValidationError):
        member_update(membership=b, actor=admin, role=Role.EDITOR, units=[])
    with pytest.raises(ValidationError):
        member_remove(membership=b, actor=admin)
    assert Membership.objects.filter(organisation=org, role=Role.ADMINISTRATOR).count() == 1


def test_removing_a_member_deactivates_an_account_left_without_organisation(admin_client, org):
    from tests.builders import make_org

    alone = Membership.objects.get(user=make_user("alone", org, Role.EDITOR))
    shared = Membership.objects.get(user=make_user("shared", org, Role.EDITOR))
    Membership.objects.create(user=shared.user, organisation=make_org("other"), role=Role.VIEWER)
    for membership in (alone, shared):
        assert admin_client.post(_url("member-remove", membership.pk)).status_code == 302
    assert not User.objects.get(username="alone").is_active
    assert User.objects.get(username="shared").is_active
    assert not Membership.objects.filter(
        organisation=org, user__username__in=["alone", "shared"]
    ).exists()
    assert MembershipChange.objects.filter(new_role="").count() == 2


def test_locked_out_member_is_shown_and_unlocked(admin_client, org, settings):
    member = Membership.objects.get(user=make_user("somchai", org, Role.EDITOR))
    AccessAttempt.objects.create(
        username="somchai",
        ip_address="203.0.113.5",
        user_agent="test",
        failures_since_start=settings.AXES_FAILURE_LIMIT,
        attempt_time=timezone.now(),
        get_data="",
        post_data="",
        http_accept="",
        path_info="/staff/login/",
    )
    page = admin_client.get(_url("members")).text
    assert "ถูกล็อก" in page and _url("member-unlock", member.pk) in page
    assert admin_client.post(_url("member-unlock", member.pk)).status_code == 302
    assert not AccessAttempt.objects.filter(username="somchai").exists()
    assert "ถูกล็อก" not in admin_client.get(_url("members")).text


def test_member_list_shows_role_units_and_last_login(admin_client, org):
    unit = Unit.objects.create(organisation=org, name="กลุ่มกฎหมายและคดี")
    member = Membership.objects.get(user=make_user("somchai", org, Role.COMPLAINT_OFFICER))
    member.units.set([unit])
    Client().post(reverse("staff:login"), {"username": "somchai", "password": PASSWORD})
    page = admin_client.get(_url("members")).text
    assert "ยังไม่เคย" not in page.split("somchai")[1].split("</tr>")[0]  # has logged in
    assert "กลุ่มกฎหมายและคดี" in page and "เจ้าหน้าที่รับเรื่องร้องเรียน" in page
