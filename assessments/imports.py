"""Import and export of scores (CSV or XLSX), with django-import-export.

A file has one row per organisation × fiscal year × indicator::

    organisation,fiscal_year,indicator,score
    demo,2566,1,99.13

or, for years whose indicator scores are not known, one row per organisation ×
fiscal year × instrument (the instrument's own score, 0–100, before weighting)::

    organisation,fiscal_year,instrument,score
    demo,2566,EIT,84.50

The header says which. Indicators and instruments are those of the edition the
organisation's year is assessed under (``edition_for``), whatever its shape.
An import is all or nothing: every row is checked, and if any row is wrong
nothing is saved and the report names every bad row (numbered as the
spreadsheet shows it, the header being row 1) with its reason. The admin's
import screen and ``manage.py import_scores`` use the same resources.
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

from .framework import edition_for
from .models import Edition, IndicatorScore, InstrumentScore, Organisation
from .public_cache import content_changed
from .services import ScoreError, assessment_get_or_create, parse_score

HEADERS = ["organisation", "fiscal_year", "indicator", "score"]
INSTRUMENT_HEADERS = ["organisation", "fiscal_year", "instrument", "score"]


def sheet_row(row_number: int) -> int:
    """The spreadsheet row of a data row: import-export counts data rows from 1, after the header."""
    return row_number + 1


class _ScoreRowsMixin:
    """What indicator and instrument rows share: the header check, the organisation,
    the year and its edition, the score, duplicates; subclasses find the target."""

    headers: list[str]
    target_column: str

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._current: dict = {}
        self._seen: dict[tuple, int] = {}
        self._editions: dict[tuple, Edition | None] = {}

    def before_import(self, dataset: tablib.Dataset, **kwargs) -> None:
        headers = [str(h).strip().lower() if h is not None else "" for h in (dataset.headers or [])]
        if headers != self.headers:
            raise ValidationError(
                _("The first row must be the header %(expected)s; the file has %(found)s.")
                % {"expected": ",".join(self.headers), "found": ",".join(headers) or _("nothing")}
            )
        dataset.headers = headers
        if not len(dataset):
            raise ValidationError(_("The file has no data rows."))
        self._current = {}
        self._seen = {}
        self._editions = {}
        self._changed: set[int] = set()
        self._organisations = {o.slug: o for o in Organisation.objects.select_related("scheme")}

    def _edition(self, organisation: Organisation | None, year: int) -> Edition | None:
        key = (organisation.pk if organisation else None, year)
        if key not in self._editions:
            edition = edition_for(organisation, year)
            if edition is not None:
                edition = Edition.objects.prefetch_related("indicators", "instruments").get(
                    pk=edition.pk
                )
            self._editions[key] = edition
        return self._editions[key]

    def find_target(self, edition: Edition, value: object, problems: list[str]) -> object:
        raise NotImplementedError

    def target_key(self, value: object) -> object:
        raise NotImplementedError

    duplicate_message = ""

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
            edition = self._edition(organisation, year)
            if edition is None:
                problems.append(
                    _("fiscal year %(year)s is not covered by any framework edition")
                    % {"year": year}
                )
        key = self.target_key(row.get(self.target_column))
        target = None
        if key is None:
            problems.append(self.bad_target_message(row.get(self.target_column)))
        elif edition is not None:
            target = self.find_target(edition, key, problems)
        try:
            score = parse_score(row.get("score"))
        except ScoreError as exc:
            problems.append(str(exc))
            score = None

        if organisation and year is not None and key is not None:
            seen = (organisation.slug, year, key)
            if seen in self._seen:
                problems.append(self.duplicate_message % {"row": self._seen[seen]})
            else:
                self._seen[seen] = line
        if problems:
            raise ValidationError(
                _("Row %(row)s: %(problems)s") % {"row": line, "problems": "; ".join(problems)}
            )
        row["score"] = score
        # import-export handles one row at a time: the instance hooks below read this.
        self._current = {"organisation": organisation, "fiscal_year": year, "target": target}

    def import_instance(self, instance, row: dict, **kwargs) -> None:
        instance.score = row["score"]

    def after_save_instance(self, instance, row, **kwargs) -> None:
        self._changed.add(instance.assessment.organisation_id)

    def after_import(self, dataset, result, **kwargs) -> None:
        # Inside the import's transaction: a dry run or a refused file rolls it back too.
        content_changed(*getattr(self, "_changed", ()))

    def skip_row(self, instance, original, row, import_validation_errors=None) -> bool:
        return original is not None and original.pk is not None and original.score == instance.score

    def _assessment(self):
        parsed = self._current
        return assessment_get_or_create(
            organisation=parsed["organisation"], fiscal_year=parsed["fiscal_year"]
        )


class IndicatorScoreResource(_ScoreRowsMixin, resources.ModelResource):
    headers = HEADERS
    target_column = "indicator"

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

    @property
    def duplicate_message(self) -> str:  # type: ignore[override]
        return _("the same organisation, year and indicator as row %(row)s")

    def target_key(self, value: object) -> int | None:
        return _int(value)

    def bad_target_message(self, value: object) -> str:
        return _("indicator “%(value)s” is not a number") % {"value": value}

    def find_target(self, edition: Edition, number: int, problems: list[str]):
        indicators = list(edition.indicators.all())
        found = next((i for i in indicators if i.number == number), None)
        if found is None:
            numbers = sorted(i.number for i in indicators)
            if numbers:
                problems.append(
                    _("indicator %(number)s is out of range (%(first)s–%(last)s)")
                    % {"number": number, "first": numbers[0], "last": numbers[-1]}
                )
            else:
                problems.append(
                    _("the framework of %(year)s has no indicators") % {"year": edition.first_year}
                )
        return found

    def get_instance(self, instance_loader, row: dict) -> IndicatorScore | None:
        parsed = self._current
        return IndicatorScore.objects.filter(
            assessment__organisation=parsed["organisation"],
            assessment__fiscal_year=parsed["fiscal_year"],
            indicator=parsed["target"],
        ).first()

    def init_instance(self, row: dict | None = None) -> IndicatorScore:
        return IndicatorScore(assessment=self._assessment(), indicator=self._current["target"])

    def get_export_queryset(self, request=None, **kwargs) -> QuerySet:
        return IndicatorScore.objects.select_related(
            "assessment__organisation", "indicator"
        ).order_by("assessment__organisation__slug", "assessment__fiscal_year", "indicator__number")


class InstrumentScoreResource(_ScoreRowsMixin, resources.ModelResource):
    """An instrument's own score, for years whose indicator scores are not known."""

    headers = INSTRUMENT_HEADERS
    target_column = "instrument"

    organisation = fields.Field(
        attribute="assessment__organisation__slug", column_name="organisation", readonly=True
    )
    fiscal_year = fields.Field(
        attribute="assessment__fiscal_year",
        column_name="fiscal_year",
        readonly=True,
        widget=NativeWidget(),
    )
    instrument = fields.Field(attribute="instrument__code", column_name="instrument", readonly=True)
    score = fields.Field(
        attribute="score", column_name="score", readonly=True, widget=NativeWidget()
    )

    class Meta:
        model = InstrumentScore
        fields = INSTRUMENT_HEADERS
        import_id_fields = ["organisation", "fiscal_year", "instrument"]
        export_order = INSTRUMENT_HEADERS
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    @property
    def duplicate_message(self) -> str:  # type: ignore[override]
        return _("the same organisation, year and instrument as row %(row)s")

    def target_key(self, value: object) -> str | None:
        text = str(value or "").strip().upper()
        return text or None

    def bad_target_message(self, value: object) -> str:
        return _("the instrument is empty")

    def find_target(self, edition: Edition, code: str, problems: list[str]):
        instruments = sorted(edition.instruments.all(), key=lambda i: (i.order, i.code))
        found = next((i for i in instruments if i.code.upper() == code), None)
        if found is None:
            problems.append(
                _("the framework of %(year)s has no instrument “%(code)s” (it has %(codes)s)")
                % {
                    "year": edition.first_year,
                    "code": code,
                    "codes": ", ".join(i.code for i in instruments) or "–",
                }
            )
        return found

    def get_instance(self, instance_loader, row: dict) -> InstrumentScore | None:
        parsed = self._current
        return InstrumentScore.objects.filter(
            assessment__organisation=parsed["organisation"],
            assessment__fiscal_year=parsed["fiscal_year"],
            instrument=parsed["target"],
        ).first()

    def init_instance(self, row: dict | None = None) -> InstrumentScore:
        return InstrumentScore(assessment=self._assessment(), instrument=self._current["target"])

    def get_export_queryset(self, request=None, **kwargs) -> QuerySet:
        return InstrumentScore.objects.select_related(
            "assessment__organisation", "instrument"
        ).order_by(
            "assessment__organisation__slug",
            "assessment__fiscal_year",
            "instrument__order",
            "instrument__code",
        )


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
    """Import indicator scores, or instrument scores (the header says which), from a
    CSV or XLSX file; all rows or none."""
    resource: resources.ModelResource = IndicatorScoreResource()
    try:
        dataset = read_dataset(content=content, file_name=file_name)
    except ValidationError as exc:
        return ImportReport(saved=False, dry_run=dry_run, errors=list(exc.messages))
    headers = [str(h).strip().lower() for h in (dataset.headers or []) if h is not None]
    if "instrument" in headers:
        resource = InstrumentScoreResource()
    return resource_import(resource, content=content, file_name=file_name, dry_run=dry_run)


SCORE_KINDS = {"indicator": IndicatorScoreResource, "instrument": InstrumentScoreResource}


def scores_export(
    *,
    organisations: QuerySet[Organisation] | None = None,
    fmt: str = "csv",
    kind: str = "indicator",
) -> bytes | str:
    """All indicator (or instrument, with ``kind``) scores of some organisations,
    in the import format."""
    resource = SCORE_KINDS[kind]()
    queryset = resource.get_export_queryset()
    if organisations is not None:
        queryset = queryset.filter(assessment__organisation__in=organisations)
    # In XLSX numbers stay numbers; text, formula-safe, is a text cell.
    dataset = resource.export(queryset=queryset, force_native_type=fmt == "xlsx")
    if fmt == "csv":
        return dataset_export(dataset, "csv").decode("utf-8-sig")
    return dataset_export(dataset, fmt)
