from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.models import Organisation
from measures.models import DocumentKind
from measures.report import report_build, report_file_name, report_pdf_bytes


class Command(BaseCommand):
    help = (
        "Write one of an organisation's measures documents for a fiscal year (BE) as PDF: "
        "the annual report (default), the announcement, the plan or the results report."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("organisation", help="the organisation's short name (slug)")
        parser.add_argument("year", type=int, help="fiscal year in the Buddhist Era, e.g. 2566")
        parser.add_argument(
            "--kind",
            choices=DocumentKind.values,
            default=DocumentKind.ANNUAL,
            help="which document (default: annual)",
        )
        parser.add_argument("-o", "--output", help="PDF file to write (default: a name per kind)")

    def handle(
        self, *args, organisation: str, year: int, output: str | None, kind: str, **options
    ) -> None:
        if not 2500 <= year <= 2700:
            raise CommandError(f"{year} is not a Buddhist Era fiscal year (e.g. 2566).")
        found = Organisation.objects.filter(slug=organisation).first()
        if found is None:
            raise CommandError(f"No organisation with the short name “{organisation}”.")
        report = report_build(organisation=found, fiscal_year=year, kind=kind)
        path = Path(output or report_file_name(organisation=found, fiscal_year=year, kind=kind))
        path.write_bytes(report_pdf_bytes(report))
        state = "published" if report.published else "draft"
        self.stdout.write(
            f"Wrote {path} ({path.stat().st_size / 1e6:.1f} MB, {len(report.measures)} measures, {state})."
        )
