from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.framework import (
    EditionConflict,
    FrameworkError,
    edition_files,
    edition_load_file,
)
from assessments.public_cache import content_changed_everywhere
from assessments.surveys.sampling import sample_rules_load


class Command(BaseCommand):
    help = (
        "Load or update the ITA framework editions shipped in assessments/editions/ "
        "(or the given files). An edition edited in the portal since it was loaded is "
        "left alone, with the differences listed, unless --force."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "files", nargs="*", type=Path, help="edition files (TOML); default: all shipped"
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="overwrite editions that were edited in the portal with the files' content",
        )

    def handle(self, *args, files: list[Path], force: bool, **options) -> None:
        paths = files or edition_files()
        if not paths:
            raise CommandError("No edition files found.")
        conflicts = []
        for path in paths:
            try:
                report = edition_load_file(path=path, force=force)
            except EditionConflict as exc:
                conflicts.append(exc.code)
                self.stderr.write(
                    self.style.ERROR(
                        f"{exc.code}: edited in the portal since it was loaded; not overwritten. "
                        "Differences (portal → file):"
                    )
                )
                for line in exc.differences:
                    self.stderr.write(f"  {line}")
                continue
            except FrameworkError as exc:
                raise CommandError("\n".join(exc.errors)) from exc
            edition = report.edition
            label = f"{edition.code} ({edition.years_label})"
            if report.unchanged:
                self.stdout.write(f"{label}: unchanged")
            else:
                self.stdout.write(
                    f"{label}: {report.created} created, {report.updated} updated"
                    + (" (forced over edits in the portal)" if force and report.differences else "")
                )
            for note in report.notes:
                self.stdout.write(self.style.WARNING(f"  {note}"))
        rules = sample_rules_load()
        if rules:
            # The minimum samples are shown with every open survey round.
            content_changed_everywhere()
            self.stdout.write(f"survey minimum-sample rules: {rules} created")
        if conflicts:
            raise CommandError(
                f"{len(conflicts)} edition(s) differ from their files: {', '.join(conflicts)}. "
                "Keep the portal's version, or rerun with --force to take the files'."
            )
