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
- ``due_date``: ``2023-09-30`` or ``30/9/2566`` (or ``30 ก.ย. 2566``).

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
- ``completed_on``: a date as for ``due_date``.

A row updates the measure's report of the same round (for a dated report:
of the same date), or adds it. Evidence files are not imported.

An import is all or nothing: every row is checked, and if any row is wrong
nothing is saved and the report names every bad row (numbered as the
spreadsheet shows it, the header being row 1) with its reason. The exports
write the same columns, so an exported file imports back unchanged.
"""

from __future__ import annotations

import datetime as dt
import re

import tablib
from django.core.exceptions import ValidationError
from django.db.models import QuerySet, TextChoices
from django.utils import translation
from django.utils.translation import gettext as _
from import_export import fields, resources

from assessments.imports import ImportReport, resource_import, sheet_row
from assessments.models import MAX_FISCAL_YEAR, MIN_FISCAL_YEAR, Edition, Organisation, Unit
from ita_portal.spreadsheets import NativeWidget, dataset_export
from ita_portal.thai import BE_OFFSET, parse_thai_date

from .models import FollowUp, Measure, MeasureStatus, Round
from .services import measure_next_number, measure_steps_set, measures_edition, steps_from_text

MEASURE_HEADERS = [
    "organisation",
    "fiscal_year",
    "number",
    "title",
    "indicators",
    "approach",
    "steps",
    "responsible_units",
    "responsible_text",
    "monitoring",
    "due_date",
]
FOLLOW_UP_HEADERS = [
    "organisation",
    "fiscal_year",
    "measure_number",
    "round",
    "report_date",
    "summary",
    "outcome",
    "status",
    "completed_on",
]
EXPORT_FORMATS = ("csv", "xlsx")

# -- reading cells ---------------------------------------------------------------

_ARABIC_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
# A year this size in a date or a fiscal-year column is a Common Era year.
_CE_YEARS = range(1900, 2200)


def _cell(value: object) -> str:
    """A cell as text; spreadsheets hand over whole numbers as floats (5.0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _plain(value: object) -> str:
    """A cell holding a code, number or date: Thai digits read as Arabic ones."""
    return _cell(value).translate(_ARABIC_DIGITS)


def _number(value: object) -> int | None:
    text = _plain(value)
    if text.endswith(".0"):
        text = text[:-2]
    return int(text) if text.isdigit() else None


def _normal(text: object) -> str:
    """For comparing labels: lower case, without spaces, hyphens or underscores."""
    return re.sub(r"[\s_\-]+", "", _plain(text).lower())


def parse_date(value: object) -> dt.date | None:
    """A date cell (see ``ita_portal.thai.parse_thai_date``); spreadsheets give floats too."""
    return parse_thai_date(value if isinstance(value, dt.date) else _cell(value))


def _labels(choices: type[TextChoices]) -> dict[str, str]:
    """Normalised value, name and (English and Thai) label of each choice → value."""
    known: dict[str, str] = {}
    for member in choices:
        names = [member.value, member.name]
        for language in ("en", "th"):
            with translation.override(language):
                names.append(str(member.label))
        known.update({_normal(name): member.value for name in names})
    return known


_ROUND_MONTHS = re.compile(r"(?<!\d)(6|12)(?!\d)(?:m|months?|เดือน)")


def parse_round(value: object, labels: dict[str, str]) -> str | None:
    """6m, 12m or dated from a code, a label or words such as "รายงานรอบ 6 เดือน"."""
    text = _normal(value)
    if not text:
        return None
    if text in labels:
        return labels[text]
    if text in {"6", "12"} or (match := _ROUND_MONTHS.search(text)):
        months = text if text in {"6", "12"} else match.group(1)
        return Round.SIX_MONTHS if months == "6" else Round.TWELVE_MONTHS
    if "dated" in text or "วันที่" in text:
        return Round.DATED
    return None


# -- the shared part of both resources ----------------------------------------------


class SheetResource(resources.ModelResource):
    """Checks the header, reads each row into typed values, refuses a bad row whole.

    ``parse_row`` returns the row's values (typed) and appends the reasons a
    row is wrong to ``problems``; the instance hooks read the values of the
    row being imported from ``self._current`` (import-export goes one row at
    a time).
    """

    headers: list[str] = []

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._current: dict = {}
        self._seen: dict[tuple, int] = {}
        self._organisations: dict[str, Organisation] = {}

    def before_import(self, dataset: tablib.Dataset, **kwargs) -> None:
        self._current = {}
        self._seen = {}
        self._organisations = {o.slug: o for o in Organisation.objects.all()}
        found = [str(h).strip().lower() if h is not None else "" for h in (dataset.headers or [])]
        # Columns without a heading (a spreadsheet's formatted but empty ones) are ignored.
        if sorted(h for h in found if h) != sorted(self.headers):
            # import-export goes on to the rows after this error: there are none to go to.
            del dataset[0 : len(dataset)]
            raise ValidationError(
                _("The first row must be the header %(expected)s; the file has %(found)s.")
                % {
                    "expected": ",".join(self.headers),
                    "found": ",".join(h for h in found if h) or _("nothing"),
                }
            )
        dataset.headers = found
        # Spreadsheets often keep empty rows after the data; they are not rows to import.
        while len(dataset) and not any(_cell(value) for value in dataset[-1]):
            del dataset[-1]
        if not len(dataset):
            raise ValidationError(_("The file has no data rows."))

    def before_import_row(self, row: dict, row_number: int | None = None, **kwargs) -> None:
        line = sheet_row(row_number or 0)
        problems: list[str] = []
        if not any(_cell(value) for value in row.values()):
            problems.append(_("the row is empty"))
            values = {}
        else:
            values = self.parse_row(row, line, problems)
        if problems:
            raise ValidationError(
                _("Row %(row)s: %(problems)s") % {"row": line, "problems": "; ".join(problems)}
            )
        self._current = values

    def parse_row(self, row: dict, line: int, problems: list[str]) -> dict:
        """The row's values, checked; each problem is appended to ``problems``.

        Every sheet (measures, follow-ups) says how its own rows read.
        """
        raise NotImplementedError

    # -- helpers for parse_row --------------------------------------------------

    def _organisation(self, row: dict, problems: list[str]) -> Organisation | None:
        slug = _cell(row.get("organisation"))
        organisation = self._organisations.get(slug)
        if organisation is None:
            problems.append(_("unknown organisation “%(slug)s”") % {"slug": slug})
        return organisation

    @staticmethod
    def _fiscal_year(row: dict, problems: list[str]) -> int | None:
        value = row.get("fiscal_year")
        year = _number(value)
        if year is not None and year in _CE_YEARS:
            problems.append(
                _("fiscal year %(year)s is a Common Era year; write the Buddhist Era year %(be)s")
                % {"year": year, "be": year + BE_OFFSET}
            )
            return None
        if year is None or not MIN_FISCAL_YEAR <= year <= MAX_FISCAL_YEAR:
            problems.append(_("fiscal year “%(value)s” is not a year") % {"value": _cell(value)})
            return None
        return year

    @staticmethod
    def _date(row: dict, column: str, problems: list[str]) -> dt.date | None:
        try:
            return parse_date(row.get(column))
        except ValueError:
            problems.append(
                _("%(column)s “%(value)s” is not a date (write 30/9/2566 or 2023-09-30)")
                % {"column": column, "value": _cell(row.get(column))}
            )
            return None

    @staticmethod
    def _text(row: dict, column: str, problems: list[str], *, limit: int | None = None) -> str:
        text = _cell(row.get(column))
        if limit is not None and len(text) > limit:
            problems.append(
                _("%(column)s is longer than %(limit)s characters")
                % {"column": column, "limit": limit}
            )
        return text

    def _once(self, key: tuple, line: int, problems: list[str]) -> None:
        """Refuse a second row for the same record: which of the two should win is unclear."""
        if key in self._seen:
            problems.append(_("this row repeats row %(row)s") % {"row": self._seen[key]})
        else:
            self._seen[key] = line

    # -- instances -----------------------------------------------------------------

    def skip_row(self, instance, original, row, import_validation_errors=None) -> bool:
        before = self._current.get("before")
        return before is not None and before == self.state_of(self._current)

    def state_of(self, values: dict) -> tuple:
        """What a row would set, to compare with the record as it is (each sheet says)."""
        raise NotImplementedError


# -- measures ------------------------------------------------------------------


def _measure_state(measure: Measure) -> tuple:
    return (
        measure.title,
        measure.approach,
        measure.responsible_text,
        measure.monitoring,
        measure.due_date,
        tuple(sorted(measure.indicators.values_list("pk", flat=True))),
        tuple(sorted(measure.responsible_units.values_list("pk", flat=True))),
        tuple(step.text for step in measure.steps.order_by("order")),
    )


class MeasureResource(SheetResource):
    headers = MEASURE_HEADERS

    organisation = fields.Field(
        attribute="organisation__slug", column_name="organisation", readonly=True
    )
    fiscal_year = fields.Field(
        attribute="fiscal_year", column_name="fiscal_year", readonly=True, widget=NativeWidget()
    )
    number = fields.Field(
        attribute="number", column_name="number", readonly=True, widget=NativeWidget()
    )
    title = fields.Field(attribute="title", column_name="title", readonly=True)
    indicators = fields.Field(column_name="indicators", readonly=True)
    approach = fields.Field(attribute="approach", column_name="approach", readonly=True)
    steps = fields.Field(column_name="steps", readonly=True)
    responsible_units = fields.Field(column_name="responsible_units", readonly=True)
    responsible_text = fields.Field(
        attribute="responsible_text", column_name="responsible_text", readonly=True
    )
    monitoring = fields.Field(attribute="monitoring", column_name="monitoring", readonly=True)
    due_date = fields.Field(column_name="due_date", readonly=True)

    class Meta:
        model = Measure
        fields = MEASURE_HEADERS
        import_id_fields = ["organisation", "fiscal_year", "number"]
        export_order = MEASURE_HEADERS
        report_skipped = True
        use_transactions = True

    def before_import(self, dataset: tablib.Dataset, **kwargs) -> None:
        super().before_import(dataset, **kwargs)
        self._editions: dict[int, Edition | None] = {}
        self._units: dict[int, dict[str, Unit]] = {}
        # A row without a number goes after the last measure of its year, counting
        # the numbers other rows of the file give, so the two never collide.
        self._numbers_in_file: dict[tuple, int] = {}
        for row in dataset.dict:
            key = (_cell(row.get("organisation")), _number(row.get("fiscal_year")))
            number = _number(row.get("number")) or 0
            self._numbers_in_file[key] = max(self._numbers_in_file.get(key, 0), number)
        self._next_numbers: dict[tuple, int] = {}

    def parse_row(self, row: dict, line: int, problems: list[str]) -> dict:
        organisation = self._organisation(row, problems)
        year = self._fiscal_year(row, problems)
        number = None
        if _cell(row.get("number")):
            number = _number(row.get("number"))
            if not number:
                problems.append(
                    _("number “%(value)s” is not a whole number from 1")
                    % {"value": _cell(row.get("number"))}
                )
        title = self._text(row, "title", problems, limit=500)
        if not title:
            problems.append(_("the title is empty"))
        values = {
            "organisation": organisation,
            "fiscal_year": year,
            "title": title,
            "approach": _cell(row.get("approach")),
            "responsible_text": self._text(row, "responsible_text", problems, limit=500),
            "monitoring": _cell(row.get("monitoring")),
            "due_date": self._date(row, "due_date", problems),
            "indicators": self._indicators(row, year, problems),
            "units": self._responsible_units(row, organisation, problems),
            "steps": steps_from_text(_cell(row.get("steps"))),
        }
        if organisation is None or year is None or problems:
            return values
        if number is None:
            number = self._next_number(organisation, year)
        self._once((organisation.pk, year, number), line, problems)
        values["number"] = number
        return values

    def _next_number(self, organisation: Organisation, year: int) -> int:
        key = (organisation.pk, year)
        if key not in self._next_numbers:
            self._next_numbers[key] = max(
                measure_next_number(organisation=organisation, fiscal_year=year),
                self._numbers_in_file.get((organisation.slug, year), 0) + 1,
            )
        number = self._next_numbers[key]
        self._next_numbers[key] += 1
        return number

    def _indicators(self, row: dict, year: int | None, problems: list[str]) -> list:
        parts = [p for p in re.split(r"[,;\s]+", _plain(row.get("indicators"))) if p]
        if not parts or year is None:
            return []
        if year not in self._editions:
            self._editions[year] = measures_edition(year)
        edition = self._editions[year]
        if edition is None:
            problems.append(
                _("fiscal year %(year)s is not covered by any framework edition") % {"year": year}
            )
            return []
        by_number = {i.number: i for i in edition.indicators.all()}
        chosen = []
        for part in parts:
            number = _number(part)
            if number is None:
                problems.append(_("indicator “%(value)s” is not a number") % {"value": part})
            elif number not in by_number:
                numbers = sorted(by_number)
                problems.append(
                    _("indicator %(number)s is out of range (%(first)s–%(last)s)")
                    % {"number": number, "first": numbers[0], "last": numbers[-1]}
                )
            elif by_number[number] not in chosen:
                chosen.append(by_number[number])
        return chosen

    def _responsible_units(
        self, row: dict, organisation: Organisation | None, problems: list[str]
    ) -> list[Unit]:
        text = _cell(row.get("responsible_units"))
        if not text or organisation is None:
            return []
        if organisation.pk not in self._units:
            self._units[organisation.pk] = {u.name: u for u in organisation.units.all()}
        known = self._units[organisation.pk]
        chosen: list[Unit] = []
        for line in text.replace("\r\n", "\n").split("\n"):
            # A whole line is tried first, so a unit whose name has a comma still matches.
            names = [line.strip()] if line.strip() in known else line.split(",")
            for name in (n.strip() for n in names):
                if not name:
                    continue
                if name not in known:
                    problems.append(
                        _("“%(organisation)s” has no unit “%(name)s”")
                        % {"organisation": organisation.slug, "name": name}
                    )
                elif known[name] not in chosen:
                    chosen.append(known[name])
        return chosen

    def state_of(self, values: dict) -> tuple:
        return (
            values["title"],
            values["approach"],
            values["responsible_text"],
            values["monitoring"],
            values["due_date"],
            tuple(sorted(i.pk for i in values["indicators"])),
            tuple(sorted(u.pk for u in values["units"])),
            tuple(values["steps"]),
        )

    def get_instance(self, instance_loader, row: dict) -> Measure | None:
        values = self._current
        measure = Measure.objects.filter(
            organisation=values["organisation"],
            fiscal_year=values["fiscal_year"],
            number=values["number"],
        ).first()
        values["before"] = _measure_state(measure) if measure else None
        return measure

    def init_instance(self, row: dict | None = None) -> Measure:
        values = self._current
        return Measure(
            organisation=values["organisation"],
            fiscal_year=values["fiscal_year"],
            number=values["number"],
        )

    def import_instance(self, instance: Measure, row: dict, **kwargs) -> None:
        for name in ("title", "approach", "responsible_text", "monitoring", "due_date"):
            setattr(instance, name, self._current[name])

    def save_m2m(self, instance: Measure, row: dict, **kwargs) -> None:
        values = self._current
        instance.indicators.set(values["indicators"])
        instance.responsible_units.set(values["units"])
        if [step.text for step in instance.steps.order_by("order")] != values["steps"]:
            measure_steps_set(measure=instance, steps=values["steps"])

    # -- export --------------------------------------------------------------------

    def dehydrate_indicators(self, measure: Measure) -> str:
        if measure.pk is None:
            return ""
        return ", ".join(str(n) for n in sorted(i.number for i in measure.indicators.all()))

    def dehydrate_steps(self, measure: Measure) -> str:
        return "\n".join(step.text for step in measure.steps.all()) if measure.pk else ""

    def dehydrate_responsible_units(self, measure: Measure) -> str:
        if measure.pk is None:
            return ""
        return "\n".join(unit.name for unit in measure.responsible_units.all())

    def dehydrate_due_date(self, measure: Measure) -> dt.date | str:
        return measure.due_date or ""

    def get_export_queryset(self, request=None, **kwargs) -> QuerySet:
        return (
            Measure.objects.select_related("organisation")
            .prefetch_related("indicators", "responsible_units", "steps")
            .order_by("organisation__slug", "fiscal_year", "number")
        )


# -- follow-ups ----------------------------------------------------------------


def _follow_up_state(follow_up: FollowUp) -> tuple:
    return (
        follow_up.report_date,
        follow_up.summary,
        follow_up.outcome,
        follow_up.status,
        follow_up.completed_on,
    )


class FollowUpResource(SheetResource):
    headers = FOLLOW_UP_HEADERS

    organisation = fields.Field(
        attribute="measure__organisation__slug", column_name="organisation", readonly=True
    )
    fiscal_year = fields.Field(
        attribute="measure__fiscal_year",
        column_name="fiscal_year",
        readonly=True,
        widget=NativeWidget(),
    )
    measure_number = fields.Field(
        attribute="measure__number",
        column_name="measure_number",
        readonly=True,
        widget=NativeWidget(),
    )
    round = fields.Field(attribute="round", column_name="round", readonly=True)
    report_date = fields.Field(column_name="report_date", readonly=True)
    summary = fields.Field(attribute="summary", column_name="summary", readonly=True)
    outcome = fields.Field(attribute="outcome", column_name="outcome", readonly=True)
    status = fields.Field(attribute="status", column_name="status", readonly=True)
    completed_on = fields.Field(column_name="completed_on", readonly=True)

    class Meta:
        model = FollowUp
        fields = FOLLOW_UP_HEADERS
        import_id_fields = ["organisation", "fiscal_year", "measure_number", "round"]
        export_order = FOLLOW_UP_HEADERS
        report_skipped = True
        use_transactions = True

    def before_import(self, dataset: tablib.Dataset, **kwargs) -> None:
        super().before_import(dataset, **kwargs)
        self._rounds = _labels(Round)
        self._statuses = _labels(MeasureStatus)

    def parse_row(self, row: dict, line: int, problems: list[str]) -> dict:
        organisation = self._organisation(row, problems)
        year = self._fiscal_year(row, problems)
        number = _number(row.get("measure_number"))
        measure = None
        if not number:
            problems.append(
                _("number “%(value)s” is not a whole number from 1")
                % {"value": _cell(row.get("measure_number"))}
            )
        elif organisation is not None and year is not None:
            measure = Measure.objects.filter(
                organisation=organisation, fiscal_year=year, number=number
            ).first()
            if measure is None:
                problems.append(
                    _("“%(organisation)s” has no measure %(number)s in %(year)s")
                    % {"organisation": organisation.slug, "number": number, "year": year}
                )
        round = parse_round(row.get("round"), self._rounds)
        if round is None:
            problems.append(
                _("round “%(value)s” is not one of %(choices)s")
                % {"value": _cell(row.get("round")), "choices": ", ".join(Round.values)}
            )
        report_date = self._date(row, "report_date", problems)
        if round == Round.DATED and report_date is None and not _cell(row.get("report_date")):
            problems.append(_("a dated report needs its report_date"))
        status = MeasureStatus.NOT_STARTED.value
        if _cell(row.get("status")):
            status = self._statuses.get(_normal(row.get("status")))
            if status is None:
                problems.append(
                    _("status “%(value)s” is not one of %(choices)s")
                    % {
                        "value": _cell(row.get("status")),
                        "choices": ", ".join(MeasureStatus.values),
                    }
                )
        values = {
            "measure": measure,
            "round": round,
            "report_date": report_date,
            "summary": _cell(row.get("summary")),
            "outcome": _cell(row.get("outcome")),
            "status": status,
            "completed_on": self._date(row, "completed_on", problems),
        }
        if measure is not None and round is not None and not problems:
            self._once(
                (measure.pk, round, report_date if round == Round.DATED else None), line, problems
            )
        return values

    def state_of(self, values: dict) -> tuple:
        return tuple(
            values[name] for name in ("report_date", "summary", "outcome", "status", "completed_on")
        )

    def get_instance(self, instance_loader, row: dict) -> FollowUp | None:
        values = self._current
        follow_ups = FollowUp.objects.filter(measure=values["measure"], round=values["round"])
        if values["round"] == Round.DATED:
            follow_ups = follow_ups.filter(report_date=values["report_date"])
        follow_up = follow_ups.first()
        values["before"] = _follow_up_state(follow_up) if follow_up else None
        return follow_up

    def init_instance(self, row: dict | None = None) -> FollowUp:
        return FollowUp(measure=self._current["measure"], round=self._current["round"])

    def import_instance(self, instance: FollowUp, row: dict, **kwargs) -> None:
        for name in ("report_date", "summary", "outcome", "status", "completed_on"):
            setattr(instance, name, self._current[name])

    # -- export --------------------------------------------------------------------

    def dehydrate_report_date(self, follow_up: FollowUp) -> dt.date | str:
        return follow_up.report_date or ""

    def dehydrate_completed_on(self, follow_up: FollowUp) -> dt.date | str:
        return follow_up.completed_on or ""

    def get_export_queryset(self, request=None, **kwargs) -> QuerySet:
        return FollowUp.objects.select_related("measure__organisation").order_by(
            "measure__organisation__slug",
            "measure__fiscal_year",
            "measure__number",
            "round",
            "report_date",
            "pk",
        )


# -- the functions the admin, the commands and the tests call ------------------------


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
