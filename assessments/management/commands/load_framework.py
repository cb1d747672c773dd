from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.framework import FrameworkError, edition_files, edition_load_file


class Command(BaseCommand):
    help = "Load or update the ITA framework editions shipped in assessments/editions/ (or the given files)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "files", nargs="*", type=Path, help="edition files (TOML); default: all shipped"
        )

    def handle(self, *args, files: list[Path], **options) -> None:
        paths = files or edition_files()
        if not paths:
            raise CommandError("No edition files found.")
        for path in paths:
            try:
                report = edition_load_file(path=path)
            except FrameworkError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(
                f"{report.edition.code} ({report.edition.first_year}–{report.edition.last_year}): "
                f"{report.created} created, {report.updated} updated, {report.unchanged} unchanged"
            )
            for note in report.notes:
                self.stdout.write(self.style.WARNING(f"  {note}"))
