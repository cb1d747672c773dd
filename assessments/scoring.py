"""Scoring and analysis of ITA results, in ``Decimal`` throughout.

The reference documents compute, and this module follows them exactly:

- an instrument's score is the mean of its indicators' scores (kept exact);
- its points are that score × weight / 100, rounded half-up to 2 places;
- the total is the sum of the rounded points;
- grade and pass come from the edition's grade bands, for the total and for
  each indicator's own score.

Rounding the instrument mean before weighting would give IIT 28.37 instead
of the published 28.38 for reference 003, so only the points are rounded.
A year with a missing indicator has no total (``None``), never zero.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import (
    Assessment,
    Edition,
    GradeBand,
    Indicator,
    Instrument,
    ItemResult,
    Organisation,
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
    bands: list[GradeBand]  # highest first

    @property
    def pass_mark(self) -> Decimal:
        return min(b.min_score for b in self.bands if b.passed)

    @property
    def top_band(self) -> GradeBand:
        return self.bands[0]

    def band_for(self, score: Decimal) -> GradeBand:
        for band in self.bands:
            if score >= band.min_score:
                return band
        return self.bands[-1]


def edition_data(edition: Edition) -> EditionData:
    """Structure of an edition; uses prefetched relations when they are there."""
    instruments = sorted(edition.instruments.all(), key=lambda i: i.order)
    indicators = sorted(edition.indicators.all(), key=lambda i: i.number)
    bands = sorted(edition.grade_bands.all(), key=lambda b: b.min_score, reverse=True)
    return EditionData(edition=edition, instruments=instruments, indicators=indicators, bands=bands)


def editions_data(edition_ids: Iterable[int]) -> dict[int, EditionData]:
    editions = Edition.objects.filter(id__in=set(edition_ids)).prefetch_related(
        "instruments", "indicators", "grade_bands"
    )
    return {e.id: edition_data(e) for e in editions}


@dataclass
class IndicatorResult:
    indicator: Indicator
    score: Decimal | None
    band: GradeBand | None

    @property
    def passed(self) -> bool | None:
        return None if self.band is None else self.band.passed


@dataclass
class InstrumentResult:
    instrument: Instrument
    indicators: list[IndicatorResult]
    mean: Decimal | None  # exact mean of the indicator scores
    points: Decimal | None  # mean × weight / 100, rounded half-up

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
    band: GradeBand | None = None
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
        """The total to show: computed when every indicator is in, else the official one.

        Years before the portal's editions carry only their published total.
        """
        return self.total if self.total is not None else self.official_total

    @property
    def passed(self) -> bool | None:
        return None if self.band is None else self.band.passed

    @property
    def complete(self) -> bool:
        return self.total is not None

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
        """Indicators at the top level (AA), highest score first."""
        if self.edition is None:
            return []
        top = self.edition.top_band
        found = [r for r in self.indicators if r.band is not None and r.band.pk == top.pk]
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
) -> YearResult:
    """Compute one year's result from its indicator scores (prefetched or not)."""
    if assessment.edition_id is None:
        return YearResult(assessment=assessment, edition=None, previous=previous)
    if edition is None:
        edition = editions_data([assessment.edition_id])[assessment.edition_id]
    scores = {s.indicator_id: s.score for s in assessment.scores.all()}
    indicator_results = []
    for indicator in edition.indicators:
        value = scores.get(indicator.pk)
        band = None if value is None else edition.band_for(value)
        indicator_results.append(IndicatorResult(indicator=indicator, score=value, band=band))

    instrument_results = []
    for instrument in edition.instruments:
        own = [r for r in indicator_results if r.indicator.instrument_id == instrument.pk]
        complete = bool(own) and all(r.score is not None for r in own)
        inst_mean = mean(r.score for r in own) if complete else None
        points = None if inst_mean is None else round_half_up(inst_mean * instrument.weight / 100)
        instrument_results.append(
            InstrumentResult(instrument=instrument, indicators=own, mean=inst_mean, points=points)
        )

    total = None
    if instrument_results and all(i.points is not None for i in instrument_results):
        total = sum((i.points for i in instrument_results), Decimal(0))
    organisation = assessment.organisation
    threshold = organisation.develop_threshold
    if threshold is None:
        threshold = edition.pass_mark
    return YearResult(
        assessment=assessment,
        edition=edition,
        indicators=indicator_results,
        instruments=instrument_results,
        total=total,
        band=None if total is None else edition.band_for(total),
        threshold=threshold,
        previous=previous,
    )


def organisation_results(*, organisation: Organisation) -> list[YearResult]:
    """Every year's result of an organisation, oldest first, each linked to the one before.

    A fixed number of queries, whatever the number of years.
    """
    assessments = list(
        Assessment.objects.filter(organisation=organisation)
        .select_related("organisation")
        .prefetch_related("scores")
        .order_by("fiscal_year")
    )
    editions = editions_data(a.edition_id for a in assessments if a.edition_id)
    results: list[YearResult] = []
    previous = None
    for assessment in assessments:
        result = year_result(
            assessment=assessment,
            edition=editions.get(assessment.edition_id),
            previous=previous,
        )
        results.append(result)
        if result.shown_total is not None:
            previous = result
    return results


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
