"""Error reports for operators: e-mail to ADMINS, or Sentry when SENTRY_DSN is set.

A report must not carry what a visitor typed: the complaint form's POST
holds a complainant's name, ID number and contact, the login form a
password. Reports keep the address, the method and the traceback, and show
every POST value (and cookie) as hidden.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.views.debug import SafeExceptionReporterFilter


class NoPostDataFilter(SafeExceptionReporterFilter):
    """Django's filter (settings with secret-looking names hidden), plus every POST
    parameter and every local variable's value hidden, on every request."""

    def get_post_parameters(self, request: HttpRequest | None) -> dict:
        if request is None:
            return {}
        return {name: self.cleansed_substitute for name in request.POST}

    def get_traceback_frame_variables(self, request: HttpRequest | None, tb_frame) -> list:
        # A view's local variables hold the same data (a form's cleaned_data, the
        # complaint being saved): the report names them and shows no value.
        return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]


def sentry_init(*, dsn: str, environment: str, traces_sample_rate: float) -> None:
    """Send errors to Sentry, without personal data (no user, no cookies, no bodies)."""
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        max_request_body_size="never",
        traces_sample_rate=traces_sample_rate,
    )
