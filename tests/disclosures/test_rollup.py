"""The ESA's roll-up: the figures against hand-computed ones, sorting, filtering, paging, queries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Role
from assessments.scoring import round_half_up
from disclosures.models import SubmissionStatus
from disclosures.rollup import (
    NOT_SUBMITTED,
    final_oit,
    rollup_page,
    rollup_rows,
    rollup_totals,
    rows_filtered,
    rows_sorted,
)
from tests.builders import REFERENCE_003, logged_in, make_assessment, make_org, make_user
from tests.disclosures.rollup_builders import (
    TODAY,
    YEAR,
    make_school,
    ready_items,
    rollup_edition,
    submit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def esa():
    rollup_edition()
    return make_org("esa-1")


@pytest.fixture
def three(esa):
    """Three schools with hand-computable figures.

    A: W1, W2 ready → indicator 3 = (100+100+0)/3, indicator 4 = 0 → predicted 33.33;
       not submitted; official 2564 = reference 003 (total 91.50).
    B: nothing ready → readiness 0, predicted 0; confirmed verdicts W1 pass, W2 pass,
       W3 fail, W4 pass, W5 scored 50 → (66.67 + 75) / 2 = 70.83; official total 80.00 only.
    C: all five ready → 100; in review with two of five verdicts; no official result.
    """
    a = make_school(esa, "school-a", "โรงเรียนอนุบาล")
    b = make_school(esa, "school-b", "โรงเรียนบ้านโคก")
    c = make_school(esa, "school-c", "โรงเรียนชุมชน")
    ready_items(a, "W1", "W2")
    make_assessment(a, 2564, REFERENCE_003)
    submit(b, {"W1": "pass", "W2": "pass", "W3": "fail", "W4": "pass", "W5": Decimal("50")})
    make_assessment(b, 2565, official_total="80.00")
    ready_items(c, "W1", "W2", "W3", "W4", "W5")
    submit(
        c,
        {"W1": "pass", "W2": "fail", "W3": "", "W4": "", "W5": ""},
        status=SubmissionStatus.IN_REVIEW,
    )
    return {"a": a, "b": b, "c": c}


def _rows(esa):
    return {r.organisation.slug: r for r in rollup_rows(parent=esa, fiscal_year=YEAR, today=TODAY)}


def test_readiness_and_predicted_oit_match_the_hand_computed_figures(esa, three):
    rows = _rows(esa)
    assert (rows["school-a"].ready_count, rows["school-a"].total) == (2, 5)
    assert rows["school-a"].readiness == Decimal(40)
    assert round_half_up(rows["school-a"].predicted) == Decimal("33.33")
    assert rows["school-b"].readiness == Decimal(0)
    assert rows["school-b"].predicted == Decimal(0)
    assert rows["school-c"].readiness == Decimal(100)
    assert rows["school-c"].predicted == Decimal(100)


def test_final_oit_comes_from_confirmed_verdicts_only(esa, three):
    rows = _rows(esa)
    assert round_half_up(rows["school-b"].final) == Decimal("70.83")
    assert rows["school-a"].final is None  # not submitted
    assert rows["school-c"].final is None  # still in review


def test_final_oit_leaves_out_items_without_a_verdict(esa, three):
    reviews = _rows(esa)["school-c"].reviews
    assert len(reviews) == 5
    # W1 pass, W2 fail (indicator 3: 50); indicator 4 has no verdict yet.
    assert final_oit(reviews) == Decimal(50)


def test_submission_status_and_review_progress(esa, three):
    rows = _rows(esa)
    assert rows["school-a"].status == NOT_SUBMITTED and not rows["school-a"].submitted
    assert rows["school-b"].status == SubmissionStatus.CONFIRMED
    assert (rows["school-b"].reviewed, rows["school-b"].progress) == (5, Decimal(100))
    assert (rows["school-c"].reviewed, rows["school-c"].progress) == (2, Decimal(40))


def test_last_official_total_and_level(esa, three):
    rows = _rows(esa)
    assert rows["school-a"].official_total == Decimal("91.50")
    assert rows["school-a"].official_year == 2564
    assert rows["school-a"].official_level  # the edition's level for 91.50
    assert rows["school-b"].official_total == Decimal("80.00")
    assert rows["school-b"].official_year == 2565
    assert rows["school-c"].official is None


def test_a_later_year_than_the_roll_up_is_not_the_last_official_result(esa):
    school = make_school(esa, "school-late")
    make_assessment(school, 2564, official_total="70.00")
    make_assessment(school, 2565, official_total="90.00")
    rows = {r.organisation.slug: r for r in rollup_rows(parent=esa, fiscal_year=2564)}
    assert rows["school-late"].official_total == Decimal("70.00")


def test_only_the_parents_own_children_are_rows(esa, three):
    other = make_org("esa-2")
    make_school(other, "elsewhere")
    assert set(_rows(esa)) == {"school-a", "school-b", "school-c"}


def test_totals(esa, three):
    totals = rollup_totals(rollup_rows(parent=esa, fiscal_year=YEAR, today=TODAY))
    assert (totals.schools, totals.submitted, totals.confirmed) == (3, 2, 1)
    assert totals.readiness == Decimal("46.67")  # (40 + 0 + 100) / 3


def test_sorting_by_each_column_puts_unknown_values_last(esa, three):
    rows = rollup_rows(parent=esa, fiscal_year=YEAR, today=TODAY)

    def slugs(key, descending=False):
        return [r.organisation.slug for r in rows_sorted(rows, key=key, descending=descending)]

    assert slugs("readiness") == ["school-b", "school-a", "school-c"]
    assert slugs("readiness", descending=True) == ["school-c", "school-a", "school-b"]
    assert slugs("predicted", descending=True) == ["school-c", "school-a", "school-b"]
    assert slugs("final") == ["school-b", "school-c", "school-a"]  # only B is known; then by name
    assert slugs("official", descending=True) == ["school-a", "school-b", "school-c"]
    assert slugs("status") == ["school-a", "school-c", "school-b"]
    assert slugs("progress") == ["school-c", "school-b", "school-a"]
    # Thai names: ชุมชน < บ้านโคก < อนุบาล
    assert slugs("name") == ["school-c", "school-b", "school-a"]


def test_filtering_by_status_and_text(esa, three):
    rows = rollup_rows(parent=esa, fiscal_year=YEAR, today=TODAY)
    assert [r.organisation.slug for r in rows_filtered(rows, status=NOT_SUBMITTED)] == ["school-a"]
    assert [r.organisation.slug for r in rows_filtered(rows, status="confirmed")] == ["school-b"]
    assert [r.organisation.slug for r in rows_filtered(rows, text="บ้าน")] == ["school-b"]
    assert [r.organisation.slug for r in rows_filtered(rows, text="SCHOOL-C")] == ["school-c"]
    assert rows_filtered(rows, status="confirmed", text="ชุมชน") == []


def test_fifty_rows_a_page(esa):
    for n in range(60):
        make_school(esa, f"s{n:02d}", f"โรงเรียน {n:02d}")
    rows = rollup_rows(parent=esa, fiscal_year=YEAR, today=TODAY)
    first = rollup_page(rows, page=1)
    second = rollup_page(rows, page=2)
    assert len(first.object_list) == 50 and len(second.object_list) == 10
    assert second.object_list[-1].organisation.slug == "s59"
    assert rollup_page(rows, page="not a number").number == 1
    assert rollup_page(rows, page=99).number == 2


def _schools(esa, count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        school = make_school(esa, f"q{n:03d}")
        ready_items(school, "W1")
        make_assessment(school, 2565, official_total="85.00")
        submit(school, {"W1": "pass", "W2": "fail"})


def test_the_page_costs_a_fixed_number_of_queries_for_3_or_30_schools(
    esa, django_assert_max_num_queries
):
    user = make_user("esa-viewer", esa, Role.VIEWER)
    client = logged_in(user)
    url = reverse("disclosures_staff:rollup", args=[esa.slug, YEAR])
    _schools(esa, 3)
    client.get(url)  # warm up (sessions, templates)
    with CaptureQueriesContext(connection) as three_schools:
        assert client.get(url).status_code == 200
    _schools(esa, 27, start=3)
    with django_assert_max_num_queries(len(three_schools)):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('id="school-q') == 30


def test_the_export_costs_a_fixed_number_of_queries(esa, django_assert_max_num_queries):
    user = make_user("esa-viewer", esa, Role.VIEWER)
    client = logged_in(user)
    url = reverse("disclosures_staff:rollup-xlsx", args=[esa.slug, YEAR])
    _schools(esa, 3)
    client.get(url)
    with CaptureQueriesContext(connection) as three_schools:
        client.get(url)
    _schools(esa, 27, start=3)
    with django_assert_max_num_queries(len(three_schools)):
        assert client.get(url).status_code == 200
