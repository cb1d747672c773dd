"""The organisation's units: add, rename, reorder, merge, retire (administrators)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ita_portal.once import once_claim, once_seen

from ..access import OrganisationAccess
from ..models import Unit
from ..org_admin import (
    unit_create,
    unit_delete,
    unit_in_use,
    unit_merge,
    unit_move,
    unit_reactivate,
    unit_rename,
    unit_retire,
)
from ..org_forms import UnitForm, UnitMergeForm
from .common import add_service_errors, admin_access


def _unit(access: OrganisationAccess, pk: int) -> Unit:
    return get_object_or_404(Unit, organisation=access.organisation, pk=pk)


def _units_page(request: HttpRequest, access: OrganisationAccess, form: UnitForm, status=200):
    units = (
        Unit.objects.filter(organisation=access.organisation)
        .annotate(
            member_count=Count("membership", distinct=True),
            measure_count=Count("measures", distinct=True),
            disclosure_count=Count("disclosures", distinct=True),
        )
        .order_by("retired_at", "order", "name")
    )
    return render(
        request,
        "assessments/staff_units.html",
        {"access": access, "organisation": access.organisation, "units": units, "form": form},
        status=status,
    )


@login_required
def units(request: HttpRequest, org: str) -> HttpResponse:
    access = admin_access(request.user, org)
    if request.method == "POST":
        done = reverse("assessments_staff:units", kwargs={"org": org})
        if seen := once_seen(request, fallback=done):
            return seen
        form = UnitForm(request.POST)
        if form.is_valid():
            with once_claim(request, fallback=done) as claim:
                if claim.repeated:
                    return claim.redirect_repeated()
                try:
                    unit = unit_create(
                        organisation=access.organisation, name=form.cleaned_data["name"]
                    )
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    messages.success(
                        request, _("The unit “%(name)s” was added.") % {"name": unit.name}
                    )
                    return claim.redirect(done)
        return _units_page(request, access, form, status=400)
    return _units_page(request, access, UnitForm())


@login_required
def unit_edit(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    access = admin_access(request.user, org)
    unit = _unit(access, pk)
    form = UnitForm(initial={"name": unit.name})
    if request.method == "POST":
        form = UnitForm(request.POST)
        if form.is_valid():
            try:
                unit_rename(unit=unit, name=form.cleaned_data["name"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The unit was renamed."))
                return redirect("assessments_staff:units", org=org)
    return render(
        request,
        "assessments/staff_units_edit.html",
        {
            "access": access,
            "organisation": access.organisation,
            "unit": unit,
            "form": form,
            "merge_form": UnitMergeForm(source=unit),
            "in_use": unit_in_use(unit=unit),
        },
    )


@login_required
@require_POST
def unit_move_view(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    access = admin_access(request.user, org)
    unit_move(unit=_unit(access, pk), step=-1 if request.POST.get("step") == "up" else 1)
    return redirect("assessments_staff:units", org=org)


@login_required
@require_POST
def unit_merge_view(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    access = admin_access(request.user, org)
    source = _unit(access, pk)
    form = UnitMergeForm(request.POST, source=source)
    if form.is_valid():
        try:
            target = unit_merge(source=source, target=form.cleaned_data["target"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("“%(source)s” was merged into “%(target)s” and retired.")
                % {"source": source.name, "target": target.name},
            )
            return redirect("assessments_staff:units", org=org)
    else:
        messages.error(request, _("Choose the unit to merge into."))
    return redirect("assessments_staff:unit", org=org, pk=pk)


@login_required
@require_POST
def unit_retire_view(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    access = admin_access(request.user, org)
    unit = _unit(access, pk)
    if request.POST.get("action") == "reactivate":
        unit_reactivate(unit=unit)
        messages.success(request, _("The unit “%(name)s” is in use again.") % {"name": unit.name})
    else:
        unit_retire(unit=unit)
        messages.success(
            request,
            _("The unit “%(name)s” was retired: it stays on old records but is no longer offered.")
            % {"name": unit.name},
        )
    return redirect("assessments_staff:units", org=org)


@login_required
@require_POST
def unit_delete_view(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    access = admin_access(request.user, org)
    unit = _unit(access, pk)
    try:
        unit_delete(unit=unit)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("assessments_staff:unit", org=org, pk=pk)
    messages.success(request, _("The unit “%(name)s” was deleted.") % {"name": unit.name})
    return redirect("assessments_staff:units", org=org)
