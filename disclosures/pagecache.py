"""Caching the public OIT pages, which are read far more often than they change.

A page is stored under a key that includes a stamp of the organisation's
disclosures (how many, and the latest change). Every change through the
services, the staff workspace or the admin saves a Disclosure, which moves
the stamp, so the next visitor gets a fresh page; there is nothing to
invalidate by hand, and it holds with several gunicorn processes each
keeping its own cache. Framework edits (an item's title) are not in the
stamp: they show within PAGE_SECONDS.

Only anonymous visitors get cached pages; staff always see the live page.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.db.models import Count, Max
from django.utils.translation import get_language

from assessments.models import Organisation

from .models import Disclosure

PAGE_SECONDS = 300


def public_stamp(organisation: Organisation) -> str:
    """Changes whenever any of the organisation's disclosures (or their entries) change."""
    stamp = Disclosure.objects.filter(organisation=organisation).aggregate(
        count=Count("id"), last=Max("updated_at")
    )
    last = stamp["last"].timestamp() if stamp["last"] else 0
    return f"{stamp['count']}-{last}"


def cached_page(organisation: Organisation, parts: tuple, build: Callable[[], dict]) -> dict:
    """The page ``build`` makes, from the cache while the organisation's stamp holds.

    ``build`` returns a dict; one with ``cacheable`` false (a page built from
    other apps' data, such as O42) is returned but not stored.
    """
    raw = ":".join(
        str(part)
        for part in (
            organisation.pk,
            organisation.slug,
            get_language(),
            public_stamp(organisation),
            *parts,
        )
    )
    # Hashed: the item code comes from the address and may hold anything.
    key = "oit-page:" + hashlib.sha256(raw.encode()).hexdigest()
    page = cache.get(key)
    if page is None:
        page = build()
        if page.get("cacheable", True):
            cache.set(key, page, PAGE_SECONDS)
    return page
