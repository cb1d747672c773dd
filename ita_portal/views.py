from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from assessments.access import user_organisations
from assessments.scoring import organisation_results


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    rows = []
    for access in user_organisations(request.user):
        results = organisation_results(organisation=access.organisation)
        rows.append({"access": access, "results": results[-5:][::-1]})
    return render(request, "staff/dashboard.html", {"rows": rows})


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    # The exception's text is for developers, never shown to the visitor.
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: the failure may be in one of them.
    return HttpResponseServerError(loader.get_template("500.html").render())
