"""Adding, editing, deleting and reordering a year's measures."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments.access import OrganisationAccess, organisation_access
from assessments.models import EDITING_ROLES, Organisation
from ita_portal.thai import fiscal_year_end

from .. import services
from ..forms import MeasureForm
from ..models import Measure
from .common import context, fiscal_year_or_404, measure_or_404, not_saved, require_edit


def _measure_form_page(
    request: HttpRequest,
    access: OrganisationAccess,
    form: MeasureForm,
    year: int,
    measure: Measure | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "measures/staff_measure_form.html",
        context(access, year=year, form=form, measure=measure),
        status=status,
    )


@transaction.atomic
def _measure_save(form: MeasureForm, *, organisation: Organisation, year: int) -> Measure:
    measure = form.save(commit=False)
    if measure.pk is None:
        measure.organisation = organisation
        measure.fiscal_year = year
        measure.number = services.measure_next_number(organisation=organisation, fiscal_year=year)
    measure.save()
    form.save_m2m()
    services.measure_steps_set(measure=measure, steps=form.cleaned_data["steps"])
    return measure


@login_required
def measure_add(request: HttpRequest, org: str, year: int) -> HttpResponse:
    access = organisation_access(request.user, org, roles=EDITING_ROLES)
    options = {
        "organisation": access.organisation,
        "edition": services.measures_edition(fiscal_year_or_404(year)),
    }
    if request.method == "POST":
        form = MeasureForm(request.POST, **options)
        if form.is_valid():
            measure = _measure_save(form, organisation=access.organisation, year=year)
            messages.success(
                request, _("Measure %(number)s was added.") % {"number": measure.number}
            )
            return redirect("measures_staff:year", org=org, year=year)
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
        "edition": services.measures_edition(measure.fiscal_year),
        "instance": measure,
    }
    if request.method == "POST":
        require_edit(access)
        form = MeasureForm(request.POST, **options)
        if form.is_valid():
            _measure_save(form, organisation=access.organisation, year=measure.fiscal_year)
            messages.success(
                request, _("Measure %(number)s was saved.") % {"number": measure.number}
            )
            return redirect("measures_staff:year", org=org, year=measure.fiscal_year)
        not_saved(request)
        return _measure_form_page(request, access, form, measure.fiscal_year, measure, status=400)
    return _measure_form_page(request, access, MeasureForm(**options), measure.fiscal_year, measure)


@login_required
def measure_delete(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    access = organisation_access(request.user, org, roles=EDITING_ROLES)
    measure = measure_or_404(access, pk)
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
    offset = {"up": -1, "down": 1}.get(request.POST.get("direction", ""))
    if offset is None:
        raise Http404
    services.measure_move(measure=measure, offset=offset)
    url = reverse("measures_staff:year", kwargs={"org": org, "year": measure.fiscal_year})
    return redirect(f"{url}#measure-{measure.pk}")
