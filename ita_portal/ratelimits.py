"""Rate limits for public forms (django-ratelimit): per address, per browser, per anything.

Counters live in the "ratelimit" cache (``ita_portal.cache.FailSafeCache``):
the shared cache, or this process's memory while the shared cache is down,
so a Redis outage neither lifts the limits nor refuses everyone. The
address is the validated client address (``RATELIMIT_IP_META_KEY`` names
``ita_portal.client_ip.client_ip``), so a missing or forged proxy header
never breaks a page.

Hundreds of citizens can share one IPv4 address (a mobile carrier's NAT, a
school's Wi-Fi), so a per-address limit must be loose. The tight limit is per
browser: a random id in a signed cookie (``BROWSER_COOKIE``), set by the pages
that count (``browser_cookie_set``). A request without a valid cookie is
counted under a new id, which its response sets. A script that drops its cookie
escapes the browser's limit (any cookie can be dropped), not the address's.
"""

from __future__ import annotations

import math
import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django_ratelimit.core import get_usage

_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}

BROWSER_COOKIE = "ita_browser"
_BROWSER_SALT = "ita_portal.ratelimits.browser"
_BROWSER_MAX_AGE = 365 * 86400
# A request without a valid cookie is counted under a new id, kept here for the response.
_NEW_ID = "_ratelimit_browser_id"

Key = str | Callable[[str, HttpRequest], str]


def _browser_id(request: HttpRequest) -> str:
    """This browser's id: its signed cookie's, or a new one that the response will set."""
    value = request.get_signed_cookie(BROWSER_COOKIE, default=None, salt=_BROWSER_SALT)
    if value:
        return value
    if not hasattr(request, _NEW_ID):
        setattr(request, _NEW_ID, secrets.token_urlsafe(16))
    return getattr(request, _NEW_ID)


def browser_key(group: str, request: HttpRequest) -> str:
    """The key of the per-browser counters (``Limit(..., key=browser_key)``)."""
    return f"browser:{_browser_id(request)}"


def browser_cookie_set(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Give a browser without a valid id the one its request was counted under."""
    if request.get_signed_cookie(BROWSER_COOKIE, default=None, salt=_BROWSER_SALT) is None:
        response.set_signed_cookie(
            BROWSER_COOKIE,
            _browser_id(request),
            salt=_BROWSER_SALT,
            max_age=_BROWSER_MAX_AGE,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    return response


@dataclass(frozen=True)
class Limit:
    """One allowance: ``rate`` uses (e.g. "5/h") per ``key`` ("ip" or a function)."""

    group: str
    rate: str
    key: Key = "ip"


def wait_minutes(request: HttpRequest, *, group: str, rate: str, key: Key = "ip") -> int | None:
    """Minutes to wait when this key (by default the address) used up its allowance, else None."""
    usage = get_usage(request, group=group, key=key, rate=rate)
    if usage is None or usage["count"] < usage["limit"]:
        return None
    return max(1, math.ceil(usage["time_left"] / 60))


def count(request: HttpRequest, *, group: str, rate: str, key: Key = "ip") -> None:
    """Count one use of the allowance by this key (by default the address)."""
    get_usage(request, group=group, key=key, rate=rate, increment=True)


def limits_wait(request: HttpRequest, limits: Sequence[Limit]) -> int | None:
    """Minutes until every one of ``limits`` allows another use, or None when all do now."""
    waits = [wait_minutes(request, group=x.group, rate=x.rate, key=x.key) for x in limits]
    waits = [w for w in waits if w is not None]
    return max(waits) if waits else None


def limits_count(request: HttpRequest, limits: Sequence[Limit]) -> None:
    for limit in limits:
        count(request, group=limit.group, rate=limit.rate, key=limit.key)


def rate_parse(rate: str) -> tuple[int, int]:
    """ "10/h" → (10, 3600): a number of uses per a number of seconds, as django-ratelimit reads it."""
    match = _RATE.match(rate or "")
    if match is None:
        raise ValueError(f"not a rate: {rate!r} (e.g. 10/h)")
    number, multiple, unit = match.groups()
    return int(number), _SECONDS[unit] * int(multiple or 1)
