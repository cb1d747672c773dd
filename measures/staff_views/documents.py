"""The year's documents in the staff workspace: the list of the four kinds, each
kind's settings with its preview, and publishing or withdrawing it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments.access import organisation_access
from ita_portal.concurrency import StaleEdit, stale_context, stale_form

from .. import editing, services
from ..documents import SPECS, document_addresses, spec_for
from ..forms import ReportSettingsForm, form_values
from ..models import DocumentKind, ReportSettings
from ..pdf_store import document_queue
from .common import ADMINISTRATORS, context, fiscal_year_or_404, not_saved, require_edit


def document_urls(slug: str, year: int, kind: str) -> dict[str, str]:
    page, pdf = document_addresses(slug, year, kind)
    return {"page": page, "pdf": pdf}


def settings_url(slug: str, year: int, kind: str) -> str:
    if kind == DocumentKind.ANNUAL:
        return reverse("measures_staff:report-settings", kwargs={"org": slug, "year": year})
    return reverse(
        "measures_staff:document-settings", kwargs={"org": slug, "year": year, "kind": kind}
    )


@login_required
def documents(request: HttpRequest, org: str, year: int) -> HttpResponse:
    access = organisation_access(request.user, org)
    organisation = access.organisation
    year = fiscal_year_or_404(year)
    saved = {
        s.kind: s
        for s in ReportSettings.objects.filter(organisation=organisation, fiscal_year=year)
    }
    rows = []
    for kind in DocumentKind.values:
        if kind not in SPECS:
            continue
        spec = SPECS[kind]
        settings = saved.get(kind)
        rows.append(
            {
                "kind": kind,
                "label": DocumentKind(kind).label,
                "title": (settings.title if settings else "")
                or spec.default_title(organisation, year),
                "published": bool(settings and settings.published),
                "settings_url": settings_url(organisation.slug, year, kind),
                **document_urls(organisation.slug, year, kind),
            }
        )
    return render(
        request, "measures/staff_documents.html", context(access, year=year, documents=rows)
    )


@login_required
def document_settings(
    request: HttpRequest, org: str, year: int, kind: str = DocumentKind.ANNUAL
) -> HttpResponse:
    access = organisation_access(request.user, org)
    organisation = access.organisation
    year = fiscal_year_or_404(year)
    spec = spec_for(kind)
    instance = services.report_settings_for(organisation=organisation, fiscal_year=year, kind=kind)
    status = 200
    stale: dict = {}
    if request.method == "POST":
        require_edit(access)
        form = ReportSettingsForm(request.POST, instance=instance, spec=spec)
        if form.is_valid():
            try:
                editing.report_settings_update(
                    organisation=organisation,
                    fiscal_year=year,
                    kind=kind,
                    token=form.cleaned_data["edit_token"],
                    **form_values(form),
                )
            except StaleEdit as error:
                instance = services.report_settings_for(
                    organisation=organisation, fiscal_year=year, kind=kind
                )
                form = stale_form(form, editing.report_settings_edit_token(instance))
                stale = stale_context(error)
            else:
                messages.success(
                    request,
                    _("The settings of “%(document)s” %(year)s were saved.")
                    % {"document": DocumentKind(kind).label, "year": year},
                )
                return redirect(settings_url(org, year, kind))
        if not stale:
            not_saved(request)
        status = 409 if stale else 400
    else:
        initial = {}
        if instance.pk is None:
            # Usually the head of the agency signs.
            initial = {
                "signatory_name": organisation.head_name,
                "signatory_position": organisation.head_position,
            }
        initial["edit_token"] = editing.report_settings_edit_token(instance)
        form = ReportSettingsForm(instance=instance, initial=initial, spec=spec)
    return render(
        request,
        "measures/staff_report_settings.html",
        context(
            access,
            year=year,
            form=form,
            report_settings=instance,
            kind=kind,
            kind_label=DocumentKind(kind).label,
            default_title=spec.default_title(organisation, year),
            urls=document_urls(organisation.slug, year, kind),
            publish_url=(
                reverse("measures_staff:report-publish", kwargs={"org": org, "year": year})
                if kind == DocumentKind.ANNUAL
                else reverse(
                    "measures_staff:document-publish",
                    kwargs={"org": org, "year": year, "kind": kind},
                )
            ),
            **stale,
        ),
        status=status,
    )


@login_required
@require_POST
def document_publish(
    request: HttpRequest, org: str, year: int, kind: str = DocumentKind.ANNUAL
) -> HttpResponse:
    access = organisation_access(request.user, org, roles=ADMINISTRATORS)
    spec_for(kind)
    published = request.POST.get("published") == "1"
    year = fiscal_year_or_404(year)
    services.report_publish(
        organisation=access.organisation,
        fiscal_year=year,
        user=request.user,
        published=published,
        kind=kind,
    )
    label = DocumentKind(kind).label
    if published:
        # Queue the PDF now, so it is made before the public's first download.
        document_queue(organisation=access.organisation, fiscal_year=year, kind=kind)
        messages.success(
            request,
            _("“%(document)s” %(year)s is now public.") % {"document": label, "year": year},
        )
    else:
        messages.success(
            request,
            _("“%(document)s” %(year)s was withdrawn from the public.")
            % {"document": label, "year": year},
        )
    return redirect(settings_url(org, year, kind))
