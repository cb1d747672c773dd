from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
    HttpResponseServerError,
)
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from assessments.access import user_organisations
from assessments.models import Organisation
from assessments.scoring import organisations_results


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    accesses = user_organisations(request.user)
    organisations = [access.organisation for access in accesses]
    # In bulk: the page's queries do not grow with the number of organisations.
    results = organisations_results(organisations)
    parents = set(
        Organisation.objects.filter(parent__in=organisations).values_list("parent_id", flat=True)
    )
    rows = [
        {
            "access": access,
            "results": results[access.organisation.pk][-5:][::-1],
            "has_children": access.organisation.pk in parents,
        }
        for access in accesses
    ]
    return render(request, "staff/dashboard.html", {"rows": rows})


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    # The exception's text is for developers, never shown to the visitor.
    return render(request, "404.html", status=404)


def bad_request(request: HttpRequest, exception: Exception | None) -> HttpResponse:
    # Rendered without the request: its address or body is what was wrong
    # (the language links then lead home instead of back to it).
    return HttpResponseBadRequest(loader.get_template("400.html").render())


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: the failure may be in one of them.
    return HttpResponseServerError(loader.get_template("500.html").render())


@require_http_methods(["GET", "POST"])
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language with a plain link (Thai ⇄ English).

    A link rather than Django's POST form: the choice only sets a
    preference cookie, and public pages without a form carry no CSRF token,
    so they can be cached and served to every visitor alike.
    """
    language = request.GET.get("language") or request.POST.get("language") or ""
    target = request.GET.get("next") or request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response
