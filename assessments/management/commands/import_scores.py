from __future__ import annotations

from assessments.imports import scores_import
from assessments.management.import_command import ImportCommand


class Command(ImportCommand):
    help = (
        "Import scores from a CSV or XLSX file with the header "
        "organisation,fiscal_year,indicator,score (indicator scores) or "
        "organisation,fiscal_year,instrument,score (an instrument's own score, for years "
        "whose indicator scores are not known). All rows or none."
    )

    importer = scores_import
