"""Reads of the complaint channel that more than one page needs."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from assessments.models import Organisation
from ita_portal.thai import fiscal_year_end, fiscal_year_start

from .models import Category, Channel, Complaint, Status


def complaint_by_submission_key(key: str | uuid.UUID | None) -> Complaint | None:
    """The complaint an earlier sending of the same web form made, if any."""
    if not key:
        return None
    try:
        key = uuid.UUID(str(key))
    except ValueError:
        return None
    return Complaint.objects.filter(submission_key=key).first()


def complaint_id_by_code(*, organisation: Organisation, code: str) -> int | None:
    """The id of the organisation's complaint with this (normalised) tracking code, if any.

    Another organisation's code is not found, exactly like a code that does not exist.
    """
    return (
        Complaint.objects.filter(organisation=organisation, tracking_code=code)
        .values_list("pk", flat=True)
        .first()
    )


# --- Statistics (aggregates only) ---------------------------------------------------


@dataclass
class Statistics:
    """A fiscal year's complaints in numbers; no case can be picked out of them."""

    organisation: Organisation
    fiscal_year: int
    received: int = 0
    by_month: list[tuple[dt.date, int]] = field(default_factory=list)
    by_category: list[tuple[str, int]] = field(default_factory=list)
    by_channel: list[tuple[str, int]] = field(default_factory=list)
    by_status: list[tuple[str, int]] = field(default_factory=list)
    # Acknowledged (screened) by the deadline; after it, or not at all once it passed;
    # not yet, with the deadline still ahead.
    in_time: int = 0
    late: int = 0
    pending: int = 0

    @property
    def in_time_percent(self) -> Decimal | None:
        """Share of the cases whose deadline has come that were handled by it (2 places, half up)."""
        due = self.in_time + self.late
        if not due:
            return None
        return (Decimal(100) * self.in_time / due).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def statistics(
    *, organisation: Organisation, fiscal_year: int, today: dt.date | None = None
) -> Statistics:
    """Counts of the complaints received in a BE fiscal year (1 Oct – 30 Sep), in one query."""
    today = today or timezone.localdate()
    start = fiscal_year_start(fiscal_year)
    end = fiscal_year_end(fiscal_year)
    rows = list(
        Complaint.objects.filter(
            organisation=organisation,
            received_at__date__gte=start,
            received_at__date__lte=end,
        ).values_list(
            "received_at", "category", "channel", "status", "acknowledged_at", "acknowledge_by"
        )
    )
    stats = Statistics(organisation=organisation, fiscal_year=fiscal_year, received=len(rows))
    months = Counter()
    categories, channels, statuses = Counter(), Counter(), Counter()
    for received_at, category, channel, status, acknowledged_at, acknowledge_by in rows:
        local = timezone.localtime(received_at).date()
        months[(local.year, local.month)] += 1
        categories[category] += 1
        channels[channel] += 1
        statuses[status] += 1
        if acknowledged_at is not None:
            if timezone.localtime(acknowledged_at).date() <= acknowledge_by:
                stats.in_time += 1
            else:
                stats.late += 1
        elif acknowledge_by < today:
            stats.late += 1
        else:
            stats.pending += 1
    month = start
    while month <= end:
        stats.by_month.append((month, months[(month.year, month.month)]))
        month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    stats.by_category = [(c.value, categories[c.value]) for c in Category]
    stats.by_channel = [(c.value, channels[c.value]) for c in Channel]
    stats.by_status = [(s.value, statuses[s.value]) for s in Status]
    return stats
