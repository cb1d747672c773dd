"""Lost updates and double submits on an OIT item's staff page (issue 11, points 6 and 7)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from disclosures.models import Disclosure, Entry
from tests.disclosures.builders import make_disclosure

pytestmark = pytest.mark.django_db


def _item_url(code: str = "O1") -> str:
    return reverse("disclosures_staff:item", args=["office", 2565, code])


def _token(client, url: str) -> str:
    return client.get(url).context["form"]["edit_token"].value()


def test_a_second_editor_of_an_explanation_is_refused_and_keeps_their_text(two_editors, org):
    first, second = two_editors
    make_disclosure(org, explanation="คำอธิบายเดิม")
    url = _item_url()
    token_first, token_second = _token(first, url), _token(second, url)

    assert (
        first.post(url, {"explanation": "คำอธิบายของสมชาย", "edit_token": token_first}).status_code
        == 302
    )
    refused = second.post(url, {"explanation": "คำอธิบายของมาลี", "edit_token": token_second})

    assert refused.status_code == 409
    assert "คำอธิบายของสมชาย" in Disclosure.objects.get().explanation
    page = refused.content.decode()
    assert "คำอธิบายของมาลี" in page  # still in the form
    assert "คำอธิบายของสมชาย" in page  # what changed is shown
    assert [c.field for c in refused.context["stale"]] == ["explanation"]

    again = second.post(
        url,
        {
            "explanation": "คำอธิบายของมาลี",
            "edit_token": refused.context["form"]["edit_token"].value(),
        },
    )
    assert again.status_code == 302
    assert "คำอธิบายของมาลี" in Disclosure.objects.get().explanation


def test_two_editors_of_an_item_not_saved_yet(two_editors, org):
    """Neither page exists when both open it; the first save creates it, the second is refused."""
    first, second = two_editors
    url = _item_url("O2")
    token_first, token_second = _token(first, url), _token(second, url)
    assert (
        first.post(url, {"explanation": "ของสมชาย", "edit_token": token_first}).status_code == 302
    )
    assert (
        second.post(url, {"explanation": "ของมาลี", "edit_token": token_second}).status_code == 409
    )
    assert "ของสมชาย" in Disclosure.objects.get().explanation


def test_a_second_save_of_an_entry_is_refused(two_editors, org):
    first, second = two_editors
    entry = make_disclosure(org, links=1).entries.get()
    url = reverse("disclosures_staff:entry", args=["office", entry.key])
    data = {"title": entry.title, "url": entry.url, "date": ""}
    token_first, token_second = _token(first, url), _token(second, url)
    assert (
        first.post(url, {**data, "title": "ชื่อของสมชาย", "edit_token": token_first}).status_code
        == 302
    )

    refused = second.post(
        url, {**data, "url": "https://example.org/malee", "edit_token": token_second}
    )

    assert refused.status_code == 409
    entry.refresh_from_db()
    assert (entry.title, entry.url) == ("ชื่อของสมชาย", data["url"])
    assert "https://example.org/malee" in refused.content.decode()


def _once(client, url: str) -> str:
    page = client.get(url).content.decode()
    marker = 'name="once" value="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


def test_a_double_click_on_add_link_creates_one_entry(two_editors, org):
    client, _other = two_editors
    link = reverse("disclosures_staff:link", args=["office", 2565, "O1"])
    data = {
        "url": "https://example.org/o1",
        "title": "โครงสร้าง",
        "once": _once(client, _item_url()),
    }

    first = client.post(link, data)
    second = client.post(link, data)

    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert Entry.objects.count() == 1
