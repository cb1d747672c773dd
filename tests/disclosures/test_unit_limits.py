"""A member limited to units changes only the OIT items of their units, and their entries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.models import Role
from disclosures.models import Disclosure, DisclosureStatus, Entry
from tests.builders import make_user
from tests.disclosures.builders import make_disclosure

pytestmark = pytest.mark.django_db


def _url(name: str, *args) -> str:
    return reverse(f"disclosures_staff:{name}", args=["office", *args])


def _save(client, code: str, **data):
    url = _url("item", 2565, code)
    token = client.get(url).context["form"]["edit_token"].value()
    return client.post(url, {"edit_token": token, **data})


def test_a_limited_member_edits_an_item_of_their_unit(limited, org, units):
    make_disclosure(org, "O1", unit=units[0])
    response = _save(limited, "O1", explanation="ของกลุ่มเรา", unit=units[0].pk)
    assert response.status_code == 302
    assert "ของกลุ่มเรา" in Disclosure.objects.get().explanation


def test_another_units_item_is_read_only_and_every_post_refused(limited, org, units):
    disclosure = make_disclosure(org, "O1", unit=units[1], explanation="ของกลุ่มกฎหมาย", links=1)
    entry = disclosure.entries.get()
    page = limited.get(_url("item", 2565, "O1"))
    assert page.status_code == 200 and page.context["can_change"] is False
    assert b"<fieldset disabled>" in page.content

    posts = [
        (_url("item", 2565, "O1"), {"explanation": "แก้ของคนอื่น", "unit": units[0].pk}),
        (_url("publish", 2565, "O1"), {"published": "1"}),
        (_url("link", 2565, "O1"), {"url": "https://example.org/x", "title": "x"}),
        (_url("entry", entry.key), {"title": "แก้", "url": "https://example.org/y"}),
        (_url("entry-delete", entry.key), {}),
        (_url("entry-move", entry.key), {"direction": "down"}),
    ]
    assert [limited.post(url, data).status_code for url, data in posts] == [404] * len(posts)
    disclosure.refresh_from_db()
    assert "ของกลุ่มกฎหมาย" in disclosure.explanation
    assert disclosure.status == DisclosureStatus.DRAFT
    assert list(Entry.objects.values_list("title", flat=True)) == [entry.title]


def test_an_item_with_no_unit_is_not_a_limited_members(limited, org, units):
    assert _save(limited, "O3", explanation="ยังไม่มีใครรับผิดชอบ").status_code == 404
    assert not Disclosure.objects.exists()


def test_a_limited_member_may_assign_only_their_own_units(limited, org, units):
    make_disclosure(org, "O1", unit=units[0])
    assert _save(limited, "O1", explanation="x", unit=units[1].pk).status_code == 400
    assert Disclosure.objects.get().unit == units[0]


def test_copying_a_whole_year_is_not_for_a_limited_member(limited, org, units):
    make_disclosure(org, "O1", unit=units[0], explanation="ของเรา")
    assert limited.post(_url("copy", 2565)).status_code == 404
    assert not Disclosure.objects.filter(fiscal_year=2566).exists()


def test_a_member_of_the_whole_organisation_edits_any_item(client, org, units):
    client.force_login(make_user("everyone", org, Role.EDITOR))
    make_disclosure(org, "O1", unit=units[1])
    assert _save(client, "O1", explanation="แก้ได้", unit=units[1].pk).status_code == 302
