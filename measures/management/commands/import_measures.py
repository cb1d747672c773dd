from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from measures.imports import ImportReport, measures_import


class Command(BaseCommand):
    help = (
        "Import measures from a CSV or XLSX file with the header "
        "organisation,fiscal_year,number,title,indicators,approach,steps,"
        "responsible_units,responsible_text,monitoring,due_date. All rows or none."
    )

    @staticmethod
    def run_import(*, content: bytes, file_name: str, dry_run: bool) -> ImportReport:
        return measures_import(content=content, file_name=file_name, dry_run=dry_run)

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file and report; save nothing"
        )

    def handle(self, *args, file: Path, dry_run: bool, **options) -> None:
        translation.activate(settings.LANGUAGE_CODE)
        try:
            content = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror}") from exc
        report = self.run_import(content=content, file_name=file.name, dry_run=dry_run)
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
