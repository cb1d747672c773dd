"""An entry's file leaves storage with its record, however the record goes
(deleting a disclosure or an organisation cascades to its entries)."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import Entry


@receiver(post_delete, sender=Entry)
def entry_file_delete(sender, instance: Entry, **kwargs) -> None:
    if not instance.file:
        return
    storage, name = instance.file.storage, instance.file.name
    # Only once the deletion is committed: a rolled-back delete keeps its file.
    transaction.on_commit(lambda: storage.delete(name))
