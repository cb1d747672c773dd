"""The predicted OIT score: ready items score 100, others 0, rolled up as the
edition does (mean per sub-indicator, mean of sub-indicators per indicator,
mean of the indicators = the OIT instrument's own score).

Exact Decimals throughout; round half-up (``assessments.scoring``) only when shown.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from assessments.models import Instrument
from assessments.scoring import mean

if TYPE_CHECKING:
    from . import ItemCheck

READY_SCORE = Decimal(100)
NOT_READY_SCORE = Decimal(0)


@dataclass
class PredictedOIT:
    score: Decimal | None  # the OIT instrument's own score, 0–100
    indicators: dict[int, Decimal] = field(default_factory=dict)  # by indicator number
    sub_indicators: dict[str, Decimal] = field(default_factory=dict)  # by sub-indicator code
    costs: list[tuple[ItemCheck, Decimal]] = field(default_factory=list)  # biggest first
    instrument: Instrument | None = None


def oit_instrument(checks: Sequence[ItemCheck]) -> Instrument | None:
    """The instrument whose indicators hold the items (the OIT, whatever its code)."""
    counts: dict[int, int] = defaultdict(int)
    instruments: dict[int, Instrument] = {}
    for check in checks:
        instrument = check.item.sub_indicator.indicator.instrument
        counts[instrument.pk] += 1
        instruments[instrument.pk] = instrument
    if not counts:
        return None
    return instruments[max(counts, key=lambda pk: (counts[pk], -pk))]


def predicted_oit(checks: Sequence[ItemCheck]) -> PredictedOIT:
    instrument = oit_instrument(checks)
    if instrument is None:
        return PredictedOIT(score=None)
    own = [c for c in checks if c.item.sub_indicator.indicator.instrument_id == instrument.pk]
    by_sub: dict[int, list[ItemCheck]] = defaultdict(list)
    for check in own:
        by_sub[check.item.sub_indicator_id].append(check)
    subs_of: dict[int, list[int]] = defaultdict(list)  # indicator pk -> sub-indicator pks
    for sub_pk, sub_checks in by_sub.items():
        subs_of[sub_checks[0].item.sub_indicator.indicator_id].append(sub_pk)

    sub_scores: dict[int, Decimal] = {
        sub_pk: mean(READY_SCORE if c.ready else NOT_READY_SCORE for c in sub_checks)
        for sub_pk, sub_checks in by_sub.items()
    }
    indicator_scores: dict[int, Decimal] = {
        ind_pk: mean(sub_scores[s] for s in subs) for ind_pk, subs in subs_of.items()
    }
    score = mean(indicator_scores.values())

    # What one item weighs in the instrument's score: its share of its sub-indicator,
    # of its indicator, of the instrument. A not-ready item costs all of it.
    costs = []
    n_indicators = len(subs_of)
    for check in own:
        if check.ready:
            continue
        sub_pk = check.item.sub_indicator_id
        ind_pk = check.item.sub_indicator.indicator_id
        weight = READY_SCORE / len(by_sub[sub_pk]) / len(subs_of[ind_pk]) / n_indicators
        costs.append((check, weight))
    costs.sort(key=lambda pair: (-pair[1], pair[0].item.number))

    def ind_number(pk: int) -> int:
        return by_sub[subs_of[pk][0]][0].item.sub_indicator.indicator.number

    return PredictedOIT(
        score=score,
        indicators={
            ind_number(pk): value
            for pk, value in sorted(indicator_scores.items(), key=lambda kv: ind_number(kv[0]))
        },
        sub_indicators={
            by_sub[pk][0].item.sub_indicator.code: value for pk, value in sub_scores.items()
        },
        costs=costs,
        instrument=instrument,
    )
