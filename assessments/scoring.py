"""Scoring and analysis of ITA results, in ``Decimal`` throughout.

The reference documents compute, and this module follows them exactly:

- an instrument's score is the mean of its indicators' scores (kept exact);
- its points are that score × weight / 100, rounded half-up to 2 places;
- the total is the sum of the rounded points;
- the level comes from the edition's result levels (``assessments.levels``),
  from the total and every instrument's own score; an indicator is judged by
  the levels or against the pass mark, as the edition says.

A year may hold only instrument scores, or only the published total and
level: everything here uses what is known and never shows an unknown as zero.

Rounding the instrument mean before weighting would give IIT 28.37 instead
of the published 28.38 for reference 003, so only the points are rounded.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from .levels import LevelDecision, decide_level, indicator_passed, level_label, ordered_levels
from .models import (
    Assessment,
    Edition,
    Indicator,
    IndicatorLevelStyle,
    Instrument,
    ItemResult,
    Organisation,
    ResultLevel,
    SubIndicator,
)

TWO_PLACES = Decimal("0.01")
# An official total that differs from the computed one by more than this is flagged.
MISMATCH_TOLERANCE = Decimal("0.01")


def round_half_up(value: Decimal) -> Decimal:
    """Round to 2 places, halves away from zero, as the published figures are."""
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def mean(values: Iterable[Decimal]) -> Decimal:
    values = list(values)
    return sum(values, Decimal(0)) / len(values)


class Trend(models.TextChoices):
    UP = "up", _("Up")
    DOWN = "down", _("Down")
    SAME = "same", _("No change")


@dataclass(frozen=True)
class EditionData:
    """An edition's structure, loaded once and reused for every year it covers."""

    edition: Edition
    instruments: list[Instrument]
    indicators: list[Indicator]
    levels: list[ResultLevel]  # best first

    @property
    def pass_mark(self) -> Decimal:
        return self.edition.pass_mark

    @property
    def top_level(self) -> ResultLevel:
        return self.levels[0]

    @property
    def indicators_by_level(self) -> bool:
        return self.edition.indicator_levels == IndicatorLevelStyle.LEVELS

    def indicator_level(self, score: Decimal) -> ResultLevel | None:
        """An indicator's own level, when the edition grades indicators by its levels."""
        if not self.indicators_by_level:
            return None
        return decide_level(self.levels, total=score, instruments={}).level


def edition_data(edition: Edition) -> EditionData:
    """Structure of an edition; uses prefetched relations when they are there."""
    instruments = sorted(edition.instruments.all(), key=lambda i: (i.order, i.code))
    indicators = sorted(edition.indicators.all(), key=lambda i: i.number)
    return EditionData(
        edition=edition,
        instruments=instruments,
        indicators=indicators,
        levels=ordered_levels(edition.levels.all()),
    )


def editions_data(edition_ids: Iterable[int]) -> dict[int, EditionData]:
    editions = Edition.objects.filter(id__in=set(edition_ids)).prefetch_related(
        "instruments", "indicators", "levels"
    )
    return {e.id: edition_data(e) for e in editions}


@dataclass
class IndicatorResult:
    indicator: Indicator
    score: Decimal | None
    level: ResultLevel | None  # only when the edition grades indicators by levels
    passed: bool | None

    @property
    def label(self) -> str:
        return level_label(self.level)


@dataclass
class InstrumentResult:
    instrument: Instrument
    indicators: list[IndicatorResult]
    mean: Decimal | None  # exact mean of the indicator scores, or the entered score
    points: Decimal | None  # mean × weight / 100, rounded half-up
    entered: bool = False  # the score was entered for the instrument, not its indicators

    @property
    def score(self) -> Decimal | None:
        return None if self.mean is None else round_half_up(self.mean)


@dataclass
class SubIndicatorAverage:
    sub_indicator: SubIndicator
    average: Decimal
    results: list[ItemResult]

    @property
    def failed(self) -> list[ItemResult]:
        return [r for r in self.results if not r.passed]


@dataclass
class YearResult:
    assessment: Assessment
    edition: EditionData | None
    indicators: list[IndicatorResult] = field(default_factory=list)
    instruments: list[InstrumentResult] = field(default_factory=list)
    total: Decimal | None = None
    decision: LevelDecision = field(default_factory=lambda: LevelDecision(level=None))
    threshold: Decimal | None = None
    previous: YearResult | None = None

    @property
    def fiscal_year(self) -> int:
        return self.assessment.fiscal_year

    @property
    def official_total(self) -> Decimal | None:
        return self.assessment.official_total

    @property
    def shown_total(self) -> Decimal | None:
        """The total to show: computed when every instrument has a score, else the
        published one; ``None`` (never zero) when neither is known."""
        return self.total if self.total is not None else self.official_total

    @property
    def level(self) -> ResultLevel | None:
        return self.decision.level

    @property
    def level_label(self) -> str:
        return level_label(self.level)

    @property
    def passed(self) -> bool | None:
        return self.decision.passed

    @property
    def complete(self) -> bool:
        return self.total is not None

    @property
    def has_indicator_scores(self) -> bool:
        return any(r.score is not None for r in self.indicators)

    @property
    def missing(self) -> list[Indicator]:
        return [r.indicator for r in self.indicators if r.score is None]

    @property
    def official_mismatch(self) -> bool:
        if self.total is None or self.official_total is None:
            return False
        return abs(self.total - self.official_total) > MISMATCH_TOLERANCE

    @property
    def delta(self) -> Decimal | None:
        if self.previous is None or self.shown_total is None or self.previous.shown_total is None:
            return None
        return round_half_up(self.shown_total - self.previous.shown_total)

    @property
    def trend(self) -> Trend | None:
        delta = self.delta
        if delta is None:
            return None
        if delta > 0:
            return Trend.UP
        if delta < 0:
            return Trend.DOWN
        return Trend.SAME

    @property
    def strengths(self) -> list[IndicatorResult]:
        """Indicators at the edition's top level (AA, or the excellent mark), highest first."""
        if self.edition is None or not self.edition.levels:
            return []
        mark = self.edition.top_level.min_total
        found = [r for r in self.indicators if r.score is not None and r.score >= mark]
        return sorted(found, key=lambda r: (-r.score, r.indicator.number))

    @property
    def to_develop(self) -> list[IndicatorResult]:
        """Indicators scoring below the organisation's threshold, in indicator order."""
        if self.threshold is None:
            return []
        return [r for r in self.indicators if r.score is not None and r.score < self.threshold]


def year_result(
    *,
    assessment: Assessment,
    edition: EditionData | None = None,
    previous: YearResult | None = None,
    scores: dict[int, Decimal] | None = None,
    entered: dict[int, Decimal] | None = None,
) -> YearResult:
    """Compute one year's result from whatever is known: indicator scores,
    instrument scores, or only the published total and level.

    ``scores`` (by indicator pk) and ``entered`` (by instrument pk) replace the
    stored ones: a prediction not (yet) saved is scored by the same rules.
    """
    if assessment.edition_id is None:
        return YearResult(assessment=assessment, edition=None, previous=previous)
    if edition is None:
        edition = editions_data([assessment.edition_id])[assessment.edition_id]
    if scores is None:
        scores = {s.indicator_id: s.score for s in assessment.scores.all()}
    if entered is None:
        entered = {s.instrument_id: s.score for s in assessment.instrument_scores.all()}
    indicator_results = []
    for indicator in edition.indicators:
        value = scores.get(indicator.pk)
        indicator_results.append(
            IndicatorResult(
                indicator=indicator,
                score=value,
                level=None if value is None else edition.indicator_level(value),
                passed=indicator_passed(value, edition.pass_mark),
            )
        )

    instrument_results = []
    for instrument in edition.instruments:
        own = [r for r in indicator_results if r.indicator.instrument_id == instrument.pk]
        complete = bool(own) and all(r.score is not None for r in own)
        inst_mean = mean(r.score for r in own) if complete else entered.get(instrument.pk)
        points = None if inst_mean is None else round_half_up(inst_mean * instrument.weight / 100)
        instrument_results.append(
            InstrumentResult(
                instrument=instrument,
                indicators=own,
                mean=inst_mean,
                points=points,
                entered=not complete and inst_mean is not None,
            )
        )

    total = None
    if instrument_results and all(i.points is not None for i in instrument_results):
        total = sum((i.points for i in instrument_results), Decimal(0))
    shown = total if total is not None else assessment.official_total
    if total is None and assessment.official_level_id is not None:
        # Only the published level is known: it is the result, as published.
        official = next(
            (lv for lv in edition.levels if lv.pk == assessment.official_level_id), None
        )
        decision = LevelDecision(level=official)
    else:
        decision = decide_level(
            edition.levels,
            total=shown,
            instruments={i.instrument.code: i.score for i in instrument_results},
        )
    threshold = assessment.organisation.develop_threshold
    if threshold is None:
        threshold = edition.pass_mark
    return YearResult(
        assessment=assessment,
        edition=edition,
        indicators=indicator_results,
        instruments=instrument_results,
        total=total,
        decision=decision,
        threshold=threshold,
        previous=previous,
    )


def organisation_results(*, organisation: Organisation) -> list[YearResult]:
    """Every year's result of an organisation, oldest first, each linked to the one before.

    A fixed number of queries, whatever the number of years.
    """
    return organisations_results([organisation])[organisation.pk]


def organisations_results(organisations: Iterable[Organisation]) -> dict[int, list[YearResult]]:
    """``organisation_results`` of many organisations in the same fixed number of
    queries, whatever the number of organisations or years (the staff dashboard)."""
    organisations = list(organisations)
    by_pk = {o.pk: o for o in organisations}
    assessments = list(
        Assessment.objects.filter(organisation__in=organisations)
        .prefetch_related("scores", "instrument_scores")
        .order_by("organisation_id", "fiscal_year")
    )
    editions = editions_data(a.edition_id for a in assessments if a.edition_id)
    found: dict[int, list[YearResult]] = {o.pk: [] for o in organisations}
    previous: dict[int, YearResult | None] = {}
    for assessment in assessments:
        # The organisation already loaded: its threshold decides "to develop".
        assessment.organisation = by_pk[assessment.organisation_id]
        result = year_result(
            assessment=assessment,
            edition=editions.get(assessment.edition_id),
            previous=previous.get(assessment.organisation_id),
        )
        found[assessment.organisation_id].append(result)
        if result.shown_total is not None:
            previous[assessment.organisation_id] = result
    return found


def sub_indicator_averages(*, result: YearResult) -> list[SubIndicatorAverage]:
    """OIT sub-indicator averages from the item results entered for the year."""
    if result.edition is None:
        return []
    item_results = (
        ItemResult.objects.filter(assessment=result.assessment)
        .select_related("item__sub_indicator")
        .order_by("item__number")
    )
    grouped: dict[int, list[ItemResult]] = defaultdict(list)
    subs: dict[int, SubIndicator] = {}
    for item_result in item_results:
        sub = item_result.item.sub_indicator
        subs[sub.pk] = sub
        grouped[sub.pk].append(item_result)
    ordered = sorted(subs.values(), key=lambda s: (s.indicator_id, s.order))
    return [
        SubIndicatorAverage(
            sub_indicator=sub,
            average=round_half_up(mean(r.value for r in grouped[sub.pk])),
            results=grouped[sub.pk],
        )
        for sub in ordered
    ]
