"""The self-assessed (predicted) result of a year, before anyone else scores it.

IIT and EIT come from the office's own survey rounds (a round counts only
from ``MIN_RESPONSES_SHOWN`` responses on), the OIT from the assessor's
verdicts once the review is confirmed, else from the pre-check's prediction.
They are combined by ``assessments.scoring.year_result`` on an unsaved
``Assessment`` of kind SELF: the same weights, rounding and level rules as an
official result, so "predicted vs official" compares two results scored alike.

What is shown is exactly what ``predicted_record`` writes: the OIT's indicator
values are rounded half-up to 2 places before scoring, as a stored indicator
score is, so the recorded self-assessed result scores the same total.

    predicted_year(organisation=..., fiscal_year=...) -> Prediction
    predicted_record(organisation=..., fiscal_year=...) -> Assessment (kind SELF)
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import (
    Assessment,
    AssessmentKind,
    Instrument,
    Item,
    Organisation,
    SurveyRound,
)
from assessments.scoring import (
    EditionData,
    InstrumentResult,
    YearResult,
    editions_data,
    mean,
    round_half_up,
    year_result,
)
from assessments.surveys.bank import Bank, survey_bank
from assessments.surveys.scores import RoundScores, round_scores
from assessments.surveys.services import SurveyError, self_assessment_record

from .models import ItemReview, Submission, SubmissionStatus
from .rollup import review_value
from .selfcheck import PredictedOIT, YearSelfCheck, year_selfcheck

# A prediction within this many points (0–100 scale) of the official score is
# "close": two points is about one sub-item answered a level lower by a tenth
# of the respondents, the noise of a survey of a few dozen people. Beyond it,
# the office over- or under-predicted and should look at why.
CLOSE_MARGIN = Decimal("2.00")


class Agreement(models.TextChoices):
    CLOSE = "close", gettext_lazy("close")
    OVER = "over", gettext_lazy("over-predicted")
    UNDER = "under", gettext_lazy("under-predicted")


def agreement(difference: Decimal | None) -> str:
    """The word for predicted − official: close, over- or under-predicted ('' if unknown)."""
    if difference is None:
        return ""
    if abs(difference) <= CLOSE_MARGIN:
        return Agreement.CLOSE
    return Agreement.OVER if difference > 0 else Agreement.UNDER


class Source(models.TextChoices):
    SURVEY = "survey", gettext_lazy("the office's survey round")
    REVIEW = "review", gettext_lazy("the assessor's confirmed verdicts")
    SELFCHECK = "selfcheck", gettext_lazy("the OIT pre-check (ready items pass)")


class Missing(models.TextChoices):
    NO_BANK = "no_bank", gettext_lazy("no survey questions or OIT items in this year's framework")
    NO_ROUND = "no_round", gettext_lazy("no survey round this year")
    TOO_FEW = "too_few", gettext_lazy("fewer than 5 responses")
    INCOMPLETE = "incomplete", gettext_lazy("not every indicator has a score")


@dataclass
class OITValues:
    """The OIT as the prediction uses it: exact indicator means (by indicator pk)."""

    source: str
    instrument_id: int | None
    indicators: dict[int, Decimal] = field(default_factory=dict)
    score: Decimal | None = None  # the instrument's exact own score

    @property
    def source_label(self) -> str:
        return str(Source(self.source).label)


def oit_from_selfcheck(predicted: PredictedOIT, edition: EditionData) -> OITValues:
    """The pre-check's prediction, its indicators (kept by number there) by pk."""
    by_number = {i.number: i.pk for i in edition.indicators}
    return OITValues(
        source=Source.SELFCHECK,
        instrument_id=predicted.instrument.pk if predicted.instrument else None,
        indicators={by_number[n]: v for n, v in predicted.indicators.items() if n in by_number},
        score=predicted.score,
    )


def oit_from_reviews(
    reviews: Iterable[ItemReview], instrument_id: int | None, edition: EditionData
) -> OITValues:
    """The confirmed verdicts rolled up as the edition does (items mean per
    sub-indicator, sub-indicators per indicator); items without a verdict do not
    count, as in the roll-up's final OIT. The reviews need ``item__sub_indicator``."""
    instrument_of = {i.pk: i.instrument_id for i in edition.indicators}
    by_sub: dict[int, list[Decimal]] = defaultdict(list)
    indicator_of: dict[int, int] = {}
    for review in reviews:
        value = review_value(review)
        item: Item = review.item
        if value is None or instrument_of.get(item.sub_indicator.indicator_id) != instrument_id:
            continue
        by_sub[item.sub_indicator_id].append(value)
        indicator_of[item.sub_indicator_id] = item.sub_indicator.indicator_id
    by_indicator: dict[int, list[Decimal]] = defaultdict(list)
    for sub_pk, values in by_sub.items():
        by_indicator[indicator_of[sub_pk]].append(mean(values))
    indicators = {pk: mean(subs) for pk, subs in by_indicator.items()}
    return OITValues(
        source=Source.REVIEW,
        instrument_id=instrument_id,
        indicators=indicators,
        score=mean(indicators.values()) if indicators else None,
    )


@dataclass
class SurveyInput:
    bank: Bank
    round: SurveyRound | None
    scores: RoundScores | None  # None without a round or a bank


@dataclass
class Line:
    """One instrument of the prediction, with where its score came from."""

    instrument: Instrument
    result: InstrumentResult
    source: str = ""
    missing: str = ""
    survey: SurveyInput | None = None
    official: InstrumentResult | None = None

    @property
    def source_label(self) -> str:
        return str(Source(self.source).label) if self.source else ""

    @property
    def missing_label(self) -> str:
        return str(Missing(self.missing).label) if self.missing else ""

    @property
    def difference(self) -> Decimal | None:
        if self.official is None or self.official.score is None or self.result.score is None:
            return None
        return round_half_up(self.result.score - self.official.score)

    @property
    def agreement(self) -> str:
        return agreement(self.difference)

    @property
    def agreement_label(self) -> str:
        word = self.agreement
        return str(Agreement(word).label) if word else ""


@dataclass
class Prediction:
    organisation: Organisation
    fiscal_year: int
    result: YearResult
    lines: list[Line] = field(default_factory=list)
    oit: OITValues | None = None
    official: YearResult | None = None
    # What year_result was given, and what predicted_record writes.
    scores: dict[int, Decimal] = field(default_factory=dict)
    entered: dict[int, Decimal] = field(default_factory=dict)

    @property
    def total(self) -> Decimal | None:
        return self.result.total

    @property
    def level(self):
        return self.result.level

    @property
    def level_label(self) -> str:
        return self.result.level_label if self.result.total is not None else ""

    @property
    def complete(self) -> bool:
        return self.result.total is not None

    @property
    def missing(self) -> list[Line]:
        return [line for line in self.lines if line.missing]

    def line(self, code: str) -> Line | None:
        return next((x for x in self.lines if x.instrument.code == code), None)

    def score_of(self, code: str) -> Decimal | None:
        found = self.line(code)
        return None if found is None else found.result.score

    @property
    def total_difference(self) -> Decimal | None:
        if self.official is None or self.total is None or self.official.shown_total is None:
            return None
        return round_half_up(self.total - self.official.shown_total)

    @property
    def total_agreement(self) -> str:
        return agreement(self.total_difference)

    @property
    def total_agreement_label(self) -> str:
        word = self.total_agreement
        return str(Agreement(word).label) if word else ""

    @property
    def known(self) -> bool:
        """Whether anything at all is predicted (worth recording)."""
        return bool(self.scores or self.entered)


def prediction_build(
    *,
    organisation: Organisation,
    fiscal_year: int,
    edition: EditionData | None,
    surveys: dict[str, SurveyInput],
    oit: OITValues | None,
    official: YearResult | None = None,
) -> Prediction:
    """Score what is known by the edition's rules (no query: everything is given)."""
    assessment = Assessment(
        organisation=organisation,
        fiscal_year=fiscal_year,
        edition=edition.edition if edition else None,
        kind=AssessmentKind.SELF,
    )
    if edition is None:
        result = year_result(assessment=assessment, scores={}, entered={})
        return Prediction(organisation, fiscal_year, result, oit=oit, official=official)
    scores: dict[int, Decimal] = {}
    entered: dict[int, Decimal] = {}
    reasons: dict[int, tuple[str, str, SurveyInput | None]] = {}
    for instrument in edition.instruments:
        own = [i.pk for i in edition.indicators if i.instrument_id == instrument.pk]
        if oit is not None and instrument.pk == oit.instrument_id:
            if own and all(pk in oit.indicators for pk in own):
                scores.update({pk: round_half_up(oit.indicators[pk]) for pk in own})
            elif oit.score is not None:
                entered[instrument.pk] = round_half_up(oit.score)
            missing = "" if oit.score is not None else Missing.INCOMPLETE
            reasons[instrument.pk] = (oit.source, missing, None)
            continue
        survey = surveys.get(instrument.code)
        if survey is None or not survey.bank:
            reasons[instrument.pk] = ("", Missing.NO_BANK, survey)
        elif survey.round is None:
            reasons[instrument.pk] = ("", Missing.NO_ROUND, survey)
        elif survey.scores is None or not survey.scores.shown:
            reasons[instrument.pk] = (Source.SURVEY, Missing.TOO_FEW, survey)
        else:
            known = {pk: v for pk, v in survey.scores.indicator_scores.items() if pk in own}
            scores.update(known)
            complete = bool(own) and all(pk in known for pk in own)
            reasons[instrument.pk] = (
                Source.SURVEY,
                "" if complete else Missing.INCOMPLETE,
                survey,
            )
    result = year_result(assessment=assessment, edition=edition, scores=scores, entered=entered)
    official_by_code = (
        {i.instrument.code: i for i in official.instruments} if official is not None else {}
    )
    lines = []
    for instrument_result in result.instruments:
        instrument = instrument_result.instrument
        source, missing, survey = reasons.get(instrument.pk, ("", Missing.NO_BANK, None))
        lines.append(
            Line(
                instrument=instrument,
                result=instrument_result,
                source=source,
                missing=missing if instrument_result.points is None else "",
                survey=survey,
                official=official_by_code.get(instrument.code),
            )
        )
    return Prediction(
        organisation=organisation,
        fiscal_year=fiscal_year,
        result=result,
        lines=lines,
        oit=oit,
        official=official,
        scores=scores,
        entered=entered,
    )


def official_result(organisation: Organisation, fiscal_year: int) -> YearResult | None:
    """The year's official result (``Assessment.objects`` is official only), if any."""
    assessment = (
        Assessment.objects.filter(organisation=organisation, fiscal_year=fiscal_year)
        .select_related("organisation")
        .prefetch_related("scores", "instrument_scores")
        .first()
    )
    return None if assessment is None else year_result(assessment=assessment)


def confirmed_reviews(organisation: Organisation, fiscal_year: int) -> list[ItemReview] | None:
    """The verdicts of a confirmed review of the year; None when the review is not confirmed."""
    submission = Submission.objects.filter(
        organisation=organisation, fiscal_year=fiscal_year, status=SubmissionStatus.CONFIRMED
    ).first()
    if submission is None:
        return None
    return list(submission.reviews.select_related("item__sub_indicator").order_by("item__number"))


def predicted_year(
    *, organisation: Organisation, fiscal_year: int, today: dt.date | None = None
) -> Prediction:
    """The year's predicted result, with the official one beside it when there is one."""
    check: YearSelfCheck = year_selfcheck(
        organisation=organisation, fiscal_year=fiscal_year, today=today
    )
    official = official_result(organisation, fiscal_year)
    if check.edition is None:
        return prediction_build(
            organisation=organisation,
            fiscal_year=fiscal_year,
            edition=None,
            surveys={},
            oit=None,
            official=official,
        )
    edition = editions_data([check.edition.pk])[check.edition.pk]
    rounds = {
        r.instrument_code: r
        for r in SurveyRound.objects.filter(organisation=organisation, fiscal_year=fiscal_year)
    }
    oit_instrument = check.predicted.instrument
    surveys = {}
    for instrument in edition.instruments:
        if oit_instrument is not None and instrument.pk == oit_instrument.pk:
            continue
        bank = survey_bank(check.edition, instrument.code)
        survey_round = rounds.get(instrument.code)
        scores = round_scores(survey_round, bank=bank) if survey_round and bank else None
        surveys[instrument.code] = SurveyInput(bank=bank, round=survey_round, scores=scores)
    reviews = confirmed_reviews(organisation, fiscal_year)
    if oit_instrument is None:
        oit = None
    elif reviews is not None:
        oit = oit_from_reviews(reviews, oit_instrument.pk, edition)
    else:
        oit = oit_from_selfcheck(check.predicted, edition)
    return prediction_build(
        organisation=organisation,
        fiscal_year=fiscal_year,
        edition=edition,
        surveys=surveys,
        oit=oit,
        official=official,
    )


def predicted_record(
    *, organisation: Organisation, fiscal_year: int, today: dt.date | None = None
) -> Assessment:
    """Write the year's prediction as its self-assessed result (kind SELF), replacing
    the one recorded before: survey and OIT indicator scores where each indicator is
    known, the OIT's instrument score where only that is."""
    prediction = predicted_year(organisation=organisation, fiscal_year=fiscal_year, today=today)
    if not prediction.known:
        raise SurveyError(
            _(
                "Nothing can be predicted for %(year)s yet: no survey round has 5 responses and there is no OIT score."
            )
            % {"year": fiscal_year}
        )
    return self_assessment_record(
        organisation=organisation,
        fiscal_year=fiscal_year,
        indicator_scores=prediction.scores,
        instrument_scores=prediction.entered,
    )
