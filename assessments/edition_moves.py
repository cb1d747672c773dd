"""Moving results from a provisional edition to the real one that replaces it.

The orchestrator (``ita_portal.edition_replace``) decides the mapping and
owns the transaction; this module proposes the item mapping, reads what the
provisional edition's results use, and moves the assessments app's rows:
assessments, indicator scores, instrument scores, OIT item results and the
published level. Nothing here deletes a result.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count

from .edition_data import edition_snapshot
from .models import (
    Assessment,
    Edition,
    IndicatorScore,
    InstrumentScore,
    ItemResult,
    SubIndicator,
)
from .public_cache import content_changed_everywhere


def edition_fingerprint(provisional: Edition, real: Edition) -> str:
    """Changes whenever either edition's data changes: a mapping reviewed against
    one fingerprint is refused once it no longer holds."""
    payload = json.dumps(
        [edition_snapshot(provisional), edition_snapshot(real)], sort_keys=True, default=str
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:32]


def proposed_item_targets(provisional: Edition, real: Edition) -> dict[str, tuple[str | None, str]]:
    """For each provisional item code: (proposed real item code or None, why).

    A real item that names the code under ``continues`` takes it; else the real
    item with the same code, unless that item says it continues other codes.
    """
    real_items = list(real.items.order_by("number"))
    by_continues: dict[str, str] = {}
    for item in real_items:
        for code in item.continued_codes:
            by_continues.setdefault(code, item.code)
    same_code = {item.code: item for item in real_items}
    proposal: dict[str, tuple[str | None, str]] = {}
    for code in provisional.items.order_by("number").values_list("code", flat=True):
        if code in by_continues:
            proposal[code] = (by_continues[code], "continues")
        elif code in same_code and not same_code[code].continued_codes:
            proposal[code] = (code, "code")
        else:
            proposal[code] = (None, "")
    return proposal


@dataclass
class EditionMap:
    """Primary keys of the provisional edition's parts → the real edition's (None: no
    counterpart)."""

    instruments: dict[int, int | None] = field(default_factory=dict)
    indicators: dict[int, int | None] = field(default_factory=dict)
    items: dict[int, int | None] = field(default_factory=dict)
    levels: dict[int, int | None] = field(default_factory=dict)


def edition_map(
    *, provisional: Edition, real: Edition, item_targets: dict[str, str | None]
) -> EditionMap:
    """Instruments by code, indicators by number, levels by code, items as given
    (codes not named in ``item_targets`` are matched by code)."""
    real_instruments = dict(real.instruments.values_list("code", "pk"))
    real_indicators = dict(real.indicators.values_list("number", "pk"))
    real_items = dict(real.items.values_list("code", "pk"))
    real_levels = dict(real.levels.values_list("code", "pk"))
    mapping = EditionMap()
    for pk, code in provisional.instruments.values_list("pk", "code"):
        mapping.instruments[pk] = real_instruments.get(code)
    for pk, number in provisional.indicators.values_list("pk", "number"):
        mapping.indicators[pk] = real_indicators.get(number)
    for pk, code in provisional.items.values_list("pk", "code"):
        target = item_targets.get(code, code)
        mapping.items[pk] = real_items.get(target) if target else None
    for pk, code in provisional.levels.values_list("pk", "code"):
        mapping.levels[pk] = real_levels.get(code)
    return mapping


@dataclass
class ResultUsage:
    """How many results use each part of the provisional edition (by primary key)."""

    assessments: int = 0
    instruments: Counter = field(default_factory=Counter)
    indicators: Counter = field(default_factory=Counter)
    items: Counter = field(default_factory=Counter)
    levels: Counter = field(default_factory=Counter)


def _counts(queryset, key: str) -> Counter:
    return Counter(
        {row[key]: row["n"] for row in queryset.values(key).annotate(n=Count("pk")).order_by()}
    )


def result_usage(edition: Edition) -> ResultUsage:
    return ResultUsage(
        assessments=Assessment.all_kinds.filter(edition=edition).count(),
        instruments=_counts(
            InstrumentScore.objects.filter(instrument__edition=edition), "instrument"
        ),
        indicators=_counts(IndicatorScore.objects.filter(indicator__edition=edition), "indicator"),
        items=_counts(ItemResult.objects.filter(item__edition=edition), "item"),
        levels=_counts(
            Assessment.all_kinds.filter(official_level__edition=edition), "official_level"
        ),
    )


def merged_item_result_clashes(mapping: EditionMap) -> list[tuple[int, list[int]]]:
    """(assessment id, provisional item ids) where two items an assessment has results
    for would land on one real item: one result would have to be dropped."""
    targets: dict[int, list[int]] = {}
    for source, target in mapping.items.items():
        if target is not None:
            targets.setdefault(target, []).append(source)
    clashes = []
    for sources in targets.values():
        if len(sources) < 2:
            continue
        per_assessment: dict[int, list[int]] = {}
        for assessment_id, item_id in ItemResult.objects.filter(item_id__in=sources).values_list(
            "assessment_id", "item_id"
        ):
            per_assessment.setdefault(assessment_id, []).append(item_id)
        clashes += [(a, items) for a, items in per_assessment.items() if len(items) > 1]
    return clashes


def _move(model, field_name: str, mapping: dict[int, int | None]) -> int:
    moved = 0
    for source, target in mapping.items():
        if target is not None and source != target:
            moved += model.objects.filter(**{f"{field_name}_id": source}).update(
                **{f"{field_name}_id": target}
            )
    return moved


def assessments_move_to_edition(
    *, provisional: Edition, real: Edition, mapping: EditionMap
) -> dict[str, int]:
    """Point the provisional edition's assessments and their results at the real edition.

    The caller has checked that every used part has a counterpart and owns the
    transaction. Updates, not saves: the results themselves do not change, so
    their history gains no entry.
    """
    moved = {
        "assessments": Assessment.all_kinds.filter(edition=provisional).update(edition=real),
        "instrument_scores": _move(InstrumentScore, "instrument", mapping.instruments),
        "indicator_scores": _move(IndicatorScore, "indicator", mapping.indicators),
        "item_results": _move(ItemResult, "item", mapping.items),
        "levels": _move(Assessment, "official_level", mapping.levels),
    }
    # Results now show the real edition's titles and levels, wherever they are shown.
    content_changed_everywhere()
    return moved


def edition_delete(edition: Edition) -> None:
    """Delete an edition and its parts, leaves first: items protect their
    sub-indicator and indicators their instrument, so a plain cascade refuses.
    Raises ``ProtectedError`` when a result or page still refers to a part.
    Survey questions go first: answers name sub-items by code, not by row, so
    they keep their meaning under the real edition's questions."""
    edition.questions.all().delete()
    edition.items.all().delete()
    SubIndicator.objects.filter(indicator__edition=edition).delete()
    edition.indicators.all().delete()
    edition.instruments.all().delete()
    edition.levels.all().delete()
    edition.delete()
    content_changed_everywhere()
