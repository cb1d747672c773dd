"""Caching the public OIT pages, which are read far more often than they change.

Two layers, both keyed on a *stamp* of the organisation's disclosures (how
many, and the latest change). Every change through the services, the staff
workspace or the admin saves a Disclosure, which moves the stamp, so there
is nothing to invalidate by hand, and it holds with several gunicorn
processes each keeping its own cache.

Because a key names the exact content, a copy can be kept anywhere without
going stale. Pages are looked up first in this process's memory (the
``oit-pages`` cache, ``OIT_PROCESS_CACHE_ENTRIES`` pages, least recently
used dropped first), then in the shared cache (``CACHE_URL``, e.g. Redis),
and a page found in the shared cache is copied into the process. A hit in
memory costs no network round trip: with Redis alone, the two look-ups per
page halved the throughput of cached pages (bench/README.md).

- Whole responses, for visitors without a session (the public, ITAS
  assessors, search engines): served without touching the organisation or
  the framework. The stamp itself is re-read from the database at most
  every ``OIT_STAMP_SECONDS`` (default 30) per process, so a change shows
  within that time.
- The body of a page, for other anonymous visitors (those with a session,
  e.g. following a complaint), under the stamp read on each request.

Staff always see the live page. Framework edits (an item's title) are not
in the stamp: they show within PAGE_SECONDS.
"""

from __future__ import annotations

import hashlib
import random
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

from assessments.models import Organisation

from .models import Disclosure

PAGE_SECONDS = 300


def _stamp(**lookup) -> str:
    # COUNT(*), not COUNT(id): the index on (organisation, updated_at) answers it alone.
    stamp = Disclosure.objects.filter(**lookup).aggregate(count=Count("*"), last=Max("updated_at"))
    last = stamp["last"].timestamp() if stamp["last"] else 0
    return f"{stamp['count']}-{last}"


def public_stamp(organisation: Organisation) -> str:
    """Changes whenever any of the organisation's disclosures (or their entries) change."""
    return _stamp(organisation=organisation)


def _key(*parts: object) -> str:
    # Hashed: parts come from the address and may hold anything.
    raw = ":".join(str(part) for part in parts)
    return "oit-page:" + hashlib.sha256(raw.encode()).hexdigest()


def _tiers() -> list[BaseCache]:
    """Where pages are kept, nearest first: this process, then the shared cache.

    A default cache that is itself in this process's memory (development, tests)
    is not a second tier.
    """
    tiers: list[BaseCache] = []
    if getattr(settings, "OIT_PROCESS_CACHE_ENTRIES", 0) > 0:
        tiers.append(caches["oit-pages"])
    shared = caches["default"]
    if not tiers or not isinstance(shared, LocMemCache):
        tiers.append(shared)
    return tiers


def _get(key: str):
    tiers = _tiers()
    for depth, tier in enumerate(tiers):
        value = tier.get(key)
        if value is not None:
            for nearer in tiers[:depth]:
                nearer.set(key, value, PAGE_SECONDS)
            return value
    return None


def _set(key: str, value, seconds: float = PAGE_SECONDS) -> None:
    for tier in _tiers():
        tier.set(key, value, seconds)


def cached_page(organisation: Organisation, parts: tuple, build: Callable[[], dict]) -> dict:
    """The page ``build`` makes, from the cache while the organisation's stamp holds.

    ``build`` returns a dict; one with ``cacheable`` false (a page built from
    other apps' data, such as O42) is returned but not stored.
    """
    key = _key(
        organisation.pk, organisation.slug, get_language(), public_stamp(organisation), *parts
    )
    page = _get(key)
    if page is None:
        page = build()
        if page.get("cacheable", True):
            _set(key, page)
    return page


def _slug_stamp(slug: str) -> str:
    seconds = getattr(settings, "OIT_STAMP_SECONDS", 5)
    # Kept in this process only: reading it is what notices a change.
    stamps = caches["oit-stamps"]
    key = _key("stamp", slug)
    stamp = stamps.get(key) if seconds else None
    if stamp is None:
        stamp = _stamp(organisation__slug=slug)
        if seconds:
            # Up to a fifth shorter at random: stamps read in one burst (a restart, a
            # crawler) would otherwise all expire together and be re-read in a burst.
            stamps.set(key, stamp, seconds * random.uniform(0.8, 1.0))  # noqa: S311
    return stamp


def sessionless(request: HttpRequest) -> bool:
    """A plain GET from a visitor with no session or pending messages: one page fits all."""
    cookies = request.COOKIES
    return (
        request.method == "GET"
        and not request.GET
        and settings.SESSION_COOKIE_NAME not in cookies
        and "messages" not in cookies
    )


def cached_response(
    request: HttpRequest, slug: str, parts: tuple, build: Callable[[], HttpResponse]
) -> HttpResponse:
    """The whole response for a sessionless visitor, from the cache while the stamp holds.

    Only 200 and 404 pages that set no cookie are stored. A page built from
    other apps' data (O31, O42, O43: the response says ``live_data``) does not
    follow the stamp, so it is kept ``OIT_STAMP_SECONDS`` only: the same delay
    as any other change, and not at all when that is 0.
    """
    if not sessionless(request):
        return build()
    key = _key("response", slug, get_language(), _slug_stamp(slug), *parts)
    stored = _get(key)
    # The expiry travels with the page: a copy taken into this process keeps it.
    if stored is not None and (stored[3] is None or time.time() < stored[3]):
        status, content, headers, _expires = stored
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        return response
    response = build()
    expires, seconds = None, 0
    if getattr(response, "live_data", False):
        seconds = getattr(settings, "OIT_STAMP_SECONDS", 5)
        expires = time.time() + seconds if seconds else 0
    if (
        response.status_code in (200, 404)
        and not response.cookies
        and not response.streaming
        and expires != 0
    ):
        headers = [
            (name, value) for name, value in response.items() if name.lower() != "set-cookie"
        ]
        _set(
            key,
            (response.status_code, response.content, headers, expires),
            seconds if expires else PAGE_SECONDS,
        )
    return response
