"""Which item of next year's edition each of this year's disclosures goes to
when a year is copied forward (a read: the confirmation page shows it, the
copy in ``services.disclosures_copy_forward`` carries it out).

Within one edition an item goes to itself. Across editions a target item
takes the source item with the same code when its edition keeps the codes and
the item names no other codes under ``continues``; otherwise the items it
names there, several merging into one, in the order named. A source that no
target takes is listed as unmatched: nothing is dropped without saying so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch

from assessments.framework import edition_for
from assessments.models import Edition, Item, Organisation

from .models import Disclosure, Entry


@dataclass
class CopyTarget:
    """One item of the target year and the disclosures it takes, in order."""

    item: Item
    sources: list[Disclosure]
    existing: Disclosure | None = None  # the target's own disclosure, if it has one

    @property
    def filled(self) -> bool:
        """Already holding content next year: left as it is."""
        d = self.existing
        return bool(d and (d.entry_count or d.explanation))

    @property
    def source_codes(self) -> list[str]:
        return [d.item.code for d in self.sources]


@dataclass
class CopyPlan:
    fiscal_year: int
    source_edition: Edition | None
    target_edition: Edition | None
    sources: list[Disclosure] = field(default_factory=list)  # those with content, in order
    targets: list[CopyTarget] = field(default_factory=list)
    unmatched: list[Disclosure] = field(default_factory=list)

    @property
    def target_year(self) -> int:
        return self.fiscal_year + 1

    @property
    def same_edition(self) -> bool:
        return self.target_edition is not None and self.target_edition == self.source_edition

    @property
    def filled(self) -> set[str]:
        """Codes of the target items that would take something but already have content."""
        return {t.item.code for t in self.targets if t.filled}


def _source_codes(item: Item, target: Edition) -> list[str]:
    if target.keeps_codes and not item.continued_codes:
        return [item.code]
    return item.continued_codes


def copy_plan(*, organisation: Organisation, fiscal_year: int) -> CopyPlan:
    """Where each disclosure of ``fiscal_year`` with content would go in the next year."""
    target_year = fiscal_year + 1
    plan = CopyPlan(
        fiscal_year=fiscal_year,
        source_edition=edition_for(organisation, fiscal_year),
        target_edition=edition_for(organisation, target_year),
    )
    plan.sources = [
        d
        for d in Disclosure.objects.filter(organisation=organisation, fiscal_year=fiscal_year)
        .select_related("item", "unit")
        .prefetch_related(Prefetch("entries", queryset=Entry.objects.order_by("order", "id")))
        .annotate(entry_count=Count("entries", distinct=True))
        .order_by("item__number", "id")
        if d.explanation or d.entry_count
    ]
    if plan.target_edition is None:
        plan.unmatched = list(plan.sources)
        return plan
    existing = {
        d.item_id: d
        for d in Disclosure.objects.filter(
            organisation=organisation, fiscal_year=target_year
        ).annotate(entry_count=Count("entries"))
    }
    by_item = {d.item_id: d for d in plan.sources}
    by_code: dict[str, Disclosure] = {}
    for d in plan.sources:
        by_code.setdefault(d.item.code.upper(), d)
    taken: set[int] = set()
    for item in Item.objects.filter(edition=plan.target_edition).order_by("number"):
        if plan.same_edition:
            found = [by_item.get(item.pk)]
        else:
            found = [by_code.get(code.upper()) for code in _source_codes(item, plan.target_edition)]
        sources = []
        for d in found:
            if d is not None and d not in sources:
                sources.append(d)
        if not sources:
            continue
        taken.update(d.pk for d in sources)
        plan.targets.append(CopyTarget(item=item, sources=sources, existing=existing.get(item.pk)))
    plan.unmatched = [d for d in plan.sources if d.pk not in taken]
    return plan
