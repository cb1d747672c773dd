from __future__ import annotations

from measures.imports import ImportReport, follow_ups_import

from .import_measures import Command as ImportMeasuresCommand


class Command(ImportMeasuresCommand):
    help = (
        "Import follow-up reports on measures from a CSV or XLSX file with the header "
        "organisation,fiscal_year,measure_number,round,report_date,summary,outcome,status,"
        "completed_on. All rows or none; evidence files are not imported."
    )

    @staticmethod
    def run_import(*, content: bytes, file_name: str, dry_run: bool) -> ImportReport:
        return follow_ups_import(content=content, file_name=file_name, dry_run=dry_run)
