from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.edition_io import EditionImportError, edition_import, edition_import_preview


class Command(BaseCommand):
    help = (
        "Create or update a framework edition from an XLSX workbook (as export_edition "
        "writes it). All or nothing: every bad row is named and nothing is saved. Rows "
        "missing from the workbook are removed, except what recorded results use."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="the workbook (.xlsx)")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and list the differences; save nothing"
        )

    def handle(self, *args, file: Path, dry_run: bool, **options) -> None:
        try:
            content = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"{file}: {exc}") from exc
        try:
            preview = edition_import_preview(content)
        except EditionImportError as exc:
            raise CommandError("Nothing was saved:\n" + "\n".join(exc.errors)) from exc
        code = preview.data["edition"]["code"]
        if preview.is_new:
            self.stdout.write(f"{code}: a new edition with {len(preview.data['items'])} items")
        elif preview.unchanged:
            self.stdout.write(f"{code}: unchanged")
            return
        else:
            self.stdout.write(f"{code}: differences (database → file):")
            for line in preview.differences:
                self.stdout.write(f"  {line}")
        if dry_run:
            self.stdout.write("Dry run: nothing saved.")
            return
        try:
            outcome = edition_import(data=preview.data, base=preview.base)
        except EditionImportError as exc:
            raise CommandError("Nothing was saved:\n" + "\n".join(exc.errors)) from exc
        self.stdout.write(f"{code}: {outcome.created} created, {outcome.changed} updated")
