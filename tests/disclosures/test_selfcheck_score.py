"""The predicted OIT score against hand-computed figures, and bounded queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.scoring import round_half_up
from disclosures.selfcheck import organisations_selfcheck, year_selfcheck
from tests.builders import make_org
from tests.disclosures.builders import make_disclosure
from tests.disclosures.selfcheck_world import YEAR, disclosure, link, shaped_edition
from tests.measures.builders import make_follow_up, make_measure

pytestmark = pytest.mark.django_db

TODAY = dt.date(2037, 11, 1)

# 26 items in 8 sub-indicators under indicators 2 and 3: (items, of which ready).
SHAPE = {
    "2.1": (2, 4, 3),
    "2.2": (2, 3, 1),
    "2.3": (2, 3, 3),
    "2.4": (2, 2, 0),
    "3.1": (3, 5, 5),
    "3.2": (3, 3, 2),
    "3.3": (3, 4, 1),
    "3.4": (3, 2, 1),
}


@pytest.fixture
def scored():
    items, ready = [], []
    for sub, (_indicator, count, ready_count) in SHAPE.items():
        for n in range(count):
            code = f"X{sub.replace('.', '')}{n}"
            items.append((code, sub, {}))
            if n < ready_count:
                ready.append(code)
    shaped_edition(
        code="selfcheck-26",
        year=YEAR,
        subs={sub: shape[0] for sub, shape in SHAPE.items()},
        items=items,
    )
    org = make_org("office", website="https://office.go.th")
    for code in ready:
        link(disclosure(org, code))
    return org


def test_26_items_in_8_sub_indicators(scored):
    result = year_selfcheck(organisation=scored, fiscal_year=YEAR, today=TODAY)
    predicted = result.predicted
    assert result.total == 26 and result.ready_count == 16
    assert round_half_up(result.readiness) == Decimal("61.54")
    # The instrument holding the items, not the survey without items, whatever its code.
    assert predicted.instrument.code == "WEB"
    subs = {code: round_half_up(v) for code, v in predicted.sub_indicators.items()}
    assert subs == {
        "2.1": Decimal("75.00"),
        "2.2": Decimal("33.33"),
        "2.3": Decimal("100.00"),
        "2.4": Decimal("0.00"),
        "3.1": Decimal("100.00"),
        "3.2": Decimal("66.67"),
        "3.3": Decimal("25.00"),
        "3.4": Decimal("50.00"),
    }
    # (75 + 33.33… + 100 + 0) / 4 and (100 + 66.67… + 25 + 50) / 4, means of exact values.
    assert {k: round_half_up(v) for k, v in predicted.indicators.items()} == {
        2: Decimal("52.08"),
        3: Decimal("60.42"),
    }
    assert round_half_up(predicted.score) == Decimal("56.25")


def test_costs_biggest_first_and_they_add_up(scored):
    predicted = year_selfcheck(organisation=scored, fiscal_year=YEAR, today=TODAY).predicted
    costs = [(check.item.code, round_half_up(points)) for check, points in predicted.costs]
    assert len(costs) == 10
    # An item of a two-item sub-indicator: 100 / 2 items / 4 sub-indicators / 2 indicators.
    assert costs[:3] == [
        ("X240", Decimal("6.25")),
        ("X241", Decimal("6.25")),
        ("X341", Decimal("6.25")),
    ]
    assert [c for _code, c in costs] == sorted((c for _code, c in costs), reverse=True)
    assert dict(costs)["X221"] == Decimal("4.17")  # 100 / 3 / 4 / 2
    assert dict(costs)["X331"] == Decimal("3.13")  # 100 / 4 / 4 / 2 = 3.125, half up
    total = predicted.score + sum(points for _check, points in predicted.costs)
    assert round_half_up(total) == Decimal("100.00")


def test_readiness_follows_the_evidence_without_a_stored_state(scored):
    before = year_selfcheck(organisation=scored, fiscal_year=YEAR, today=TODAY)
    link(disclosure(scored, "X240"))
    after = year_selfcheck(organisation=scored, fiscal_year=YEAR, today=TODAY)
    assert after.ready_count == before.ready_count + 1
    assert after.predicted.score - before.predicted.score == Decimal("6.25")


def _world(count: int, prefix: str) -> list:
    orgs = []
    for n in range(count):
        org = make_org(f"{prefix}-{n}", website=f"https://{prefix}{n}.go.th")
        make_disclosure(org, "O1", 2565, links=2, documents=1, published=True)
        make_disclosure(org, "O2", 2565, links=1, published=True)
        measure = make_measure(org, 2565)
        make_follow_up(measure)
        orgs.append(org)
    return orgs


def test_many_organisations_in_a_fixed_number_of_queries(django_assert_num_queries):
    one = _world(1, "one")
    with CaptureQueriesContext(connection) as queries:
        organisations_selfcheck(organisations=one, fiscal_year=2565, today=TODAY)
    five = _world(5, "five")
    with django_assert_num_queries(len(queries)):
        result = organisations_selfcheck(organisations=five, fiscal_year=2565, today=TODAY)
    assert set(result) == {o.pk for o in five}
    assert all(r.total == 43 for r in result.values())
    o1 = {r.organisation.slug: r.check_for(r.items[0].item) for r in result.values()}
    assert all(check.item.code == "O1" for check in o1.values())
