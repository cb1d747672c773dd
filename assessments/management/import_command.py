"""The shared shape of the portal's import commands: FILE [--dry-run], all rows or none."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from assessments.imports import ImportReport
from ita_portal.spreadsheets import check_import_size


class ImportCommand(BaseCommand):
    """Subclasses set ``help`` and ``importer``, the import function they run."""

    importer: Callable[..., ImportReport]

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file and report; save nothing"
        )

    def handle(self, *args, file: Path, dry_run: bool, **options) -> None:
        translation.activate(settings.LANGUAGE_CODE)
        try:
            # A file over the limit is refused before it is read into memory.
            check_import_size(file.stat().st_size)
            content = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror}") from exc
        except ValidationError as exc:
            raise CommandError(f"{file.name}: {' '.join(exc.messages)}") from exc
        report = type(self).importer(content=content, file_name=file.name, dry_run=dry_run)
        if not report.ok:
            for error in report.errors:
                self.stderr.write(error)
            raise CommandError(
                translation.gettext("Nothing was saved: %(count)s problem(s) in %(file)s.")
                % {"count": len(report.errors), "file": file.name}
            )
        summary = translation.gettext(
            "%(new)s new, %(updated)s updated, %(unchanged)s unchanged"
        ) % {"new": report.new, "updated": report.updated, "unchanged": report.unchanged}
        if dry_run:
            self.stdout.write(
                translation.gettext("Dry run, nothing saved: %(summary)s.") % {"summary": summary}
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    translation.gettext("Saved: %(summary)s.") % {"summary": summary}
                )
            )
