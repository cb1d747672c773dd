"""Generated items follow the item's role in each edition, never its code."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.models import Item, ItemRole, Role
from disclosures.selectors import generated_for, year_board
from tests.builders import make_user
from tests.measures.builders import make_measure

from .builders import item, make_disclosure

pytestmark = pytest.mark.django_db


def _codes(role: str, year: int) -> list[str]:
    return [
        i.code
        for i in Item.objects.filter(
            edition__first_year__lte=year, edition__last_year__gte=year, role=role
        )
    ]


@pytest.mark.parametrize(
    "year,statistics,measures,results",
    [
        (2565, "O31", "O42", "O43"),
        (2566, "O29", "O42", "O43"),
        (2567, "O29", "O42", "O43"),
        (2568, "O19", None, None),
        (2569, "O18", "O25", "O26"),
    ],
)
def test_each_edition_names_its_own_generated_items(year, statistics, measures, results):
    assert _codes(ItemRole.COMPLAINT_STATISTICS, year) == [statistics]
    assert _codes(ItemRole.MEASURES, year) == ([measures] if measures else [])
    assert _codes(ItemRole.MEASURE_RESULTS, year) == ([results] if results else [])


@pytest.mark.parametrize("year,code", [(2566, "O29"), (2568, "O19"), (2569, "O18")])
def test_complaint_statistics_show_on_the_item_with_that_role(client, org, year, code):
    make_disclosure(org, code, year, published=True)
    html = client.get(f"/office/oit/{year}/{code}/").text
    assert 'id="stat-received">0<' in html
    assert f'href="/office/complaints/statistics/{year}/"' in html
    # The code that had the role in 2564–65 is an ordinary item now.
    make_disclosure(org, "O31", 2567, explanation="ข้อมูลทั่วไป", published=True)
    assert "stat-received" not in client.get("/office/oit/2567/O31/").text


def test_the_2569_measures_items_list_the_years_measures(client, org):
    make_measure(org, 2569, title="มาตรการส่งเสริมคุณธรรม ปี 2569", indicators=())
    make_disclosure(org, "O25", 2569, published=True)
    make_disclosure(org, "O26", 2569, published=True)
    assert "มาตรการส่งเสริมคุณธรรม ปี 2569" in client.get("/office/oit/2569/O25/").text
    assert "มาตรการส่งเสริมคุณธรรม ปี 2569" in client.get("/office/oit/2569/O26/").text


def test_2568_has_no_measures_item(client, org):
    make_measure(org, 2568, title="มาตรการปี 2568", indicators=())
    for code in ("O25", "O26"):
        make_disclosure(org, code, 2568, published=True)
        assert "มาตรการปี 2568" not in client.get(f"/office/oit/2568/{code}/").text


@pytest.mark.parametrize("year,code", [(2565, "O30"), (2568, "O18"), (2569, "O17")])
def test_the_complaint_channel_shows_the_public_complaint_form(client, org, year, code):
    generated = generated_for(organisation=org, fiscal_year=year, item=item(code, year))
    assert generated.role == ItemRole.COMPLAINT_CHANNEL
    form = reverse("complaints:new", args=["office"])
    assert generated.complaint_form_url.endswith(form)
    make_disclosure(org, code, year, links=1, published=True)
    html = client.get(f"/office/oit/{year}/{code}/").text
    assert f'href="{form}"' in html and generated.complaint_form_url in html
    assert f"ลิงก์ {code} รายการที่ 1" in html  # its own entries too


def test_the_complaint_channel_counts_as_having_content(org):
    make_disclosure(org, "O18", 2568, published=True)
    row = next(
        r for r in year_board(organisation=org, fiscal_year=2568).rows if r.item.code == "O18"
    )
    assert row.generated and row.complete


def test_the_complaint_guideline_is_an_ordinary_page(client, org):
    guideline = item("O17", 2568)
    assert guideline.role == ItemRole.COMPLAINT_GUIDELINE
    assert generated_for(organisation=org, fiscal_year=2568, item=guideline) is None
    make_disclosure(org, "O17", 2568, published=True)
    row = next(
        r for r in year_board(organisation=org, fiscal_year=2568).rows if r.item.code == "O17"
    )
    assert not row.generated and not row.complete  # published but empty


def test_the_staff_item_page_points_to_the_complaint_form(client, org):
    client.force_login(make_user("editor", org, Role.EDITOR))
    html = client.get(reverse("disclosures_staff:item", args=["office", 2569, "O17"])).text
    assert f'href="{reverse("complaints:new", args=["office"])}"' in html
