"""The ESA's roll-up of its schools for a year, and the consolidated sheet.

Members of the parent organisation (administrators, editors, viewers and
assessors) read their children's figures here, and only here; the schools'
own pages stay closed to them. A school's staff are not members of the
parent, so its roll-up is a 404 for them, as is another ESA's.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from assessments.access import OrganisationAccess, organisation_access
from assessments.models import Role
from ita_portal.spreadsheets import XLSX_CONTENT_TYPE
from ita_portal.thai import fiscal_year_of
from measures.staff_views.common import fiscal_year_or_404

from ..rollup import SORT_KEYS, STATUS_CHOICES, rollup_page, rollup_rows, rollup_totals
from ..rollup_export import rollup_filename, rollup_workbook

ROLLUP_ROLES = frozenset({Role.ADMINISTRATOR, Role.EDITOR, Role.VIEWER, Role.ASSESSOR})
COLUMNS = [
    ("name", _("School")),
    ("readiness", _("Readiness")),
    ("status", _("Review status")),
    ("progress", _("Items reviewed")),
    ("predicted", _("Predicted OIT")),
    ("final", _("Final OIT")),
    ("iit", _("IIT (self-assessed)")),
    ("eit", _("EIT (self-assessed)")),
    ("predicted_total", _("Predicted total and level (self-assessed)")),
    ("official", _("Last official result")),
]


def _columns(kept: dict[str, str], sort: str, descending: bool) -> list[dict]:
    """Each column's header link: a click sorts by it, a second click reverses the order."""
    columns = []
    for key, label in COLUMNS:
        active = key == sort
        flip = "asc" if active and descending else ("desc" if active else "asc")
        query = urlencode({**kept, "sort": key, "dir": flip})
        columns.append(
            {"key": key, "label": label, "query": query, "active": active, "descending": descending}
        )
    return columns


def rollup_access(user, org: str) -> OrganisationAccess:
    return organisation_access(user, org, roles=ROLLUP_ROLES)


@login_required
@require_GET
def rollup_current(request: HttpRequest, org: str) -> HttpResponse:
    """The roll-up of the current fiscal year (the staff workspace links here)."""
    access = rollup_access(request.user, org)
    year = fiscal_year_of(timezone.localdate())
    return redirect("disclosures_staff:rollup", org=access.organisation.slug, year=year)


@login_required
@require_GET
def rollup(request: HttpRequest, org: str, year: int) -> HttpResponse:
    access = rollup_access(request.user, org)
    fiscal_year_or_404(year)
    rows = rollup_rows(parent=access.organisation, fiscal_year=year)
    sort = request.GET.get("sort", "name")
    if sort not in SORT_KEYS:
        sort = "name"
    descending = request.GET.get("dir") == "desc"
    status = request.GET.get("status", "")
    if status not in dict(STATUS_CHOICES):
        status = ""
    text = request.GET.get("q", "")[:100]
    page = rollup_page(
        rows,
        sort=sort,
        descending=descending,
        status=status,
        text=text,
        page=request.GET.get("page", 1),
    )
    # The filter carried in every sort and page link.
    kept = {k: v for k, v in {"status": status, "q": text}.items() if v}
    paging = urlencode({**kept, "sort": sort, "dir": "desc" if descending else "asc"})
    return render(
        request,
        "disclosures/rollup.html",
        {
            "access": access,
            "organisation": access.organisation,
            "year": year,
            "page": page,
            "totals": rollup_totals(rows),
            "sort": sort,
            "descending": descending,
            "status": status,
            "text": text,
            "columns": _columns(kept, sort, descending),
            "paging": paging,
            "status_choices": STATUS_CHOICES,
        },
    )


@login_required
@require_GET
def rollup_download(request: HttpRequest, org: str, year: int) -> HttpResponse:
    access = rollup_access(request.user, org)
    fiscal_year_or_404(year)
    rows = rollup_rows(parent=access.organisation, fiscal_year=year)
    response = HttpResponse(rollup_workbook(rows), content_type=XLSX_CONTENT_TYPE)
    filename = rollup_filename(parent=access.organisation, fiscal_year=year)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
