"""The OIT self-check: every item of an organisation's year checked against
what the portal can verify by itself, and the OIT score that would follow.

Readiness is derived on every call, never stored: evidence changes, the
check follows. ``organisations_selfcheck`` checks many organisations in a
fixed number of queries (an ESA's schools).

    year_selfcheck(organisation=..., fiscal_year=...) -> YearSelfCheck
    organisations_selfcheck(organisations=[...], fiscal_year=...) -> {org id: YearSelfCheck}
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone

from assessments.models import NACC_SCHEME, Edition, Item, ItemRole, Organisation

from ..models import ContentTick, Disclosure, Entry
from .rules import ItemFacts, MeasureFacts, domain_warning, item_findings
from .score import PredictedOIT, predicted_oit

__all__ = [
    "ItemCheck",
    "PredictedOIT",
    "YearSelfCheck",
    "organisations_selfcheck",
    "year_selfcheck",
]


@dataclass
class ItemCheck:
    item: Item
    disclosure: Disclosure | None
    ready: bool
    findings: list[str] = field(default_factory=list)  # each blocks readiness
    warnings: list[str] = field(default_factory=list)  # advice that does not block
    entries: list[Entry] = field(default_factory=list)

    @property
    def first_finding(self) -> str:
        return self.findings[0] if self.findings else ""


@dataclass
class YearSelfCheck:
    organisation: Organisation
    fiscal_year: int
    edition: Edition | None
    items: list[ItemCheck]
    predicted: PredictedOIT
    warnings: list[str] = field(default_factory=list)

    @property
    def ready_count(self) -> int:
        return sum(1 for c in self.items if c.ready)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def readiness(self) -> Decimal:
        """Percent of items ready, exact (round when shown)."""
        if not self.items:
            return Decimal(0)
        return Decimal(100) * self.ready_count / self.total

    def check_for(self, item: Item) -> ItemCheck | None:
        return next((c for c in self.items if c.item.pk == item.pk), None)


def _editions_for(organisations: list[Organisation], fiscal_year: int) -> dict[int, Edition]:
    """``edition_for`` for many organisations in one query (same ranking)."""
    editions = list(
        Edition.objects.filter(
            first_year__lte=fiscal_year, last_year__gte=fiscal_year
        ).select_related("scheme")
    )
    nacc = {e.scheme_id for e in editions if e.scheme.code == NACC_SCHEME}
    chosen = {}
    for org in organisations:
        wanted = org.scheme_id if org.scheme_id is not None else next(iter(nacc), None)
        candidates = [e for e in editions if e.scheme_id == wanted or e.scheme_id in nacc]
        ranked = sorted(
            candidates,
            key=lambda e: (e.scheme_id != wanted, not e.provisional, -e.first_year, e.code),
        )
        if ranked:
            chosen[org.pk] = ranked[0]
    return chosen


def _measures(organisations: list[Organisation], fiscal_year: int) -> dict[int, list[MeasureFacts]]:
    # Imported here: disclosures reads measures, never the other way round.
    from measures.models import Measure

    found: dict[int, list[MeasureFacts]] = defaultdict(list)
    measures = (
        Measure.objects.filter(organisation__in=organisations, fiscal_year=fiscal_year)
        .order_by("number")
        .prefetch_related("follow_ups")
    )
    for measure in measures:
        found[measure.organisation_id].append(
            MeasureFacts(title=str(measure), has_follow_up=bool(measure.follow_ups.all()))
        )
    return found


def organisations_selfcheck(
    *,
    organisations: Iterable[Organisation],
    fiscal_year: int,
    today: dt.date | None = None,
) -> dict[int, YearSelfCheck]:
    """The self-check of many organisations' year, in a fixed number of queries."""
    today = today or timezone.localdate()
    organisations = list(organisations)
    editions = _editions_for(organisations, fiscal_year)
    items_by_edition: dict[int, list[Item]] = defaultdict(list)
    if editions:
        items = (
            Item.objects.filter(edition__in={e.pk for e in editions.values()})
            .select_related("sub_indicator__indicator__instrument", "edition")
            .order_by("edition", "number")
        )
        for item in items:
            items_by_edition[item.edition_id].append(item)
    all_items = [item for items in items_by_edition.values() for item in items]
    prefetches = [Prefetch("entries", queryset=Entry.objects.order_by("order", "id"))]
    # Content confirmations only matter for items with "at least these contents".
    with_contents = any(item.contents.strip() for item in all_items)
    if with_contents:
        prefetches.append(Prefetch("content_ticks", queryset=ContentTick.objects.all()))
    disclosures: dict[tuple[int, int], Disclosure] = {
        (d.organisation_id, d.item_id): d
        for d in Disclosure.objects.filter(
            organisation__in=organisations, fiscal_year=fiscal_year
        ).prefetch_related(*prefetches)
    }
    needs_measures = any(
        item.role in (ItemRole.MEASURES, ItemRole.MEASURE_RESULTS) for item in all_items
    )
    measures = _measures(organisations, fiscal_year) if needs_measures else {}

    results = {}
    for org in organisations:
        edition = editions.get(org.pk)
        warning = domain_warning(org)
        checks = []
        for item in items_by_edition.get(edition.pk, []) if edition else []:
            disclosure = disclosures.get((org.pk, item.pk))
            entries = list(disclosure.entries.all()) if disclosure else []
            ticks = (
                {t.line: t.entry_id for t in disclosure.content_ticks.all()}
                if disclosure is not None and item.content_lines
                else {}
            )
            facts = ItemFacts(
                organisation=org,
                fiscal_year=fiscal_year,
                item=item,
                disclosure=disclosure,
                entries=entries,
                ticks=ticks,
                measures=measures.get(org.pk, []),
                today=today,
            )
            findings = item_findings(facts)
            checks.append(
                ItemCheck(
                    item=item,
                    disclosure=disclosure,
                    ready=not findings,
                    findings=findings,
                    warnings=[warning] if warning else [],
                    entries=entries,
                )
            )
        results[org.pk] = YearSelfCheck(
            organisation=org,
            fiscal_year=fiscal_year,
            edition=edition,
            items=checks,
            predicted=predicted_oit(checks),
            warnings=[warning] if warning else [],
        )
    return results


def year_selfcheck(
    *, organisation: Organisation, fiscal_year: int, today: dt.date | None = None
) -> YearSelfCheck:
    """The self-check of one organisation's year."""
    return organisations_selfcheck(
        organisations=[organisation], fiscal_year=fiscal_year, today=today
    )[organisation.pk]
