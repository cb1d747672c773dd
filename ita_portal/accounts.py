"""Staff accounts: login lock-out (django-axes) and password reset by e-mail.

An account+address pair is locked for ``AXES_COOLOFF_TIME`` after
``AXES_FAILURE_LIMIT`` wrong passwords, on every login form that calls
``authenticate()`` (the staff login and the admin login). Each attempt made
during a lock-out restarts the cool-off (axes' default), so the time shown
on the lock-out page is counted from now.
"""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off, get_failure_limit
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils import timezone, translation


class LockoutBackend(AxesStandaloneBackend):
    """axes' lock-out check, skipped for an ``authenticate()`` without a request.

    Only a web request has an address to lock; the others (a management
    command, the test client's ``login()``) are not attempts from the
    internet. axes would raise instead.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """The Thai lock-out page (HTTP 429): when to try again and how to be unlocked."""
    cool_off = get_cool_off(request)
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "until": timezone.now() + cool_off if cool_off else None,
    }
    # axes has logged the lock-out ("AXES: Locking out …": username, address,
    # browser and path; never the password).
    return render(
        request,
        "registration/locked_out.html",
        context,
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


class UnlockingSetPasswordForm(SetPasswordForm):
    """A new password set through the e-mailed link also lifts the user's lock-outs."""

    def save(self, commit: bool = True):
        user = super().save(commit=commit)
        if commit:
            axes_reset(username=user.get_username())
        return user


class ThaiPasswordResetForm(PasswordResetForm):
    """The reset e-mail is written in Thai, whichever language the page was in:
    the e-mail is read later, often by someone who never switched."""

    def send_mail(self, *args: Any, **kwargs: Any) -> None:
        with translation.override("th"):
            super().send_mail(*args, **kwargs)


password_reset = auth_views.PasswordResetView.as_view(
    form_class=ThaiPasswordResetForm,
    template_name="registration/password_reset_form.html",
    email_template_name="registration/password_reset_email.txt",
    subject_template_name="registration/password_reset_subject.txt",
    success_url=reverse_lazy("staff:password-reset-done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="registration/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="registration/password_reset_confirm.html",
    form_class=UnlockingSetPasswordForm,
    success_url=reverse_lazy("staff:password-reset-complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="registration/password_reset_complete.html"
)
