"""The measures sheet: one row per measure."""

from __future__ import annotations

import datetime as dt
import re

import tablib
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from import_export import fields

from assessments.models import Edition, Organisation, Unit
from ita_portal.spreadsheets import NativeWidget

from ..models import Measure
from ..services import measure_next_number, measure_steps_set, measures_edition
from ..steps import normalise_newlines, step_split, steps_as_lines, steps_from_lines
from .cells import MEASURE_HEADERS, _cell, _number, _plain
from .sheet import SheetResource


def _measure_state(measure: Measure) -> tuple:
    # Texts saved before line endings were normalised compare as the file reads them.
    return (
        normalise_newlines(measure.title).strip(),
        normalise_newlines(measure.approach).strip(),
        normalise_newlines(measure.responsible_text).strip(),
        normalise_newlines(measure.monitoring).strip(),
        measure.due_date,
        measure.due_month_only,
        tuple(sorted(measure.indicators.values_list("pk", flat=True))),
        tuple(sorted(measure.responsible_units.values_list("pk", flat=True))),
        _steps_state(measure.steps.order_by("order")),
    )


def _steps_state(steps) -> tuple:
    return tuple((step.depth, normalise_newlines(step.text).strip()) for step in steps)


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
    due_month_only = fields.Field(column_name="due_month_only", readonly=True)

    class Meta:
        model = Measure
        fields = MEASURE_HEADERS
        import_id_fields = ["organisation", "fiscal_year", "number"]
        export_order = MEASURE_HEADERS
        report_skipped = True
        use_transactions = True

    def before_import(self, dataset: tablib.Dataset, **kwargs) -> None:
        super().before_import(dataset, **kwargs)
        self._editions: dict[tuple, Edition | None] = {}
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
            "responsible_text": self._text(row, "responsible_text", problems),
            "monitoring": _cell(row.get("monitoring")),
            "due_date": self._date(row, "due_date", problems),
            "due_month_only": self._flag(row, "due_month_only", problems),
            "indicators": self._indicators(row, organisation, year, problems),
            "units": self._responsible_units(row, organisation, problems),
            # "1.1 …" is a sub-step: its number gives the level and is not kept.
            "steps": steps_from_lines(_cell(row.get("steps"))),
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

    def _indicators(
        self, row: dict, organisation: Organisation | None, year: int | None, problems: list[str]
    ) -> list:
        parts = [p for p in re.split(r"[,;\s]+", _plain(row.get("indicators"))) if p]
        if not parts or year is None:
            return []
        key = (organisation.pk if organisation else None, year)
        if key not in self._editions:
            self._editions[key] = measures_edition(year, organisation)
        edition = self._editions[key]
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

    def _month_only(self, values: dict) -> bool:
        """The file's flag, or (a file without the column) the measure's own."""
        if values["due_month_only"] is not None:
            return values["due_month_only"]
        before = values.get("before")
        return before[5] if before else False

    def state_of(self, values: dict) -> tuple:
        return (
            values["title"],
            values["approach"],
            values["responsible_text"],
            values["monitoring"],
            values["due_date"],
            self._month_only(values),
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
        instance.due_month_only = self._month_only(self._current)

    def organisation_of(self, instance: Measure) -> int:
        return instance.organisation_id

    def save_m2m(self, instance: Measure, row: dict, **kwargs) -> None:
        values = self._current
        instance.indicators.set(values["indicators"])
        instance.responsible_units.set(values["units"])
        if list(_steps_state(instance.steps.order_by("order"))) != values["steps"]:
            measure_steps_set(measure=instance, steps=values["steps"])

    # -- export --------------------------------------------------------------------

    def dehydrate_indicators(self, measure: Measure) -> str:
        if measure.pk is None:
            return ""
        return ", ".join(str(n) for n in sorted(i.number for i in measure.indicators.all()))

    def dehydrate_steps(self, measure: Measure) -> str:
        """One step per line; numbered (1., 1.1 …) when the levels or a text need it.

        A list of plain steps stays plain. Nested steps carry their level in
        their number, and so does a step whose text starts like a number, so
        that the import reads each step back as it is.
        """
        if measure.pk is None:
            return ""
        steps = list(measure.steps.all())
        if any(s.depth or step_split(s.text)[0] is not None for s in steps):
            return steps_as_lines(steps)
        return "\n".join(step.text for step in steps)

    def dehydrate_responsible_units(self, measure: Measure) -> str:
        if measure.pk is None:
            return ""
        return "\n".join(unit.name for unit in measure.responsible_units.all())

    def dehydrate_due_date(self, measure: Measure) -> dt.date | str:
        return measure.due_date or ""

    def dehydrate_due_month_only(self, measure: Measure) -> str:
        return "yes" if measure.due_month_only else "no"

    def get_export_queryset(self, request=None, **kwargs) -> QuerySet:
        return (
            Measure.objects.select_related("organisation")
            .prefetch_related("indicators", "responsible_units", "steps")
            .order_by("organisation__slug", "fiscal_year", "number")
        )
