"""Dates of OIT items and their entries: typed in BE and checked for sense."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from assessments.models import Role
from disclosures.models import Disclosure, Entry
from tests.builders import make_user, post_edit
from tests.disclosures.builders import make_disclosure


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 11, 30, 5, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def editor_client(client, org):
    client.force_login(make_user("editor", org, Role.EDITOR))
    return client


def _url(name: str, *args) -> str:
    return reverse(f"disclosures_staff:{name}", args=["office", *args])


def _codes(response, field: str) -> list[str]:
    return [e.code for e in response.context["form"].errors.as_data()[field]]


def test_an_item_due_years_after_its_fiscal_year_is_refused(editor_client, org):
    response = post_edit(
        editor_client,
        _url("item", 2565, "O1"),
        {"explanation": "", "unit": "", "due_date": "31/12/2574"},
    )
    assert response.status_code == 400
    assert _codes(response, "due_date") == ["fiscal_year"]
    assert not Disclosure.objects.exists()


def test_an_item_due_in_its_year_is_saved_and_shown_in_be(editor_client, org):
    url = _url("item", 2565, "O1")
    response = post_edit(
        editor_client, url, {"explanation": "", "unit": "", "due_date": "๓๑/๐๑/๒๕๖๕"}
    )
    assert response.status_code == 302
    assert Disclosure.objects.get().due_date == dt.date(2022, 1, 31)
    assert 'value="31/01/2565"' in editor_client.get(url).text


def test_a_common_era_year_is_explained_not_converted(editor_client, org):
    response = post_edit(
        editor_client,
        _url("item", 2565, "O1"),
        {"explanation": "", "unit": "", "due_date": "31/12/2022"},
    )
    assert response.status_code == 400
    assert _codes(response, "due_date") == ["ce_year"]


def test_a_link_dated_in_the_future_is_refused(editor_client, org):
    make_disclosure(org)
    response = editor_client.post(
        _url("link", 2565, "O1"),
        {"url": "https://www.example.go.th/", "title": "เว็บไซต์", "date": "01/01/2574"},
    )
    assert response.status_code == 400
    assert not Entry.objects.exists()


def test_editing_an_entry_to_a_future_date_is_refused(editor_client, org):
    entry = make_disclosure(org, links=1).entries.get()
    response = post_edit(
        editor_client,
        _url("entry", entry.key),
        {"title": "เว็บไซต์", "date": "01/12/2569", "url": "https://new.example.go.th/"},
    )
    assert response.status_code == 400
    entry.refresh_from_db()
    assert entry.date != dt.date(2026, 12, 1)
