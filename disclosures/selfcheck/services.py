"""What staff confirm for the pre-check: which document carries the head's
signature, and which entry shows each "at least these contents" line.

Both set an explicit value (signed or not; this line shown in that entry),
so a form sent twice or from an older page sets the same thing again: there
is no lost update to refuse, unlike the free-text edits of ``editing``.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from ..models import ContentTick, Disclosure, Entry


class SelfCheckError(Exception):
    """A confirmation that cannot be recorded; the message says why, for the user."""


@transaction.atomic
def entry_signed_set(*, entry: Entry, signed: bool) -> Entry:
    if signed and not entry.is_document:
        raise SelfCheckError("only a document can carry the signature")
    if entry.signed != signed:
        entry.signed = signed
        entry.save(update_fields=["signed"])
    return entry


@transaction.atomic
def content_tick_set(
    *,
    disclosure: Disclosure,
    line: str,
    entry: Entry | None,
    user: AbstractBaseUser | None = None,
) -> ContentTick | None:
    """Point a required content line at the entry that shows it; None clears the tick."""
    if line not in disclosure.item.content_lines:
        raise SelfCheckError("not a required content of this item")
    if entry is not None and entry.disclosure_id != disclosure.pk:
        raise SelfCheckError("the entry belongs to another item")
    if entry is None:
        ContentTick.objects.filter(disclosure=disclosure, line=line).delete()
        return None
    tick, _created = ContentTick.objects.update_or_create(
        disclosure=disclosure, line=line, defaults={"entry": entry, "ticked_by": user}
    )
    return tick
