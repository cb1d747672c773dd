"""Saving an item's page and its entries from the staff forms, refusing stale forms.

The rules of the save itself (cleaning the explanation, "last updated") are
in ``services.py``; this module adds the row lock and the check that nobody
saved the record after the form was opened (``ita_portal.concurrency``).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from assessments.models import Item, Organisation, Unit
from ita_portal.concurrency import check_not_stale, edit_token

from .models import Disclosure, Entry
from .services import disclosure_for, disclosure_update, entry_update

DISCLOSURE_FIELDS = ("explanation", "unit", "due_date")
ENTRY_FIELDS = ("title", "date", "url")


def disclosure_edit_token(
    disclosure: Disclosure | None, *, organisation: Organisation, fiscal_year: int, item: Item
) -> str:
    """The snapshot of the item's page; a page not saved yet counts as an empty draft."""
    record = disclosure or Disclosure(organisation=organisation, fiscal_year=fiscal_year, item=item)
    return edit_token(record, DISCLOSURE_FIELDS)


@transaction.atomic
def disclosure_save(
    *,
    organisation: Organisation,
    fiscal_year: int,
    item: Item,
    token: str | None,
    explanation: str,
    unit: Unit | None,
    due_date: dt.date | None,
    reviewed: bool = False,
) -> Disclosure:
    """Save the item's page form (created as a draft on the first save).

    Raises ``StaleEdit`` when someone saved the page after ``token`` was made,
    ``DisclosureError`` when the item or the unit does not fit.
    """
    created = disclosure_for(organisation=organisation, fiscal_year=fiscal_year, item=item)
    locked = Disclosure.objects.select_for_update().get(pk=created.pk)
    check_not_stale(locked, token, DISCLOSURE_FIELDS, labels={"explanation": _("Explanation")})
    return disclosure_update(
        disclosure=locked,
        explanation=explanation,
        unit=unit,
        due_date=due_date,
        reviewed=reviewed,
    )


def entry_edit_token(entry: Entry) -> str:
    return edit_token(entry, ENTRY_FIELDS)


@transaction.atomic
def entry_save(
    *, entry: Entry, token: str | None, title: str, date: dt.date | None, url: str = ""
) -> Entry:
    """Raises ``StaleEdit`` when someone saved the entry after ``token`` was made."""
    locked = Entry.objects.select_for_update().select_related("disclosure").get(pk=entry.pk)
    check_not_stale(locked, token, ENTRY_FIELDS)
    return entry_update(entry=locked, title=title, date=date, url=url)
