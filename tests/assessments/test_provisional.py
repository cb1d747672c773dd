"""Provisional editions: a year no edition covers is worked on a copy of the latest one."""

from __future__ import annotations

import pytest

from assessments.edition_data import FrameworkError, edition_snapshot
from assessments.framework import edition_for, edition_load, latest_edition
from assessments.models import Edition
from assessments.provisional import edition_start_provisional
from tests.builders import make_org
from tests.editions import edition_spec, two_instrument_edition

SHAPE = [("IIT", "30", [1, 2, 3, 4, 5]), ("EIT", "30", [6, 7, 8]), ("OIT", "40", [9, 10])]


def test_a_provisional_2570_is_a_labelled_copy_of_2569(db):
    org = make_org("office")
    assert edition_for(org, 2570) is None

    provisional = edition_start_provisional(fiscal_year=2570, organisation=org)

    source = Edition.objects.get(code="nacc-2569")
    assert provisional.code == "nacc-2570-provisional"
    assert provisional.provisional and provisional.based_on == source
    assert (provisional.first_year, provisional.last_year) == (2570, 2570)
    assert provisional.items.count() == source.items.count() == 26
    assert edition_for(org, 2570) == provisional
    # Started from the portal: load_framework will never take it for an edited file.
    assert provisional.loaded_snapshot == {}
    copied, original = edition_snapshot(provisional), edition_snapshot(source)
    assert copied["levels"] == original["levels"]
    assert copied["instruments"] == original["instruments"]


def test_starting_twice_gives_the_same_edition(db):
    org = make_org("office")
    first = edition_start_provisional(fiscal_year=2570, organisation=org)
    second = edition_start_provisional(fiscal_year=2570, organisation=make_org("another"))

    assert first.pk == second.pk
    assert Edition.objects.filter(provisional=True).count() == 1


def test_a_year_with_an_edition_gets_no_provisional_copy(db):
    org = make_org("office")

    assert edition_start_provisional(fiscal_year=2569, organisation=org).code == "nacc-2569"
    assert not Edition.objects.filter(provisional=True).exists()


def test_a_provisional_copy_of_any_shape(db):
    base = two_instrument_edition(2590)

    provisional = edition_start_provisional(fiscal_year=2591)

    assert provisional.based_on == base
    assert sorted(provisional.instruments.values_list("code", flat=True)) == ["SURV", "WEB"]
    assert provisional.indicators.count() == 4
    assert provisional.items.count() == 5


def test_a_second_provisional_edition_for_the_year_is_refused(db):
    edition_start_provisional(fiscal_year=2570)
    data = edition_spec(code="other-2570", first_year=2570, instruments=SHAPE)
    data["edition"]["provisional"] = True

    with pytest.raises(FrameworkError, match="overlap"):
        edition_load(data=data)


def test_a_real_edition_may_overlap_a_provisional_one_but_not_a_real_one(db):
    provisional = edition_start_provisional(fiscal_year=2570)

    real = edition_load(data=edition_spec(code="nacc-2570", first_year=2570, instruments=SHAPE))
    assert real.edition.provisional is False
    with pytest.raises(FrameworkError, match="nacc-2570"):
        edition_load(data=edition_spec(code="nacc-2570-b", first_year=2570, instruments=SHAPE))
    # Until the operator applies the replacement, offices keep the provisional one.
    assert edition_for(make_org("office"), 2570) == provisional
    # A copy for the next year is made from what the NACC published.
    assert latest_edition("nacc", before=2571) == real.edition
