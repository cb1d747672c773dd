"""The self-check API: readiness, findings and the predicted OIT score."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from disclosures.selfcheck import organisations_selfcheck, year_selfcheck
from tests.builders import make_org
from tests.disclosures.builders import make_disclosure

pytestmark = pytest.mark.django_db

TODAY = dt.date(2022, 5, 1)


def test_nothing_done_every_item_not_ready_score_zero():
    org = make_org("a", website="https://a.go.th")
    check = year_selfcheck(organisation=org, fiscal_year=2565, today=TODAY)
    assert check.total == len(check.items) > 0
    assert check.ready_count == 0
    assert check.readiness == 0
    assert check.predicted.score == Decimal(0)
    assert all(c.findings for c in check.items)
    costs = check.predicted.costs
    assert [c for c, _w in costs] and costs[0][1] >= costs[-1][1]
    assert sum(w for _c, w in costs) == Decimal(100)


def test_published_with_link_is_ready_and_counts():
    org = make_org("a", website="https://a.go.th")
    make_disclosure(org, "O1", 2565, links=1, published=True)
    check = year_selfcheck(organisation=org, fiscal_year=2565, today=TODAY)
    o1 = next(c for c in check.items if c.item.code == "O1")
    assert o1.ready, o1.findings
    assert check.ready_count == 1
    assert check.predicted.score > 0


def test_many_organisations():
    orgs = [make_org(f"o{n}") for n in range(3)]
    result = organisations_selfcheck(organisations=orgs, fiscal_year=2565, today=TODAY)
    assert set(result) == {o.pk for o in orgs}
