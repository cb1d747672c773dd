"""The organisation's change history, for its administrators."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ..selectors import history_kinds, organisation_history
from .common import admin_access


@login_required
def history(request: HttpRequest, org: str) -> HttpResponse:
    access = admin_access(request.user, org)
    kind = request.GET.get("kind") or None
    page = organisation_history(
        organisation=access.organisation, kind=kind, page=request.GET.get("page") or 1
    )
    return render(
        request,
        "assessments/staff_history.html",
        {
            "access": access,
            "organisation": access.organisation,
            "page": page,
            "kinds": history_kinds(),
            "kind": kind if kind in dict(history_kinds()) else "",
        },
    )
