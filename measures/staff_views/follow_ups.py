"""A measure's follow-up results by round, and their evidence (files and links)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from assessments.access import OrganisationAccess, organisation_access
from assessments.models import EDITING_ROLES
from ita_portal.concurrency import StaleEdit, stale_context, stale_form
from ita_portal.once import once_claim, once_seen

from .. import editing, services
from ..forms import EvidenceFilesForm, EvidenceFormSet, EvidenceLinkForm, FollowUpForm, form_values
from ..models import FollowUp
from .common import (
    can_change_measure,
    context,
    evidence_or_404,
    follow_up_or_404,
    measure_or_404,
    not_saved,
    require_change_measure,
)


@login_required
def follow_ups(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    access = organisation_access(request.user, org)
    measure = measure_or_404(access, pk)
    items = sorted(
        measure.follow_ups.annotate(evidence_count=Count("evidence")), key=lambda f: f.sort_key
    )
    return render(
        request,
        "measures/staff_follow_ups.html",
        context(
            access,
            year=measure.fiscal_year,
            measure=measure,
            follow_ups=items,
            can_change=can_change_measure(access, measure),
        ),
    )


@login_required
def follow_up_add(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    access = organisation_access(request.user, org, roles=EDITING_ROLES)
    measure = measure_or_404(access, pk)
    require_change_measure(access, measure)
    if request.method == "POST":
        fallback = reverse("measures_staff:follow-ups", kwargs={"org": org, "pk": measure.pk})
        if seen := once_seen(request, fallback=fallback):
            return seen
        form = FollowUpForm(request.POST, instance=FollowUp(measure=measure), measure=measure)
        if form.is_valid():
            with once_claim(request, fallback=fallback) as claim:
                if claim.repeated:
                    return claim.redirect_repeated()
                try:
                    follow_up = editing.follow_up_create(measure=measure, **form_values(form))
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    messages.success(
                        request,
                        _("The %(round)s was saved. You can now add its evidence.")
                        % {"round": follow_up.round_label},
                    )
                    return claim.redirect(_follow_up_url(org, follow_up))
        not_saved(request)
        status = 400
    else:
        form = FollowUpForm(measure=measure)
        status = 200
    return render(
        request,
        "measures/staff_follow_up_add.html",
        context(access, year=measure.fiscal_year, measure=measure, form=form),
        status=status,
    )


def _follow_up_page(
    request: HttpRequest,
    access: OrganisationAccess,
    follow_up: FollowUp,
    *,
    form: FollowUpForm | None = None,
    files_form: EvidenceFilesForm | None = None,
    link_form: EvidenceLinkForm | None = None,
    evidence_formset: EvidenceFormSet | None = None,
    status: int = 200,
    **extra: object,
) -> HttpResponse:
    """The follow-up with all its forms; the one that failed comes back bound."""
    measure = follow_up.measure
    return render(
        request,
        "measures/staff_follow_up.html",
        context(
            access,
            year=measure.fiscal_year,
            measure=measure,
            follow_up=follow_up,
            form=form
            or FollowUpForm(
                instance=follow_up,
                measure=measure,
                initial={"edit_token": editing.follow_up_edit_token(follow_up)},
            ),
            files_form=files_form or EvidenceFilesForm(),
            link_form=link_form or EvidenceLinkForm(),
            evidence_formset=evidence_formset
            or EvidenceFormSet(
                queryset=follow_up.evidence.order_by("order", "id"), prefix="evidence"
            ),
            can_change=can_change_measure(access, measure),
            **extra,
        ),
        status=status,
    )


def _follow_up_url(org: str, follow_up: FollowUp, anchor: str = "") -> str:
    url = reverse("measures_staff:follow-up", kwargs={"org": org, "pk": follow_up.pk})
    return f"{url}#{anchor}" if anchor else url


@login_required
def follow_up_edit(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    access = organisation_access(request.user, org)
    follow_up = follow_up_or_404(access, pk)
    if request.method == "POST":
        require_change_measure(access, follow_up.measure)
        form = FollowUpForm(request.POST, instance=follow_up, measure=follow_up.measure)
        if form.is_valid():
            try:
                editing.follow_up_update(
                    follow_up=follow_up,
                    token=form.cleaned_data["edit_token"],
                    **form_values(form),
                )
            except StaleEdit as error:
                follow_up = follow_up_or_404(access, pk)
                form = stale_form(form, editing.follow_up_edit_token(follow_up))
                return _follow_up_page(
                    request, access, follow_up, form=form, status=409, **stale_context(error)
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The follow-up was saved."))
                return redirect(_follow_up_url(org, follow_up))
        not_saved(request)
        return _follow_up_page(request, access, follow_up, form=form, status=400)
    return _follow_up_page(request, access, follow_up)


@login_required
@require_POST
def evidence_upload(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    access = organisation_access(request.user, org, roles=EDITING_ROLES)
    follow_up = follow_up_or_404(access, pk)
    require_change_measure(access, follow_up.measure)
    url = _follow_up_url(org, follow_up, "evidence")
    if seen := once_seen(request, fallback=url):
        return seen
    form = EvidenceFilesForm(request.POST, request.FILES)
    if form.is_valid():
        with once_claim(request, fallback=url) as claim:
            if claim.repeated:
                return claim.redirect_repeated()
            try:
                saved = services.evidence_add_files(
                    follow_up=follow_up, files=form.cleaned_data["files"], captions=form.captions()
                )
            except ValidationError as error:
                form.add_error("files", error)
            else:
                messages.success(
                    request,
                    ngettext("%(count)s file was added.", "%(count)s files were added.", len(saved))
                    % {"count": len(saved)},
                )
                return claim.redirect(url)
    messages.error(request, _("No file was saved. Please check the files named below."))
    return _follow_up_page(request, access, follow_up, files_form=form, status=400)


@login_required
@require_POST
def evidence_link(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    access = organisation_access(request.user, org, roles=EDITING_ROLES)
    follow_up = follow_up_or_404(access, pk)
    require_change_measure(access, follow_up.measure)
    url = _follow_up_url(org, follow_up, "evidence")
    if seen := once_seen(request, fallback=url):
        return seen
    form = EvidenceLinkForm(request.POST)
    if form.is_valid():
        with once_claim(request, fallback=url) as claim:
            if claim.repeated:
                return claim.redirect_repeated()
            services.evidence_add_link(
                follow_up=follow_up,
                url=form.cleaned_data["url"],
                caption=form.cleaned_data["caption"],
            )
            messages.success(request, _("The link was added."))
            return claim.redirect(url)
    not_saved(request)
    return _follow_up_page(request, access, follow_up, link_form=form, status=400)


@login_required
@require_POST
def evidence_update(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    """Captions and order of the follow-up's evidence, all in one form."""
    access = organisation_access(request.user, org, roles=EDITING_ROLES)
    follow_up = follow_up_or_404(access, pk)
    require_change_measure(access, follow_up.measure)
    # Only this follow-up's evidence: an id from elsewhere is refused by the formset.
    formset = EvidenceFormSet(
        request.POST, queryset=follow_up.evidence.order_by("order", "id"), prefix="evidence"
    )
    if formset.is_valid():
        editing.evidence_captions_save(follow_up=follow_up, formset=formset)
        messages.success(request, _("The captions and order were saved."))
        return redirect(_follow_up_url(org, follow_up, "evidence"))
    not_saved(request)
    return _follow_up_page(request, access, follow_up, evidence_formset=formset, status=400)


@login_required
@require_POST
def evidence_delete(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    access = organisation_access(request.user, org, roles=EDITING_ROLES)
    evidence = evidence_or_404(access, pk)
    follow_up = evidence.follow_up
    require_change_measure(access, follow_up.measure)
    services.evidence_delete(evidence=evidence)
    messages.success(request, _("The evidence was deleted."))
    return redirect(_follow_up_url(org, follow_up, "evidence"))
