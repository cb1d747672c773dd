from decimal import Decimal

from assessments.charts import history_line, indicator_bars
from assessments.scoring import organisation_results
from tests.builders import REFERENCE_003, make_assessment


def test_indicator_bars_scale_to_the_score_and_mark_failures(org):
    make_assessment(org, 2564, REFERENCE_003)
    chart = indicator_bars(organisation_results(organisation=org)[0])
    assert len(chart["bars"]) == 10
    one, nine = chart["bars"][0], chart["bars"][8]
    plot = chart["baseline"] - 20  # top margin
    assert abs(one.height - plot * 0.9913) < 0.2
    assert nine.passed is False and one.passed is True
    assert chart["pass_mark"] == Decimal("85.00")
    assert chart["grid"][0]["y"] == chart["baseline"]


def test_history_line_has_a_point_per_year_with_a_total(org):
    make_assessment(org, 2563, official_total="87.67")
    make_assessment(org, 2564, REFERENCE_003)
    make_assessment(org, 2565, REFERENCE_003[:5])  # no total
    chart = history_line(organisation_results(organisation=org))
    assert [p.label for p in chart["points"]] == ["2563", "2564"]
    assert chart["points"][1].y < chart["points"][0].y  # higher score, higher on the chart
    assert history_line([]) is None
