"""Adding, editing, deleting and reordering a year's measures."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments.access import OrganisationAccess, organisation_access
from assessments.models import EDITING_ROLES
from ita_portal.concurrency import StaleEdit, stale_context, stale_form
from ita_portal.once import once_claim, once_seen
from ita_portal.thai import fiscal_year_end

from .. import services
from ..forms import MeasureForm, form_values
from ..models import Measure
from .common import (
    can_change_measure,
    context,
    fiscal_year_or_404,
    measure_or_404,
    not_saved,
    require_change_measure,
)


def _measure_form_page(
    request: HttpRequest,
    access: OrganisationAccess,
    form: MeasureForm,
    year: int,
    measure: Measure | None = None,
    status: int = 200,
    **extra: object,
) -> HttpResponse:
    can_change = access.can_edit if measure is None else can_change_measure(access, measure)
    return render(
        request,
        "measures/staff_measure_form.html",
        context(access, year=year, form=form, measure=measure, can_change=can_change, **extra),
        status=status,
    )


@login_required
def measure_add(request: HttpRequest, org: str, year: int) -> HttpResponse:
    access = organisation_access(request.user, org, roles=EDITING_ROLES)
    options = {
        "organisation": access.organisation,
        "edition": services.measures_edition(fiscal_year_or_404(year), access.organisation),
        "unit_ids": access.unit_ids,
        "fiscal_year": year,
    }
    year_url = reverse("measures_staff:year", kwargs={"org": org, "year": year})
    if request.method == "POST":
        if seen := once_seen(request, fallback=year_url):
            return seen
        form = MeasureForm(request.POST, **options)
        if form.is_valid():
            with once_claim(request, fallback=year_url) as claim:
                if claim.repeated:
                    return claim.redirect_repeated()
                measure = services.measure_create(
                    organisation=access.organisation, fiscal_year=year, **form_values(form)
                )
                messages.success(
                    request, _("Measure %(number)s was added.") % {"number": measure.number}
                )
                return claim.redirect(year_url)
        not_saved(request)
        return _measure_form_page(request, access, form, year, status=400)
    form = MeasureForm(initial={"due_date": fiscal_year_end(year)}, **options)
    return _measure_form_page(request, access, form, year)


@login_required
def measure_edit(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    access = organisation_access(request.user, org)
    measure = measure_or_404(access, pk)
    options = {
        "organisation": access.organisation,
        "edition": services.measures_edition(measure.fiscal_year, access.organisation),
        "instance": measure,
        "unit_ids": access.unit_ids,
    }
    year = measure.fiscal_year
    if request.method == "POST":
        require_change_measure(access, measure)
        form = MeasureForm(request.POST, **options)
        if form.is_valid():
            try:
                services.measure_update(
                    measure=measure, token=form.cleaned_data["edit_token"], **form_values(form)
                )
            except StaleEdit as error:
                measure = measure_or_404(access, pk)
                form = stale_form(form, services.measure_edit_token(measure))
                return _measure_form_page(
                    request, access, form, year, measure, status=409, **stale_context(error)
                )
            messages.success(
                request, _("Measure %(number)s was saved.") % {"number": measure.number}
            )
            return redirect("measures_staff:year", org=org, year=year)
        not_saved(request)
        return _measure_form_page(request, access, form, year, measure, status=400)
    form = MeasureForm(initial={"edit_token": services.measure_edit_token(measure)}, **options)
    return _measure_form_page(request, access, form, year, measure)


@login_required
def measure_delete(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    access = organisation_access(request.user, org, roles=EDITING_ROLES)
    measure = measure_or_404(access, pk)
    require_change_measure(access, measure)
    if request.method == "POST":
        services.measure_delete(measure=measure)
        messages.success(
            request,
            _("Measure %(number)s was deleted; the measures after it were renumbered.")
            % {"number": measure.number},
        )
        return redirect("measures_staff:year", org=org, year=measure.fiscal_year)
    return render(
        request,
        "measures/staff_measure_delete.html",
        context(
            access,
            year=measure.fiscal_year,
            measure=measure,
            follow_up_count=measure.follow_ups.count(),
        ),
    )


@login_required
@require_POST
def measure_move(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    access = organisation_access(request.user, org, roles=EDITING_ROLES)
    measure = measure_or_404(access, pk)
    require_change_measure(access, measure)
    offset = {"up": -1, "down": 1}.get(request.POST.get("direction", ""))
    if offset is None:
        raise Http404
    services.measure_move(measure=measure, offset=offset)
    url = reverse("measures_staff:year", kwargs={"org": org, "year": measure.fiscal_year})
    return redirect(f"{url}#measure-{measure.pk}")
