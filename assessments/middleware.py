"""Sending a member who still has the password an administrator set to change it first."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .models import OneTimePassword


class OneTimePasswordMiddleware:
    """In the staff workspace, a one-time password opens only the password change page.

    Only ``/staff/`` costs the one query; public pages are untouched.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and request.path.startswith(reverse("staff:dashboard"))
            and request.path
            not in (
                reverse("staff:password-change"),
                reverse("staff:password-change-done"),
                reverse("staff:logout"),
            )
            and OneTimePassword.objects.filter(user=user, password_hash=user.password).exists()
        ):
            messages.warning(
                request,
                _("Your password was set by an administrator. Choose your own password to go on."),
            )
            return redirect("staff:password-change")
        return self.get_response(request)
