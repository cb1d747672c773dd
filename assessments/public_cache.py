"""What the public sees, and when it changed: the one caching design of the portal.

Every organisation has a ``content_version``, a number moved by
``content_changed`` in the same transaction as any change to what the public
sees of it: its name, units, results, published OIT items, measures and
documents, complaints (their statistics), survey rounds. The services that
make those changes call it; the admin calls ``content_changed_everywhere``
after any change an operator makes (``PublicContentAdmin``), and so do the
framework's loaders (an item's title is on every organisation's pages).

Public pages (``public_page``) are cached whole, for visitors without a
session, under a key made of the address, the language, the day and the
organisation's version, read from the database on every request (one
indexed query). So:

- a change is on every page, in every process, as soon as its transaction
  commits: there is nothing to invalidate and no counter to poll;
- a cached copy is never wrong, only unused: it can be kept in this
  process's memory (no network round trip) and in the shared cache (Redis,
  ``CACHE_URL``) alike, and is dropped by age (``PUBLIC_PAGE_SECONDS``);
- a change made outside the portal (SQL by hand) shows once the copy ages
  out, at most ``PUBLIC_PAGE_SECONDS`` (10 minutes);
- when the cache is down, pages are built and served as if nothing was
  cached (the shared cache fails open, ita_portal/cache.py);
- browsers get an ``ETag`` (the key) with ``no-cache``: they ask again each
  time and get a 304 while nothing changed.

Stored PDFs use the same version (measures.pdf_store): a document's PDF is
current when it was made from the organisation's current version.

Visitors with a session (staff, who may see drafts; a complainant following
a case) always get the page built for them. A page with a form (a survey)
is cached with placeholders for the visitor's CSRF and one-time tokens
(``HOLES``), filled in for each visitor.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import secrets
from collections.abc import Callable

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import InterfaceError, OperationalError, connection
from django.db.models import F, Q
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.middleware.csrf import (
    CSRF_ALLOWED_CHARS,
    CSRF_SECRET_LENGTH,
    CsrfViewMiddleware,
)
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language

from .models import Organisation, SiteVersion

logger = logging.getLogger(__name__)

# A context variable a cached page's template reads instead of a real token;
# the response gets the visitor's own token in its place (fill_holes).
CSRF_HOLE = "__public-cache-csrf__"
# Changed when what is stored changes shape, so a new release ignores the old copies.
PAGE_PREFIX = "public-page:2:"
ONCE_HOLE = "__public-cache-once__"


def content_changed(*organisations: Organisation | int | None) -> None:
    """Something the public sees of these organisations changed.

    Called by the service that made the change, inside its transaction, so
    the new version and the change are committed (or rolled back) together.
    The parent's and the children's pages show the organisation too (an
    ESA's list of schools, a school's "under" line), so they move as well.
    """
    ids = {o.pk if isinstance(o, Organisation) else o for o in organisations} - {None}
    if not ids:
        return
    parents = Organisation.objects.filter(pk__in=ids, parent__isnull=False).values("parent_id")
    Organisation.objects.filter(Q(pk__in=ids) | Q(parent_id__in=ids) | Q(pk__in=parents)).update(
        content_version=F("content_version") + 1
    )
    _site_changed()


def content_changed_everywhere() -> None:
    """The framework or anything else every organisation shows changed (operators, loaders)."""
    Organisation.objects.update(content_version=F("content_version") + 1)
    _site_changed()


def _site_changed() -> None:
    """Move the lists of every organisation too (one row; made here the first time,
    or again after a test flushed the tables)."""
    if not SiteVersion.objects.filter(pk=1).update(value=F("value") + 1):
        SiteVersion.objects.get_or_create(pk=1, defaults={"value": 1})


def organisation_version(slug: str) -> str | None:
    """The version part of an organisation's page keys; None for an unknown slug.

    Plain SQL: this runs on every public request, and building the same query
    with the ORM took longer than the database took to answer it (bench/README.md).
    """
    table = connection.ops.quote_name(Organisation._meta.db_table)
    row = fetch_one(f"SELECT id, content_version FROM {table} WHERE slug = %s", [slug])  # noqa: S608
    return f"{row[0]}.{row[1]}" if row else None


def fetch_one(sql: str, params: list) -> tuple | None:
    """One row of a query on the public pages' hot path, which is also the check that
    the kept database connection still works.

    Django checks a kept connection with a query of its own before a request's
    first one (CONN_HEALTH_CHECKS): a second round trip on a page that needs one.
    Here the page's own query is the check: if the server dropped the connection
    (a restart), it is opened again and the query repeated, once.
    """
    for attempt in (1, 2):
        retry = attempt == 1 and not connection.in_atomic_block
        if retry and connection.health_check_enabled:
            connection.health_check_done = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchone()
        except (OperationalError, InterfaceError):
            if not retry:
                raise
            logger.warning("database connection lost; connecting again", exc_info=True)
            connection.close()
    return None  # not reached: the second attempt returns or raises


def site_version() -> str:
    """The version of the pages that list every organisation: moves with any of them
    (``SiteVersion``, moved by ``content_changed``) and when one is added (the
    highest id: an organisation made without a service). Removing one is an
    operator's change in the admin, which moves every version. Two lookups by key,
    whatever the number of organisations (adding their versions up was a scan of
    the whole table on every request)."""
    site = connection.ops.quote_name(SiteVersion._meta.db_table)
    table = connection.ops.quote_name(Organisation._meta.db_table)
    value, last = fetch_one(
        f"SELECT (SELECT value FROM {site} WHERE id = 1), (SELECT MAX(id) FROM {table})",  # noqa: S608
        [],
    )
    return f"site.{value or 0}.{last or 0}"


VersionOf = Callable[..., "str | None"]


def by_organisation(request: HttpRequest, **kwargs) -> str | None:
    return organisation_version(kwargs["org"])


def by_site(request: HttpRequest, **kwargs) -> str | None:
    return site_version()


def anonymous(request: HttpRequest) -> bool:
    """A GET from a visitor with no session or pending messages."""
    cookies = request.COOKIES
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in cookies
        and "messages" not in cookies
    )


def sessionless(request: HttpRequest, params: tuple[str, ...] = ()) -> bool:
    """An anonymous GET whose page fits every visitor: no query, or only the view's
    own ``params`` (a list's page number), each once and a short number, so a
    made-up query cannot fill the cache with copies."""
    if not anonymous(request):
        return False
    query = request.GET
    return all(
        name in params and len(values) == 1 and values[0].isdigit() and len(values[0]) <= 6
        for name, values in query.lists()
    )


def _tiers() -> list[BaseCache]:
    """Where pages are kept, nearest first: this process's memory, then the shared cache."""
    tiers: list[BaseCache] = []
    if settings.PUBLIC_PROCESS_CACHE_ENTRIES > 0:
        tiers.append(caches["public-pages"])
    default = caches["default"]
    if not isinstance(default, LocMemCache) or not tiers:
        tiers.append(default)
    return tiers


def _get(key: str):
    tiers = _tiers()
    for depth, tier in enumerate(tiers):
        try:
            value = tier.get(key)
        except Exception:  # a cache never breaks a page
            logger.warning("public page cache unreadable", exc_info=True)
            continue
        if value is not None:
            for nearer in tiers[:depth]:
                nearer.set(key, value, settings.PUBLIC_PAGE_SECONDS)
            return value
    return None


def _set(key: str, value) -> None:
    for tier in _tiers():
        try:
            tier.set(key, value, settings.PUBLIC_PAGE_SECONDS)
        except Exception:
            logger.warning("public page cache unwritable", exc_info=True)


@functools.cache
def code_version() -> str:
    """The portal's code as deployed: its Python modules, templates and compiled
    translations (names, sizes, times). Part of every page's key, so a new release
    never serves a page its predecessor stored in the shared cache. Read once a process."""
    root = settings.BASE_DIR
    skip = {".venv", "node_modules", "tests", "bench", "media", "staticfiles", ".git"}
    digest = hashlib.sha256()
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in skip and not d.startswith("."))
        for name in sorted(files):
            if name.endswith((".py", ".html", ".txt", ".mo")):
                stat = os.stat(os.path.join(folder, name))
                digest.update(f"{folder}/{name}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:12]


def page_key(request: HttpRequest, version: str) -> str:
    # The full path: a list's pages (?page=2) are pages of their own.
    raw = "\n".join(
        (
            request.get_full_path(),
            get_language() or "",
            timezone.localdate().isoformat(),
            version,
            code_version(),
        )
    )
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def wants_holes(request: HttpRequest) -> bool:
    """The view is building a page to be cached: tokens must be placeholders."""
    return getattr(request, "_public_cache_holes", False)


def fill_holes(request: HttpRequest, content: bytes) -> bytes:
    from ita_portal.once import once_token  # ita_portal.once needs the app registry

    if CSRF_HOLE.encode() in content:
        content = content.replace(CSRF_HOLE.encode(), csrf_token_for(request).encode())
    if ONCE_HOLE.encode() in content:
        content = content.replace(ONCE_HOLE.encode(), once_token().encode())
    return content


_CSRF_CHARS = CSRF_ALLOWED_CHARS
_CSRF_INDEX = {char: index for index, char in enumerate(_CSRF_CHARS)}
_UNBIASED = 256 - 256 % len(_CSRF_CHARS)


def _csrf_string() -> str:
    """A CSRF secret or mask as Django makes them (32 of its 62 characters), from one
    read of the system's random source: Django's own ``get_token`` reads it once per
    character, 64 system calls for each first-time visitor of a form (bench/README.md)."""
    chars: list[str] = []
    while len(chars) < CSRF_SECRET_LENGTH:
        chars.extend(
            _CSRF_CHARS[byte % len(_CSRF_CHARS)]
            for byte in secrets.token_bytes(48)
            if byte < _UNBIASED  # no character more likely than another
        )
    return "".join(chars[:CSRF_SECRET_LENGTH])


def csrf_token_for(request: HttpRequest) -> str:
    """What Django's ``get_token`` gives (the visitor's secret, masked afresh; a new
    secret and its cookie for a first-time visitor), with ``_csrf_string``'s randomness.
    The CSRF middleware's ``process_request`` has put a checked secret in META, if any."""
    secret = request.META.get("CSRF_COOKIE") or _csrf_string()
    request.META.update(CSRF_COOKIE=secret, CSRF_COOKIE_NEEDS_UPDATE=True)
    mask = _csrf_string()
    size = len(_CSRF_CHARS)
    cipher = "".join(
        _CSRF_CHARS[(_CSRF_INDEX[s] + _CSRF_INDEX[m]) % size]
        for s, m in zip(secret, mask, strict=True)
    )
    return mask + cipher


def _storable(response: HttpResponse) -> bool:
    return (
        response.status_code in (200, 301, 302, 404)
        and not response.cookies
        and not response.streaming
        and not response.has_header("Vary")
        and "private" not in response.get("Cache-Control", "")
    )


def _with_holes_filled(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    content = response.content
    if b"__public-cache-" in content:
        # The visitor's own tokens: never the same page twice, so no ETag.
        response.content = fill_holes(request, content)
        del response["ETag"]
    return response


def _key_and_etag(request: HttpRequest, version: str) -> tuple[str, str]:
    key = page_key(request, version)
    return key, f'"{key}"'


def _not_modified(etag: str) -> HttpResponse:
    response = HttpResponseNotModified()
    response["ETag"] = etag
    return response


def serve(
    request: HttpRequest,
    version: str | None,
    build: Callable[[], HttpResponse],
    params: tuple[str, ...] = (),
) -> HttpResponse:
    """The page ``build`` makes, from the cache while ``version`` holds."""
    if version is None or not sessionless(request, params):
        return build()
    key, etag = _key_and_etag(request, version)
    if request.headers.get("If-None-Match") == etag:
        return _not_modified(etag)
    # The response object itself is stored (pickled, as Django's cache middleware
    # does): unpickling it is cheaper than setting its headers one by one again.
    stored = _get(PAGE_PREFIX + key)
    if isinstance(stored, HttpResponse):  # anything else: a copy from another release
        return _with_holes_filled(request, stored)
    request._public_cache_holes = True
    response = build()
    request._public_cache_holes = False
    if _storable(response):
        response["ETag"] = etag
        response["Cache-Control"] = "public, no-cache"
        _set(PAGE_PREFIX + key, response)
    return _with_holes_filled(request, response)


def stored_only(request: HttpRequest, version: str | None) -> HttpResponse | None:
    """The stored copy (or a 304) for the fast path; None: the view builds the page.

    A page with holes (a form) gets the visitor's tokens here, and the CSRF
    cookie that goes with them from the CSRF middleware's own methods (the
    request has not been through it), and is marked never to be kept.
    """
    if version is None:
        return None
    key, etag = _key_and_etag(request, version)
    if request.headers.get("If-None-Match") == etag:
        return _not_modified(etag)
    stored = _get(PAGE_PREFIX + key)
    if not isinstance(stored, HttpResponse):
        return None
    if b"__public-cache-" in stored.content:
        _CSRF.process_request(request)  # the visitor's own secret, if they have one
        stored.content = fill_holes(request, stored.content)
        del stored["ETag"]
        add_never_cache_headers(stored)
        return _CSRF.process_response(request, stored)
    return stored


_UNREAD = object()
_CSRF = CsrfViewMiddleware(lambda request: HttpResponse())


def public_page(
    view: Callable | None = None,
    *,
    version: VersionOf = by_organisation,
    params: tuple[str, ...] = (),
):
    """Cache a public view's whole page for sessionless visitors (see the module's docstring).

    ``version`` gives the version part of the key from the view's arguments
    (by default the ``org`` slug's organisation), or None to build the page
    uncached (an unknown organisation: the view answers 404 itself).
    ``params``: query parameters that make pages of their own (``page``);
    any other query is served live (a search).
    """

    def decorate(func: Callable) -> Callable:
        def fast_path(request: HttpRequest, *args, **kwargs) -> HttpResponse | None:
            if not sessionless(request, params):
                return None
            current = version(request, **kwargs)
            request._public_cache_version = current  # the view does not read it again
            return stored_only(request, current)

        @functools.wraps(func)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            current = getattr(request, "_public_cache_version", _UNREAD)
            if current is _UNREAD:
                current = version(request, **kwargs) if sessionless(request, params) else None
            return serve(request, current, lambda: func(request, *args, **kwargs), params)

        # functools.wraps copies it to the decorators around this one (require_safe).
        wrapper.public_fast_path = fast_path
        return wrapper

    return decorate(view) if view is not None else decorate


class PublicFastPathMiddleware:
    """Answers a sessionless GET from what its view stored, before the middleware a
    stored public page does not need (CSRF, authentication, messages, one-time
    passwords, history, login lock-outs), as WhiteNoise does for static files.

    The view says how (its ``public_fast_path``: ``public_page`` gives one; the
    stored PDFs have their own) and answers None to let the request through.
    Placed after the locale middleware (the language is in a page's key) and
    inside the ones that add security headers to every response.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if anonymous(request):
            try:
                match = resolve(request.path_info)
            except Resolver404:
                return self.get_response(request)
            fast_path = getattr(match.func, "public_fast_path", None)
            if fast_path is not None:
                response = fast_path(request, *match.args, **match.kwargs)
                if response is not None:
                    return response
        return self.get_response(request)


def moves_everything_after_post(view: Callable) -> Callable:
    """Wrap an operator's view (the admin site wraps all of its own): any form posted
    there may change what every organisation shows (an item's title, a result,
    a rename), and operators' changes are rare, so every version moves."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if request.method == "POST":
            # After the view's own transaction: a page built in between is stored
            # under the old version, which is never asked for again.
            content_changed_everywhere()
        return response

    return wrapper
