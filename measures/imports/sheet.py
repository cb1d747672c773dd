"""What the measures and follow-ups sheets share: one organisation-scoped resource."""

from __future__ import annotations

import datetime as dt

import tablib
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import resources

from assessments.imports import sheet_row
from assessments.models import MAX_FISCAL_YEAR, MIN_FISCAL_YEAR, Organisation
from assessments.public_cache import content_changed
from ita_portal.thai import BE_OFFSET

from .cells import _CE_YEARS, OPTIONAL_HEADERS, _cell, _number, parse_date, parse_flag


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
        self._changed: set[int] = set()

    def before_import(self, dataset: tablib.Dataset, **kwargs) -> None:
        self._current = {}
        self._seen = {}
        self._changed = set()
        self._organisations = {o.slug: o for o in Organisation.objects.all()}
        found = [str(h).strip().lower() if h is not None else "" for h in (dataset.headers or [])]
        # Columns without a heading (a spreadsheet's formatted but empty ones) are ignored;
        # the optional ones may be missing (a file exported before they existed).
        given = sorted(h for h in found if h)
        required = sorted(h for h in self.headers if h not in OPTIONAL_HEADERS)
        if given != sorted(self.headers) and given != required:
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

    @staticmethod
    def _flag(row: dict, column: str, problems: list[str]) -> bool | None:
        """A yes/no column; None when the file has no such column (the value stays)."""
        if column not in row:
            return None
        flag = parse_flag(row.get(column))
        if flag is None:
            problems.append(
                _("%(column)s “%(value)s” is not yes or no")
                % {"column": column, "value": _cell(row.get(column))}
            )
        return flag

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

    def organisation_of(self, instance) -> int:
        """The organisation whose public pages show the record (each sheet says)."""
        raise NotImplementedError

    def after_save_instance(self, instance, row, **kwargs) -> None:
        super().after_save_instance(instance, row, **kwargs)
        self._changed.add(self.organisation_of(instance))

    def after_import(self, dataset, result, **kwargs) -> None:
        super().after_import(dataset, result, **kwargs)
        # Once per organisation, in the import's transaction: a dry run or a refused
        # file rolls it back too.
        content_changed(*self._changed)
