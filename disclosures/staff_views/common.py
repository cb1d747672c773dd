"""What the staff pages for disclosures share: fetching within the user's organisation."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from assessments.access import OrganisationAccess
from assessments.models import Item, Organisation
from measures.staff_views.common import (
    fiscal_year_or_404,
)

from .. import selectors
from ..models import Disclosure, Entry

# --- Fetching, always within the user's organisation -------------------------


def item_or_404(organisation: Organisation, year: int, code: str) -> Item:
    """The item of the edition the organisation's year follows (a 404 if it has none)."""
    item = selectors.item_for_year(fiscal_year_or_404(year), code, organisation=organisation)
    if item is None:
        raise Http404("no such item in that year's framework")
    return item


def disclosure_or_none(organisation: Organisation, year: int, item: Item) -> Disclosure | None:
    # Looking never creates a row: the draft appears on the first save.
    return (
        Disclosure.objects.filter(organisation=organisation, fiscal_year=year, item=item)
        .select_related("unit")
        .first()
    )


def entry_or_404(access: OrganisationAccess, key) -> Entry:
    return get_object_or_404(
        Entry.objects.select_related("disclosure__item__edition", "disclosure__organisation"),
        disclosure__organisation=access.organisation,
        key=key,
    )


def item_url(org: str, year: int, item: Item, anchor: str = "") -> str:
    url = reverse("disclosures_staff:item", args=[org, year, item.code])
    return f"{url}#{anchor}" if anchor else url


def entry_item_url(org: str, entry: Entry, anchor: str = "entries") -> str:
    disclosure = entry.disclosure
    return item_url(org, disclosure.fiscal_year, disclosure.item, anchor)
