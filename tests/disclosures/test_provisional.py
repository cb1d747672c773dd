"""Starting a provisional framework from the staff board of a year no edition covers."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from assessments.models import Edition, Role
from tests.builders import form_token, make_org, make_user

BANGKOK = zoneinfo.ZoneInfo("Asia/Bangkok")


@pytest.fixture(autouse=True)
def _in_2570():
    # Fiscal year 2570: no shipped edition covers it.
    with time_machine.travel(dt.datetime(2026, 11, 30, 9, tzinfo=BANGKOK), tick=False):
        yield


def _url(name: str, *args, org: str = "office") -> str:
    return reverse(f"disclosures_staff:{name}", args=[org, *args])


def _provisional() -> Edition | None:
    return Edition.objects.filter(first_year=2570, provisional=True).first()


@pytest.mark.parametrize("role", [Role.EDITOR, Role.ADMINISTRATOR])
def test_an_editor_starts_a_provisional_framework(client, org, role):
    client.force_login(make_user("someone", org, role))
    token = form_token(client, _url("year", 2570), "once")
    response = client.post(_url("start-provisional", 2570), {"once": token})
    assert response.status_code == 302
    assert response["Location"] == _url("year", 2570)
    edition = _provisional()
    assert edition is not None and edition.based_on.code == "nacc-2569"
    page = client.get(response["Location"])
    (message,) = page.context["messages"]
    assert message.level_tag == "success" and "2570" in str(message)
    assert page.context["board"].edition == edition
    assert page.context["board"].overall.total == 26


def test_the_same_form_sent_twice_starts_one_framework(client, org):
    client.force_login(make_user("editor", org, Role.EDITOR))
    token = form_token(client, _url("year", 2570), "once")
    first = client.post(_url("start-provisional", 2570), {"once": token})
    second = client.post(_url("start-provisional", 2570), {"once": token})
    assert second.status_code == 302 and second["Location"] == first["Location"]
    assert Edition.objects.filter(first_year=2570).count() == 1


@pytest.mark.parametrize("role", [Role.VIEWER, Role.COMPLAINT_OFFICER])
def test_other_roles_cannot_start_one(client, org, role):
    client.force_login(make_user("reader", org, role))
    board = client.get(_url("year", 2570))
    assert _url("start-provisional", 2570) not in board.text
    assert client.post(_url("start-provisional", 2570)).status_code == 404
    assert _provisional() is None


def test_another_organisation_and_anonymous_cannot_start_one(client, org):
    make_org("other")
    client.force_login(make_user("editor", org, Role.EDITOR))
    assert client.post(_url("start-provisional", 2570, org="other")).status_code == 404
    client.logout()
    response = client.post(_url("start-provisional", 2570))
    assert response.status_code == 302 and "/staff/login/" in response["Location"]
    assert client.get(_url("start-provisional", 2570)).status_code == 302  # login first
    assert _provisional() is None


def test_only_a_post_starts_one(client, org):
    client.force_login(make_user("editor", org, Role.EDITOR))
    assert client.get(_url("start-provisional", 2570)).status_code == 405
    assert _provisional() is None


def test_a_year_far_ahead_is_refused_with_a_message(client, org):
    client.force_login(make_user("editor", org, Role.EDITOR))
    board = client.get(_url("year", 2580))
    assert board.context["provisional_source"] is None
    assert _url("start-provisional", 2580) not in board.text
    response = client.post(_url("start-provisional", 2580), follow=True)
    (message,) = response.context["messages"]
    assert message.level_tag == "error"
    assert not Edition.objects.filter(first_year=2580).exists()


def test_a_year_that_has_a_framework_is_left_as_it_is(client, org):
    client.force_login(make_user("editor", org, Role.EDITOR))
    count = Edition.objects.count()
    response = client.post(_url("start-provisional", 2569), follow=True)
    (message,) = response.context["messages"]
    assert message.level_tag == "info"
    assert Edition.objects.count() == count


def test_a_wrong_year_is_404(client, org):
    client.force_login(make_user("editor", org, Role.EDITOR))
    assert client.post(_url("start-provisional", 1999)).status_code == 404
