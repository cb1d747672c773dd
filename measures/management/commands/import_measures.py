from __future__ import annotations

from assessments.management.import_command import ImportCommand
from measures.imports import measures_import


class Command(ImportCommand):
    help = (
        "Import measures from a CSV or XLSX file with the header "
        "organisation,fiscal_year,number,title,indicators,approach,steps,"
        "responsible_units,responsible_text,monitoring,due_date. All rows or none."
    )

    importer = measures_import
