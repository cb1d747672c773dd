"""Rules for an organisation's OIT disclosures (the writes): cleaning an
explanation, editing and publishing items, their entries, and copying a year
forward. Reads live in ``disclosures.selectors``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import nh3
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from assessments.models import Item, Organisation, Unit
from assessments.public_cache import content_changed
from ita_portal.uploads import DOCUMENTS, check_uploads

from .copy_plan import copy_plan
from .models import Disclosure, DisclosureStatus, Entry, EntryKind

# --- The explanation: plain paragraphs, or HTML cleaned by nh3 ----------------

ALLOWED_TAGS = frozenset(
    {"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "a", "h3", "h4", "blockquote"}
    | {"table", "thead", "tbody", "tr", "th", "td"}
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
_BLOCK_MARKERS = ("<p", "<ul", "<ol", "<br", "<table", "<h3", "<h4", "<div", "<blockquote")


def explanation_clean(text: str) -> str:
    """Safe HTML for the explanation.

    Text without block markup is taken as plain paragraphs (blank lines
    between them, single line breaks kept); anything else is HTML and keeps
    only harmless tags. Links get rel="noopener noreferrer nofollow".
    """
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        return ""
    if not any(marker in text.lower() for marker in _BLOCK_MARKERS):
        paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
        text = "".join(f"<p>{escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)
    return nh3.clean(
        text,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer nofollow",
    ).strip()


# --- Staff: editing ------------------------------------------------------------


class DisclosureError(Exception):
    """A request that cannot be carried out; the message (Thai) says why."""


def disclosure_for(*, organisation: Organisation, fiscal_year: int, item: Item) -> Disclosure:
    """The organisation's disclosure of an item, created (as a draft) on first use."""
    if not item.edition.first_year <= fiscal_year <= item.edition.last_year:
        raise DisclosureError(_("This item is not part of the framework of that year."))
    disclosure, _created = Disclosure.objects.get_or_create(
        organisation=organisation, fiscal_year=fiscal_year, item=item
    )
    return disclosure


def _touch(disclosure: Disclosure) -> None:
    disclosure.content_updated_at = timezone.now()


def disclosure_update(
    *,
    disclosure: Disclosure,
    explanation: str,
    unit: Unit | None,
    due_date: dt.date | None,
    reviewed: bool = False,
) -> Disclosure:
    """Save the staff form; the public "last updated" moves only when the explanation does."""
    if unit is not None and unit.organisation_id != disclosure.organisation_id:
        raise DisclosureError(_("Choose a unit of your own organisation."))
    cleaned = explanation_clean(explanation)
    if cleaned != disclosure.explanation:
        disclosure.explanation = cleaned
        _touch(disclosure)
    disclosure.unit = unit
    disclosure.due_date = due_date
    if reviewed:
        disclosure.to_review = False
    with transaction.atomic():
        disclosure.save()
        content_changed(disclosure.organisation_id)
    return disclosure


def disclosure_publish(*, disclosure: Disclosure, published: bool) -> Disclosure:
    """Publish or withdraw. The first publication date is kept for good."""
    now = timezone.now()
    if published:
        disclosure.status = DisclosureStatus.PUBLISHED
        disclosure.first_published_at = disclosure.first_published_at or now
        # Publishing is the check the copy from last year asked for.
        disclosure.to_review = False
    else:
        disclosure.status = DisclosureStatus.DRAFT
    disclosure.content_updated_at = now
    with transaction.atomic():
        disclosure.save()
        content_changed(disclosure.organisation_id)
    return disclosure


def _entry_next_order(disclosure: Disclosure) -> int:
    """The next place in the list; call it inside a transaction.

    The disclosure's row lock makes entries added at the same moment (two
    uploads, a double-click) take consecutive places.
    """
    list(Disclosure.objects.select_for_update().filter(pk=disclosure.pk).values_list("pk"))
    top = disclosure.entries.aggregate(top=Max("order"))["top"]
    return (top or 0) + 1


def _title_from_name(name: str) -> str:
    stem = (name or "").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return stem.replace("_", " ").strip()[:500]


def entries_add_files(
    *,
    disclosure: Disclosure,
    files: Sequence,
    titles: Sequence[str] = (),
    date: dt.date | None = None,
    user=None,
) -> list[Entry]:
    """Check every file by content and size first; save all of them, or none.

    A file without a title is titled after its name (without the extension),
    which is what an office worker calls it. Raises ValidationError naming
    each refused file.
    """
    checked = check_uploads(files, DOCUMENTS)
    saved = []
    with transaction.atomic():
        order = _entry_next_order(disclosure)
        for index, (upload, info) in enumerate(checked):
            title = (titles[index] if index < len(titles) else "").strip()
            entry = Entry(
                disclosure=disclosure,
                order=order + index,
                kind=EntryKind.DOCUMENT,
                title=title or _title_from_name(upload.name) or _("Document"),
                date=date,
                file_type=info.type.extension,
                size=info.size,
                created_by=user,
            )
            entry._upload_extension = info.type.extension
            entry.file.save("upload", upload, save=False)
            entry.save()
            saved.append(entry)
        _touch(disclosure)
        disclosure.save(update_fields=["content_updated_at", "updated_at"])
        content_changed(disclosure.organisation_id)
    return saved


def entry_add_link(
    *, disclosure: Disclosure, url: str, title: str, date: dt.date | None = None, user=None
) -> Entry:
    entry = Entry(
        disclosure=disclosure,
        kind=EntryKind.LINK,
        url=url,
        title=title.strip(),
        date=date,
        created_by=user,
    )
    entry.full_clean(exclude=["order"])
    with transaction.atomic():
        entry.order = _entry_next_order(disclosure)
        entry.save()
        _touch(disclosure)
        disclosure.save(update_fields=["content_updated_at", "updated_at"])
        content_changed(disclosure.organisation_id)
    return entry


def entry_update(*, entry: Entry, title: str, date: dt.date | None, url: str = "") -> Entry:
    entry.title = title.strip()
    entry.date = date
    if entry.kind == EntryKind.LINK and url:
        entry.url = url
    entry.full_clean()
    with transaction.atomic():
        entry.save()
        disclosure = entry.disclosure
        _touch(disclosure)
        disclosure.save(update_fields=["content_updated_at", "updated_at"])
        content_changed(disclosure.organisation_id)
    return entry


def entry_delete(*, entry: Entry) -> None:
    """Delete the record; its file follows once committed (``signals.py``)."""
    disclosure = entry.disclosure
    with transaction.atomic():
        entry.delete()
        _touch(disclosure)
        disclosure.save(update_fields=["content_updated_at", "updated_at"])
        content_changed(disclosure.organisation_id)


def entry_move(*, entry: Entry, offset: int) -> None:
    """Swap the entry with its neighbour above (-1) or below (+1)."""
    siblings = list(entry.disclosure.entries.order_by("order", "id"))
    index = next(i for i, e in enumerate(siblings) if e.pk == entry.pk)
    target = index + offset
    if not 0 <= target < len(siblings):
        return
    siblings[index], siblings[target] = siblings[target], siblings[index]
    with transaction.atomic():
        for order, sibling in enumerate(siblings, start=1):
            if sibling.order != order:
                sibling.order = order
                sibling.save(update_fields=["order"])
        disclosure = entry.disclosure
        _touch(disclosure)
        disclosure.save(update_fields=["content_updated_at", "updated_at"])
        content_changed(disclosure.organisation_id)


# --- Copying a year forward ----------------------------------------------------


@dataclass
class CopyReport:
    copied: list[Disclosure] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # target codes already holding content
    unmatched: list[str] = field(default_factory=list)  # source codes no item next year takes


def _shift_year(value: dt.date | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return value.replace(year=value.year + 1)
    except ValueError:  # 29 February
        return value.replace(year=value.year + 1, day=28)


def _copy_entries(copy: Disclosure, sources: Sequence[Disclosure], user) -> None:
    order = 0
    for source in sources:
        for entry in source.entries.all():
            order += 1
            duplicate = Entry(
                disclosure=copy,
                order=order,
                kind=entry.kind,
                title=entry.title,
                date=entry.date,
                url=entry.url,
                file_type=entry.file_type,
                size=entry.size,
                created_by=user,
            )
            if entry.is_document:
                duplicate._upload_extension = entry.file_type or "bin"
                with entry.file.open("rb") as handle:
                    duplicate.file.save("copy", ContentFile(handle.read()), save=False)
            duplicate.save()


def disclosures_copy_forward(
    *, organisation: Organisation, fiscal_year: int, user=None
) -> CopyReport:
    """Copy the year's disclosures to the next year as drafts marked "to review".

    Items are matched as ``copy_plan`` says (by code, or by the target item's
    ``continues`` across editions); several items of this year that merge
    into one item next year give it all their entries, in order, and their
    explanations one after the other. Explanations, units and links are kept;
    documents are copied into new files, so deleting one year's file never
    breaks the other year's page; due dates move one year on. An item that
    already has content next year is left alone. Nothing is published. The
    items no item next year takes are named in the report.
    """
    target_year = fiscal_year + 1
    with transaction.atomic():
        plan = copy_plan(organisation=organisation, fiscal_year=fiscal_year)
        if plan.target_edition is None:
            raise DisclosureError(
                _(
                    "There is no ITA framework for fiscal year %(year)s yet. Open fiscal year "
                    "%(year)s in the OIT workspace and start a provisional framework first."
                )
                % {"year": target_year}
            )
        if not plan.sources:
            raise DisclosureError(
                _("There is nothing in fiscal year %(year)s to copy.") % {"year": fiscal_year}
            )
        report = CopyReport(unmatched=[d.item.code for d in plan.unmatched])
        for target in plan.targets:
            if target.filled:
                report.skipped.append(target.item.code)
                continue
            sources = target.sources
            copy = target.existing or Disclosure(
                organisation=organisation, fiscal_year=target_year, item=target.item
            )
            copy.unit = next((s.unit for s in sources if s.unit_id), None)
            copy.explanation = "".join(s.explanation for s in sources if s.explanation)
            copy.due_date = _shift_year(next((s.due_date for s in sources if s.due_date), None))
            copy.status = DisclosureStatus.DRAFT
            copy.to_review = True
            copy.content_updated_at = timezone.now()
            copy.save()
            _copy_entries(copy, sources, user)
            report.copied.append(copy)
        # Only drafts: nothing public changes yet, but a version moved once too
        # often costs a rebuilt page, and one moved too rarely a stale page.
        content_changed(organisation)
    return report
