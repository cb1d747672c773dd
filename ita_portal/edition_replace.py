"""Replacing a provisional edition with the real one, once the NACC publishes it.

A year with no published framework is worked on a provisional copy of the
latest edition (``assessments.provisional``). When the real edition is
loaded, the provisional one stays in use (``edition_for`` prefers it) until
an operator reviews the mapping here and applies it. Applying is one
transaction: the results (assessments app), the measures' indicators
(measures app) and the OIT pages (disclosures app) are moved to the real
edition's instruments, indicators, items and levels, then the provisional
edition is deleted. It is refused, and nothing changes, when:

- the editions changed since the mapping was reviewed (``EditionStale``);
- an item, indicator, instrument or level that results, measures or pages use
  has no counterpart: those are never dropped, the operator picks a target
  item (or fixes the real edition) first;
- two provisional items an assessment has results for would land on one item.

This module lives in ``ita_portal`` because it reads and writes every app;
the apps do not import one another against their dependency direction.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from assessments.edition_data import FrameworkError
from assessments.edition_moves import (
    EditionMap,
    assessments_move_to_edition,
    edition_delete,
    edition_fingerprint,
    edition_map,
    merged_item_result_clashes,
    proposed_item_targets,
    result_usage,
)
from assessments.models import Edition
from disclosures.edition_moves import disclosure_usage, disclosures_move_to_edition
from measures.edition_moves import measure_usage, measures_move_to_edition


class EditionStale(FrameworkError):
    """One of the editions changed after the mapping was reviewed."""


@dataclass
class ItemRow:
    code: str
    title: str
    target: str | None
    # "continues" / "code": how the target was proposed; "chosen": picked by the operator.
    why: str
    proposed: str | None
    results: int = 0
    pages: int = 0

    @property
    def used(self) -> bool:
        return bool(self.results or self.pages)


@dataclass
class PartRow:
    """An instrument, indicator or level of the provisional edition and its counterpart."""

    kind: str
    key: str
    label: str
    target: str | None
    used: int = 0


@dataclass
class ReplacementPlan:
    provisional: Edition
    real: Edition
    fingerprint: str
    mapping: EditionMap
    items: list[ItemRow] = field(default_factory=list)
    parts: list[PartRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    assessments: int = 0
    real_items: list[tuple[str, str]] = field(default_factory=list)

    @property
    def targets(self) -> dict[str, str | None]:
        return {row.code: row.target for row in self.items}

    @property
    def dropped(self) -> list[ItemRow]:
        """Items with no counterpart that nothing uses: they go with the provisional edition."""
        return [row for row in self.items if row.target is None and not row.used]

    @property
    def merged(self) -> dict[str, list[str]]:
        """Real item code → the provisional items that land on it, where more than one."""
        found: dict[str, list[str]] = {}
        for row in self.items:
            if row.target:
                found.setdefault(row.target, []).append(row.code)
        return {code: sources for code, sources in found.items() if len(sources) > 1}


@dataclass
class ReplaceSummary:
    provisional_code: str
    real_code: str
    assessments: int = 0
    instrument_scores: int = 0
    indicator_scores: int = 0
    item_results: int = 0
    levels: int = 0
    measures: int = 0
    pages_moved: int = 0
    pages_merged: int = 0
    dropped: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """What moved, in words for the operator (Thai in the Thai interface)."""
        lines = [
            _("%(count)s assessments now use %(code)s.")
            % {"count": self.assessments, "code": self.real_code},
            _(
                "%(scores)s indicator scores, %(instruments)s instrument scores and %(results)s OIT item results moved."
            )
            % {
                "scores": self.indicator_scores,
                "instruments": self.instrument_scores,
                "results": self.item_results,
            },
            _("%(count)s published levels moved.") % {"count": self.levels},
            _("%(count)s measures now address the real edition's indicators.")
            % {"count": self.measures},
            _(
                "%(moved)s OIT pages moved; %(merged)s pages merged into another page (marked for review)."
            )
            % {"moved": self.pages_moved, "merged": self.pages_merged},
        ]
        if self.dropped:
            lines.append(
                _(
                    "Items with no counterpart that nothing used, removed with the provisional edition: %(codes)s."
                )
                % {"codes": ", ".join(self.dropped)}
            )
        lines.append(
            _("The provisional edition %(code)s was deleted.") % {"code": self.provisional_code}
        )
        return lines


def replacement_candidates() -> list[tuple[Edition, list[Edition]]]:
    """Each provisional edition with the real editions of its scheme that cover its years."""
    found = []
    for provisional in Edition.objects.filter(provisional=True).select_related("scheme"):
        reals = Edition.objects.filter(
            scheme=provisional.scheme,
            provisional=False,
            first_year__lte=provisional.first_year,
            last_year__gte=provisional.last_year,
        ).order_by("first_year")
        found.append((provisional, list(reals)))
    return found


def _check_pair(provisional: Edition, real: Edition) -> list[str]:
    problems = []
    if not provisional.provisional:
        problems.append(_("%(code)s is not a provisional edition.") % {"code": provisional.code})
    if real.provisional:
        problems.append(
            _("%(code)s is itself provisional: load the real edition first.") % {"code": real.code}
        )
    if real.scheme_id != provisional.scheme_id:
        problems.append(_("The two editions belong to different schemes."))
    if not (real.first_year <= provisional.first_year and provisional.last_year <= real.last_year):
        problems.append(
            _("%(real)s does not cover the years of %(provisional)s (%(years)s).")
            % {"real": real.code, "provisional": provisional.code, "years": provisional.years_label}
        )
    return problems


def replacement_plan(
    *, provisional: Edition, real: Edition, item_targets: dict[str, str | None] | None = None
) -> ReplacementPlan:
    """The proposed (or, with ``item_targets``, the chosen) mapping, what uses each
    part, and every reason the replacement cannot be applied yet."""
    problems = _check_pair(provisional, real)
    proposal = proposed_item_targets(provisional, real)
    real_items = list(real.items.order_by("number").values_list("code", "title_th"))
    real_codes = {code for code, _title in real_items}
    targets: dict[str, str | None] = {}
    whys: dict[str, str] = {}
    for code, (proposed, why) in proposal.items():
        chosen = (item_targets or {}).get(code, proposed) or None
        if chosen is not None and chosen not in real_codes:
            problems.append(
                _("%(target)s is not an item of %(real)s.") % {"target": chosen, "real": real.code}
            )
            chosen = None
        targets[code] = chosen
        whys[code] = why if chosen == proposed else "chosen"
    unknown = set(item_targets or {}) - set(proposal)
    if unknown:
        problems.append(
            _("%(codes)s are not items of %(provisional)s.")
            % {"codes": ", ".join(sorted(unknown)), "provisional": provisional.code}
        )
    mapping = edition_map(provisional=provisional, real=real, item_targets=targets)
    usage = result_usage(provisional)
    pages = disclosure_usage(list(mapping.items))
    measures = measure_usage(list(mapping.indicators))
    plan = ReplacementPlan(
        provisional=provisional,
        real=real,
        fingerprint=edition_fingerprint(provisional, real),
        mapping=mapping,
        problems=problems,
        assessments=usage.assessments,
        real_items=real_items,
    )
    for item in provisional.items.order_by("number"):
        row = ItemRow(
            code=item.code,
            title=item.title_th,
            target=targets[item.code],
            why=whys[item.code],
            proposed=proposal[item.code][0],
            results=usage.items[item.pk],
            pages=pages[item.pk],
        )
        plan.items.append(row)
        if row.target is None and row.used:
            problems.append(
                _(
                    "%(code)s has %(pages)s OIT pages and %(results)s results but no counterpart: choose the item of %(real)s they move to."
                )
                % {"code": row.code, "pages": row.pages, "results": row.results, "real": real.code}
            )
    _part_rows(plan, usage, measures)
    for assessment_id, _items in merged_item_result_clashes(mapping):
        problems.append(
            _(
                "An assessment (no. %(id)s) has results for two items that would become one: map one of them elsewhere."
            )
            % {"id": assessment_id}
        )
    return plan


def _part_rows(plan: ReplacementPlan, usage, measures) -> None:
    provisional, real, mapping = plan.provisional, plan.real, plan.mapping
    real_names = {
        "instrument": dict(real.instruments.values_list("pk", "code")),
        "indicator": dict(real.indicators.values_list("pk", "number")),
        "level": {lv.pk: lv.label_th for lv in real.levels.all()},
    }
    parts = [
        (
            "instrument",
            [(i.pk, i.code, i.code) for i in provisional.instruments.all()],
            mapping.instruments,
            lambda pk: usage.instruments[pk],
        ),
        (
            "indicator",
            [
                (i.pk, str(i.number), f"{i.number} {i.name_th}")
                for i in provisional.indicators.all()
            ],
            mapping.indicators,
            lambda pk: usage.indicators[pk] + measures[pk],
        ),
        (
            "level",
            [(lv.pk, lv.code, lv.label_th) for lv in provisional.levels.all()],
            mapping.levels,
            lambda pk: usage.levels[pk],
        ),
    ]
    kinds = {"instrument": _("instrument"), "indicator": _("indicator"), "level": _("level")}
    for kind, rows, kind_map, used in parts:
        for pk, key, label in rows:
            target = kind_map.get(pk)
            row = PartRow(
                kind=kind,
                key=key,
                label=label,
                target=None if target is None else str(real_names[kind][target]),
                used=used(pk),
            )
            plan.parts.append(row)
            if row.target is None and row.used:
                plan.problems.append(
                    _(
                        "The %(kind)s %(key)s is used by %(count)s results or measures but %(real)s has none with this code: correct the real edition first."
                    )
                    % {"kind": kinds[kind], "key": key, "count": row.used, "real": real.code}
                )


@transaction.atomic
def edition_replace(
    *,
    provisional_code: str,
    real_code: str,
    item_targets: dict[str, str | None] | None = None,
    fingerprint: str | None,
) -> ReplaceSummary:
    """Move everything from the provisional edition to the real one and delete it.

    ``fingerprint`` is the plan's, as reviewed; ``None`` only for callers that
    compute the plan in the same breath (the command). All or nothing.
    """
    # Locks both rows: two operators applying at once are served one after the other,
    # and the second finds the provisional edition gone.
    editions = {
        e.code: e
        for e in Edition.objects.select_for_update().filter(code__in=[provisional_code, real_code])
    }
    if provisional_code not in editions:
        raise FrameworkError(
            _("The provisional edition %(code)s no longer exists: it was already replaced.")
            % {"code": provisional_code}
        )
    if real_code not in editions:
        raise FrameworkError(_("There is no edition %(code)s.") % {"code": real_code})
    provisional, real = editions[provisional_code], editions[real_code]
    if fingerprint is not None and fingerprint != edition_fingerprint(provisional, real):
        raise EditionStale(
            _(
                "One of the editions was changed after this mapping was prepared. Review the new mapping and apply again."
            )
        )
    plan = replacement_plan(provisional=provisional, real=real, item_targets=item_targets)
    if plan.problems:
        raise FrameworkError(plan.problems)
    moved = assessments_move_to_edition(provisional=provisional, real=real, mapping=plan.mapping)
    measures = measures_move_to_edition(indicator_map=plan.mapping.indicators)
    pages = disclosures_move_to_edition(item_map=plan.mapping.items)
    try:
        edition_delete(provisional)
    except ProtectedError as exc:
        # Something this module does not know about still refers to the edition.
        names = ", ".join(sorted({str(o) for o in exc.protected_objects})[:5])
        raise FrameworkError(
            _("The provisional edition is still used by %(names)s; nothing was changed.")
            % {"names": names}
        ) from exc
    return ReplaceSummary(
        provisional_code=provisional_code,
        real_code=real_code,
        assessments=moved["assessments"],
        instrument_scores=moved["instrument_scores"],
        indicator_scores=moved["indicator_scores"],
        item_results=moved["item_results"],
        levels=moved["levels"],
        measures=measures,
        pages_moved=pages.moved,
        pages_merged=pages.merged,
        dropped=[row.code for row in plan.dropped],
    )
