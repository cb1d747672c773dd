"""Builders for the roll-up tests: an ESA, its schools, their items, submissions and verdicts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from assessments.models import Edition, Item, Organisation, OrganisationKind
from disclosures.models import ItemReview, Submission, SubmissionStatus, Verdict
from tests.builders import make_org
from tests.disclosures.builders import make_disclosure
from tests.editions import make_edition

YEAR = 2591


def rollup_edition() -> Edition:
    """Two instruments; the web one (OIT) has indicator 3 (W1–W3) and indicator 4 (W4, W5)."""
    return make_edition(
        code=f"test-rollup-{YEAR}",
        first_year=YEAR,
        instruments=[("SURV", "45", [1, 2]), ("WEB", "55", [3, 4])],
        items={3: ["W1", "W2", "W3"], 4: ["W4", "W5"]},
    )


def make_school(parent: Organisation, slug: str, name: str | None = None) -> Organisation:
    return make_org(
        slug, parent=parent, kind=OrganisationKind.SCHOOL, name_th=name or f"โรงเรียน {slug}"
    )


def ready_items(school: Organisation, *codes: str, year: int = YEAR) -> None:
    """Items published with one link each: what the pre-check counts as ready."""
    for code in codes:
        make_disclosure(school, code, year, links=1, published=True)


def submit(
    school: Organisation,
    verdicts: dict[str, str | Decimal],
    *,
    status: str = SubmissionStatus.CONFIRMED,
    year: int = YEAR,
    comment: str = "",
) -> Submission:
    """A submission with a review per item: "pass", "fail", "" (pending) or a score."""
    submission = Submission.objects.create(
        organisation=school, fiscal_year=year, status=status, submitted_at=timezone.now()
    )
    for code, verdict in verdicts.items():
        item = Item.objects.get(
            edition__first_year__lte=year, edition__last_year__gte=year, code=code
        )
        score = verdict if isinstance(verdict, Decimal) else None
        ItemReview.objects.create(
            submission=submission,
            item=item,
            verdict=Verdict.PASS if score is not None else verdict,
            score=score,
            comment=comment or f"ความเห็น {code}",
            improvement=f"ปรับปรุง {code}" if verdict == "fail" else "",
            reviewed_at=timezone.now() if verdict else None,
        )
    return submission


TODAY = dt.date(2590 - 543, 12, 1)  # inside fiscal year 2591
