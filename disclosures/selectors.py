"""Reads of an organisation's OIT disclosures: what a year holds, what is
complete, the items the portal builds from its own data, the public pages,
the link sheet and the open-data view.

Items are the framework's (the edition that covers the fiscal year); a
Disclosure exists for an item once someone has worked on it, so a year with
nothing done yet still lists every item as "not yet published".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from assessments.framework import edition_for
from assessments.models import NACC_SCHEME, Edition, Item, ItemRole, Organisation, Unit

from .models import Disclosure, DisclosureStatus, Entry

# --- The year's items ---------------------------------------------------------


def items_for_year(
    fiscal_year: int, *, organisation: Organisation | None = None
) -> tuple[Edition | None, list[Item]]:
    """The edition the organisation's year is assessed under (``edition_for``) and its
    OIT items in order. Without an organisation: the NACC's."""
    edition = edition_for(organisation, fiscal_year)
    if edition is None:
        return None, []
    items = list(
        Item.objects.filter(edition=edition)
        .select_related("sub_indicator__indicator", "edition")
        .order_by("number")
    )
    return edition, items


def item_for_year(
    fiscal_year: int, code: str, *, organisation: Organisation | None = None
) -> Item | None:
    """The item ``code`` of the edition the organisation's year follows; codes ignore case."""
    items = Item.objects.select_related("sub_indicator__indicator", "edition")
    if organisation is None or organisation.scheme_id is None:
        # The NACC's edition: one query, as a public item page is read often.
        return items.filter(
            edition__scheme__code=NACC_SCHEME,
            edition__first_year__lte=fiscal_year,
            edition__last_year__gte=fiscal_year,
            code__iexact=code,
        ).first()
    edition = edition_for(organisation, fiscal_year)
    if edition is None:
        return None
    return items.filter(edition=edition, code__iexact=code).first()


def latest_framework_year(current: int, *, organisation: Organisation | None = None) -> int | None:
    """The current fiscal year if an edition covers it, else the last year one covers."""
    if edition_for(organisation, current) is not None:
        return current
    edition = Edition.objects.filter(first_year__lte=current).order_by("-last_year").first()
    if edition is None:
        edition = Edition.objects.order_by("first_year").first()
    return edition.last_year if edition else None


def public_years(organisation: Organisation) -> list[int]:
    """Years with something published, newest first: the public year picker."""
    return list(
        Disclosure.objects.filter(organisation=organisation, status=DisclosureStatus.PUBLISHED)
        .values_list("fiscal_year", flat=True)
        .distinct()
        .order_by("-fiscal_year")
    )


# --- Staff: the completeness board ---------------------------------------------


# Roles whose page the portal fills from its own data (the complaint channel: the
# address of the public complaint form). The complaint guideline is an ordinary page.
GENERATED_ROLES = frozenset(
    {
        ItemRole.MEASURES,
        ItemRole.MEASURE_RESULTS,
        ItemRole.COMPLAINT_STATISTICS,
        ItemRole.COMPLAINT_CHANNEL,
    }
)


@dataclass
class ItemRow:
    """One item of a year as the staff board shows it."""

    item: Item
    disclosure: Disclosure | None
    entry_count: int
    mine: bool
    today: dt.date = field(repr=False)

    @property
    def generated(self) -> bool:
        return self.item.role in GENERATED_ROLES

    @property
    def published(self) -> bool:
        return self.disclosure is not None and self.disclosure.is_published

    @property
    def has_content(self) -> bool:
        d = self.disclosure
        return self.generated or self.entry_count > 0 or bool(d and d.explanation)

    @property
    def complete(self) -> bool:
        """Published with something to show: what an assessor can score."""
        return self.published and self.has_content

    @property
    def empty(self) -> bool:
        return not self.has_content

    @property
    def due_date(self) -> dt.date | None:
        return self.disclosure.due_date if self.disclosure else None

    @property
    def overdue(self) -> bool:
        return bool(self.due_date and self.due_date < self.today and not self.complete)

    @property
    def to_review(self) -> bool:
        return bool(self.disclosure and self.disclosure.to_review)

    @property
    def unit(self) -> Unit | None:
        return self.disclosure.unit if self.disclosure else None

    @property
    def last_update(self) -> dt.datetime | None:
        return self.disclosure.content_updated_at if self.disclosure else None


@dataclass
class Completeness:
    label: str
    total: int
    complete: int
    key: object = None  # the sub-indicator a group counts

    @property
    def percent(self) -> Decimal:
        if not self.total:
            return Decimal("0")
        return (Decimal(100) * self.complete / self.total).quantize(
            Decimal("1"), rounding=ROUND_HALF_UP
        )


@dataclass
class Board:
    edition: Edition | None
    rows: list[ItemRow]
    groups: list[tuple[Completeness, list[ItemRow]]]
    overall: Completeness


def year_board(
    *,
    organisation: Organisation,
    fiscal_year: int,
    my_units: Iterable[Unit] = (),
    unit: Unit | None = None,
    mine_only: bool = False,
    today: dt.date | None = None,
) -> Board:
    """Every item of the year with its state, grouped by sub-indicator, in three queries.

    Percentages count every item of a sub-indicator, whatever the filter, so
    "my items" does not make a sub-indicator look more complete than it is.
    """
    today = today or timezone.localdate()
    edition, items = items_for_year(fiscal_year, organisation=organisation)
    disclosures = {
        d.item_id: d
        for d in Disclosure.objects.filter(organisation=organisation, fiscal_year=fiscal_year)
        .select_related("unit")
        .annotate(entry_count=Count("entries"))
    }
    my_unit_ids = {u.pk for u in my_units}
    rows = []
    for item in items:
        disclosure = disclosures.get(item.pk)
        rows.append(
            ItemRow(
                item=item,
                disclosure=disclosure,
                entry_count=disclosure.entry_count if disclosure else 0,
                mine=bool(disclosure and disclosure.unit_id in my_unit_ids),
                today=today,
            )
        )
    groups: list[tuple[Completeness, list[ItemRow]]] = []
    for row in rows:
        sub = row.item.sub_indicator
        if not groups or groups[-1][0].key != sub.pk:
            groups.append((Completeness(f"{sub.code} {sub.name_th}", 0, 0, key=sub.pk), []))
        stats, shown = groups[-1]
        stats.total += 1
        stats.complete += row.complete
        if unit is not None and (row.disclosure is None or row.disclosure.unit_id != unit.pk):
            continue
        if mine_only and not row.mine:
            continue
        shown.append(row)
    overall = Completeness(_("All items"), len(rows), sum(1 for row in rows if row.complete))
    return Board(edition=edition, rows=rows, groups=groups, overall=overall)


# --- Items the portal builds from its own data --------------------------------


@dataclass
class Generated:
    """What a generated item shows, besides its own entries."""

    role: str
    measures: list = field(default_factory=list)
    report_url: str = ""
    report_pdf_url: str = ""
    # The year's other published documents this item carries: (label, page, PDF).
    documents: list = field(default_factory=list)
    # Complaint statistics: the tables the complaints app publishes.
    complaint_tables: object = None
    statistics_url: str = ""
    # The complaint channel: the organisation's public complaint form.
    complaint_form_url: str = ""


def generated_for(*, organisation: Organisation, fiscal_year: int, item: Item) -> Generated | None:
    """Content an item takes from the portal's own data; None for an ordinary item.

    Chosen by the item's role in its edition, never by its code (complaint
    statistics are O31 in 2564–65, O29 in 2566–67, O19 in 2568, O18 in 2569):
    "measures" lists the year's measures, "measure_results" their follow-up,
    "complaint_statistics" the year's complaint statistics (aggregates only),
    "complaint_channel" the address of the public complaint form. All read
    the data as it is now, so the page is always current.
    """
    if item.role not in GENERATED_ROLES:
        return None
    if item.role == ItemRole.COMPLAINT_CHANNEL:
        return Generated(
            role=item.role,
            complaint_form_url=absolute_url(reverse("complaints:new", args=[organisation.slug])),
        )
    if item.role == ItemRole.COMPLAINT_STATISTICS:
        # Imported here: disclosures reads complaints, never the other way round.
        from complaints.selectors import statistics
        from complaints.statistics_views import statistics_tables

        return Generated(
            role=item.role,
            complaint_tables=statistics_tables(
                statistics(organisation=organisation, fiscal_year=fiscal_year)
            ),
            statistics_url=reverse("complaints:statistics", args=[organisation.slug, fiscal_year]),
        )
    # Imported here: disclosures reads measures, never the other way round.
    from measures.documents import published_documents
    from measures.models import DocumentKind
    from measures.services import measures_for_year

    generated = Generated(role=item.role)
    generated.measures = list(measures_for_year(organisation=organisation, fiscal_year=fiscal_year))
    for measure in generated.measures:
        # In report order, so the latest round is last.
        measure.rounds = sorted(measure.follow_ups.all(), key=lambda f: f.sort_key)
    # The measures item carries the announcement and the plan; the results item the
    # results report; both the annual report (each only once it is published).
    wanted = [DocumentKind.ANNOUNCEMENT, DocumentKind.PLAN]
    if item.role != ItemRole.MEASURES:
        wanted = [DocumentKind.RESULTS]
    published = published_documents(organisation, fiscal_year)
    if DocumentKind.ANNUAL in published:
        generated.report_url, generated.report_pdf_url = published[DocumentKind.ANNUAL][1:]
    generated.documents = [published[kind] for kind in wanted if kind in published]
    return generated


# --- The public pages ----------------------------------------------------------


@dataclass
class PublicRow:
    item: Item
    disclosure: Disclosure | None  # published ones only
    url: str = ""  # the item page's address, set by the view that lists the row

    @property
    def published(self) -> bool:
        return self.disclosure is not None


@dataclass
class PublicGroup:
    """Items under one indicator › sub-indicator › heading."""

    indicator: object
    sub_indicator: object
    heading: str
    rows: list[PublicRow]


def public_index(
    *, organisation: Organisation, fiscal_year: int
) -> tuple[Edition | None, list[PublicGroup]]:
    """The year's items grouped for the public index; only published disclosures count."""
    edition, items = items_for_year(fiscal_year, organisation=organisation)
    published = {
        d.item_id: d
        for d in Disclosure.objects.filter(
            organisation=organisation, fiscal_year=fiscal_year, status=DisclosureStatus.PUBLISHED
        ).only("id", "item_id", "status", "content_updated_at", "first_published_at")
    }
    groups: list[PublicGroup] = []
    for item in items:
        sub = item.sub_indicator
        key = (sub.pk, item.heading)
        if not groups or (groups[-1].sub_indicator.pk, groups[-1].heading) != key:
            groups.append(PublicGroup(sub.indicator, sub, item.heading, []))
        groups[-1].rows.append(PublicRow(item, published.get(item.pk)))
    return edition, groups


def public_search(
    *, organisation: Organisation, fiscal_year: int, rows: Sequence[PublicRow], query: str
) -> list[PublicRow]:
    """The index rows whose item code or title, published explanation or published entry
    titles contain the query (one query, whatever the number of items)."""
    query = query.strip()
    if not query:
        return []
    matching = set(
        Disclosure.objects.filter(
            organisation=organisation, fiscal_year=fiscal_year, status=DisclosureStatus.PUBLISHED
        )
        .filter(Q(explanation__icontains=query) | Q(entries__title__icontains=query))
        .values_list("item_id", flat=True)
    )
    needle = query.casefold()
    return [
        row
        for row in rows
        if row.item.pk in matching
        or needle in row.item.title_th.casefold()
        or needle == row.item.code.casefold()
    ]


def published_disclosure(
    *, organisation: Organisation, fiscal_year: int, item: Item
) -> Disclosure | None:
    """The item's published disclosure with its entries (two queries), or None."""
    return (
        Disclosure.objects.filter(
            organisation=organisation,
            fiscal_year=fiscal_year,
            item=item,
            status=DisclosureStatus.PUBLISHED,
        )
        .select_related("organisation", "unit")
        .prefetch_related(Prefetch("entries", queryset=Entry.objects.order_by("order", "id")))
        .first()
    )


# --- The link sheet for ITAS and the open data -------------------------------


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


@dataclass
class LinkRow:
    code: str
    title: str
    url: str
    published: bool
    updated: dt.datetime | None

    @property
    def status_label(self) -> str:
        return str(DisclosureStatus.PUBLISHED.label if self.published else _("NOT PUBLISHED"))


def link_sheet(*, organisation: Organisation, fiscal_year: int) -> list[LinkRow]:
    """One row per item of the year: what an office pastes into ITAS."""
    _edition, items = items_for_year(fiscal_year, organisation=organisation)
    disclosures = {
        d.item_id: d
        for d in Disclosure.objects.filter(organisation=organisation, fiscal_year=fiscal_year)
    }
    rows = []
    for item in items:
        disclosure = disclosures.get(item.pk)
        path = reverse("disclosures:item", args=[organisation.slug, fiscal_year, item.code])
        rows.append(
            LinkRow(
                code=item.code,
                title=item.title_th,
                url=absolute_url(path),
                published=bool(disclosure and disclosure.is_published),
                updated=disclosure.content_updated_at if disclosure else None,
            )
        )
    return rows


def year_data(*, organisation: Organisation, fiscal_year: int) -> dict:
    """The year's published items and entries as plain data (the .json address)."""
    _edition, items = items_for_year(fiscal_year, organisation=organisation)
    disclosures = {
        d.item_id: d
        for d in Disclosure.objects.filter(
            organisation=organisation, fiscal_year=fiscal_year, status=DisclosureStatus.PUBLISHED
        ).prefetch_related(Prefetch("entries", queryset=Entry.objects.order_by("order", "id")))
    }

    def stamp(value: dt.datetime | None) -> str | None:
        return timezone.localtime(value).isoformat() if value else None

    out_items = []
    for item in items:
        disclosure = disclosures.get(item.pk)
        page = reverse("disclosures:item", args=[organisation.slug, fiscal_year, item.code])
        entries = []
        if disclosure is not None:
            for entry in disclosure.entries.all():
                url = entry.url
                if entry.is_document:
                    url = absolute_url(
                        reverse("disclosures:entry-file", args=[organisation.slug, entry.key])
                    )
                entries.append(
                    {
                        "title": entry.title,
                        "kind": entry.kind,
                        "url": url,
                        "date": entry.date.isoformat() if entry.date else None,
                        "file_type": entry.file_type or None,
                    }
                )
        out_items.append(
            {
                "code": item.code,
                "title": item.title_th,
                "indicator": item.sub_indicator.indicator.number,
                "sub_indicator": item.sub_indicator.code,
                "heading": item.heading,
                "url": absolute_url(page),
                "published": disclosure is not None,
                "first_published": stamp(disclosure.first_published_at) if disclosure else None,
                "updated": stamp(disclosure.content_updated_at) if disclosure else None,
                "explanation": strip_tags(disclosure.explanation).strip() if disclosure else "",
                "entries": entries,
            }
        )
    return {
        "organisation": {"slug": organisation.slug, "name": organisation.name_th},
        "fiscal_year": fiscal_year,
        "url": absolute_url(reverse("disclosures:year", args=[organisation.slug, fiscal_year])),
        "items": out_items,
    }
