from __future__ import annotations

from assessments.models import Organisation
from measures.imports import follow_ups_export

from .export_measures import Command as ExportMeasuresCommand


class Command(ExportMeasuresCommand):
    help = "Export follow-up reports in the import format (CSV or XLSX by the file's suffix)."

    @staticmethod
    def run_export(
        *, organisation: Organisation | None, fiscal_year: int | None, fmt: str
    ) -> bytes:
        return follow_ups_export(organisation=organisation, fiscal_year=fiscal_year, fmt=fmt)
