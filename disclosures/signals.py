"""An entry's file leaves storage with its record, however the record goes
(deleting a disclosure or an organisation cascades to its entries).

Any save or delete in the apps the public OIT pages are built from moves the
shared change counter (pagecache.bump_generation), so cached pages and stamps
are checked again.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Entry
from .pagecache import bump_generation

# The organisation and framework, disclosures, the measures and complaints (generated items).
PUBLIC_PAGE_SOURCES = frozenset({"assessments", "disclosures", "measures", "complaints"})


@receiver(post_save)
@receiver(post_delete)
def public_pages_changed(sender, using: str = "default", **kwargs) -> None:
    if sender._meta.app_label not in PUBLIC_PAGE_SOURCES:
        return
    # Now, so this process sees its own change at once, and again after the commit,
    # so that no process keeps a stamp it read before the change was committed.
    bump_generation()
    transaction.on_commit(bump_generation, using=using)


@receiver(post_delete, sender=Entry)
def entry_file_delete(sender, instance: Entry, **kwargs) -> None:
    if not instance.file:
        return
    storage, name = instance.file.storage, instance.file.name
    # Only once the deletion is committed: a rolled-back delete keeps its file.
    transaction.on_commit(lambda: storage.delete(name))
