"""The link sheet for ITAS (CSV or Excel)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from assessments.access import organisation_access, user_organisations
from assessments.framework import edition_for
from assessments.models import Organisation
from measures.staff_views.common import (
    fiscal_year_or_404,
)

from ..exports import CONTENT_TYPES, FORMATS, link_sheet_export, link_sheet_filename


def _link_sheet_response(organisation: Organisation, year: int, fmt: str) -> HttpResponse:
    if fmt not in FORMATS or edition_for(organisation, fiscal_year_or_404(year)) is None:
        raise Http404
    response = HttpResponse(
        link_sheet_export(organisation=organisation, fiscal_year=year, fmt=fmt),
        content_type=CONTENT_TYPES[fmt],
    )
    filename = link_sheet_filename(organisation=organisation, fiscal_year=year, fmt=fmt)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def links(request: HttpRequest, org: str, year: int, fmt: str) -> HttpResponse:
    access = organisation_access(request.user, org)
    return _link_sheet_response(access.organisation, year, fmt)


@login_required
def links_mine(request: HttpRequest, year: int, fmt: str) -> HttpResponse:
    """The sheet of the user's organisation; with several, ?org= chooses, else a list."""
    fiscal_year_or_404(year)
    if request.GET.get("org"):
        access = organisation_access(request.user, request.GET["org"])
        return _link_sheet_response(access.organisation, year, fmt)
    accesses = user_organisations(request.user)
    if len(accesses) == 1:
        return _link_sheet_response(accesses[0].organisation, year, fmt)
    return render(
        request,
        "disclosures/staff_links_choose.html",
        {"accesses": accesses, "year": year},
    )
