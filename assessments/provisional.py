"""Provisional editions: a year the NACC has not published a framework for yet
is worked on a copy of the latest edition, labelled provisional everywhere,
and replaced by the real edition when it comes out."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from .edition_data import FrameworkError, edition_apply, edition_snapshot
from .framework import edition_for, latest_edition
from .models import NACC_SCHEME, Edition, Organisation


def provisional_code(scheme_code: str, fiscal_year: int) -> str:
    return f"{scheme_code}-{fiscal_year}-provisional"


@transaction.atomic
def edition_start_provisional(
    *, fiscal_year: int, organisation: Organisation | None = None
) -> Edition:
    """A provisional edition for a year no edition covers, copied from the latest
    one of the organisation's scheme (else the NACC's).

    Returns the edition that already covers the year when there is one, so two
    offices pressing the button at once get the same edition.
    """
    existing = edition_for(organisation, fiscal_year)
    if existing is not None:
        return existing
    scheme_code = (
        organisation.scheme.code if organisation and organisation.scheme_id else NACC_SCHEME
    )
    source = latest_edition(scheme_code, before=fiscal_year) or latest_edition(
        NACC_SCHEME, before=fiscal_year
    )
    if source is None:
        raise FrameworkError(_("There is no earlier edition to copy."))
    data = edition_snapshot(source)
    data["edition"].update(
        code=provisional_code(source.scheme.code, fiscal_year),
        name_th=_("%(name)s (provisional for %(year)s)")
        % {"name": source.name_th, "year": fiscal_year},
        first_year=fiscal_year,
        last_year=fiscal_year,
        provisional=True,
        keeps_codes=True,
        source=_("Copied from %(code)s until the NACC publishes the framework for %(year)s.")
        % {"code": source.code, "year": fiscal_year},
    )
    for item in data["items"].values():
        item["continues"] = ""
    edition, _created, _changed = edition_apply(data, source=source.code)
    Edition.objects.filter(pk=edition.pk).update(based_on=source, loaded_snapshot={})
    edition.refresh_from_db()
    return edition
