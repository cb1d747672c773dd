"""Files leave storage with their records, however the records go (a measure's
deletion cascades to its follow-ups and their evidence)."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import Announcement, Evidence


def _delete_after_commit(*files) -> None:
    names = [(f.storage, f.name) for f in files if f]
    # Only once the deletion is committed: a rolled-back delete keeps its files.
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in names])


@receiver(post_delete, sender=Evidence)
def evidence_files_delete(sender, instance: Evidence, **kwargs) -> None:
    _delete_after_commit(instance.file, instance.preview)


@receiver(post_delete, sender=Announcement)
def announcement_file_delete(sender, instance: Announcement, **kwargs) -> None:
    _delete_after_commit(instance.attachment)
