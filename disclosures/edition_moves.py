"""Moving OIT pages from a provisional edition's items to the real edition's.

Called by ``ita_portal.edition_replace`` inside its transaction. A page
(Disclosure) is one organisation's item of one year; when two provisional
items land on one real item (the NACC merged them), their pages are merged:
the entries of both, in order, the explanations one after the other, marked
for review. Nothing is deleted but the emptied page.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Max
from django.utils import timezone

from assessments.public_cache import content_changed_everywhere

from .models import Disclosure, DisclosureStatus, Entry


@dataclass
class DisclosureMoves:
    moved: int = 0
    merged: int = 0


def disclosure_usage(item_ids: list[int]) -> Counter:
    """How many pages (of any organisation and year) each of these items has."""
    rows = (
        Disclosure.objects.filter(item_id__in=item_ids)
        .values("item_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return Counter({row["item_id"]: row["n"] for row in rows})


def _merge(source: Disclosure, target: Disclosure, now) -> None:
    start = (target.entries.aggregate(m=Max("order"))["m"] or 0) + 1
    for offset, entry in enumerate(source.entries.order_by("order", "id")):
        Entry.objects.filter(pk=entry.pk).update(disclosure=target, order=start + offset)
    explanation = "\n".join(t for t in (target.explanation, source.explanation) if t)
    published = [d for d in (target, source) if d.status == DisclosureStatus.PUBLISHED]
    Disclosure.objects.filter(pk=target.pk).update(
        explanation=explanation,
        status=DisclosureStatus.PUBLISHED if published else target.status,
        first_published_at=min(d.first_published_at for d in published) if published else None,
        unit=target.unit or source.unit,
        due_date=min((d for d in (target.due_date, source.due_date) if d), default=None),
        # Two pages became one: someone should read the result before the assessors do.
        to_review=True,
        content_updated_at=now,
        updated_at=now,
    )
    source.delete()


def disclosures_move_to_edition(*, item_map: dict[int, int | None]) -> DisclosureMoves:
    """Re-point every page of the mapped items at the real items, merging pages
    that land on the same item of the same organisation and year."""
    result = DisclosureMoves()
    now = timezone.now()
    for source_item, target_item in item_map.items():
        if target_item is None or source_item == target_item:
            continue
        for page in Disclosure.objects.filter(item_id=source_item).select_related("unit"):
            target = (
                Disclosure.objects.filter(
                    organisation_id=page.organisation_id,
                    fiscal_year=page.fiscal_year,
                    item_id=target_item,
                )
                .select_related("unit")
                .first()
            )
            if target is None:
                Disclosure.objects.filter(pk=page.pk).update(item_id=target_item, updated_at=now)
                result.moved += 1
            else:
                _merge(page, target, now)
                result.merged += 1
    if result.moved or result.merged:
        content_changed_everywhere()
    return result
