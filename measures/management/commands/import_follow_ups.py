from __future__ import annotations

from assessments.management.import_command import ImportCommand
from measures.imports import follow_ups_import


class Command(ImportCommand):
    help = (
        "Import follow-up reports on measures from a CSV or XLSX file with the header "
        "organisation,fiscal_year,measure_number,round,report_date,summary,outcome,status,"
        "completed_on. All rows or none; evidence files are not imported."
    )

    importer = follow_ups_import
