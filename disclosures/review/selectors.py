"""Reads of the OIT review that the office's page, the assessor's page, the
"reviews waiting" list and the public summary share."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q

from assessments.models import ItemResult, Organisation
from assessments.scoring import mean, round_half_up

from ..models import ItemReview, ItemSnapshot, Submission, SubmissionStatus, Verdict
from .access import reviewable_organisations


def submission_for(organisation: Organisation, fiscal_year: int) -> Submission | None:
    return (
        Submission.objects.filter(organisation=organisation, fiscal_year=fiscal_year)
        .select_related("submitted_by", "confirmed_by")
        .first()
    )


@dataclass
class ReviewRow:
    snapshot: ItemSnapshot
    review: ItemReview
    # The official result's finding on the item, for comparison (None when none was entered).
    official: ItemResult | None = None

    @property
    def item(self):
        return self.snapshot.item


def review_rows(submission: Submission) -> list[ReviewRow]:
    """Every submitted item with its verdict and the official finding, in item order."""
    snapshots = list(
        submission.snapshots.select_related("item__sub_indicator__indicator").order_by(
            "item__number"
        )
    )
    reviews = {r.item_id: r for r in submission.reviews.select_related("reviewed_by")}
    official = {
        r.item_id: r
        for r in ItemResult.objects.filter(
            assessment__organisation_id=submission.organisation_id,
            assessment__fiscal_year=submission.fiscal_year,
        )
    }
    return [
        ReviewRow(snapshot=s, review=reviews[s.item_id], official=official.get(s.item_id))
        for s in snapshots
        if s.item_id in reviews
    ]


def _value(review: ItemReview) -> Decimal:
    if review.score is not None:
        return review.score
    return Decimal(100) if review.verdict == Verdict.PASS else Decimal(0)


def verdict_oit(rows: Iterable[ReviewRow]) -> Decimal | None:
    """The OIT score the verdicts give, rolled up as the pre-check's prediction is
    (mean per sub-indicator, of sub-indicators per indicator, of indicators).

    None until every item has a verdict.
    """
    rows = list(rows)
    if not rows or any(r.review.verdict == Verdict.PENDING for r in rows):
        return None
    counts: dict[int, int] = defaultdict(int)
    for row in rows:
        counts[row.item.sub_indicator.indicator.instrument_id] += 1
    instrument = max(counts, key=lambda pk: (counts[pk], -pk))
    by_sub: dict[int, list[Decimal]] = defaultdict(list)
    sub_indicator: dict[int, int] = {}
    for row in rows:
        sub = row.item.sub_indicator
        if sub.indicator.instrument_id != instrument:
            continue
        by_sub[sub.pk].append(_value(row.review))
        sub_indicator[sub.pk] = sub.indicator_id
    by_indicator: dict[int, list[Decimal]] = defaultdict(list)
    for sub_pk, values in by_sub.items():
        by_indicator[sub_indicator[sub_pk]].append(mean(values))
    return round_half_up(mean(mean(values) for values in by_indicator.values()))


@dataclass
class Progress:
    total: int
    reviewed: int
    failed: int
    clarified: int


def progress(submission: Submission) -> Progress:
    counts = submission.reviews.aggregate(
        total=Count("pk"),
        reviewed=Count("pk", filter=~Q(verdict=Verdict.PENDING)),
        failed=Count("pk", filter=Q(verdict=Verdict.FAIL)),
        clarified=Count("pk", filter=Q(clarified_at__isnull=False)),
    )
    return Progress(**counts)


def waiting_reviews(user) -> list[Submission]:
    """Submissions the user may review whose verdicts are not confirmed yet, oldest first."""
    return list(
        Submission.objects.filter(organisation__in=reviewable_organisations(user))
        .exclude(status=SubmissionStatus.CONFIRMED)
        .annotate(items=Count("snapshots"))
        .filter(items__gt=0)  # a withdrawn submission keeps its row but no snapshot
        .select_related("organisation")
        .order_by("submitted_at")
    )


@dataclass
class PublicSummary:
    submission: Submission
    ready: int
    total: int
    predicted: Decimal | None
    final: Decimal | None  # only once the verdicts are confirmed


def public_summary(submission: Submission) -> PublicSummary:
    rows = review_rows(submission)
    confirmed = submission.status == SubmissionStatus.CONFIRMED
    return PublicSummary(
        submission=submission,
        ready=sum(1 for r in rows if r.snapshot.ready),
        total=len(rows),
        predicted=submission.predicted_oit,
        final=verdict_oit(rows) if confirmed else None,
    )
