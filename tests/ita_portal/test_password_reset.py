"""Password reset by e-mail (issue 11, point 3)."""

from __future__ import annotations

import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.urls import reverse

from assessments.models import Role
from tests.builders import PASSWORD, make_user

NEW_PASSWORD = "a-brand-new-password-2567"


@pytest.fixture
def staff(org):
    return make_user("somchai", org, Role.EDITOR, email="somchai@example.go.th")


def _reset_link(client) -> str:
    client.post(reverse("staff:password-reset"), {"email": "somchai@example.go.th"})
    return re.search(r"https?://[^/\s]+(/staff/password/reset/\S+/)", mail.outbox[-1].body)[1]


def test_login_page_links_to_the_reset(client, db):
    assert reverse("staff:password-reset") in client.get(reverse("staff:login")).text


def test_reset_mail_is_thai_and_carries_a_working_link(client, staff):
    response = client.post(reverse("staff:password-reset"), {"email": "somchai@example.go.th"})
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:password-reset-done")
    message = mail.outbox[0]
    assert message.to == ["somchai@example.go.th"]
    assert "ตั้งรหัสผ่านใหม่" in message.subject
    assert "somchai" in message.body
    link = _reset_link(client)
    form_page = client.get(link, follow=True)
    assert "ตั้งรหัสผ่านใหม่" in form_page.text
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done["Location"] == reverse("staff:password-reset-complete")
    staff.refresh_from_db()
    assert staff.check_password(NEW_PASSWORD)


def test_unknown_address_gets_the_same_answer_and_no_mail(client, staff):
    response = client.post(reverse("staff:password-reset"), {"email": "nobody@example.go.th"})
    assert response["Location"] == reverse("staff:password-reset-done")
    assert mail.outbox == []


def test_failing_mail_server_shows_the_same_page(client, staff, settings, caplog):
    settings.EMAIL_BACKEND = "tests.ita_portal.test_password_reset.RefusingBackend"
    response = client.post(
        reverse("staff:password-reset"), {"email": "somchai@example.go.th"}, follow=True
    )
    assert response.status_code == 200
    assert "โปรดตรวจสอบอีเมล" in response.text
    assert "Failed to send password reset email" in caplog.text


def test_reset_lifts_the_lock_out(client, staff):
    login = reverse("staff:login")
    for _ in range(5):
        client.post(login, {"username": "somchai", "password": "wrong-one-123"})
    assert client.post(login, {"username": "somchai", "password": PASSWORD}).status_code == 429
    link = _reset_link(client)
    form_page = client.get(link, follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert not AccessAttempt.objects.filter(username="somchai").exists()
    assert client.post(login, {"username": "somchai", "password": NEW_PASSWORD}).status_code == 302


def test_used_link_is_refused_in_thai(client, staff):
    link = _reset_link(client)
    form_page = client.get(link, follow=True)
    url = form_page.redirect_chain[-1][0]
    client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    again = client.get(link, follow=True)
    assert "ลิงก์นี้ใช้ไม่ได้แล้ว" in again.text


class RefusingBackend:
    """An e-mail backend whose server refuses every connection."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server refused the connection")
