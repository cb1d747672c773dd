"""Public pages of the ITA results (no login)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from .charts import history_line, indicator_bars
from .directory import organisation_directory
from .models import Organisation
from .public_cache import by_site, public_page
from .scoring import YearResult, organisation_results, sub_indicator_averages


@require_safe
@public_page(version=by_site, params=("page",))
def index(request: HttpRequest) -> HttpResponse:
    """Every organisation, a page at a time (a search is served live: its query is
    not one of the cached ``params``)."""
    query = request.GET.get("q", "")
    page = organisation_directory(query=query, page=request.GET.get("page"))
    if page.paginator.count == 1 and not query:
        return redirect(page[0])
    return render(request, "assessments/index.html", {"page": page, "query": query.strip()})


def _published(results: list[YearResult]) -> list[YearResult]:
    """Years with something to show: a total, a published level, or at least one score."""
    return [
        r
        for r in results
        if r.shown_total is not None
        or r.level is not None
        or r.has_indicator_scores
        or any(i.score is not None for i in r.instruments)
    ]


@require_safe
@public_page
def organisation_home(request: HttpRequest, org: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation.objects.select_related("parent"), slug=org)
    results = _published(organisation_results(organisation=organisation))
    latest = next(
        (r for r in reversed(results) if r.edition is not None), results[-1] if results else None
    )
    # Imported here: the agency home is where the apps meet (ita_portal.agency_home);
    # assessments itself never imports measures, disclosures or complaints.
    from django.utils import timezone

    from ita_portal.agency_home import agency_home

    return render(
        request,
        "assessments/organisation.html",
        {
            "organisation": organisation,
            "latest": latest,
            "results": results,
            "history_chart": history_line(results),
            "home": agency_home(organisation=organisation, today=timezone.localdate()),
        },
    )


@require_safe
@public_page
def year_detail(request: HttpRequest, org: str, year: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation.objects.select_related("parent"), slug=org)
    results = _published(organisation_results(organisation=organisation))
    result = next((r for r in results if r.fiscal_year == year), None)
    if result is None:
        raise Http404("no ITA result for this year")
    return render(
        request,
        "assessments/year.html",
        {
            "organisation": organisation,
            "result": result,
            "results": results,
            "sub_indicators": sub_indicator_averages(result=result),
            "indicator_chart": indicator_bars(result) if result.edition else None,
            "history_chart": history_line(results),
        },
    )
