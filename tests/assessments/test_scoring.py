from decimal import Decimal

import pytest

from assessments.models import ItemResult
from assessments.scoring import (
    Trend,
    organisation_results,
    round_half_up,
    sub_indicator_averages,
    year_result,
)
from tests.builders import REFERENCE_003, make_assessment


def _result(org, year=2564, scores=REFERENCE_003, **kwargs):
    make_assessment(org, year, scores, **kwargs)
    return next(r for r in organisation_results(organisation=org) if r.fiscal_year == year)


def test_reference_003_instrument_points_total_and_grade(org):
    result = _result(org)
    points = {i.instrument.code: i.points for i in result.instruments}
    assert points == {"IIT": Decimal("28.38"), "EIT": Decimal("29.19"), "OIT": Decimal("33.93")}
    assert result.total == Decimal("91.50")
    assert result.level.grade == "A"
    assert result.passed is True


def test_reference_003_indicator_9_is_level_b_and_not_passed(org):
    result = _result(org)
    nine = next(r for r in result.indicators if r.indicator.number == 9)
    assert nine.level.grade == "B"
    assert nine.passed is False
    levels = [r.level.grade for r in result.indicators]
    assert levels == ["AA", "A", "AA", "AA", "A", "AA", "AA", "AA", "B", "A"]


def test_points_are_rounded_not_the_instrument_mean(org):
    # Rounding the IIT mean (94.584) first would give 94.58 × 0.3 = 28.37.
    result = _result(org)
    iit = result.instruments[0]
    assert iit.mean == Decimal("94.584")
    assert iit.score == Decimal("94.58")
    assert iit.points == Decimal("28.38")


def test_round_half_up_rounds_halves_away_from_zero():
    assert round_half_up(Decimal("28.375")) == Decimal("28.38")
    assert round_half_up(Decimal("28.385")) == Decimal("28.39")
    assert round_half_up(Decimal("28.3749")) == Decimal("28.37")


@pytest.mark.parametrize(
    ("score", "grade", "passed"),
    [
        ("100.00", "AA", True),
        ("95.00", "AA", True),
        ("94.99", "A", True),
        ("85.00", "A", True),
        ("84.99", "B", False),
        ("75.00", "B", False),
        ("65.00", "C", False),
        ("55.00", "D", False),
        ("50.00", "E", False),
        ("49.99", "F", False),
        ("0.00", "F", False),
    ],
)
def test_band_edges_for_an_indicator(org, score, grade, passed):
    result = _result(org, scores=[score] + ["90.00"] * 9)
    first = result.indicators[0]
    assert first.level.grade == grade
    assert first.passed is passed


@pytest.mark.parametrize(
    ("score", "grade"), [("84.90", "B"), ("85.00", "A"), ("50.00", "E"), ("49.90", "F")]
)
def test_band_edges_for_the_total(org, score, grade):
    result = _result(org, scores=[score] * 10)
    assert result.total == Decimal(score)
    assert result.level.grade == grade


def test_rounded_points_can_carry_the_total_into_the_next_band(org):
    # 94.99 × 0.3 = 28.497 → 28.50 twice, 94.99 × 0.4 = 37.996 → 38.00: the
    # published method (sum of rounded points) gives 95.00, grade AA.
    result = _result(org, scores=["94.99"] * 10)
    assert result.total == Decimal("95.00")
    assert result.level.grade == "AA"


def test_missing_indicator_means_no_total_not_zero(org):
    scores = list(REFERENCE_003)
    scores[6] = None
    result = _result(org, scores=scores)
    assert result.total is None
    assert result.level is None
    assert result.passed is None
    assert [i.number for i in result.missing] == [7]
    eit = next(i for i in result.instruments if i.instrument.code == "EIT")
    assert eit.points is None
    iit = next(i for i in result.instruments if i.instrument.code == "IIT")
    assert iit.points == Decimal("28.38")


def test_official_total_mismatch_is_flagged_beyond_one_hundredth(org):
    assert _result(org, year=2564, official_total="91.51").official_mismatch is False
    assert _result(org, year=2565, official_total="91.60").official_mismatch is True


def test_no_mismatch_without_a_computed_total(org):
    result = _result(org, scores=REFERENCE_003[:9], official_total="80.00")
    assert result.official_mismatch is False
    assert result.shown_total == Decimal("80.00")


def test_trend_and_difference_against_previous_year(org):
    make_assessment(org, 2562, official_total="86.82")
    make_assessment(org, 2563, official_total="87.67")
    make_assessment(org, 2564, REFERENCE_003)
    make_assessment(org, 2565, ["80.00"] * 10)
    results = {r.fiscal_year: r for r in organisation_results(organisation=org)}
    assert results[2562].delta is None and results[2562].trend is None
    assert results[2563].delta == Decimal("0.85") and results[2563].trend == Trend.UP
    assert results[2564].delta == Decimal("3.83") and results[2564].trend == Trend.UP
    assert results[2565].delta == Decimal("-11.50") and results[2565].trend == Trend.DOWN


def test_trend_skips_a_year_without_total(org):
    make_assessment(org, 2564, ["90.00"] * 10)
    make_assessment(org, 2565, ["90.00"] * 9)  # incomplete
    results = organisation_results(organisation=org)
    assert results[1].delta is None
    assert results[1].previous.fiscal_year == 2564


def test_same_total_is_no_change(org):
    make_assessment(org, 2564, ["90.00"] * 10)
    make_assessment(org, 2565, ["90.00"] * 10)
    assert organisation_results(organisation=org)[1].trend == Trend.SAME


def test_strengths_are_top_level_highest_first(org):
    result = _result(org)
    assert [r.indicator.number for r in result.strengths] == [1, 6, 7, 8, 3, 4]


def test_to_develop_uses_pass_mark_by_default(org):
    result = _result(org)
    assert result.threshold == Decimal("85.00")
    assert [r.indicator.number for r in result.to_develop] == [9]


def test_to_develop_with_threshold_100(org):
    org.develop_threshold = Decimal("100")
    org.save()
    result = _result(
        org,
        scores=["98.08", "98.85", "100", "99.46", "99.04", "100", "99.91", "100", "92.78", "100"],
    )
    assert [r.indicator.number for r in result.to_develop] == [1, 2, 4, 5, 7, 9]


def test_year_without_edition_keeps_only_published_total(org):
    assessment = make_assessment(org, 2560, official_total="75.54")
    result = year_result(assessment=assessment)
    assert result.edition is None
    assert result.total is None
    assert result.shown_total == Decimal("75.54")
    assert result.strengths == [] and result.to_develop == []


def test_oit_sub_indicator_averages_from_item_results(org, edition):
    assessment = make_assessment(org, 2564, REFERENCE_003)
    items = {i.code: i for i in edition.items.all()}
    for code in ("O1", "O2", "O3"):
        ItemResult.objects.create(assessment=assessment, item=items[code], passed=code != "O1")
    ItemResult.objects.create(
        assessment=assessment, item=items["O10"], passed=True, score=Decimal("87.5")
    )
    result = year_result(assessment=assessment)
    averages = {a.sub_indicator.code: a for a in sub_indicator_averages(result=result)}
    assert averages["9.1"].average == Decimal("66.67")
    assert [r.item.code for r in averages["9.1"].failed] == ["O1"]
    assert averages["9.2"].average == Decimal("87.50")
    assert "9.3" not in averages


def test_history_is_computed_in_a_fixed_number_of_queries(org, django_assert_max_num_queries):
    for year in range(2556, 2564):
        make_assessment(org, year, official_total="80.00")
    make_assessment(org, 2564, REFERENCE_003)
    make_assessment(org, 2565, REFERENCE_003)
    with django_assert_max_num_queries(7):
        results = organisation_results(organisation=org)
        totals = [r.shown_total for r in results]
        [r.strengths for r in results]
    assert len(totals) == 10
