"""The public summary of an OIT self-assessment: a 404 unless an administrator published it.

Only the figures (items ready, predicted and final OIT score) are public; the
snapshot, verdicts, comments and clarifications never are.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from assessments.models import MAX_FISCAL_YEAR, MIN_FISCAL_YEAR
from assessments.public_cache import public_page

from ..models import Submission
from .selectors import public_summary


@require_safe
@public_page
def summary(request: HttpRequest, org: str, year: int) -> HttpResponse:
    if not MIN_FISCAL_YEAR <= year <= MAX_FISCAL_YEAR:
        raise Http404
    submission = (
        Submission.objects.filter(organisation__slug=org, fiscal_year=year, summary_published=True)
        .select_related("organisation")
        .first()
    )
    if submission is None or not submission.snapshots.exists():
        raise Http404("not published")
    response = render(
        request,
        "disclosures/review_summary.html",
        {
            "organisation": submission.organisation,
            "year": year,
            "summary": public_summary(submission),
        },
    )
    # Withdrawing the publication must take effect at once.
    response["Cache-Control"] = "no-cache"
    return response
