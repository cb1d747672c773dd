"""Import and export of measures and their follow-ups (CSV or XLSX), with django-import-export.

Measures: one row per measure, the header being (in any order)::

    organisation,fiscal_year,number,title,indicators,approach,steps,
    responsible_units,responsible_text,monitoring,due_date

- ``organisation``: the organisation's short name (slug), e.g. ``demo``;
- ``fiscal_year``: the Buddhist Era fiscal year, e.g. ``2566`` (a Common
  Era year such as 2023 is refused, with the year to write instead);
- ``number``: the measure's number in that year; empty adds the measure
  after the last one;
- ``title``: the measure (required);
- ``indicators``: indicator numbers of the year's framework edition,
  separated by commas (``1, 5``); empty for a stand-alone measure;
- ``approach``, ``monitoring``, ``responsible_text``: free text;
- ``steps``: one step per line inside the cell, in order;
- ``responsible_units``: names of the organisation's units, one per line
  (or separated by commas);
- ``due_date``: ``2023-09-30`` or ``30/9/2566`` (or ``30 ก.ย. 2566``);
- ``due_month_only``: ``yes`` to print only the month and year of the due
  date (``กันยายน 2566``), ``no`` or empty otherwise; a file without this
  column leaves the setting as it is.

A step line that starts with its number sets the step's level and the
number is not kept: ``1.`` or ``1)`` a step, ``1.1`` a sub-step, ``1.1.1``
a sub-sub-step (Thai digits too). The export numbers the steps when they
have levels.

A row updates the measure with the same organisation, year and number, or
adds it. The steps, indicators and units of the file replace those saved.

Follow-ups: one row per report on a measure::

    organisation,fiscal_year,measure_number,round,report_date,summary,
    outcome,status,completed_on

- ``round``: ``6m``, ``12m`` or ``dated`` (the Thai or English labels, or
  words such as ``รายงานรอบ 6 เดือน``, are understood too);
- ``report_date``: required for a dated report, optional otherwise;
- ``status``: ``not_started``, ``in_progress``, ``done`` or ``delayed``
  (or their labels); empty means not started;
- ``completed_on``: a date as for ``due_date``;
- ``completed_month_only``: as ``due_month_only``, for the completion date.

A row updates the measure's report of the same round (for a dated report:
of the same date), or adds it. Evidence files are not imported.

An import is all or nothing: every row is checked, and if any row is wrong
nothing is saved and the report names every bad row (numbered as the
spreadsheet shows it, the header being row 1) with its reason. The exports
write the same columns, so an exported file imports back unchanged (line
endings are stored as "\\n", so a text typed in a browser comes back equal).
"""

from __future__ import annotations

from django.db.models import QuerySet

from assessments.imports import ImportReport, resource_import
from assessments.models import Organisation
from ita_portal.spreadsheets import dataset_export

from .cells import EXPORT_FORMATS, FOLLOW_UP_HEADERS, MEASURE_HEADERS, parse_date, parse_round
from .follow_up_sheet import FollowUpResource
from .measure_sheet import MeasureResource
from .sheet import SheetResource

__all__ = [
    "EXPORT_FORMATS",
    "FOLLOW_UP_HEADERS",
    "MEASURE_HEADERS",
    "FollowUpResource",
    "MeasureResource",
    "SheetResource",
    "follow_ups_export",
    "follow_ups_import",
    "measures_export",
    "measures_import",
    "parse_date",
    "parse_round",
]


def measures_import(*, content: bytes, file_name: str, dry_run: bool = False) -> ImportReport:
    """Import measures from a CSV or XLSX file; all rows or none."""
    return resource_import(MeasureResource(), content=content, file_name=file_name, dry_run=dry_run)


def follow_ups_import(*, content: bytes, file_name: str, dry_run: bool = False) -> ImportReport:
    """Import follow-up reports from a CSV or XLSX file; all rows or none."""
    return resource_import(
        FollowUpResource(), content=content, file_name=file_name, dry_run=dry_run
    )


def _export(resource: SheetResource, queryset: QuerySet, fmt: str) -> bytes:
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    # Formula-safe, and CSV with the byte-order mark so that Excel shows the Thai.
    dataset = resource.export(queryset=queryset, force_native_type=fmt == "xlsx")
    return dataset_export(dataset, fmt)


def measures_export(
    *, organisation: Organisation | None = None, fiscal_year: int | None = None, fmt: str = "csv"
) -> bytes:
    """Measures (of one organisation, of one year) in the import format."""
    resource = MeasureResource()
    queryset = resource.get_export_queryset()
    if organisation is not None:
        queryset = queryset.filter(organisation=organisation)
    if fiscal_year is not None:
        queryset = queryset.filter(fiscal_year=fiscal_year)
    return _export(resource, queryset, fmt)


def follow_ups_export(
    *, organisation: Organisation | None = None, fiscal_year: int | None = None, fmt: str = "csv"
) -> bytes:
    """Follow-up reports (of one organisation, of one year) in the import format."""
    resource = FollowUpResource()
    queryset = resource.get_export_queryset()
    if organisation is not None:
        queryset = queryset.filter(measure__organisation=organisation)
    if fiscal_year is not None:
        queryset = queryset.filter(measure__fiscal_year=fiscal_year)
    return _export(resource, queryset, fmt)
