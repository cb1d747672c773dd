"""What the staff item page says an item needs: requirement, evidence period in words and
Buddhist Era dates, the head's signature, the required contents, and the verify mark."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from assessments.models import Item, ItemPeriod, Role
from disclosures.periods import evidence_period
from tests.builders import make_user
from tests.disclosures.builders import item, make_disclosure


def _thai(text: str) -> str:
    with translation.override("th"):
        return gettext(text)


@pytest.fixture
def editor_client(client, org):
    client.force_login(make_user("editor", org, Role.EDITOR))
    return client


def _period(period: str, year: int):
    return evidence_period(Item(period=period), year)


def test_the_current_fiscal_year_runs_from_october_to_september():
    period = _period(ItemPeriod.CURRENT_YEAR, 2569)
    assert period.spans == [(dt.date(2025, 10, 1), dt.date(2026, 9, 30))]
    assert not period.monthly


def test_the_previous_fiscal_year():
    assert _period(ItemPeriod.PREVIOUS_YEAR, 2569).spans == [
        (dt.date(2024, 10, 1), dt.date(2025, 9, 30))
    ]


def test_the_first_six_months_end_in_march():
    assert _period(ItemPeriod.FIRST_HALF, 2568).spans == [
        (dt.date(2024, 10, 1), dt.date(2025, 3, 31))
    ]


def test_monthly_is_each_month_of_the_year_with_its_last_day():
    period = _period(ItemPeriod.MONTHLY, 2567)  # CE 2024 is a leap year
    assert period.monthly and len(period.spans) == 12
    assert period.spans[0] == (dt.date(2023, 10, 1), dt.date(2023, 10, 31))
    assert period.spans[4] == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert period.spans[-1] == (dt.date(2024, 9, 1), dt.date(2024, 9, 30))


def test_no_period_is_none():
    assert _period(ItemPeriod.NONE, 2569) is None


def _staff_item(client, year: int, code: str):
    response = client.get(reverse("disclosures_staff:item", args=["office", year, code]))
    assert response.status_code == 200
    return response.text


def test_the_staff_page_shows_period_dates_in_the_buddhist_era(editor_client, org):
    page = _staff_item(editor_client, 2569, "O10")  # first six months
    assert _thai("The first six months of the current fiscal year") in page
    assert "1 ตุลาคม 2568 – 31 มีนาคม 2569" in page
    page = _staff_item(editor_client, 2569, "O7")  # previous year
    assert "1 ตุลาคม 2567 – 30 กันยายน 2568" in page
    page = _staff_item(editor_client, 2569, "O11")  # monthly
    assert "1 ต.ค. 2568 – 31 ต.ค. 2568" in page and "1 ก.ย. 2569 – 30 ก.ย. 2569" in page
    page = _staff_item(editor_client, 2569, "O1")  # no period
    assert _thai("The framework sets no period for this item.") in page


def test_the_staff_page_shows_signature_contents_and_requirement(editor_client, org):
    o20 = item("O20", 2569)
    assert o20.signed_by_head and o20.content_lines
    page = _staff_item(editor_client, 2569, "O20")
    assert _thai("Required: the document must be signed by the head of the agency.") in page
    for line in o20.content_lines:
        assert line in page
    if o20.requirement:
        assert o20.requirement.splitlines()[0] in page
    page = _staff_item(editor_client, 2569, "O4")
    assert _thai("Not required by the framework.") in page
    assert 'id="item-contents"' not in page


def test_only_staff_see_that_an_item_is_to_verify(editor_client, client, org):
    assert item("O2", 2569).verify and not item("O1", 2569).verify
    assert "verify-notice" in _staff_item(editor_client, 2569, "O2")
    assert "verify-notice" not in _staff_item(editor_client, 2569, "O1")
    make_disclosure(org, "O2", 2569, explanation="ผู้บริหาร", published=True)
    client.logout()
    assert "verify-notice" not in client.get("/office/oit/2569/O2/").text
