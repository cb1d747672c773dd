"""Copying a year's OIT items to the next year from the staff workspace."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from assessments.models import Role, Unit
from disclosures.models import Disclosure, DisclosureStatus, EntryKind
from tests.builders import make_user
from tests.disclosures.builders import make_disclosure
from tests.editions import make_edition
from tests.measures.builders import PDF_BYTES


def _url(name: str, *args) -> str:
    return reverse(f"disclosures_staff:{name}", args=["office", *args])


@pytest.fixture
def editor_client(client, org):
    client.force_login(make_user("editor", org, Role.EDITOR))
    return client


@pytest.fixture
def year_2564(org):
    """Two items with content in 2564; O2 already has its own page in 2565."""
    unit = Unit.objects.create(organisation=org, name="กลุ่มอำนวยการ")
    o1 = make_disclosure(
        org,
        "O1",
        2564,
        explanation="โครงสร้างปี 2564",
        unit=unit,
        due_date=dt.date(2021, 6, 30),
        links=1,
        documents=1,
        published=True,
    )
    make_disclosure(org, "O2", 2564, explanation="ผู้บริหารปี 2564")
    make_disclosure(org, "O2", 2565, explanation="ผู้บริหารปี 2565")
    make_disclosure(org, "O3", 2564)  # nothing on it: not copied
    return o1


def test_the_confirmation_page_says_what_will_happen(editor_client, year_2564):
    response = editor_client.get(_url("copy", 2564))
    assert response.status_code == 200
    assert [d.item.code for d in response.context["sources"]] == ["O1", "O2"]
    assert response.context["filled"] == {"O2"}
    assert '<form method="post">' in response.text  # the copy button
    assert not Disclosure.objects.filter(fiscal_year=2565, item__code="O1").exists()


def test_copying_makes_drafts_to_review_and_leaves_filled_items_alone(
    editor_client, org, year_2564, settings
):
    response = editor_client.post(_url("copy", 2564))
    assert response.status_code == 302
    assert response["Location"] == _url("year", 2565)

    copy = Disclosure.objects.get(organisation=org, fiscal_year=2565, item__code="O1")
    assert copy.status == DisclosureStatus.DRAFT and copy.to_review
    assert copy.explanation == year_2564.explanation
    assert copy.unit == year_2564.unit
    assert copy.due_date == dt.date(2022, 6, 30)
    link, document = copy.entries.order_by("order")
    original = year_2564.entries.get(kind=EntryKind.DOCUMENT)
    assert document.kind == EntryKind.DOCUMENT
    assert document.file.name != original.file.name  # a file of its own …
    assert document.file.read() == PDF_BYTES  # … with the same content
    assert (link.kind, link.url, link.title) == (
        EntryKind.LINK,
        "https://www.example.go.th/office/O1/0",
        "ลิงก์ O1 รายการที่ 1",
    )

    kept = Disclosure.objects.get(organisation=org, fiscal_year=2565, item__code="O2")
    assert kept.explanation == "<p>ผู้บริหารปี 2565</p>" and not kept.to_review
    assert not Disclosure.objects.filter(fiscal_year=2565, item__code="O3").exists()
    # The year before is untouched.
    year_2564.refresh_from_db()
    assert year_2564.status == DisclosureStatus.PUBLISHED and year_2564.entries.count() == 2

    messages = [str(m) for m in editor_client.get(response["Location"]).context["messages"]]
    assert len(messages) == 2  # one copied, one left alone
    assert "O2" in messages[1]
    board = editor_client.get(_url("year", 2565))
    assert board.context["review_count"] == 1


def test_copying_into_a_year_without_framework_is_refused(editor_client, org):
    # No edition covers 2590 (nor 2589, whose items come from a made-up edition).
    make_edition(
        code="test-2589", first_year=2589, instruments=[("OIT", "100", [1])], items={1: ["O1"]}
    )
    make_disclosure(org, "O1", 2589, explanation="โครงสร้าง")
    page = editor_client.get(_url("copy", 2589))
    assert page.status_code == 200
    assert page.context["target_edition"] is None
    assert '<form method="post">' not in page.text
    response = editor_client.post(_url("copy", 2589))
    assert response.status_code == 302
    assert response["Location"] == _url("year", 2589)
    assert not Disclosure.objects.filter(fiscal_year=2590).exists()
    (message,) = editor_client.get(response["Location"]).context["messages"]
    assert message.level_tag == "error" and "2590" in str(message)


def test_copying_an_empty_year_says_there_is_nothing(editor_client, org):
    response = editor_client.post(_url("copy", 2564), follow=True)
    (message,) = response.context["messages"]
    assert message.level_tag == "error" and "2564" in str(message)
    assert not Disclosure.objects.exists()


def test_a_viewer_cannot_open_the_copy_page(client, org, year_2564):
    client.force_login(make_user("viewer", org, Role.VIEWER))
    assert client.get(_url("copy", 2564)).status_code == 404
    assert client.post(_url("copy", 2564)).status_code == 404
    assert not Disclosure.objects.filter(fiscal_year=2565, item__code="O1").exists()
