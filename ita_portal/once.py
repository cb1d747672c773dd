"""One-time form tokens: a form submitted twice (a double-click, a resent POST)
creates one record.

A form that adds something carries a random token in a hidden field
(``{% once_input %}`` from ``once_tags``). The view claims it before saving:
the claim is a row with a unique token, committed at once, so of two
simultaneous POSTs exactly one wins. The loser creates nothing and is sent
where the winner went (or, while the winner is still working, to a fallback
page). A submission that saves nothing (a refused file, a stale form) gives
its token back, so the user can correct the form and send it again.

A POST without a token (an old page, a script) is not protected and goes
through as before.
"""

from __future__ import annotations

import datetime as dt
import secrets
from types import TracebackType

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponseRedirect
from django.utils import timezone

from .models import FormToken

FIELD_NAME = "once"
MAX_AGE = dt.timedelta(days=1)
# A token is 32 URL-safe characters; anything longer or odd is ignored, not stored.
_MAX_LENGTH = 64


def once_token() -> str:
    return secrets.token_urlsafe(24)


def _posted(request: HttpRequest) -> str:
    token = request.POST.get(FIELD_NAME, "")
    if (
        not token
        or len(token) > _MAX_LENGTH
        or not token.replace("-", "").replace("_", "").isalnum()
    ):
        return ""
    return token


class Claim:
    """The outcome of claiming a token; use as a context manager around the save.

    ``repeated`` is true when another submission of the same form got there
    first: answer with ``claim.redirect_repeated()``. After a successful
    save, ``claim.redirect(url)`` records where the user went and answers
    with it. Leaving the block without that gives the token back.
    """

    def __init__(self, token: str, *, repeated: bool, target: str = "", fallback: str) -> None:
        self.token = token
        self.repeated = repeated
        self.target = target
        self.fallback = fallback
        self._done = False

    def redirect(self, url: str) -> HttpResponseRedirect:
        if self.token and not self.repeated:
            FormToken.objects.filter(token=self.token).update(target=url[:1000])
        self._done = True
        return HttpResponseRedirect(url)

    def redirect_repeated(self) -> HttpResponseRedirect:
        return HttpResponseRedirect(self.target or self.fallback)

    def release(self) -> None:
        if self.token and not self.repeated and not self._done:
            FormToken.objects.filter(token=self.token, target="").delete()
        self._done = True

    def __enter__(self) -> Claim:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


def once_seen(request: HttpRequest, *, fallback: str) -> HttpResponseRedirect | None:
    """Where to send a submission already received, before validating it again.

    A second POST of a saved form may no longer validate (its round now
    exists, its file was taken): it must still go where the first went.
    """
    token = _posted(request)
    if not token:
        return None
    target = FormToken.objects.filter(token=token).values_list("target", flat=True).first()
    if target is None:
        return None
    return HttpResponseRedirect(target or fallback)


def once_claim(request: HttpRequest, *, fallback: str) -> Claim:
    """Claim the token the form was sent with (see the module docstring)."""
    token = _posted(request)
    if not token:
        return Claim("", repeated=False, fallback=fallback)
    try:
        # Its own transaction, committed before the save starts: the
        # second submission sees the claim at once instead of waiting.
        with transaction.atomic():
            FormToken.objects.create(token=token)
    except IntegrityError:
        target = FormToken.objects.filter(token=token).values_list("target", flat=True).first()
        return Claim(token, repeated=True, target=target or "", fallback=fallback)
    FormToken.objects.filter(created_at__lt=timezone.now() - MAX_AGE).delete()
    return Claim(token, repeated=False, fallback=fallback)


def once_purge(*, now: dt.datetime | None = None) -> int:
    """Forget tokens older than a day; returns how many were removed."""
    cutoff = (now or timezone.now()) - MAX_AGE
    deleted, _counts = FormToken.objects.filter(created_at__lt=cutoff).delete()
    return deleted
