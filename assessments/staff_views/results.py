"""The staff workspace for ITA results (login, organisation members only)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ita_portal.concurrency import StaleEdit, stale_context, stale_form

from ..access import organisation_access
from ..forms import AssessmentForm, ItemResultsForm, ThresholdForm, YearForm
from ..imports import scores_export
from ..models import EDITING_ROLES, Assessment, Item, Organisation, Role
from ..public_cache import content_changed
from ..scoring import organisation_results
from ..services import (
    assessment_edit_token,
    assessment_get_or_create,
    assessment_item_results_update,
    assessment_update,
    item_results_edit_token,
)


def _results_page(
    request: HttpRequest, access, year_form: YearForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "assessments/staff_results.html",
        {
            "access": access,
            "organisation": access.organisation,
            "results": organisation_results(organisation=access.organisation),
            "year_form": year_form,
        },
        status=status,
    )


@login_required
def results(request: HttpRequest, org: str) -> HttpResponse:
    return _results_page(request, organisation_access(request.user, org), YearForm())


@login_required
@require_POST
def year_add(request: HttpRequest, org: str) -> HttpResponse:
    access = organisation_access(request.user, org, roles=EDITING_ROLES)
    form = YearForm(request.POST)
    if not form.is_valid():
        return _results_page(request, access, form, status=400)
    year = form.cleaned_data["fiscal_year"]
    assessment_get_or_create(organisation=access.organisation, fiscal_year=year)
    return redirect("assessments_staff:year", org=org, year=year)


def _initial(assessment: Assessment, form_class=AssessmentForm) -> dict:
    initial = {
        "official_total": assessment.official_total,
        "official_level": assessment.official_level_id,
        "rank": assessment.rank,
        "ranked_out_of": assessment.ranked_out_of,
        "notes": assessment.notes,
    }
    for score in assessment.scores.all():
        initial[form_class.score_field_name(score.indicator.number)] = score.score
    for score in assessment.instrument_scores.all():
        initial[form_class.instrument_field_name(score.instrument.code)] = score.score
    return initial


def _form_shape(assessment: Assessment) -> dict:
    """The fields the year's form has: those of the year's edition, whatever its shape."""
    edition = assessment.edition
    if edition is None:
        return {"indicators": [], "instruments": [], "levels": []}
    return {
        "indicators": sorted(edition.indicators.all(), key=lambda i: i.number),
        "instruments": sorted(edition.instruments.all(), key=lambda i: (i.order, i.code)),
        "levels": list(edition.levels.all()),
    }


@login_required
def year_edit(request: HttpRequest, org: str, year: int) -> HttpResponse:
    access = organisation_access(request.user, org)
    assessment = (
        Assessment.objects.filter(organisation=access.organisation, fiscal_year=year)
        .select_related("organisation", "edition")
        .prefetch_related("scores__indicator", "instrument_scores__instrument")
        .first()
    )
    if assessment is None:
        raise Http404
    shape = _form_shape(assessment)
    stale: dict = {}
    if request.method == "POST":
        if not access.can_edit:
            raise Http404
        form = AssessmentForm(request.POST, **shape)
        if form.is_valid():
            try:
                assessment_update(
                    assessment=assessment,
                    scores=form.scores(),
                    instrument_scores=form.instrument_scores(),
                    official_total=form.cleaned_data["official_total"],
                    official_level=form.cleaned_data.get("official_level"),
                    rank=form.cleaned_data["rank"],
                    ranked_out_of=form.cleaned_data["ranked_out_of"],
                    notes=form.cleaned_data["notes"],
                    token=form.cleaned_data["edit_token"],
                )
            except StaleEdit as error:
                # The record as it is now, so a second deliberate save goes through.
                current = Assessment.objects.get(pk=assessment.pk)
                form = stale_form(form, assessment_edit_token(current))
                stale = stale_context(error)
            else:
                messages.success(request, _("The results of %(year)s were saved.") % {"year": year})
                return redirect("assessments_staff:year", org=org, year=year)
        if not stale:
            messages.error(request, _("Nothing was saved. Please correct the fields marked below."))
    else:
        form = AssessmentForm(
            initial={**_initial(assessment), "edit_token": assessment_edit_token(assessment)},
            **shape,
        )
    # The whole history, so the year's difference and trend are against the year before.
    results = organisation_results(organisation=access.organisation)
    result = next(r for r in results if r.fiscal_year == year)
    return render(
        request,
        "assessments/staff_year.html",
        {
            "access": access,
            "organisation": access.organisation,
            "assessment": assessment,
            "form": form,
            "result": result,
            **stale,
        },
        status=409 if stale else 200,
    )


@login_required
def settings_edit(request: HttpRequest, org: str) -> HttpResponse:
    access = organisation_access(request.user, org, roles=EDITING_ROLES)
    organisation: Organisation = access.organisation
    if request.method == "POST":
        form = ThresholdForm(request.POST, instance=organisation)
        if form.is_valid():
            with transaction.atomic():
                form.save()
                # The threshold decides what the public result page marks for development.
                content_changed(organisation)
            messages.success(request, _("The settings were saved."))
            return redirect("assessments_staff:settings", org=org)
        messages.error(request, _("Nothing was saved. Please correct the fields marked below."))
    else:
        form = ThresholdForm(instance=organisation)
    return render(
        request,
        "assessments/staff_settings.html",
        {"access": access, "organisation": organisation, "form": form},
    )


@login_required
def scores_download(request: HttpRequest, org: str, fmt: str) -> HttpResponse:
    return _download(request, org, fmt, kind="indicator")


@login_required
def instrument_scores_download(request: HttpRequest, org: str, fmt: str) -> HttpResponse:
    return _download(request, org, fmt, kind="instrument")


def _download(request: HttpRequest, org: str, fmt: str, *, kind: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    access = organisation_access(
        request.user, org, roles=frozenset({Role.ADMINISTRATOR, Role.EDITOR, Role.VIEWER})
    )
    content = scores_export(
        organisations=Organisation.objects.filter(pk=access.organisation.pk), fmt=fmt, kind=kind
    )
    content_type = (
        "text/csv; charset=utf-8"
        if fmt == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    if fmt == "csv":
        content = "\ufeff" + content  # so Excel opens the Thai text as UTF-8
    response = HttpResponse(content, content_type=content_type)
    prefix = "" if kind == "indicator" else f"{kind}-"
    response["Content-Disposition"] = (
        f'attachment; filename="ita-{prefix}scores-{access.organisation.slug}.{fmt}"'
    )
    return response


@login_required
def item_results_edit(request: HttpRequest, org: str, year: int) -> HttpResponse:
    access = organisation_access(request.user, org)
    assessment = (
        Assessment.objects.filter(
            organisation=access.organisation, fiscal_year=year, edition__isnull=False
        )
        .select_related("organisation", "edition")
        .first()
    )
    if assessment is None:
        raise Http404
    items = list(Item.objects.filter(edition=assessment.edition).select_related("sub_indicator"))
    stale: dict = {}
    if request.method == "POST":
        if not access.can_edit:
            raise Http404
        form = ItemResultsForm(request.POST, items=items)
        if form.is_valid():
            try:
                assessment_item_results_update(
                    assessment=assessment,
                    results=form.results(),
                    token=form.cleaned_data["edit_token"],
                )
            except StaleEdit as error:
                form = stale_form(form, item_results_edit_token(assessment))
                stale = stale_context(error)
            else:
                messages.success(
                    request, _("The OIT item results of %(year)s were saved.") % {"year": year}
                )
                return redirect("assessments_staff:items", org=org, year=year)
        if not stale:
            messages.error(request, _("Nothing was saved. Please correct the fields marked below."))
    else:
        form = ItemResultsForm(
            initial={
                **ItemResultsForm.initial_for(list(assessment.item_results.all())),
                "edit_token": item_results_edit_token(assessment),
            },
            items=items,
        )
    return render(
        request,
        "assessments/staff_items.html",
        {
            "access": access,
            "organisation": access.organisation,
            "assessment": assessment,
            "form": form,
            **stale,
        },
        status=409 if stale else 200,
    )
