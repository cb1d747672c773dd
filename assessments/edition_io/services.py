"""Importing an edition from a workbook: check everything first, show what
would change, then write it all or nothing.

The import may create a new edition (an operator copying the NACC's to make a
scheme's own: export, change code, scheme, name and items, import). An
imported edition counts as edited in the portal: ``load_framework`` will not
overwrite it without ``--force``. For an existing edition its
``loaded_snapshot`` is left as it was (so the differences from the file
show); a new one gets ``{}`` (made in the portal).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..edition_data import (
    SURVEY_SECTIONS,
    FrameworkError,
    canonical,
    check_no_overlap,
    edition_apply,
    edition_diff,
    edition_snapshot,
    questions_snapshot,
    used_by_results,
)
from ..models import NACC_SCHEME, Edition, Scheme
from .errors import EditionImportError, explain, import_error
from .workbook import SHEETS, ParsedBook, located, read_workbook

SOURCE = "xlsx"


def fingerprint(edition: Edition | None) -> str:
    """What the stored edition holds, in a few characters (a new edition: "new")."""
    if edition is None:
        return "new"
    text = json.dumps(edition_snapshot(edition), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class ImportPreview:
    data: dict
    existing: Edition | None
    differences: list[str]
    base: str

    @property
    def is_new(self) -> bool:
        return self.existing is None

    @property
    def unchanged(self) -> bool:
        return self.existing is not None and not self.differences


@dataclass
class ImportOutcome:
    edition: Edition
    is_new: bool
    created: int = 0
    changed: int = 0
    unchanged: bool = False


def _removals_refused(existing: Edition, data: dict) -> list[str]:
    """What the data leaves out although recorded results use it."""
    used = used_by_results(existing)
    errors = []
    for section, what in (("items", "item"), ("indicators", "indicator"), ("instruments", "")):
        for key in sorted(used[section] - set(data[section]), key=str):
            errors.append(
                located(
                    section,
                    None,
                    _(
                        "%(key)s is missing from the sheet, but recorded results use it, so "
                        "it cannot be removed; put its row back"
                    )
                    % {"key": f"{what} {key}".strip() if what else key},
                )
            )
    for code in sorted(used["question_items"] - set(data.get("question_items", {}))):
        errors.append(
            located(
                "question_items",
                None,
                _(
                    "survey sub-item %(code)s is missing from the sheet, but recorded answers "
                    "use it, so it cannot be removed; put its row back"
                )
                % {"code": code},
            )
        )
    return errors


def _scheme_error(data: dict, book: ParsedBook) -> list[str]:
    code = data["edition"]["scheme"]
    if code == NACC_SCHEME or Scheme.objects.filter(code=code).exists():
        return []
    return [explain(f"unknown scheme {code!r}", book, source=SOURCE)]


def edition_import_preview(content: bytes) -> ImportPreview:
    """Read and check a workbook; every problem at once, each with its sheet and row.

    Raises ``EditionImportError`` (Thai messages); saves nothing.
    """
    try:
        book = read_workbook(content)
    except ValidationError as exc:
        raise EditionImportError(exc.messages) from exc
    if any(name not in book.raw for name in SHEETS if name not in SURVEY_SECTIONS):
        raise EditionImportError(book.errors)
    # A workbook exported before the question banks were added has neither survey
    # sheet: it leaves the stored bank as it is instead of deleting it.
    keeps_bank = not any(name in book.raw for name in SURVEY_SECTIONS)
    errors = list(book.errors)
    data = None
    try:
        data = canonical(book.raw, source=SOURCE)
    except FrameworkError as exc:
        errors.extend(import_error(exc, book, source=SOURCE).errors)
    if data is None:
        raise EditionImportError(errors)
    errors.extend(_scheme_error(data, book))
    try:
        check_no_overlap(data, source=SOURCE)
    except FrameworkError as exc:
        errors.extend(import_error(exc, book, source=SOURCE).errors)
    existing = Edition.objects.filter(code=data["edition"]["code"]).first()
    if existing is not None and keeps_bank:
        data.update(questions_snapshot(existing))
    if existing is not None:
        errors.extend(_removals_refused(existing, data))
    if errors:
        raise EditionImportError(errors)
    differences = (
        edition_diff(edition_snapshot(existing), data, limit=500) if existing is not None else []
    )
    return ImportPreview(
        data=data, existing=existing, differences=differences, base=fingerprint(existing)
    )


@transaction.atomic
def edition_import(*, data: dict, base: str | None = None) -> ImportOutcome:
    """Write checked edition data (from ``edition_import_preview``) in one transaction.

    ``base`` is the fingerprint the preview showed: when the stored edition
    changed since, the import is refused (the operator checks again) rather
    than overwriting a change nobody saw. A second submit of the same import
    finds nothing to do.
    """
    code = data["edition"]["code"]
    existing = Edition.objects.select_for_update().filter(code=code).first()
    if existing is not None and edition_snapshot(existing) == data:
        return ImportOutcome(edition=existing, is_new=False, unchanged=True)
    if base is not None and fingerprint(existing) != base:
        raise EditionImportError(
            [
                _(
                    "The edition %(code)s was changed by someone else after the file was "
                    "checked; nothing was saved. Upload the file again to see the differences."
                )
                % {"code": code}
            ]
        )
    try:
        edition, created, changed = edition_apply(data, delete_missing=True, source=SOURCE)
    except FrameworkError as exc:
        raise import_error(exc, ParsedBook(), source=SOURCE) from exc
    if existing is None:
        # An update, not save(): not a change of the edition, so no history entry.
        Edition.objects.filter(pk=edition.pk).update(loaded_snapshot={})
        edition.loaded_snapshot = {}
    return ImportOutcome(edition=edition, is_new=existing is None, created=created, changed=changed)
