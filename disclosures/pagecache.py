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
  the framework. Each process keeps the stamps it read. With a shared
  cache, every save in the apps these pages show moves a change counter
  there (``bump_generation``, from signals.py); a process looks at the
  counter at most once a second and re-reads a stamp only after it moved,
  so a quiet portal reads no stamp at all, however many organisations it
  serves. Without a shared cache, a stamp is re-read after
  ``OIT_STAMP_SECONDS``.
- The body of a page, for other anonymous visitors (those with a session,
  e.g. following a complaint), under the stamp read on each request.

Staff always see the live page. Framework edits (an item's title) are not
in the stamp: they show within PAGE_SECONDS. A year or item the edition does
not have is never stored, so a provisional edition shows as soon as it is started.
"""

from __future__ import annotations

import hashlib
import logging
import random
import secrets
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

logger = logging.getLogger(__name__)


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


def _shared() -> BaseCache | None:
    """The cache all processes share (CACHE_URL), or None when the default cache is
    itself in this process's memory (development, tests)."""
    default = caches["default"]
    return None if isinstance(default, LocMemCache) else default


def _tiers() -> list[BaseCache]:
    """Where pages are kept, nearest first: this process, then the shared cache."""
    tiers: list[BaseCache] = []
    if settings.OIT_PROCESS_CACHE_ENTRIES > 0:
        tiers.append(caches["oit-pages"])
    shared = _shared()
    if shared is not None:
        tiers.append(shared)
    return tiers or [caches["default"]]


def _get(key: str):
    tiers = _tiers()
    for depth, tier in enumerate(tiers):
        value = tier.get(key)
        if value is not None:
            for nearer in tiers[:depth]:
                nearer.set(key, value, PAGE_SECONDS)
            return value
    return None


def _set(key: str, value) -> None:
    for tier in _tiers():
        tier.set(key, value, PAGE_SECONDS)


def cached_page(organisation: Organisation, parts: tuple, build: Callable[[], dict]) -> dict:
    """The page ``build`` makes, from the cache while the organisation's stamp holds.

    ``build`` returns a dict; one with ``cacheable`` false (a page built from
    other apps' data, such as the measures) is returned but not stored.
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


GENERATION_KEY = "oit-generation"
# How long a process trusts the generation it read from the shared cache: a
# change made in another process reaches this one's visitors within this time.
GENERATION_SECONDS = 1.0
_generation_memo: dict[str, float | int | None] = {}


def _start_generation(shared: BaseCache) -> int | None:
    """Put a counter in the shared cache if it has none (first start, a flushed cache).

    It starts at a random number: a counter that restarted from 1 could come back
    to a value a process still holds a stamp for, and that stamp would pass as current.
    """
    start = secrets.randbits(62)
    return start if shared.add(GENERATION_KEY, start, timeout=None) else None


def bump_generation() -> None:
    """Something the public pages show may have changed (signals.py calls this on
    every save and delete in the apps they read from)."""
    shared = _shared()
    if shared is None:
        return
    try:
        value = _start_generation(shared) or shared.incr(GENERATION_KEY)
    except ValueError:
        # The fail-open cache answers a missing key (Redis down, already logged) like this.
        value = None
    except Exception:  # an unreachable cache must not stop a save
        logger.warning("could not mark the public OIT pages as changed", exc_info=True)
        value = None
    # This process sees its own change at once; the others within GENERATION_SECONDS.
    _generation_memo.update(value=value, at=time.time())


def current_generation() -> int | None:
    """The shared change counter, or None without a shared cache (or if it was lost)."""
    shared = _shared()
    if shared is None:
        return None
    now = time.time()
    if not _generation_memo or not 0 <= now - _generation_memo["at"] < GENERATION_SECONDS:
        value = shared.get(GENERATION_KEY)
        if value is None:
            value = _start_generation(shared) or shared.get(GENERATION_KEY)
        _generation_memo.update(value=value, at=now)
    return _generation_memo["value"]


def _slug_stamp(slug: str) -> str:
    """The organisation's stamp, as this process last read it while it still holds.

    With a shared cache, a stamp holds until anything changes anywhere (the
    generation moves), so a quiet portal reads none, whatever the number of
    organisations; without one, for ``OIT_STAMP_SECONDS``. Either way at most
    PAGE_SECONDS, for changes made outside Django (SQL by hand).
    """
    seconds = settings.OIT_STAMP_SECONDS
    stamps = caches["oit-stamps"]
    key = _key("stamp", slug)
    # Read before the database: a change committed after it moves the generation.
    generation = current_generation()
    held = stamps.get(key)
    if held is not None:
        stamp, tag, read_at = held
        if (generation is not None and generation == tag) or (
            generation is None and time.time() - read_at < seconds
        ):
            return stamp
    stamp = _stamp(organisation__slug=slug)
    if generation is not None or seconds:
        # Up to a fifth shorter at random: stamps read in one burst (a restart, a
        # crawler) would otherwise all be re-read in one burst again.
        ttl = PAGE_SECONDS * random.uniform(0.8, 1.0)  # noqa: S311
        stamps.set(key, (stamp, generation, time.time()), ttl)
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
    other apps' data (measures, complaint statistics: the response says ``live_data``) does not
    follow the stamp: it holds while the generation does (with a shared cache)
    or for ``OIT_STAMP_SECONDS`` (without one), the same as a stamp.
    """
    if not sessionless(request):
        return build()
    key = _key("response", slug, get_language(), _slug_stamp(slug), *parts)
    generation = current_generation()
    stored = _get(key)
    # The page's limits travel with it: a copy taken into this process keeps them.
    if stored is not None and _live_page_holds(stored[3], generation):
        status, content, headers, _live = stored
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        return response
    response = build()
    live = None
    if getattr(response, "live_data", False):
        seconds = settings.OIT_STAMP_SECONDS
        if generation is None and not seconds:
            return response
        live = (generation, time.time() + seconds)
    if response.status_code in (200, 404) and not response.cookies and not response.streaming:
        headers = [
            (name, value) for name, value in response.items() if name.lower() != "set-cookie"
        ]
        _set(key, (response.status_code, response.content, headers, live))
    return response


def _live_page_holds(live: tuple | None, generation: int | None) -> bool:
    if live is None:  # an ordinary page: its key holds the stamp
        return True
    tag, until = live
    if generation is not None:
        return generation == tag
    return time.time() < until
