"""Checking the external links entries point at: HEAD, then GET when HEAD is
refused, redirects followed, never reading a body; short timeouts so a cron
run over every organisation finishes.

The result is recorded on the entry (status or error, when) with a plain
UPDATE: a check is not an edit, so it neither enters the entry's history nor
changes the page's "last updated".
"""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from ..models import Entry, EntryKind

USER_AGENT = "ITA-Portal-LinkCheck/1.0"
# Statuses after which a GET is worth trying: servers that refuse or mishandle HEAD.
RETRY_WITH_GET = frozenset({400, 403, 404, 405, 406, 500, 501, 502, 503})


@dataclass(frozen=True)
class LinkResult:
    status: int | None
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error and self.status is not None and self.status < 400


class _KeepMethod(urllib.request.HTTPRedirectHandler):
    """Follow redirects with the same method: a HEAD stays a HEAD (urllib turns it into a GET)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None and req.get_method() == "HEAD":
            new.method = "HEAD"
        return new


_OPENER = urllib.request.build_opener(_KeepMethod)


def _request(url: str, method: str, timeout: float) -> LinkResult:
    # http(s) only: check_url refuses other schemes before this.
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})  # noqa: S310
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            return LinkResult(status=response.status)
    except urllib.error.HTTPError as exc:
        exc.close()
        return LinkResult(status=exc.code)
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return LinkResult(status=None, error=str(reason)[:200] or exc.__class__.__name__)


def check_url(url: str, *, timeout: float = 5) -> LinkResult:
    if not url.lower().startswith(("http://", "https://")):
        return LinkResult(status=None, error="not an http(s) address")
    result = _request(url, "HEAD", timeout)
    if result.error or (result.status is not None and result.status in RETRY_WITH_GET):
        retried = _request(url, "GET", timeout)
        if retried.ok or not result.error:
            return retried
    return result


def link_entries(*, organisation_slug: str | None = None, year: int | None = None) -> QuerySet:
    entries = Entry.objects.filter(kind=EntryKind.LINK).select_related(
        "disclosure__organisation", "disclosure__item"
    )
    if organisation_slug:
        entries = entries.filter(disclosure__organisation__slug=organisation_slug)
    if year:
        entries = entries.filter(disclosure__fiscal_year=year)
    return entries.order_by("disclosure__organisation__slug", "disclosure__fiscal_year", "id")


def links_check(
    *, entries: QuerySet | list[Entry], timeout: float = 5
) -> list[tuple[Entry, LinkResult]]:
    """Check each entry's link (each address once) and record the result."""
    seen: dict[str, LinkResult] = {}
    done = []
    for entry in entries:
        result = seen.get(entry.url)
        if result is None:
            result = seen[entry.url] = check_url(entry.url, timeout=timeout)
        Entry.objects.filter(pk=entry.pk).update(
            link_status=result.status,
            link_error=result.error,
            link_checked_at=timezone.now(),
        )
        done.append((entry, result))
    return done
