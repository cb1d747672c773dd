"""Minimum samples from the shipped rules, at their boundaries, and the scheme fallback."""

from __future__ import annotations

import pytest

from assessments.models import SampleRule, Scheme
from assessments.surveys.sampling import SampleProgress, minimum_sample, rule_for
from tests.builders import make_org

pytestmark = pytest.mark.django_db


def _rule(scheme: str, instrument: str) -> SampleRule:
    return SampleRule.objects.get(scheme__code=scheme, instrument_code=instrument)


@pytest.mark.parametrize(
    "population,minimum", [(0, 0), (1, 1), (24, 24), (25, 25), (26, 25), (1000, 25)]
)
def test_obec_iit_at_least_25_or_everyone(population, minimum):
    assert minimum_sample(_rule("obec", "IIT"), population) == minimum


@pytest.mark.parametrize(
    "population,minimum",
    [
        (29, 29),
        (30, 30),
        (300, 30),
        (301, 31),
        (3999, 400),
        (4000, 400),
        (4001, 400),
        (10000, 400),
    ],
)
@pytest.mark.parametrize("scheme", ["obec", "nacc"])
def test_eit_ten_percent_at_least_30_at_most_400(scheme, population, minimum):
    assert minimum_sample(_rule(scheme, "EIT"), population) == minimum


@pytest.mark.parametrize("population,minimum", [(10, 10), (25, 25), (200, 25)])
def test_nacc_iit(population, minimum):
    assert minimum_sample(_rule("nacc", "IIT"), population) == minimum


def test_unknown_population_or_rule_gives_no_minimum():
    assert minimum_sample(_rule("obec", "IIT"), None) is None
    assert minimum_sample(None, 100) is None


def test_a_scheme_without_a_rule_falls_back_to_the_naccs():
    other = Scheme.objects.create(code="moi", name_th="กระทรวงมหาดไทย")
    org = make_org("district", scheme=other)
    assert rule_for(org, "EIT") == _rule("nacc", "EIT")
    school = make_org("school", scheme=Scheme.objects.get(code="obec"))
    assert rule_for(school, "EIT") == _rule("obec", "EIT")
    assert rule_for(make_org("plain"), "IIT") == _rule("nacc", "IIT")
    assert rule_for(org, "OIT") is None


def test_progress_toward_the_minimum():
    progress = SampleProgress(responses=12, minimum=30)
    assert (progress.missing, progress.percent, progress.reached) == (18, 40, False)
    done = SampleProgress(responses=35, minimum=30)
    assert (done.missing, done.percent, done.reached) == (0, 100, True)
    assert SampleProgress(responses=3, minimum=None).missing is None
