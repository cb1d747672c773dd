from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.framework import edition_for
from assessments.models import Organisation
from disclosures.exports import FORMATS, link_sheet_export


class Command(BaseCommand):
    help = (
        "Write an organisation's OIT link sheet for a fiscal year: each item's code, title, "
        "permanent address, status and last update. CSV to standard output by default; "
        "use -o to write a file (with the mark Excel needs to read Thai text)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("organisation", help="organisation slug, e.g. kksec")
        parser.add_argument("year", type=int, help="fiscal year (BE), e.g. 2566")
        parser.add_argument(
            "--format",
            dest="fmt",
            choices=FORMATS,
            help="csv or xlsx; default: from the file name, else csv",
        )
        parser.add_argument("-o", "--output", type=Path, help="file to write")

    def handle(
        self,
        *args,
        organisation: str,
        year: int,
        fmt: str | None,
        output: Path | None,
        **options,
    ) -> None:
        chosen = Organisation.objects.filter(slug=organisation).first()
        if chosen is None:
            raise CommandError(f"unknown organisation: {organisation}")
        if edition_for(chosen, year) is None:
            raise CommandError(
                f"no ITA framework covers fiscal year {year}; load it with "
                "python manage.py load_framework, or start a provisional one in the staff "
                "workspace (OIT disclosures, that year)"
            )
        fmt = fmt or ("xlsx" if output and output.suffix.lower() == ".xlsx" else "csv")
        if fmt == "xlsx" and output is None:
            raise CommandError("an XLSX sheet must go to a file: add -o FILE.xlsx")
        content = link_sheet_export(organisation=chosen, fiscal_year=year, fmt=fmt)
        if output is None:
            # On a terminal or in a pipe the byte-order mark is only noise.
            self.stdout.write(content.decode("utf-8-sig"), ending="")
        else:
            output.write_bytes(content)
            self.stderr.write(f"{output}: {fmt.upper()} link sheet of {chosen.slug} {year}")
