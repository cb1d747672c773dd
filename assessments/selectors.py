"""Reads for the organisation's administration pages: its change history.

The history page merges the django-simple-history tables of the
organisation's own records and the role changes into one list, newest
first. One UNION query pages the list; then each kind of record on the
page is read once (with its user and what it belongs to) and once more for
the versions before them, so a page costs the same number of queries
whatever it shows.

Complaints have no history tables on purpose (their timeline is the record,
and it is confidential), so they never appear here.

The measures and disclosures history tables are looked up by name through
the app registry: those apps depend on ``assessments``, never the reverse.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import CharField, F, OuterRef, Q, Subquery, Value
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from ita_portal.thai import thai_date

from .models import MembershipChange, Organisation, Role, Unit

HISTORY_PAGE_SIZE = 50


@dataclass(frozen=True)
class Source:
    key: str
    label: Promise
    app: str
    model: str
    # The filter on the history table that keeps the organisation's records.
    scope: Callable[[Organisation], Q]
    related: tuple[str, ...] = ()
    describe: Callable[[Any], str] = str


def _history(app: str, model: str):
    return apps.get_model(app, model).history.model


def _owned_by(app: str, model: str, link: str) -> Callable[[Organisation], Q]:
    """Rows whose ``link`` is a record (current or deleted) of the organisation."""

    def scope(organisation: Organisation) -> Q:
        parents = _history(app, model).objects.filter(organisation_id=organisation.pk)
        return Q(**{f"{link}_id__in": parents.values("id")})

    return scope


def _direct(organisation: Organisation) -> Q:
    return Q(organisation_id=organisation.pk)


def _year(record, name: str = "assessment") -> str:
    parent = getattr(record, name, None)
    return str(parent.fiscal_year) if parent is not None else "?"


SOURCES = (
    Source(
        "organisation",
        _("Organisation details"),
        "assessments",
        "Organisation",
        lambda o: Q(id=o.pk),
        describe=lambda r: r.name_th,
    ),
    Source("unit", _("Units"), "assessments", "Unit", _direct, describe=lambda r: r.name),
    Source(
        "assessment",
        _("ITA results"),
        "assessments",
        "Assessment",
        _direct,
        describe=lambda r: _("ITA result %(year)s") % {"year": r.fiscal_year},
    ),
    Source(
        "score",
        _("Indicator scores"),
        "assessments",
        "IndicatorScore",
        _owned_by("assessments", "Assessment", "assessment"),
        related=("assessment", "indicator"),
        describe=lambda r: (
            _("ITA %(year)s, indicator %(number)s")
            % {"year": _year(r), "number": r.indicator.number if r.indicator else "?"}
        ),
    ),
    Source(
        "instrument_score",
        _("Instrument scores"),
        "assessments",
        "InstrumentScore",
        _owned_by("assessments", "Assessment", "assessment"),
        related=("assessment", "instrument"),
        describe=lambda r: (
            _("ITA %(year)s, %(instrument)s score")
            % {"year": _year(r), "instrument": r.instrument.code if r.instrument else "?"}
        ),
    ),
    Source(
        "item_result",
        _("OIT item results"),
        "assessments",
        "ItemResult",
        _owned_by("assessments", "Assessment", "assessment"),
        related=("assessment", "item"),
        describe=lambda r: (
            _("ITA %(year)s, item %(code)s")
            % {"year": _year(r), "code": r.item.code if r.item else "?"}
        ),
    ),
    Source(
        "measure",
        _("Measures"),
        "measures",
        "Measure",
        _direct,
        describe=lambda r: (
            _("Measure %(number)s (%(year)s): %(title)s")
            % {"number": r.number, "year": r.fiscal_year, "title": r.title}
        ),
    ),
    Source(
        "follow_up",
        _("Follow-up results"),
        "measures",
        "FollowUp",
        _owned_by("measures", "Measure", "measure"),
        related=("measure",),
        describe=lambda r: (
            _("Follow-up of measure %(number)s (%(year)s)")
            % {
                "number": r.measure.number if r.measure else "?",
                "year": _year(r, "measure"),
            }
        ),
    ),
    Source(
        "announcement",
        _("Announcements and orders"),
        "measures",
        "Announcement",
        _direct,
        describe=lambda r: r.title,
    ),
    Source(
        "report",
        _("Report settings"),
        "measures",
        "ReportSettings",
        _direct,
        describe=lambda r: _("Annual report %(year)s") % {"year": r.fiscal_year},
    ),
    Source(
        "disclosure",
        _("OIT disclosures"),
        "disclosures",
        "Disclosure",
        _direct,
        related=("item",),
        describe=lambda r: f"{r.fiscal_year} {r.item.code if r.item else ''}".strip(),
    ),
    Source(
        "entry",
        _("OIT documents and links"),
        "disclosures",
        "Entry",
        _owned_by("disclosures", "Disclosure", "disclosure"),
        related=("disclosure__item",),
        describe=lambda r: (
            f"{r.disclosure.fiscal_year} {r.disclosure.item.code}: {r.title}"
            if r.disclosure and r.disclosure.item
            else r.title
        ),
    ),
)
ROLE_CHANGES = "membership"
ROLE_CHANGES_LABEL = _("Members and roles")


def history_kinds() -> list[tuple[str, Promise]]:
    """The kinds a visitor may filter the history by (only those whose app is installed)."""
    kinds = [(s.key, s.label) for s in SOURCES if apps.is_installed(s.app)]
    kinds.insert(1, (ROLE_CHANGES, ROLE_CHANGES_LABEL))
    return kinds


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryRow:
    kind: str
    pk: int
    kind_label: str
    at: dt.datetime
    user: Any
    action: str  # "+" created, "~" changed, "-" deleted
    record: str
    changes: list[FieldChange] = field(default_factory=list)


def _index(organisation: Organisation, kind: str | None) -> models.QuerySet:
    """One UNION of (kind, row id, time) across every history table of the organisation."""
    parts = []
    for source in SOURCES:
        if kind not in (None, source.key) or not apps.is_installed(source.app):
            continue
        history = _history(source.app, source.model)
        parts.append(
            history.objects.filter(source.scope(organisation))
            .annotate(k=Value(source.key, output_field=CharField()), at=F("history_date"))
            .values_list("k", "history_id", "at")
            .order_by()
        )
    if kind in (None, ROLE_CHANGES):
        parts.append(
            MembershipChange.objects.filter(organisation=organisation)
            .annotate(k=Value(ROLE_CHANGES, output_field=CharField()), at=F("created_at"))
            .values_list("k", "pk", "at")
            .order_by()
        )
    first, *rest = parts
    return (
        first.union(*rest, all=True).order_by("-at", "-history_id")
        if rest
        else first.order_by("-at")
    )


# Long texts (an OIT explanation) are shown as their first words.
SHOWN_CHARACTERS = 200


def _show(value: Any, names: dict[tuple[type, Any], str], model: type | None = None) -> str:
    if value is None or value == "":
        return "–"
    if model is not None:
        return names.get((model, value), str(value))
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    # Dates as Thai readers write them (Buddhist Era), never ISO.
    if isinstance(value, dt.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{thai_date(local, short=True)} {local:%H:%M} น."
    if isinstance(value, dt.date):
        return thai_date(value, short=True)
    # Explanations may be HTML: the history shows their words, not their tags.
    return Truncator(strip_tags(str(value))).chars(SHOWN_CHARACTERS)


def _changes(
    delta, names: dict[tuple[type, Any], str], fields: list[models.Field]
) -> list[FieldChange]:
    by_name = {f.name: f for f in fields}
    changes = []
    for change in delta.changes:
        model_field = by_name[change.field]
        related = model_field.related_model if model_field.is_relation else None
        if model_field.choices:
            choices = dict(model_field.flatchoices)
            old, new = choices.get(change.old, change.old), choices.get(change.new, change.new)
        else:
            old, new = change.old, change.new
        changes.append(
            FieldChange(
                label=str(model_field.verbose_name),
                old=_show(old, names, related),
                new=_show(new, names, related),
            )
        )
    return changes


def _tracked_fields(model: type[models.Model]) -> list[models.Field]:
    """The fields worth showing: not bookkeeping times, not many-to-many (one query per row)."""
    skip = {"id", "created_at", "updated_at", "content_updated_at", "key", "password_hash"}
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in skip and not f.primary_key and f.editable
    ]


def _source_rows(source: Source, ids: list[int]) -> list[HistoryRow]:
    history = _history(source.app, source.model)
    model = apps.get_model(source.app, source.model)
    previous_id = Subquery(
        history.objects.filter(id=OuterRef("id"), history_date__lt=OuterRef("history_date"))
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    records = list(
        history.objects.filter(history_id__in=ids)
        .select_related("history_user", *source.related)
        .annotate(previous_id=previous_id)
    )
    previous = history.objects.in_bulk([r.previous_id for r in records if r.previous_id])
    fields = _tracked_fields(model)
    # Names for foreign keys that changed (a unit, a parent organisation), one query per kind.
    wanted: dict[type, set] = {}
    deltas = {}
    for record in records:
        before = previous.get(record.previous_id)
        if record.history_type == "~" and before is not None:
            delta = record.diff_against(before, included_fields=[f.name for f in fields])
            deltas[record.history_id] = delta
            for change in delta.changes:
                f = model._meta.get_field(change.field)
                if f.is_relation:
                    wanted.setdefault(f.related_model, set()).update({change.old, change.new})
    names = {}
    for related, pks in wanted.items():
        if related in (Unit, Organisation):
            for obj in related.objects.filter(pk__in=[p for p in pks if p is not None]):
                names[(related, obj.pk)] = str(obj)
    rows = []
    for record in records:
        delta = deltas.get(record.history_id)
        rows.append(
            HistoryRow(
                kind=source.key,
                pk=record.history_id,
                kind_label=str(source.label),
                at=record.history_date,
                user=record.history_user,
                action=record.history_type,
                record=source.describe(record),
                changes=_changes(delta, names, fields) if delta is not None else [],
            )
        )
    return rows


def _role(value: str) -> str:
    return str(Role(value).label) if value else "–"


def _membership_rows(ids: list[int]) -> list[HistoryRow]:
    rows = []
    for change in MembershipChange.objects.filter(pk__in=ids).select_related("member", "actor"):
        action = "+" if not change.old_role else "-" if not change.new_role else "~"
        changes = [FieldChange(str(_("role")), _role(change.old_role), _role(change.new_role))]
        if change.old_units != change.new_units:
            changes.append(
                FieldChange(str(_("units")), change.old_units or "–", change.new_units or "–")
            )
        rows.append(
            HistoryRow(
                kind=ROLE_CHANGES,
                pk=change.pk,
                kind_label=str(ROLE_CHANGES_LABEL),
                at=change.created_at,
                user=change.actor,
                action=action,
                record=change.member.get_full_name() or change.member.username,
                changes=changes,
            )
        )
    return rows


def organisation_history(
    *, organisation: Organisation, kind: str | None = None, page: int | str = 1
) -> Page:
    """One page of the organisation's changes, newest first; its ``object_list`` holds HistoryRows."""
    if kind is not None and kind not in dict(history_kinds()):
        kind = None
    paginator = Paginator(_index(organisation, kind), HISTORY_PAGE_SIZE)
    current = paginator.get_page(page)
    wanted: dict[str, list[int]] = {}
    order = []
    for key, pk, _at in current.object_list:
        wanted.setdefault(key, []).append(pk)
        order.append((key, pk))
    rows: list[HistoryRow] = []
    for source in SOURCES:
        if wanted.get(source.key):
            rows += _source_rows(source, wanted[source.key])
    if wanted.get(ROLE_CHANGES):
        rows += _membership_rows(wanted[ROLE_CHANGES])
    found = {(row.kind, row.pk): row for row in rows}
    current.object_list = [found[key] for key in order if key in found]
    return current
