"""Write an ESA's consolidated OIT sheet of its schools for a year (XLSX)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.models import MAX_FISCAL_YEAR, MIN_FISCAL_YEAR, Organisation
from disclosures.rollup import rollup_rows
from disclosures.rollup_export import rollup_workbook


class Command(BaseCommand):
    help = (
        "Write the consolidated OIT sheet of an organisation's child organisations (schools) "
        "for a fiscal year: one row per school, then every item's verdict."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("org", help="the parent organisation's short name (slug)")
        parser.add_argument("year", type=int, help="the fiscal year (Buddhist Era, e.g. 2570)")
        parser.add_argument("-o", "--output", required=True, help="the .xlsx file to write")

    def handle(self, *args, org: str, year: int, output: str, **options) -> None:
        parent = Organisation.objects.filter(slug=org).first()
        if parent is None:
            raise CommandError(f"No organisation with the short name {org!r}.")
        if not MIN_FISCAL_YEAR <= year <= MAX_FISCAL_YEAR:
            raise CommandError(
                f"The year must be a Buddhist Era fiscal year ({MIN_FISCAL_YEAR}–{MAX_FISCAL_YEAR})."
            )
        rows = rollup_rows(parent=parent, fiscal_year=year)
        path = Path(output)
        try:
            path.write_bytes(rollup_workbook(rows))
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error.strerror}") from error
        self.stdout.write(f"{path}: {len(rows)} schools of {parent.slug}, fiscal year {year}.")
