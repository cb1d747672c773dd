"""Moving measures from a provisional edition's indicators to the real edition's.

Called by ``ita_portal.edition_replace`` inside its transaction. A measure
refers to the framework only through the indicators it addresses.
"""

from __future__ import annotations

from collections import Counter

from django.db.models import Count
from django.utils import timezone

from assessments.public_cache import content_changed

from .models import Measure

Through = Measure.indicators.through


def measure_usage(indicator_ids: list[int]) -> Counter:
    """How many measures address each of these indicators."""
    rows = (
        Through.objects.filter(indicator_id__in=indicator_ids)
        .values("indicator_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return Counter({row["indicator_id"]: row["n"] for row in rows})


def measures_move_to_edition(*, indicator_map: dict[int, int | None]) -> int:
    """Re-point measures' indicator links; returns how many measures changed.

    A measure already linked to the target indicator keeps one link. The caller
    has refused the move when a used indicator has no counterpart.
    """
    changed: set[int] = set()
    for source, target in indicator_map.items():
        if target is None or source == target:
            continue
        links = Through.objects.filter(indicator_id=source)
        measure_ids = set(links.values_list("measure_id", flat=True))
        if not measure_ids:
            continue
        already = set(
            Through.objects.filter(indicator_id=target, measure_id__in=measure_ids).values_list(
                "measure_id", flat=True
            )
        )
        links.filter(measure_id__in=already).delete()
        links.update(indicator_id=target)
        changed |= measure_ids
    if changed:
        # The measure pages and the report show the indicators: mark them changed.
        Measure.objects.filter(pk__in=changed).update(updated_at=timezone.now())
        organisations = Measure.objects.filter(pk__in=changed).values_list(
            "organisation_id", flat=True
        )
        content_changed(*set(organisations))
    return len(changed)
