"""A round's scores against answers worked by hand (reverse-scored, mixed and yes/no
items included), the anonymity floor, and the predicted result's scoring path."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from assessments.models import AssessmentKind, Response
from assessments.surveys.scores import round_scores
from assessments.surveys.services import (
    SurveyError,
    response_submit,
    round_bank,
    round_create,
)
from tests.builders import make_org


def _day() -> dt.date:
    # Fiscal year 2569 runs 1 Oct 2025 – 30 Sep 2026 (Gregorian dates in the database).
    return dt.date(2026, 1, 15)


@pytest.fixture
def iit_round(db):
    org = make_org("office")
    return round_create(
        organisation=org,
        fiscal_year=2569,
        instrument_code="IIT",
        opens_on=dt.date(2025, 12, 1),
        closes_on=dt.date(2026, 2, 28),
        population=40,
    )


def _best(bank) -> dict[str, int]:
    """Every sub-item answered with the choice that scores 100."""
    return {item.code: (0 if item.reverse else 100) for item in bank.items}


def _answer(survey_round, overrides_per_respondent: list[dict[str, int]]) -> None:
    bank = round_bank(survey_round)
    for overrides in overrides_per_respondent:
        response_submit(
            survey_round=survey_round,
            values={**_best(bank), **overrides},
            today=_day(),
            bank=bank,
        )


@pytest.mark.django_db
def test_scores_match_answers_worked_by_hand(iit_round, django_assert_max_num_queries):
    # Five respondents. Deviations from the best answers:
    # I1.1 (normal, 4 levels): 0, 33, 67, 100, 100 → mean 60; I1.2 all 100 → I1 = 80.
    # I4.1 (reverse, มี/ไม่มี): one "มี" (stored 100) → stored mean 20 → score 80;
    #   I4.2, I4.3 "ไม่มี" → 100 → I4 = 93.333…
    # I11.2 (reverse inside a normal question): all "น้อย" (33) → score 67; I11.1 100 → 83.5.
    # I26.1 (normal yes/no): three มี, two ไม่มี → 60; I26.2 100 → I26 = 80.
    answers = [
        {"I1.1": 0, "I4.1": 100, "I11.2": 33, "I26.1": 0},
        {"I1.1": 33, "I11.2": 33, "I26.1": 0},
        {"I1.1": 67, "I11.2": 33},
        {"I1.1": 100, "I11.2": 33},
        {"I1.1": 100, "I11.2": 33},
    ]
    _answer(iit_round, answers)
    with django_assert_max_num_queries(8):
        scores = round_scores(iit_round)
    assert scores.responses == 5 and scores.shown
    by_code = {q.question.code: q for q in scores.questions}
    assert by_code["I1"].mean == Decimal(80)
    assert [i.mean for i in by_code["I1"].items] == [Decimal(60), Decimal(100)]
    assert by_code["I4"].score == Decimal("93.33")
    assert by_code["I11"].mean == Decimal("83.5")
    assert by_code["I26"].mean == Decimal(80)
    assert by_code["I9"].mean == Decimal(100)  # reverse, answered "least or none" by all
    indicators = {i.indicator.number: i.score for i in scores.indicators}
    # 1: (80 + 100 + 100 + 93.33… + 100 + 100) / 6 = 95.555… → 95.56
    # 2: (5 × 100 + 83.5) / 6 = 97.25; 5: (5 × 100 + 80) / 6 = 96.666… → 96.67
    assert indicators == {
        1: Decimal("95.56"),
        2: Decimal("97.25"),
        3: Decimal("100.00"),
        4: Decimal("100.00"),
        5: Decimal("96.67"),
    }
    # The instrument is the mean of the indicator scores as published (2 places):
    # (95.56 + 97.25 + 100 + 100 + 96.67) / 5 = 97.896 → 97.90 (97.89 from unrounded means).
    assert scores.score == Decimal("97.90")
    assert [q.question.code for q in scores.weakest[:4]] == ["I1", "I26", "I11", "I4"]
    # 40 staff: the NACC rule asks for at least 25.
    assert scores.progress.minimum == 25 and scores.progress.missing == 20


@pytest.mark.django_db
def test_nothing_is_computed_below_five_responses(iit_round):
    _answer(iit_round, [{}, {}, {}, {}])
    scores = round_scores(iit_round)
    assert scores.responses == 4 and not scores.shown
    assert scores.indicators == [] and scores.score is None and scores.weakest == []


@pytest.mark.django_db
def test_a_response_missing_an_answer_or_outside_the_scale_is_refused(iit_round):
    bank = round_bank(iit_round)
    values = _best(bank)
    del values["I30.4"]
    with pytest.raises(SurveyError, match=r"I30\.4"):
        response_submit(survey_round=iit_round, values=values, today=_day())
    with pytest.raises(SurveyError, match=r"I4\.1"):
        # 33 is a four-level value; I4 is มี/ไม่มี.
        response_submit(survey_round=iit_round, values={**_best(bank), "I4.1": 33}, today=_day())
    with pytest.raises(SurveyError):
        response_submit(survey_round=iit_round, values=_best(bank), today=dt.date(2026, 3, 1))
    assert Response.objects.count() == 0


@pytest.mark.django_db
def test_a_one_time_code_opens_the_round_once(db):
    from assessments.surveys.services import codes_generate

    org = make_org("school")
    survey_round = round_create(
        organisation=org,
        fiscal_year=2569,
        instrument_code="IIT",
        opens_on=dt.date(2025, 12, 1),
        closes_on=dt.date(2026, 2, 28),
        uses_codes=True,
    )
    code = codes_generate(survey_round=survey_round, count=3)[0].code
    bank = round_bank(survey_round)
    with pytest.raises(SurveyError):
        response_submit(survey_round=survey_round, values=_best(bank), today=_day())
    response_submit(survey_round=survey_round, values=_best(bank), today=_day(), code=code.lower())
    with pytest.raises(SurveyError):
        response_submit(survey_round=survey_round, values=_best(bank), today=_day(), code=code)
    assert survey_round.responses.count() == 1
    assert survey_round.codes.filter(used=True).count() == 1


@pytest.mark.django_db
def test_a_round_needs_a_bank_and_is_unique(iit_round):
    with pytest.raises(SurveyError):
        round_create(
            organisation=iit_round.organisation,
            fiscal_year=2569,
            instrument_code="IIT",
            opens_on=dt.date(2025, 12, 1),
            closes_on=dt.date(2026, 2, 28),
        )
    with pytest.raises(SurveyError):
        round_create(
            organisation=iit_round.organisation,
            fiscal_year=2569,
            instrument_code="OIT",  # the OIT is checked, not surveyed: no questions
            opens_on=dt.date(2025, 12, 1),
            closes_on=dt.date(2026, 2, 28),
        )


@pytest.mark.django_db
def test_a_self_assessed_result_is_scored_like_an_official_one_and_kept_apart(iit_round):
    from assessments.models import Assessment, Edition
    from assessments.scoring import year_result
    from assessments.surveys.services import self_assessment_record

    edition = Edition.objects.get(code="nacc-2569")
    indicators = {i.number: i for i in edition.indicators.all()}
    oit = edition.instruments.get(code="OIT")
    scores = {indicators[n].pk: Decimal("90") for n in range(1, 9)}
    recorded = self_assessment_record(
        organisation=iit_round.organisation,
        fiscal_year=2569,
        indicator_scores=scores,
        instrument_scores={oit.pk: Decimal("80")},
    )
    assert recorded.kind == AssessmentKind.SELF
    assert not Assessment.objects.filter(pk=recorded.pk).exists()  # official only
    result = year_result(assessment=Assessment.all_kinds.get(pk=recorded.pk))
    # IIT 90 × 30 % + EIT 90 × 30 % + OIT 80 × 40 % = 27 + 27 + 32 = 86.00
    assert result.total == Decimal("86.00")
    assert result.passed
