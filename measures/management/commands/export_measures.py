from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.models import Organisation
from measures.imports import measures_export


class Command(BaseCommand):
    help = "Export measures in the import format (CSV or XLSX by the file's suffix)."

    @staticmethod
    def run_export(
        *, organisation: Organisation | None, fiscal_year: int | None, fmt: str
    ) -> bytes:
        return measures_export(organisation=organisation, fiscal_year=fiscal_year, fmt=fmt)

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "-o", "--output", type=Path, help="file to write; default: CSV to standard output"
        )
        parser.add_argument("--organisation", help="organisation slug")
        parser.add_argument("--year", type=int, help="fiscal year (BE), e.g. 2566")

    def handle(
        self, *args, output: Path | None, organisation: str | None, year: int | None, **options
    ) -> None:
        chosen = None
        if organisation:
            chosen = Organisation.objects.filter(slug=organisation).first()
            if chosen is None:
                raise CommandError(f"unknown organisation: {organisation}")
        if output is not None and output.suffix.lower() not in {".csv", ".xlsx"}:
            raise CommandError(f"{output}: the file name must end in .csv or .xlsx")
        fmt = "xlsx" if output is not None and output.suffix.lower() == ".xlsx" else "csv"
        content = self.run_export(organisation=chosen, fiscal_year=year, fmt=fmt)
        if output is None:
            sys.stdout.write(content.decode("utf-8-sig"))
        else:
            output.write_bytes(content)
