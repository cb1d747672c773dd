"""The operators' page for replacing a provisional edition with the real one.

Under /admin/ (operators = active superusers only; others get a 404, anonymous
visitors the admin login). It shows the proposed mapping, lets the operator
pick the real item for codes that changed, and applies it in one
transaction (``ita_portal.edition_replace``). It lives in ``ita_portal``, not
in an app, because applying touches every app.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessments.edition_data import FrameworkError
from assessments.models import Edition

from .admin_site import is_operator
from .edition_replace import (
    EditionStale,
    ReplacementPlan,
    edition_replace,
    replacement_candidates,
    replacement_plan,
)

app_name = "edition_replace"


def _operator_only(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    if not is_operator(request.user):
        raise Http404
    return None


def _context(request: HttpRequest, **extra) -> dict:
    return {**admin.site.each_context(request), **extra}


@require_http_methods(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    if refused := _operator_only(request):
        return refused
    return render(
        request,
        "assessments/edition_replace_index.html",
        _context(
            request, title=_("Replace a provisional edition"), candidates=replacement_candidates()
        ),
    )


def _posted_targets(request: HttpRequest, provisional: Edition) -> dict[str, str | None]:
    """The operator's choice per item; an item the form did not post keeps the proposal."""
    targets: dict[str, str | None] = {}
    for code in provisional.items.values_list("code", flat=True):
        value = request.POST.get(f"item-{code}")
        if value is not None:
            targets[code] = value.strip() or None
    return targets


@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, provisional: str, real: str) -> HttpResponse:
    if refused := _operator_only(request):
        return refused
    provisional_edition = get_object_or_404(Edition, code=provisional, provisional=True)
    real_edition = get_object_or_404(
        Edition, code=real, provisional=False, scheme_id=provisional_edition.scheme_id
    )
    targets = _posted_targets(request, provisional_edition) if request.method == "POST" else {}
    status, errors = 200, []
    if request.method == "POST" and "apply" in request.POST:
        try:
            summary = edition_replace(
                provisional_code=provisional_edition.code,
                real_code=real_edition.code,
                item_targets=targets,
                fingerprint=request.POST.get("fingerprint", ""),
            )
        except EditionStale as exc:
            status, errors = 409, exc.errors
        except FrameworkError as exc:
            errors = exc.errors
        else:
            messages.success(request, " ".join(summary.lines()))
            return redirect("edition_replace:index")
        # The page is redrawn from what is stored now; the rows may have changed.
        provisional_edition = Edition.objects.filter(pk=provisional_edition.pk).first()
        if provisional_edition is None:
            messages.error(request, " ".join(errors))
            return redirect("edition_replace:index")
        real_edition.refresh_from_db()
    plan: ReplacementPlan = replacement_plan(
        provisional=provisional_edition, real=real_edition, item_targets=targets
    )
    return render(
        request,
        "assessments/edition_replace.html",
        _context(
            request,
            title=_("Replace %(provisional)s with %(real)s")
            % {"provisional": provisional_edition.code, "real": real_edition.code},
            plan=plan,
            errors=[e for e in errors if e not in plan.problems],
        ),
        status=status,
    )


urlpatterns = [
    path("", index, name="index"),
    path("<slug:provisional>/<slug:real>/", review, name="review"),
]
