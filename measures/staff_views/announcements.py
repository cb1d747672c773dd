"""Announcements and orders that put a year's measures in place."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.access import OrganisationAccess, organisation_access
from assessments.models import EDITING_ROLES
from ita_portal.concurrency import StaleEdit, stale_context, stale_form
from ita_portal.once import once_claim, once_seen

from .. import editing
from ..forms import AnnouncementForm, form_values
from ..models import Announcement
from .common import announcement_or_404, context, fiscal_year_or_404, not_saved, require_edit


@login_required
def announcements(request: HttpRequest, org: str, year: int) -> HttpResponse:
    access = organisation_access(request.user, org)
    items = (
        Announcement.objects.filter(
            organisation=access.organisation, fiscal_year=fiscal_year_or_404(year)
        )
        .prefetch_related("measures")
        .order_by("date", "id")
    )
    return render(
        request,
        "measures/staff_announcements.html",
        context(access, year=year, announcements=items),
    )


def _announcement_form_page(
    request: HttpRequest,
    access: OrganisationAccess,
    form: AnnouncementForm,
    year: int,
    announcement: Announcement | None = None,
    status: int = 200,
    **extra: object,
) -> HttpResponse:
    return render(
        request,
        "measures/staff_announcement_form.html",
        context(access, year=year, form=form, announcement=announcement, **extra),
        status=status,
    )


def _announcement_submit(
    request: HttpRequest, access: OrganisationAccess, year: int, announcement: Announcement | None
) -> HttpResponse:
    """Save the announcement and its signed PDF together; a refused PDF saves nothing."""
    url = reverse(
        "measures_staff:announcements", kwargs={"org": access.organisation.slug, "year": year}
    )
    if seen := once_seen(request, fallback=url):
        return seen
    instance = announcement or Announcement(organisation=access.organisation, fiscal_year=year)
    form = AnnouncementForm(
        request.POST,
        request.FILES,
        instance=instance,
        organisation=access.organisation,
        fiscal_year=year,
    )
    if form.is_valid():
        values = form_values(form, exclude=("attachment_file",))
        upload = form.cleaned_data.get("attachment_file")
        with once_claim(request, fallback=url) as claim:
            if claim.repeated:
                return claim.redirect_repeated()
            try:
                if announcement is None:
                    saved = editing.announcement_create(
                        organisation=access.organisation, fiscal_year=year, upload=upload, **values
                    )
                else:
                    saved = editing.announcement_update(
                        announcement=announcement,
                        token=form.cleaned_data["edit_token"],
                        upload=upload,
                        **values,
                    )
            except StaleEdit as error:
                announcement = announcement_or_404(access, announcement.pk)
                form = stale_form(form, editing.announcement_edit_token(announcement))
                return _announcement_form_page(
                    request, access, form, year, announcement, status=409, **stale_context(error)
                )
            except ValidationError as error:
                form.add_error("attachment_file", error)
            else:
                messages.success(request, _("“%(title)s” was saved.") % {"title": saved.title})
                return claim.redirect(url)
    not_saved(request)
    return _announcement_form_page(request, access, form, year, announcement, status=400)


@login_required
def announcement_add(request: HttpRequest, org: str, year: int) -> HttpResponse:
    access = organisation_access(request.user, org, roles=EDITING_ROLES)
    organisation = access.organisation
    if request.method == "POST":
        return _announcement_submit(request, access, fiscal_year_or_404(year), None)
    form = AnnouncementForm(
        initial={
            "date": timezone.localdate(),
            "signatory_name": organisation.head_name,
            "signatory_position": organisation.head_position,
        },
        organisation=organisation,
        fiscal_year=fiscal_year_or_404(year),
    )
    return _announcement_form_page(request, access, form, year)


@login_required
def announcement_edit(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    access = organisation_access(request.user, org)
    announcement = announcement_or_404(access, pk)
    year = announcement.fiscal_year
    if request.method == "POST":
        require_edit(access)
        return _announcement_submit(request, access, year, announcement)
    form = AnnouncementForm(
        instance=announcement,
        organisation=access.organisation,
        fiscal_year=year,
        initial={"edit_token": editing.announcement_edit_token(announcement)},
    )
    return _announcement_form_page(request, access, form, year, announcement)


@login_required
def announcement_delete(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    access = organisation_access(request.user, org, roles=EDITING_ROLES)
    announcement = announcement_or_404(access, pk)
    year = announcement.fiscal_year
    if request.method == "POST":
        editing.announcement_delete(announcement=announcement)
        messages.success(request, _("“%(title)s” was deleted.") % {"title": announcement.title})
        return redirect("measures_staff:announcements", org=org, year=year)
    return render(
        request,
        "measures/staff_announcement_delete.html",
        context(access, year=year, announcement=announcement),
    )


@login_required
def announcement_preview(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    access = organisation_access(request.user, org)
    announcement = announcement_or_404(access, pk)
    return render(
        request,
        "measures/staff_announcement_preview.html",
        context(access, year=announcement.fiscal_year, announcement=announcement),
    )
