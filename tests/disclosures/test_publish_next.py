"""The OIT publish form's `next` is a staff page of this site or nothing (issue 11, point 8)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.builders import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(org):
    client = Client(raise_request_exception=True)
    client.force_login(make_user("editor", org))
    return client


def _url(name: str, *args) -> str:
    return reverse(f"disclosures_staff:{name}", args=["office", *args])


@pytest.mark.parametrize(
    "target",
    [
        "0",  # was taken for a URL name: error 500
        "item",
        "disclosures_staff:year",
        "//evil.example/staff/",
        "https://evil.example/",
        "/office/oit/2565/",  # a public page, not a staff one
        "/no/such/page/",
        "/staff/../admin/",
        "javascript:alert(1)",
        " /staff/office/oit/2565/",
    ],
)
def test_an_unknown_next_goes_back_to_the_item(editor_client, org, target):
    response = editor_client.post(_url("publish", 2565, "O2"), {"published": "1", "next": target})
    assert response.status_code == 302
    assert response["Location"] == _url("item", 2565, "O2")


def test_a_staff_page_of_the_site_is_followed(editor_client, org):
    board = _url("year", 2565) + "?mine=1"
    response = editor_client.post(_url("publish", 2565, "O2"), {"published": "1", "next": board})
    assert response["Location"] == board
