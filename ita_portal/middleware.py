from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from itertools import chain

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.datastructures import MultiValueDict

# C0 controls and DEL, except tab, line feed and carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _any(pattern: re.Pattern[str], values: Iterable[str]) -> bool:
    return any(pattern.search(value) for value in values)


def _all_values(data: QueryDict | MultiValueDict) -> Iterator:
    # ``.values()`` would give only the last value of a repeated name.
    return chain.from_iterable(values for _name, values in data.lists())


class RefuseControlCharactersMiddleware:
    """Answer 400 to a request whose address, cookies or form carry control characters.

    PostgreSQL cannot store or compare a string with a NUL byte (psycopg
    raises), so ``/demo/oit/2565/O1%00/`` or ``?q=%00`` reaching a query gave
    an error 500. No browser sends control characters in an address, a
    cookie or a field name, so those are refused outright. Field
    values are only refused for NUL: text pasted from Word into a textarea
    may carry a vertical tab or a form feed, which the database stores fine.
    Checking here, once, covers every view that reads ``request.GET`` or
    ``request.POST`` directly, without a form that would refuse the NUL.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._hostile(request):
            return self._bad_request(request)
        return self.get_response(request)

    @staticmethod
    def _hostile(request: HttpRequest) -> bool:
        if _CONTROL.search(request.path_info) or _CONTROL.search(request.path):
            return True
        if _any(_CONTROL, request.GET.keys()) or _any(_CONTROL, _all_values(request.GET)):
            return True
        if _any(_CONTROL, request.COOKIES.keys()) or _any(_CONTROL, request.COOKIES.values()):
            return True
        if request.method != "POST":
            return False
        # Reading the body here rather than in the view changes nothing: the
        # CSRF middleware reads it for every POST anyway.
        if _any(_CONTROL, request.POST.keys()) or _any(_CONTROL, request.FILES.keys()):
            return True
        # File names need no check: Django drops their non-printable characters.
        return any("\x00" in value for value in _all_values(request.POST))

    @staticmethod
    def _bad_request(request: HttpRequest) -> HttpResponse:
        # The locale middleware has not run yet, and the thread may still
        # hold the language of its previous request.
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        # Imported here: the views module reaches the models, which a
        # middleware module must not import while settings load.
        from .views import bad_request

        with translation.override(language):
            return bad_request(request, None)


class ThaiFirstLocaleMiddleware(LocaleMiddleware):
    """Thai unless the visitor chose another language with the switcher.

    Django's own middleware follows the browser's Accept-Language, which
    would show a Thai agency's pages in English to anyone whose browser is
    set to English; the portal is Thai first, so only an explicit choice
    (the language cookie set by ``set_language``) counts.
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


# --- Security headers (issue 11, point 12) ---------------------------------

import collections.abc  # noqa: E402

from csp.constants import SELF, UNSAFE_INLINE  # noqa: E402
from csp.middleware import CSPMiddleware, PolicyParts  # noqa: E402
from django.http.response import HttpResponseBase  # noqa: E402

# Browser features the portal never uses, refused to every page and anything it embeds.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "interest-cohort",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)
# Paths whose pages are for signed-in staff: never kept by a browser or a proxy.
STAFF_PREFIXES = ("/staff/", "/admin/")
ADMIN_PREFIX = "/admin/"

# Django's admin and import-export's templates carry inline scripts and style
# attributes; only the operators' admin gets this relaxation, every other page
# keeps settings.CONTENT_SECURITY_POLICY as it is.
ADMIN_POLICY_RELAXATION = {
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
}


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's relaxation applied by path."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith(ADMIN_PREFIX) and parts.replace is None:
            parts.replace = ADMIN_POLICY_RELAXATION
        return parts


class SecurityHeadersMiddleware:
    """``Permissions-Policy`` on every response; ``Cache-Control: no-store`` on staff pages.

    A staff page (and any page shown to a signed-in user that sets no
    caching of its own) may carry complainants' identities or unpublished
    records: a shared computer's browser or a proxy must not keep it.
    """

    def __init__(
        self, get_response: collections.abc.Callable[[HttpRequest], HttpResponseBase]
    ) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        current = response.get("Cache-Control", "")
        if "no-store" in current:
            return response  # the view's own no-store (e.g. "private, no-store") stands
        staff_page = request.path_info.startswith(STAFF_PREFIXES)
        if staff_page or (not current and _signed_in(request)):
            response["Cache-Control"] = "no-store"
        return response


def _signed_in(request: HttpRequest) -> bool:
    # A request refused before the authentication middleware ran has no user.
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)
