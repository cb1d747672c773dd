from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
    HttpResponseServerError,
)
from django.shortcuts import redirect, render
from django.template import loader
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessments.access import user_organisations
from assessments.models import Organisation
from assessments.scoring import organisations_results

from .digest import digest_enabled, digest_preference_set, unsubscribe_user
from .digest_forms import DigestPreferenceForm
from .due import due_lines_count, due_work
from .thai import fiscal_year_of


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
    today = timezone.localdate()
    due = due_work(user=request.user, today=today)
    context = {
        "rows": rows,
        "due": due,
        "due_count": due_lines_count(due),
        "due_year": fiscal_year_of(today),
    }
    return render(request, "staff/dashboard.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request: HttpRequest) -> HttpResponse:
    """The user's e-mail notifications: the weekly digest of what is due, on or off."""
    if request.method == "POST":
        form = DigestPreferenceForm(request.POST)
        if form.is_valid():
            digest_preference_set(
                user=request.user, weekly_digest=form.cleaned_data["weekly_digest"]
            )
            messages.success(request, _("Your e-mail notifications are saved."))
            return redirect("staff:notifications")
    else:
        form = DigestPreferenceForm(initial={"weekly_digest": digest_enabled(request.user)})
    return render(request, "staff/notifications.html", {"form": form})


@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One-click stop of the weekly digest from its e-mail, without logging in.

    GET only shows the confirmation (mail scanners follow links); the POST stops it.
    """
    user = unsubscribe_user(token)
    if user is None:
        raise Http404
    if request.method == "POST":
        digest_preference_set(user=user, weekly_digest=False)
        return render(request, "staff/unsubscribed.html")
    return render(request, "staff/unsubscribe.html", {"token": token})


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
