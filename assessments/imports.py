"""Import and export of indicator scores (CSV or XLSX), with django-import-export.

The file has one row per organisation × fiscal year × indicator::

    organisation,fiscal_year,indicator,score
    demo,2566,1,99.13

An import is all or nothing: every row is checked, and if any row is wrong
nothing is saved and the report names every bad row (numbered as the
spreadsheet shows it, the header being row 1) with its reason. The admin's
import screen and ``manage.py import_scores`` use the same resource.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import tablib
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.db.transaction import TransactionManagementError
from django.utils.translation import gettext as _
from import_export import fields, resources

from ita_portal.spreadsheets import NativeWidget, dataset_export, read_import_file

from .models import Edition, IndicatorScore, Organisation
from .services import ScoreError, assessment_get_or_create, parse_score

HEADERS = ["organisation", "fiscal_year", "indicator", "score"]


def sheet_row(row_number: int) -> int:
    """The spreadsheet row of a data row: import-export counts data rows from 1, after the header."""
    return row_number + 1


class IndicatorScoreResource(resources.ModelResource):
    organisation = fields.Field(
        attribute="assessment__organisation__slug", column_name="organisation", readonly=True
    )
    fiscal_year = fields.Field(
        attribute="assessment__fiscal_year",
        column_name="fiscal_year",
        readonly=True,
        widget=NativeWidget(),
    )
    indicator = fields.Field(
        attribute="indicator__number", column_name="indicator", readonly=True, widget=NativeWidget()
    )
    score = fields.Field(
        attribute="score", column_name="score", readonly=True, widget=NativeWidget()
    )

    class Meta:
        model = IndicatorScore
        fields = HEADERS
        import_id_fields = ["organisation", "fiscal_year", "indicator"]
        export_order = HEADERS
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._current: dict = {}
        self._seen: dict[tuple, int] = {}

    # -- checking ---------------------------------------------------------

    def before_import(self, dataset: tablib.Dataset, **kwargs) -> None:
        headers = [str(h).strip().lower() if h is not None else "" for h in (dataset.headers or [])]
        if headers != HEADERS:
            raise ValidationError(
                _("The first row must be the header %(expected)s; the file has %(found)s.")
                % {"expected": ",".join(HEADERS), "found": ",".join(headers) or _("nothing")}
            )
        dataset.headers = headers
        if not len(dataset):
            raise ValidationError(_("The file has no data rows."))
        self._current = {}
        self._seen = {}
        self._organisations = {o.slug: o for o in Organisation.objects.all()}
        self._editions = list(Edition.objects.prefetch_related("indicators"))

    def before_import_row(self, row: dict, row_number: int | None = None, **kwargs) -> None:
        line = sheet_row(row_number or 0)
        problems: list[str] = []
        slug = str(row.get("organisation") or "").strip()
        organisation = self._organisations.get(slug)
        if organisation is None:
            problems.append(_("unknown organisation “%(slug)s”") % {"slug": slug})

        year = _int(row.get("fiscal_year"))
        edition = None
        if year is None:
            problems.append(
                _("fiscal year “%(value)s” is not a year") % {"value": row.get("fiscal_year")}
            )
        else:
            edition = next((e for e in self._editions if e.covers(year)), None)
            if edition is None:
                problems.append(
                    _("fiscal year %(year)s is not covered by any framework edition")
                    % {"year": year}
                )

        number = _int(row.get("indicator"))
        indicator = None
        if number is None:
            problems.append(
                _("indicator “%(value)s” is not a number") % {"value": row.get("indicator")}
            )
        elif edition is not None:
            indicator = next((i for i in edition.indicators.all() if i.number == number), None)
            if indicator is None:
                numbers = sorted(i.number for i in edition.indicators.all())
                problems.append(
                    _("indicator %(number)s is out of range (%(first)s–%(last)s)")
                    % {"number": number, "first": numbers[0], "last": numbers[-1]}
                )
        try:
            score = parse_score(row.get("score"))
        except ScoreError as exc:
            problems.append(str(exc))
            score = None

        if organisation and year is not None and number is not None:
            key = (organisation.slug, year, number)
            if key in self._seen:
                problems.append(
                    _("the same organisation, year and indicator as row %(row)s")
                    % {"row": self._seen[key]}
                )
            else:
                self._seen[key] = line
        if problems:
            raise ValidationError(
                _("Row %(row)s: %(problems)s") % {"row": line, "problems": "; ".join(problems)}
            )
        row["score"] = score
        # import-export handles one row at a time: the instance hooks below read this.
        self._current = {"organisation": organisation, "fiscal_year": year, "indicator": indicator}

    # -- finding and filling instances ---------------------------------------

    def get_instance(self, instance_loader, row: dict) -> IndicatorScore | None:
        parsed = self._current
        return IndicatorScore.objects.filter(
            assessment__organisation=parsed["organisation"],
            assessment__fiscal_year=parsed["fiscal_year"],
            indicator=parsed["indicator"],
        ).first()

    def init_instance(self, row: dict | None = None) -> IndicatorScore:
        parsed = self._current
        assessment = assessment_get_or_create(
            organisation=parsed["organisation"], fiscal_year=parsed["fiscal_year"]
        )
        return IndicatorScore(assessment=assessment, indicator=parsed["indicator"])

    def import_instance(self, instance: IndicatorScore, row: dict, **kwargs) -> None:
        instance.score = row["score"]

    def skip_row(self, instance, original, row, import_validation_errors=None) -> bool:
        return original is not None and original.pk is not None and original.score == instance.score

    def get_export_queryset(self, request=None, **kwargs) -> QuerySet:
        return IndicatorScore.objects.select_related(
            "assessment__organisation", "indicator"
        ).order_by("assessment__organisation__slug", "assessment__fiscal_year", "indicator__number")


def _int(value: object) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = str(value).strip()
    if text.endswith(".0"):
        text = text[:-2]
    return int(text) if text.isdigit() else None


@dataclass
class ImportReport:
    saved: bool
    dry_run: bool
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def read_dataset(*, content: bytes, file_name: str) -> tablib.Dataset:
    """Parse CSV (UTF-8, with or without BOM) or XLSX content into a dataset.

    Within the limits of ``ita_portal.spreadsheets`` (size, unpacked size,
    rows, time): a hostile file is refused before it costs anything.
    """
    return read_import_file(content=content, file_name=file_name)


def resource_import(
    resource: resources.ModelResource, *, content: bytes, file_name: str, dry_run: bool = False
) -> ImportReport:
    """Run an import through a resource: all rows or none, every bad row named.

    Shared by every import of the portal (scores, measures, follow-ups).
    """
    try:
        dataset = read_dataset(content=content, file_name=file_name)
    except ValidationError as exc:
        return ImportReport(saved=False, dry_run=dry_run, errors=list(exc.messages))
    result = resource.import_data(
        dataset, dry_run=dry_run, use_transactions=True, rollback_on_validation_errors=True
    )
    errors: list[str] = []
    for error in result.base_errors:
        errors.extend(_messages(error.error))
    for invalid in result.invalid_rows:
        errors.extend(invalid.error.messages)
    for line_number, row_errors in result.row_errors():
        for error in row_errors:
            # After one failed query the rest of the transaction fails too; the first says why.
            if isinstance(error.error, TransactionManagementError):
                continue
            errors.append(
                _("Row %(row)s: %(problems)s")
                % {"row": sheet_row(line_number), "problems": error.error}
            )
    totals = result.totals
    return ImportReport(
        saved=not errors and not dry_run,
        dry_run=dry_run,
        new=totals.get("new", 0),
        updated=totals.get("update", 0),
        unchanged=totals.get("skip", 0),
        errors=errors,
    )


def _messages(error: Exception) -> list[str]:
    if isinstance(error, ValidationError):
        return list(error.messages)
    return [str(error)]


def scores_import(*, content: bytes, file_name: str, dry_run: bool = False) -> ImportReport:
    """Import indicator scores from a CSV or XLSX file; all rows or none."""
    return resource_import(
        IndicatorScoreResource(), content=content, file_name=file_name, dry_run=dry_run
    )


def scores_export(
    *, organisations: QuerySet[Organisation] | None = None, fmt: str = "csv"
) -> bytes | str:
    """All indicator scores (of some organisations) in the import format."""
    queryset = IndicatorScoreResource().get_export_queryset()
    if organisations is not None:
        queryset = queryset.filter(assessment__organisation__in=organisations)
    # In XLSX numbers stay numbers; text, formula-safe, is a text cell.
    dataset = IndicatorScoreResource().export(queryset=queryset, force_native_type=fmt == "xlsx")
    if fmt == "csv":
        return dataset_export(dataset, "csv").decode("utf-8-sig")
    return dataset_export(dataset, fmt)
