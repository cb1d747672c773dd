"""Which edition applies, and loading the edition files the project ships.

An edition file (TOML, in ``assessments/editions/``) describes one framework:
its scheme, the fiscal years it covers, its instruments and weights,
indicators, sub-indicators, OIT items and result levels. Loading is
idempotent and never deletes anything, so results that refer to an item or
indicator keep their meaning. An edition an operator changed since it was
last loaded is not overwritten unless asked (``force``): the report says
what differs.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from .edition_data import (
    SECTIONS,
    FrameworkError,
    canonical,
    edition_apply,
    edition_diff,
    edition_snapshot,
)
from .models import NACC_SCHEME, Edition, Organisation

EDITIONS_DIR = Path(__file__).resolve().parent / "editions"

__all__ = [
    "EDITIONS_DIR",
    "EditionConflict",
    "FrameworkError",
    "LoadReport",
    "edition_files",
    "edition_for",
    "edition_for_year",
    "edition_load",
    "edition_load_file",
    "latest_edition",
]


class EditionConflict(FrameworkError):
    """The stored edition was edited since it was loaded and differs from the file."""

    def __init__(self, code: str, differences: list[str]) -> None:
        self.code = code
        self.differences = differences
        super().__init__(
            [f"edition {code} was changed in the portal since it was loaded; rerun with --force"]
        )


@dataclass
class LoadReport:
    edition: Edition
    created: int = 0
    updated: int = 0
    unchanged: bool = False
    differences: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _scheme_code(organisation: Organisation | None) -> str:
    if organisation is None or organisation.scheme_id is None:
        return NACC_SCHEME
    return organisation.scheme.code


def edition_for(organisation: Organisation | None, fiscal_year: int) -> Edition | None:
    """The edition an organisation's year is assessed under.

    Its scheme's edition for the year, else the NACC's; none when no edition
    (not even a provisional one) covers the year. A provisional edition wins
    over a real one of the same scheme and year: the real edition, once
    loaded, waits until an operator has reviewed and applied the replacement
    (``ita_portal.edition_replace``), so nothing switches under an office's feet.
    """
    wanted = _scheme_code(organisation)
    editions = (
        Edition.objects.filter(first_year__lte=fiscal_year, last_year__gte=fiscal_year)
        .select_related("scheme")
        .filter(scheme__code__in={wanted, NACC_SCHEME})
    )
    ranked = sorted(
        editions,
        key=lambda e: (e.scheme.code != wanted, not e.provisional, -e.first_year, e.code),
    )
    return ranked[0] if ranked else None


def edition_for_year(fiscal_year: int) -> Edition | None:
    """The NACC edition that covers a fiscal year (for callers without an organisation)."""
    return edition_for(None, fiscal_year)


def latest_edition(scheme_code: str = NACC_SCHEME, *, before: int | None = None) -> Edition | None:
    """The scheme's most recent edition (optionally the last one starting before a year)."""
    editions = Edition.objects.filter(scheme__code=scheme_code)
    if before is not None:
        editions = editions.filter(first_year__lt=before)
    # A real edition before a provisional one of the same years: copies are made from
    # what the NACC published whenever there is something.
    return editions.order_by("-last_year", "provisional", "-first_year").first()


def edition_files() -> list[Path]:
    return sorted(EDITIONS_DIR.glob("*.toml"))


def read_edition_file(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise FrameworkError(f"{path.name}: {exc}") from exc
    return canonical(data, source=path.name)


def edition_load_file(*, path: Path, force: bool = False) -> LoadReport:
    return edition_load(data=read_edition_file(path), source=path.name, force=force, checked=True)


def _loaded(edition: Edition) -> dict:
    """What was last loaded, with the sections added since (surveys) as empty: an
    edition loaded before they existed is not "changed in the portal" for lacking them."""
    return {**{section: {} for section in SECTIONS}, **edition.loaded_snapshot}


def _record_loaded(edition: Edition, snapshot: dict) -> None:
    # An update, not save(): remembering what was loaded is not a change to
    # the edition and must not add an entry to its history.
    Edition.objects.filter(pk=edition.pk).update(loaded_snapshot=snapshot)
    edition.loaded_snapshot = snapshot


@transaction.atomic
def edition_load(
    *, data: dict, source: str = "data", force: bool = False, checked: bool = False
) -> LoadReport:
    """Create or update one edition from (file) data.

    An existing edition is updated when it still holds what was last loaded
    (the file improved); when someone edited it since, ``EditionConflict``
    lists the differences unless ``force``.
    """
    if not checked:
        data = canonical(data, source=source)
    code = data["edition"]["code"]
    existing = Edition.objects.filter(code=code).select_related("scheme").first()
    differences: list[str] = []
    if existing is not None:
        current = edition_snapshot(existing)
        if current == data:
            if existing.loaded_snapshot != data:
                _record_loaded(existing, data)
            return LoadReport(edition=existing, unchanged=True)
        differences = edition_diff(current, data)
        # None: loaded before snapshots were kept (or made in the portal); the
        # file's version is taken, as the loader always did.
        edited = existing.loaded_snapshot is not None and _loaded(existing) != current
        if edited and not force:
            raise EditionConflict(code, differences)
    edition, created, updated = edition_apply(data, source=source)
    _record_loaded(edition, edition_snapshot(edition))
    report = LoadReport(edition=edition, created=created, updated=updated, differences=differences)
    kept = edition_snapshot(edition)["items"].keys() - data["items"].keys()
    if kept:
        report.notes.append("items no longer in the file were kept: " + ", ".join(sorted(kept)))
    return report
