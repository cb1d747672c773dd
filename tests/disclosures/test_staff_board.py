"""The staff workspace for OIT disclosures: the years and a year's completeness board."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from assessments.models import Item, Membership, Role, Unit
from disclosures.models import Disclosure, Entry, EntryKind
from tests.builders import make_org, make_user
from tests.disclosures.builders import make_disclosure

BANGKOK = zoneinfo.ZoneInfo("Asia/Bangkok")


def _url(name: str, *args) -> str:
    return reverse(f"disclosures_staff:{name}", args=["office", *args])


def _row(page: str, code: str) -> tuple[set[str], str]:
    """The classes and the HTML of the board's row for one item."""
    match = re.search(rf'<tr id="item-{code}" class="([^"]*)">(.*?)</tr>', page, re.DOTALL)
    assert match, code
    return set(match.group(1).split()), match.group(2)


def _thai(text: str) -> str:
    with translation.override("th"):
        return gettext(text)


def _shown_codes(response) -> list[str]:
    return [row.item.code for _stats, shown in response.context["board"].groups for row in shown]


@pytest.fixture
def editor_client(client, org):
    client.force_login(make_user("editor", org, Role.EDITOR))
    return client


# --- Access -----------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, org):
    for url in (_url("years"), _url("year", 2565), _url("item", 2565, "O1")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/staff/login/")


@pytest.mark.parametrize("role", [Role.VIEWER, Role.COMPLAINT_OFFICER])
def test_every_member_may_look_at_the_board(client, org, role):
    client.force_login(make_user("reader", org, role))
    assert client.get(_url("years")).status_code == 200
    response = client.get(_url("year", 2565))
    assert response.status_code == 200
    # No way to change anything is offered.
    assert _url("copy", 2565) not in response.text


def test_another_organisations_board_is_404(editor_client, org):
    make_org("other")
    assert editor_client.get(reverse("disclosures_staff:years", args=["other"])).status_code == 404
    assert (
        editor_client.get(reverse("disclosures_staff:year", args=["other", 2565])).status_code
        == 404
    )


def test_the_dashboard_links_to_the_disclosures(editor_client, org):
    assert _url("years") in editor_client.get(reverse("staff:dashboard")).text


def test_a_year_outside_the_accepted_range_is_404(editor_client, org):
    assert editor_client.get(_url("year", 1999)).status_code == 404


# --- The years -----------------------------------------------------------------------


@time_machine.travel(dt.datetime(2022, 6, 1, 9, tzinfo=BANGKOK), tick=False)
def test_years_lists_the_framework_years_with_their_counts(editor_client, org):
    make_disclosure(org, "O1", links=3, published=True)  # complete, counted once despite 3 links
    make_disclosure(org, "O2", published=True)  # published but empty: not complete
    make_disclosure(org, "O3", explanation="ร่างคำอธิบาย")  # content, not published
    make_disclosure(org, "O4", 2564, links=1, published=True)
    response = editor_client.get(_url("years"))
    assert response.status_code == 200
    rows = response.context["rows"]
    # Every year an edition covers, newest first, each with its own edition's items.
    assert [row["year"] for row in rows] == [2569, 2568, 2567, 2566, 2565, 2564]
    assert {row["year"]: row["items"] for row in rows} == {
        2569: 26,
        2568: 26,
        2567: 43,
        2566: 43,
        2565: 43,
        2564: 43,
    }
    later = rows[:4]
    assert all(row["started"] == 0 and row["complete"].complete == 0 for row in later)
    latest, earlier = rows[4:]
    assert (latest["items"], latest["started"], latest["published"]) == (43, 3, 2)
    assert latest["complete"].complete == 1
    assert latest["complete"].percent == Decimal("2")  # 1 of 43 = 2.3 %
    assert latest["current"] and not earlier["current"]
    assert (earlier["started"], earlier["published"], earlier["complete"].complete) == (1, 1, 1)
    assert _url("year", 2564) in response.text


def test_years_page_opens_a_typed_year(editor_client, org):
    response = editor_client.get(_url("years"), {"fiscal_year": "2570"})
    assert response.status_code == 302
    assert response["Location"] == _url("year", 2570)
    assert editor_client.get(_url("years"), {"fiscal_year": "2023"}).status_code == 400


# --- The board -------------------------------------------------------------------------


def test_board_percentages_count_published_items_with_content(editor_client, org):
    # Sub-indicator 10.1 has eight items (O34–O41), 10.2 two (O42, O43: built from measures).
    make_disclosure(org, "O34", links=1, published=True)  # complete
    make_disclosure(org, "O35", published=True)  # published, nothing on it
    make_disclosure(org, "O36", explanation="ร่าง")  # content, still a draft
    make_disclosure(org, "O42", published=True)  # its content comes from the measures
    response = editor_client.get(_url("year", 2565))
    assert response.status_code == 200
    board = response.context["board"]
    stats = {s.label.split()[0]: (s.complete, s.total, s.percent) for s, _rows in board.groups}
    assert stats["10.1"] == (1, 8, Decimal("13"))  # 12.5 % rounds half up
    assert stats["10.2"] == (1, 2, Decimal("50"))
    assert stats["9.1"] == (0, 9, Decimal("0"))
    overall = board.overall
    assert (overall.complete, overall.total, overall.percent) == (2, 43, Decimal("5"))
    page = response.text
    assert "13%" in page and "50%" in page
    assert _url("item", 2565, "O34") in page
    assert reverse("disclosures:year", args=["office", 2565]) in page
    assert _url("links-csv", 2565) in page and _url("links-xlsx", 2565) in page
    assert _url("copy", 2565) in page


@time_machine.travel(dt.datetime(2022, 10, 15, 9, tzinfo=BANGKOK), tick=False)
def test_overdue_and_empty_items_are_marked_in_words(editor_client, org):
    make_disclosure(org, "O1", due_date=dt.date(2022, 9, 30))  # late and empty
    make_disclosure(
        org, "O2", links=1, published=True, due_date=dt.date(2022, 9, 30)
    )  # done in time
    make_disclosure(org, "O3", links=1, due_date=dt.date(2022, 12, 31))  # not due yet
    response = editor_client.get(_url("year", 2565))
    page = response.text
    past_due, empty = _thai("past due"), _thai("empty")

    classes, html = _row(page, "O1")
    assert classes == {"late", "empty"}
    assert past_due in html and empty in html
    assert "30 ก.ย. 2565" in html

    classes, html = _row(page, "O2")
    assert classes == set()
    assert past_due not in html and empty not in html
    assert _thai("published") in html

    classes, html = _row(page, "O3")
    assert classes == set()

    classes, html = _row(page, "O4")  # never started: empty, no due date
    assert classes == {"empty"}
    assert _thai("not started") in html
    assert response.context["overdue_count"] == 1


def test_the_unit_filter_shows_that_units_items_only(editor_client, org):
    office_unit = Unit.objects.create(organisation=org, name="กลุ่มอำนวยการ")
    finance = Unit.objects.create(organisation=org, name="กลุ่มบริหารงานการเงินและสินทรัพย์")
    make_disclosure(org, "O1", unit=office_unit, links=1, published=True)
    make_disclosure(org, "O20", unit=finance)
    response = editor_client.get(_url("year", 2565), {"unit": finance.pk})
    assert response.status_code == 200
    assert _shown_codes(response) == ["O20"]
    # The percentages still count every item.
    assert response.context["board"].overall.complete == 1
    assert len(_shown_codes(editor_client.get(_url("year", 2565), {"unit": ""}))) == 43


def test_another_organisations_unit_is_not_a_filter(editor_client, org):
    theirs = Unit.objects.create(organisation=make_org("other"), name="กลุ่มอำนวยการ")
    assert editor_client.get(_url("year", 2565), {"unit": theirs.pk}).status_code == 404
    assert editor_client.get(_url("year", 2565), {"unit": "abc"}).status_code == 404


def test_my_items_are_those_of_my_units(client, org):
    mine = Unit.objects.create(organisation=org, name="กลุ่มนโยบายและแผน")
    other = Unit.objects.create(organisation=org, name="กลุ่มอำนวยการ")
    user = make_user("planner", org, Role.EDITOR)
    Membership.objects.get(user=user).units.add(mine)
    make_disclosure(org, "O4", unit=mine)
    make_disclosure(org, "O1", unit=other)
    client.force_login(user)
    everything = client.get(_url("year", 2565))
    assert len(_shown_codes(everything)) == 43
    _classes, html = _row(everything.text, "O4")
    assert _thai("your unit") in html
    assert _thai("your unit") not in _row(everything.text, "O1")[1]
    response = client.get(_url("year", 2565), {"mine": "1"})
    assert _shown_codes(response) == ["O4"]


def test_my_items_without_units_explains_why_nothing_is_listed(editor_client, org):
    make_disclosure(org, "O1", unit=Unit.objects.create(organisation=org, name="กลุ่มอำนวยการ"))
    response = editor_client.get(_url("year", 2565), {"mine": "1"})
    assert response.status_code == 200
    assert _shown_codes(response) == []
    assert response.context["mine_only"] and not response.context["my_units"]


@time_machine.travel(dt.datetime(2026, 11, 30, 9, tzinfo=BANGKOK), tick=False)
def test_a_year_without_a_framework_offers_a_provisional_one(editor_client, org):
    response = editor_client.get(_url("year", 2570))
    assert response.status_code == 200
    assert response.context["board"].edition is None
    assert "load_framework" not in response.text
    assert _url("links-csv", 2570) not in response.text
    assert response.context["provisional_source"].code == "nacc-2569"
    assert _url("start-provisional", 2570) in response.text
    assert 'name="once"' in response.text


def test_the_board_takes_a_fixed_number_of_queries(
    editor_client, org, edition, django_assert_max_num_queries
):
    unit = Unit.objects.create(organisation=org, name="กลุ่มอำนวยการ")
    disclosures = Disclosure.objects.bulk_create(
        Disclosure(organisation=org, fiscal_year=2565, item=item, unit=unit, explanation="<p>ก</p>")
        for item in Item.objects.filter(edition=edition)
    )
    Entry.objects.bulk_create(
        Entry(
            disclosure=disclosure,
            order=number,
            kind=EntryKind.LINK,
            url=f"https://www.example.go.th/{disclosure.pk}/{number}",
            title=f"ลิงก์ {number}",
        )
        for disclosure in disclosures
        for number in (1, 2, 3)
    )
    # The board also runs the pre-check and finds the last official OIT result: a
    # fixed number of queries more, still whatever the number of items and entries.
    with django_assert_max_num_queries(18):
        response = editor_client.get(_url("year", 2565))
    assert response.status_code == 200
    rows = response.context["board"].rows
    assert len(rows) == 43 and all(row.entry_count == 3 for row in rows)
    assert response.text.count("กลุ่มอำนวยการ") >= 43
