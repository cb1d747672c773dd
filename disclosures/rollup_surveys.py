"""The roll-up's survey columns: each school's IIT and EIT from its rounds, and its
predicted total and level, for every school at once in a fixed number of queries.

The rounds of all the schools once (with their response counts), the answers'
sums of every round with at least ``MIN_RESPONSES_SHOWN`` responses in one
GROUP BY query, the sample rules once, the editions' structure and question
banks once per edition. Each school's prediction is then scored in memory by
``predicted.prediction_build``, as its own page scores it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count

from assessments.models import (
    MIN_RESPONSES_SHOWN,
    NACC_SCHEME,
    Edition,
    Organisation,
    SampleRule,
    SurveyRound,
)
from assessments.scoring import editions_data
from assessments.surveys.bank import Bank, survey_bank
from assessments.surveys.sampling import minimum_sample
from assessments.surveys.scores import round_scores_from, rounds_item_sums

from .models import SubmissionStatus
from .predicted import (
    OITValues,
    Prediction,
    SurveyInput,
    oit_from_reviews,
    oit_from_selfcheck,
    prediction_build,
)

if TYPE_CHECKING:
    from .rollup import SchoolRow
    from .selfcheck import YearSelfCheck


def _rule(rules: list[SampleRule], organisation: Organisation, code: str) -> SampleRule | None:
    """``sampling.rule_for`` without a query: the organisation's scheme's rule, else the NACC's."""
    own = [r for r in rules if r.instrument_code == code]
    mine = next((r for r in own if r.scheme_id == organisation.scheme_id), None)
    return mine or next((r for r in own if r.scheme.code == NACC_SCHEME), None)


def rows_predict(
    rows: list[SchoolRow], *, fiscal_year: int, checks: dict[int, YearSelfCheck]
) -> None:
    """Fill each row's ``prediction`` (IIT, EIT, predicted total and level)."""
    if not rows:
        return
    children = [row.organisation for row in rows]
    rounds = list(
        SurveyRound.objects.filter(organisation__in=children, fiscal_year=fiscal_year).annotate(
            answered=Count("responses")
        )
    )
    # Answers are summed only for rounds that may be shown (anonymity).
    sums = rounds_item_sums([r for r in rounds if r.answered >= MIN_RESPONSES_SHOWN])
    by_org: dict[int, dict[str, SurveyRound]] = {}
    for survey_round in rounds:
        by_org.setdefault(survey_round.organisation_id, {})[survey_round.instrument_code] = (
            survey_round
        )
    editions: dict[int, Edition] = {
        check.edition.pk: check.edition for check in checks.values() if check.edition is not None
    }
    structure = editions_data(editions) if editions else {}
    rules = list(SampleRule.objects.select_related("scheme")) if rounds else []
    banks: dict[tuple[int, str], Bank] = {}

    def bank_for(edition: Edition, code: str) -> Bank:
        # One bank per edition and instrument, whatever the number of schools.
        if (edition.pk, code) not in banks:
            banks[edition.pk, code] = survey_bank(edition, code)
        return banks[edition.pk, code]

    for row in rows:
        org = row.organisation
        check = checks.get(org.pk)
        if check is None or check.edition is None:
            continue
        edition = structure[check.edition.pk]
        oit_instrument = check.predicted.instrument
        surveys: dict[str, SurveyInput] = {}
        for instrument in edition.instruments:
            if oit_instrument is not None and instrument.pk == oit_instrument.pk:
                continue
            survey_round = by_org.get(org.pk, {}).get(instrument.code)
            bank = bank_for(check.edition, instrument.code)
            scores = None
            if survey_round is not None and bank:
                scores = round_scores_from(
                    survey_round,
                    bank=bank,
                    responses=survey_round.answered,
                    minimum=minimum_sample(
                        _rule(rules, org, instrument.code), survey_round.population
                    ),
                    sums=sums.get(survey_round.pk, {}),
                )
            surveys[instrument.code] = SurveyInput(bank=bank, round=survey_round, scores=scores)
        oit: OITValues | None = None
        if oit_instrument is not None:
            if row.submission is not None and row.submission.status == SubmissionStatus.CONFIRMED:
                oit = oit_from_reviews(row.reviews, oit_instrument.pk, edition)
            else:
                oit = oit_from_selfcheck(check.predicted, edition)
        row.prediction = prediction_build(
            organisation=org,
            fiscal_year=fiscal_year,
            edition=edition,
            surveys=surveys,
            oit=oit,
        )


__all__ = ["Prediction", "rows_predict"]
