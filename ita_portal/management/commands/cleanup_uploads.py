"""Remove uploaded files no record refers to: what a request left when it failed midway.

Safe to run from cron: a file is removed only when no file field of any
model (history included) names it and it is older than --min-age-hours, so
an upload whose request is still running is never touched. The cached
report PDFs have their own rule (measures/report.py keeps the newest of each
report and removes the rest) and are left alone.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator

from django.apps import apps
from django.core.files.storage import Storage, default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import models
from django.utils import timezone

from measures.report import PDF_CACHE_DIR

# Folders that are never swept, whatever a field's upload_to says.
KEPT_FOLDERS = frozenset({PDF_CACHE_DIR})


def _file_fields() -> Iterator[tuple[type[models.Model], models.FileField]]:
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField) and field.concrete:
                yield model, field


def upload_folders() -> set[str]:
    """The top folders file fields upload into, read from their upload_to."""
    folders = set()
    for model, field in _file_fields():
        if callable(field.upload_to):
            # The portal's upload_to functions name the file from the model alone.
            path = field.upload_to(model(), f"{uuid.uuid4().hex}.bin")
        else:
            path = timezone.now().strftime(str(field.upload_to)) + "/file"
        parts = str(path).strip("/").split("/")
        # Files stored at MEDIA_ROOT's top level are never swept: other things live there.
        if len(parts) > 1:
            folders.add(parts[0])
    return folders - KEPT_FOLDERS


def referenced_files() -> set[str]:
    """Every file name any file field of any model holds."""
    names: set[str] = set()
    for model, field in _file_fields():
        queryset = (
            model._default_manager.exclude(**{field.attname: ""})
            .exclude(**{f"{field.attname}__isnull": True})
            .values_list(field.attname, flat=True)
        )
        names.update(queryset.iterator(chunk_size=2000))
    return names


def _walk(storage: Storage, folder: str) -> Iterator[str]:
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}"
    for directory in directories:
        yield from _walk(storage, f"{folder}/{directory}")


def orphan_uploads(*, min_age: dt.timedelta, storage: Storage = default_storage) -> list[str]:
    """Uploaded files no record names, older than ``min_age``, sorted."""
    referenced = referenced_files()
    cutoff = timezone.now() - min_age
    orphans = []
    for folder in sorted(upload_folders()):
        for name in _walk(storage, folder):
            if name in referenced:
                continue
            if storage.get_modified_time(name) > cutoff:
                continue  # perhaps a request still running: its record is not saved yet
            orphans.append(name)
    return sorted(orphans)


class Command(BaseCommand):
    help = (
        "Delete uploaded files that no record refers to and that are older than "
        "--min-age-hours (files left by requests that failed). Safe to run from cron."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="list what would be removed; remove nothing"
        )
        parser.add_argument(
            "--min-age-hours",
            type=float,
            default=24,
            help="keep files younger than this (default 24)",
        )

    def handle(self, *args, dry_run: bool, min_age_hours: float, **options) -> None:
        if min_age_hours < 1:
            # An upload's file is written before its record: a younger file may be in use.
            raise CommandError("--min-age-hours must be at least 1")
        orphans = orphan_uploads(min_age=dt.timedelta(hours=min_age_hours))
        for name in orphans:
            if not dry_run:
                default_storage.delete(name)
            self.stdout.write(f"{'would remove' if dry_run else 'removed'} {name}")
        verb = "would be removed" if dry_run else "removed"
        self.stdout.write(f"{len(orphans)} orphan file(s) {verb}.")
