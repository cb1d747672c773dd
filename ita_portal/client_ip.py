"""The client's address, for rate limits and lock-outs.

Behind a reverse proxy the client's address is in a header the proxy sets
(``DJANGO_CLIENT_IP_HEADER``, e.g. ``HTTP_X_REAL_IP``). A request that lacks
the header, or carries something that is not an address there, must not
break the page: it falls back to ``REMOTE_ADDR`` (the proxy's own address,
so such requests share one allowance, which is the safe side).
"""

from __future__ import annotations

import ipaddress
import logging

from django.conf import settings
from django.http import HttpRequest

logger = logging.getLogger(__name__)

# What a request without any usable address counts as (one shared allowance).
UNKNOWN = "0.0.0.0"  # noqa: S104 - a counter key, never bound to


def _valid(value: str | None) -> str | None:
    if not value:
        return None
    value = value.split(",")[0].strip()
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The client's address as a normalised string; never raises."""
    header = getattr(settings, "CLIENT_IP_HEADER", "") or ""
    if header:
        address = _valid(request.META.get(header))
        if address is not None:
            return address
        if request.META.get(header):
            logger.warning("client address header %s holds no valid address", header)
    return _valid(request.META.get("REMOTE_ADDR")) or UNKNOWN
