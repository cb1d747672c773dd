from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.edition_io import edition_to_xlsx
from assessments.models import Edition


class Command(BaseCommand):
    help = (
        "Write a whole framework edition (instruments, indicators, sub-indicators, items, "
        "levels) to an XLSX workbook, to edit and bring back with import_edition."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("code", help="the edition's code, e.g. nacc-2569")
        parser.add_argument("file", type=Path, help="the workbook to write (.xlsx)")

    def handle(self, *args, code: str, file: Path, **options) -> None:
        edition = Edition.objects.filter(code=code).select_related("scheme").first()
        if edition is None:
            known = ", ".join(Edition.objects.values_list("code", flat=True))
            raise CommandError(f"No edition {code!r}. Editions: {known}")
        file.write_bytes(edition_to_xlsx(edition))
        self.stdout.write(f"{edition.code}: written to {file}")
