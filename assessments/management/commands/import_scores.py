from __future__ import annotations

from assessments.imports import scores_import
from assessments.management.import_command import ImportCommand


class Command(ImportCommand):
    help = (
        "Import indicator scores from a CSV or XLSX file with the header "
        "organisation,fiscal_year,indicator,score. All rows or none."
    )

    importer = scores_import
