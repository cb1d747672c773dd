"""Per-address rate limits for public forms (django-ratelimit).

Counters live in the "ratelimit" cache (``ita_portal.cache.FailSafeCache``):
the shared cache, or this process's memory while the shared cache is down,
so a Redis outage neither lifts the limits nor refuses everyone. The
address is the validated client address (``RATELIMIT_IP_META_KEY`` names
``ita_portal.client_ip.client_ip``), so a missing or forged proxy header
never breaks a page.
"""

from __future__ import annotations

import math
import re

from django.http import HttpRequest
from django_ratelimit.core import get_usage

_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def wait_minutes(request: HttpRequest, *, group: str, rate: str) -> int | None:
    """Minutes to wait when this address used up its allowance, otherwise None."""
    usage = get_usage(request, group=group, key="ip", rate=rate)
    if usage is None or usage["count"] < usage["limit"]:
        return None
    return max(1, math.ceil(usage["time_left"] / 60))


def count(request: HttpRequest, *, group: str, rate: str) -> None:
    """Count one use of the allowance by this address."""
    get_usage(request, group=group, key="ip", rate=rate, increment=True)


def rate_parse(rate: str) -> tuple[int, int]:
    """ "10/h" → (10, 3600): a number of uses per a number of seconds, as django-ratelimit reads it."""
    match = _RATE.match(rate or "")
    if match is None:
        raise ValueError(f"not a rate: {rate!r} (e.g. 10/h)")
    number, multiple, unit = match.groups()
    return int(number), _SECONDS[unit] * int(multiple or 1)
