"""The roll-up's IIT, EIT and predicted total and level columns: the figures of a
school's own page, the sheet's columns, and queries that do not grow with schools."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from assessments.models import OrganisationKind, Role
from assessments.surveys.scores import round_scores, round_scores_from, rounds_item_sums
from disclosures.predicted import predicted_year
from disclosures.rollup import rollup_rows, rows_sorted
from tests.builders import logged_in, make_org, make_user
from tests.disclosures.test_predicted import TODAY, YEAR, _confirmed_review, _eit, _iit

pytestmark = pytest.mark.django_db


def _school(esa, slug: str):
    return make_org(slug, parent=esa, kind=OrganisationKind.SCHOOL, name_th=f"โรงเรียน {slug}")


@pytest.fixture
def esa():
    return make_org("esa-1")


def _rows(esa):
    return {r.organisation.slug: r for r in rollup_rows(parent=esa, fiscal_year=YEAR, today=TODAY)}


def test_rows_show_the_schools_iit_eit_and_predicted_total_and_level(esa):
    full = _school(esa, "full")
    _iit(full)
    _eit(full)
    _confirmed_review(full, {"O1", "O20"})
    few = _school(esa, "few")
    _iit(few, respondents=4)
    _eit(few)
    _school(esa, "none")
    rows = _rows(esa)
    assert rows["full"].iit == Decimal("99.33") and rows["full"].eit == Decimal("96.89")
    assert rows["full"].predicted_total == Decimal("94.70")
    assert rows["full"].predicted_level == "ผ่านดี"
    # Fewer than 5 IIT responses: no IIT, no total, no level.
    assert rows["few"].iit is None and rows["few"].eit == Decimal("96.89")
    assert rows["few"].predicted_total is None and rows["few"].predicted_level == ""
    assert rows["none"].iit is None and rows["none"].predicted_total is None
    # The same figures as the school's own page.
    page = predicted_year(organisation=full, fiscal_year=YEAR, today=TODAY)
    assert rows["full"].prediction.total == page.total
    assert [line.result.points for line in rows["full"].prediction.lines] == [
        line.result.points for line in page.lines
    ]


def test_the_bulk_scores_are_those_of_round_scores(esa):
    school = _school(esa, "s")
    _iit(school)
    survey_round = school.survey_rounds.get()
    single = round_scores(survey_round)
    bulk = round_scores_from(
        survey_round,
        bank=single.bank,
        responses=single.responses,
        minimum=single.progress.minimum,
        sums=rounds_item_sums([survey_round])[survey_round.pk],
    )
    assert bulk.indicator_scores == single.indicator_scores
    assert bulk.mean == single.mean
    assert [q.mean for q in bulk.questions] == [q.mean for q in single.questions]


def test_sorting_by_the_predicted_total_puts_unknown_last(esa):
    for slug, failed in (("a", {"O1", "O2", "O20", "O23"}), ("b", {"O1", "O20"})):
        school = _school(esa, slug)
        _iit(school)
        _eit(school)
        _confirmed_review(school, failed)
    _school(esa, "c")
    rows = list(_rows(esa).values())
    ordered = rows_sorted(rows, key="predicted_total", descending=True)
    assert [r.organisation.slug for r in ordered] == ["b", "a", "c"]  # 94.70, 91.37, none


def test_the_page_and_the_sheet_have_the_columns(esa):
    school = _school(esa, "full")
    _iit(school)
    _eit(school)
    _confirmed_review(school, {"O1", "O20"})
    client = logged_in(make_user("esa-viewer", esa, Role.VIEWER))
    page = client.get(reverse("disclosures_staff:rollup", args=[esa.slug, YEAR])).content.decode()
    assert "94.70" in page and "99.33" in page and "96.89" in page
    response = client.get(reverse("disclosures_staff:rollup-xlsx", args=[esa.slug, YEAR]))
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    header = [c.value for c in sheet[1]]
    values = [c.value for c in sheet[2]]
    found = dict(zip(header[-4:], values[-4:], strict=True))
    assert list(found.values()) == [
        pytest.approx(99.33),
        pytest.approx(96.89),
        pytest.approx(94.70),
        "ผ่านดี",
    ]


def _schools_with_surveys(esa, count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        school = _school(esa, f"q{n:03d}")
        _iit(school)
        _eit(school)
        if n % 2:
            _confirmed_review(school, {"O1"})


def test_the_page_costs_a_fixed_number_of_queries_with_surveys(esa, django_assert_max_num_queries):
    client = logged_in(make_user("esa-viewer", esa, Role.VIEWER))
    url = reverse("disclosures_staff:rollup", args=[esa.slug, YEAR])
    _schools_with_surveys(esa, 2)
    client.get(url)  # warm up
    with CaptureQueriesContext(connection) as two_schools:
        assert client.get(url).status_code == 200
    _schools_with_surveys(esa, 8, start=2)
    with django_assert_max_num_queries(len(two_schools)):
        response = client.get(url)
    assert response.content.decode().count('id="school-q') == 10
    assert response.content.decode().count("99.33") == 10


def test_the_sheet_costs_a_fixed_number_of_queries_with_surveys(esa, django_assert_max_num_queries):
    client = logged_in(make_user("esa-viewer", esa, Role.VIEWER))
    url = reverse("disclosures_staff:rollup-xlsx", args=[esa.slug, YEAR])
    _schools_with_surveys(esa, 2)
    client.get(url)
    with CaptureQueriesContext(connection) as two_schools:
        client.get(url)
    _schools_with_surveys(esa, 8, start=2)
    with django_assert_max_num_queries(len(two_schools)):
        assert client.get(url).status_code == 200


def test_an_answer_from_a_round_below_five_is_never_summed(esa):
    school = _school(esa, "few")
    _iit(school, respondents=4)
    rows = _rows(esa)
    assert rows["few"].prediction.line("IIT").survey.scores.indicators == []
