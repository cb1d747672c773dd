"""The years, a year's measures at a glance, planning and copying, and the report settings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from assessments.access import organisation_access
from assessments.forms import YearForm
from assessments.models import EDITING_ROLES, AssessmentKind
from assessments.scoring import sub_indicator_averages
from ita_portal.once import once_claim, once_seen
from ita_portal.thai import fiscal_year_of

from .. import oit_planning, services
from ..models import Announcement, Measure, ReportSettings
from .common import (
    context,
    fiscal_year_or_404,
    require_whole_organisation,
    user_units,
)

# --- Years and the year view -------------------------------------------------


@login_required
def years(request: HttpRequest, org: str) -> HttpResponse:
    access = organisation_access(request.user, org)
    organisation = access.organisation
    year_form = YearForm(request.GET) if "fiscal_year" in request.GET else YearForm()
    if year_form.is_valid():
        return redirect("measures_staff:year", org=org, year=year_form.cleaned_data["fiscal_year"])
    current = fiscal_year_of(timezone.localdate())
    measure_counts = dict(
        Measure.objects.filter(organisation=organisation)
        .values_list("fiscal_year")
        .annotate(n=Count("id"))
    )
    announcement_counts = dict(
        Announcement.objects.filter(organisation=organisation)
        .values_list("fiscal_year")
        .annotate(n=Count("id"))
    )
    published = set(
        ReportSettings.objects.filter(organisation=organisation, published=True).values_list(
            "fiscal_year", flat=True
        )
    )
    rows = [
        {
            "year": year,
            "measures": measure_counts.get(year, 0),
            "announcements": announcement_counts.get(year, 0),
            "published": year in published,
            "current": year == current,
        }
        for year in sorted(
            {*measure_counts, *announcement_counts, current, current + 1}, reverse=True
        )
    ]
    return render(
        request,
        "measures/staff_years.html",
        context(access, rows=rows, year_form=year_form),
        status=400 if year_form.is_bound else 200,
    )


@login_required
def year_measures(request: HttpRequest, org: str, year: int) -> HttpResponse:
    access = organisation_access(request.user, org)
    organisation = access.organisation
    rows = services.year_overview(
        organisation=organisation,
        fiscal_year=fiscal_year_or_404(year),
        units=user_units(request.user, organisation),
    )
    # What the drafts are made from: the result of the year before.
    previous = services.previous_result(organisation=organisation, fiscal_year=year)
    previous_self = services.previous_result(
        organisation=organisation, fiscal_year=year, kind=AssessmentKind.SELF
    )
    oit_items = sub_indicator_averages(result=previous) if previous else []
    return render(
        request,
        "measures/staff_year.html",
        context(
            access,
            year=year,
            rows=rows,
            overdue_count=sum(1 for row in rows if row.overdue or row.overdue_rounds),
            has_mine=any(row.mine for row in rows),
            previous=previous,
            previous_self=previous_self,
            oit_items=oit_items,
            oit_failed_count=sum(len(sub.failed) for sub in oit_items),
            report_settings=services.report_settings_for(
                organisation=organisation, fiscal_year=year
            ),
            announcement_count=Announcement.objects.filter(
                organisation=organisation, fiscal_year=year
            ).count(),
        ),
    )


def _plan_from_indicators(
    request: HttpRequest, organisation, year: int, kind: str = AssessmentKind.OFFICIAL
) -> bool:
    try:
        created = services.measures_plan_from_analysis(
            organisation=organisation, fiscal_year=year, kind=kind
        )
    except services.PlanningError as error:
        messages.error(request, str(error))
        return False
    if created:
        messages.success(
            request,
            ngettext(
                "%(count)s draft measure was created from the analysis of %(year)s. "
                "Complete its details.",
                "%(count)s draft measures were created from the analysis of %(year)s. "
                "Complete their details.",
                len(created),
            )
            % {"count": len(created), "year": year - 1},
        )
    else:
        messages.info(
            request, _("Every indicator to develop already has a measure: nothing was added.")
        )
    return bool(created)


def _plan_from_oit_items(request: HttpRequest, organisation, year: int) -> bool:
    try:
        created = oit_planning.measures_plan_from_oit_items(
            organisation=organisation, fiscal_year=year
        )
    except oit_planning.NothingToImprove as news:
        messages.info(request, str(news))
        return False
    except services.PlanningError as error:
        messages.error(request, str(error))
        return False
    if created:
        messages.success(
            request,
            ngettext(
                "%(count)s draft measure was created from the OIT items of %(year)s "
                "that did not pass, one step per item. Complete its details.",
                "%(count)s draft measures were created from the OIT items of %(year)s "
                "that did not pass, one per sub-indicator and one step per item. "
                "Complete their details.",
                len(created),
            )
            % {"count": len(created), "year": year - 1},
        )
    else:
        messages.info(
            request,
            _("Every OIT item to improve is already in a measure: nothing was added."),
        )
    return bool(created)


@login_required
@require_POST
def plan(request: HttpRequest, org: str, year: int) -> HttpResponse:
    """Draft measures from last year's indicators to develop, or (``source=oit``) its failed OIT items."""
    access = organisation_access(request.user, org, roles=EDITING_ROLES)
    require_whole_organisation(access)
    fiscal_year_or_404(year)
    url = reverse("measures_staff:year", args=[org, year])
    if seen := once_seen(request, fallback=url):
        return seen
    with once_claim(request, fallback=url) as claim:
        if claim.repeated:
            return claim.redirect_repeated()
        source = request.POST.get("source")
        if source == "oit":
            done = _plan_from_oit_items(request, access.organisation, year)
        else:
            # "self": from the recorded self-assessed (predicted) result of the year before.
            kind = AssessmentKind.SELF if source == "self" else AssessmentKind.OFFICIAL
            done = _plan_from_indicators(request, access.organisation, year, kind)
        if done:
            return claim.redirect(url)
        # Nothing was added: the token goes back, so the form can be sent again later.
        return redirect(url)


@login_required
def copy_to_next_year(request: HttpRequest, org: str, year: int) -> HttpResponse:
    """A confirmation page, then the copy: it adds a whole year of measures at once."""
    access = organisation_access(request.user, org, roles=EDITING_ROLES)
    require_whole_organisation(access)
    organisation = access.organisation
    if request.method == "POST":
        try:
            copies = services.measures_copy_to_next_year(
                organisation=organisation, fiscal_year=fiscal_year_or_404(year)
            )
        except services.PlanningError as error:
            messages.error(request, str(error))
            return redirect("measures_staff:year", org=org, year=year)
        if copies:
            messages.success(
                request,
                ngettext(
                    "%(count)s measure was copied to %(year)s.",
                    "%(count)s measures were copied to %(year)s.",
                    len(copies),
                )
                % {"count": len(copies), "year": year + 1},
            )
        else:
            messages.info(
                request,
                _("Every measure already exists in %(year)s: nothing was copied.")
                % {"year": year + 1},
            )
        return redirect("measures_staff:year", org=org, year=year + 1)
    measures = Measure.objects.filter(
        organisation=organisation, fiscal_year=fiscal_year_or_404(year)
    )
    return render(
        request,
        "measures/staff_copy.html",
        context(
            access,
            year=year,
            next_year=year + 1,
            measures=measures.order_by("number"),
            existing=set(
                Measure.objects.filter(organisation=organisation, fiscal_year=year + 1).values_list(
                    "title", flat=True
                )
            ),
        ),
    )
