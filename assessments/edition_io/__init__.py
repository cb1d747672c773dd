"""A whole edition in and out of one XLSX workbook, for operators who edit
editions without code (admin pages and the export_edition/import_edition
commands call the same functions)."""

from __future__ import annotations

from .errors import EditionImportError
from .services import ImportPreview, edition_import, edition_import_preview
from .workbook import SHEETS, edition_to_xlsx, read_workbook

__all__ = [
    "SHEETS",
    "EditionImportError",
    "ImportPreview",
    "edition_import",
    "edition_import_preview",
    "edition_to_xlsx",
    "read_workbook",
]
