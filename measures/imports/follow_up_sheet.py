"""The follow-ups sheet: one row per report on a measure."""

from __future__ import annotations

import datetime as dt

import tablib
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from import_export import fields

from ita_portal.spreadsheets import NativeWidget

from ..models import FollowUp, Measure, MeasureStatus, Round
from ..steps import normalise_newlines
from .cells import FOLLOW_UP_HEADERS, _cell, _labels, _normal, _number, parse_round
from .sheet import SheetResource


def _follow_up_state(follow_up: FollowUp) -> tuple:
    # A summary typed in a browser before line endings were normalised has CRLF;
    # the file reads it back with "\n", and that is no change.
    return (
        follow_up.report_date,
        normalise_newlines(follow_up.summary).strip(),
        normalise_newlines(follow_up.outcome).strip(),
        follow_up.status,
        follow_up.completed_on,
        follow_up.completed_month_only,
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
    completed_month_only = fields.Field(column_name="completed_month_only", readonly=True)

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
            "completed_month_only": self._flag(row, "completed_month_only", problems),
        }
        if measure is not None and round is not None and not problems:
            self._once(
                (measure.pk, round, report_date if round == Round.DATED else None), line, problems
            )
        return values

    def _month_only(self, values: dict) -> bool:
        """The file's flag, or (a file without the column) the report's own."""
        if values["completed_month_only"] is not None:
            return values["completed_month_only"]
        before = values.get("before")
        return before[5] if before else False

    def state_of(self, values: dict) -> tuple:
        return (
            *(values[name] for name in ("report_date", "summary", "outcome", "status")),
            values["completed_on"],
            self._month_only(values),
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

    def organisation_of(self, instance: FollowUp) -> int:
        return instance.measure.organisation_id

    def import_instance(self, instance: FollowUp, row: dict, **kwargs) -> None:
        for name in ("report_date", "summary", "outcome", "status", "completed_on"):
            setattr(instance, name, self._current[name])
        instance.completed_month_only = self._month_only(self._current)

    # -- export --------------------------------------------------------------------

    def dehydrate_report_date(self, follow_up: FollowUp) -> dt.date | str:
        return follow_up.report_date or ""

    def dehydrate_completed_on(self, follow_up: FollowUp) -> dt.date | str:
        return follow_up.completed_on or ""

    def dehydrate_completed_month_only(self, follow_up: FollowUp) -> str:
        return "yes" if follow_up.completed_month_only else "no"

    def get_export_queryset(self, request=None, **kwargs) -> QuerySet:
        return FollowUp.objects.select_related("measure__organisation").order_by(
            "measure__organisation__slug",
            "measure__fiscal_year",
            "measure__number",
            "round",
            "report_date",
            "pk",
        )
