"""Login throttling with django-axes (issue 11, point 3)."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core.management import call_command
from django.urls import reverse

from assessments.models import Role
from tests.builders import PASSWORD, make_user

START = dt.datetime(2024, 6, 11, 14, 0, tzinfo=dt.UTC)  # 21:00 in Bangkok
WRONG = "not-the-password-123"


@pytest.fixture
def staff(org):
    return make_user("somchai", org, Role.EDITOR)


@pytest.fixture
def operator(db):
    return make_user("operator", is_staff=True, is_superuser=True)


def _login(client, url: str, username: str, password: str, address: str = "192.0.2.10"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("url_name", ["staff:login", "admin:login"])
def test_fifty_wrong_passwords_then_the_right_one_does_not_log_in(
    client, staff, operator, url_name
):
    url = reverse(url_name)
    username = "somchai" if url_name == "staff:login" else "operator"
    with time_machine.travel(START, tick=False):
        for _ in range(50):
            _login(client, url, username, WRONG)
        response = _login(client, url, username, PASSWORD)
    assert response.status_code == 429
    assert not _logged_in(client)


def test_lock_out_page_says_in_thai_when_to_try_again(client, staff):
    url = reverse("staff:login")
    with time_machine.travel(START, tick=False):
        for _ in range(4):
            assert _login(client, url, "somchai", WRONG).status_code == 200
        response = _login(client, url, "somchai", WRONG)
    assert response.status_code == 429
    # 21:00 + 15 minutes, Bangkok time, Buddhist Era.
    assert "11 มิ.ย. 2567 21:15 น." in response.text
    assert "ผู้ดูแลระบบของหน่วยงาน" in response.text
    assert reverse("staff:password-reset") in response.text


def test_logs_in_after_the_cool_off(client, staff):
    url = reverse("staff:login")
    with time_machine.travel(START, tick=False):
        for _ in range(50):
            _login(client, url, "somchai", WRONG)
        assert _login(client, url, "somchai", PASSWORD).status_code == 429
    with time_machine.travel(START + dt.timedelta(minutes=16), tick=False):
        response = _login(client, url, "somchai", PASSWORD)
        assert response.status_code == 302
        assert _logged_in(client)
    # A successful login clears the account's failures.
    assert not AccessAttempt.objects.filter(username="somchai").exists()


def test_another_address_is_not_locked(client, staff):
    url = reverse("staff:login")
    with time_machine.travel(START, tick=False):
        for _ in range(10):
            _login(client, url, "somchai", WRONG, address="192.0.2.10")
        response = _login(client, url, "somchai", PASSWORD, address="198.51.100.7")
        assert response.status_code == 302
        assert _logged_in(client)


def test_another_account_from_the_same_address_is_not_locked(client, staff, org):
    make_user("somsri", org, Role.EDITOR)
    url = reverse("staff:login")
    for _ in range(10):
        _login(client, url, "somchai", WRONG)
    assert _login(client, url, "somsri", PASSWORD).status_code == 302


def test_client_address_comes_from_the_proxy_header(client, staff, settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    url = reverse("staff:login")
    for _ in range(5):
        client.post(url, {"username": "somchai", "password": WRONG}, HTTP_X_REAL_IP="203.0.113.5")
    assert AccessAttempt.objects.get(username="somchai").ip_address == "203.0.113.5"


def test_lock_out_is_logged_without_the_password(client, staff, caplog):
    url = reverse("staff:login")
    with caplog.at_level(logging.INFO):
        for _ in range(5):
            _login(client, url, "somchai", WRONG)
    lock_outs = [r.getMessage() for r in caplog.records if "Locking out" in r.getMessage()]
    assert lock_outs
    # Operators can tell whose account and which address from the log line.
    assert "somchai" in lock_outs[0]
    assert "192.0.2.10" in lock_outs[0]
    assert WRONG not in caplog.text
    assert WRONG not in AccessAttempt.objects.get(username="somchai").post_data


def test_operator_unlocks_with_the_command(client, staff):
    url = reverse("staff:login")
    for _ in range(5):
        _login(client, url, "somchai", WRONG)
    assert _login(client, url, "somchai", PASSWORD).status_code == 429
    call_command("axes_reset_username", "somchai")
    assert _login(client, url, "somchai", PASSWORD).status_code == 302


def test_operator_sees_attempts_in_the_admin(client, staff, operator):
    for _ in range(5):
        _login(client, reverse("staff:login"), "somchai", WRONG)
    client.force_login(operator)
    response = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert response.status_code == 200
    assert "somchai" in response.text
