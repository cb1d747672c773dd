"""The staff workspace for OIT disclosures: the years, a year's completeness
board, an item's page with its documents and links, publishing, copying a
year forward and the link sheet for ITAS.

Every member of the organisation may look; only editors and administrators
change anything (anyone else's POST is a 404, as in the measures workspace).
Everything is fetched within the user's organisation.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from assessments.access import OrganisationAccess, organisation_access, user_organisations
from assessments.forms import YearForm
from assessments.framework import edition_for_year
from assessments.models import EDITING_ROLES, Edition, Item, Organisation, Unit
from ita_portal.thai import fiscal_year_of
from measures.staff_views.common import (
    context,
    fiscal_year_or_404,
    not_saved,
    require_edit,
    user_units,
)

from . import services
from .exports import CONTENT_TYPES, FORMATS, link_sheet_export, link_sheet_filename
from .forms import DisclosureForm, EntryFilesForm, EntryForm, EntryLinkForm
from .models import Disclosure, DisclosureStatus, Entry

# --- Fetching, always within the user's organisation -------------------------


def _item_or_404(year: int, code: str) -> Item:
    item = services.item_for_year(fiscal_year_or_404(year), code)
    if item is None:
        raise Http404("no such item in that year's framework")
    return item


def _disclosure_or_none(organisation: Organisation, year: int, item: Item) -> Disclosure | None:
    # Looking never creates a row: the draft appears on the first save.
    return (
        Disclosure.objects.filter(organisation=organisation, fiscal_year=year, item=item)
        .select_related("unit")
        .first()
    )


def _entry_or_404(access: OrganisationAccess, key) -> Entry:
    return get_object_or_404(
        Entry.objects.select_related("disclosure__item", "disclosure__organisation"),
        disclosure__organisation=access.organisation,
        key=key,
    )


def _item_url(org: str, year: int, item: Item, anchor: str = "") -> str:
    url = reverse("disclosures_staff:item", args=[org, year, item.code])
    return f"{url}#{anchor}" if anchor else url


def _entry_item_url(org: str, entry: Entry, anchor: str = "entries") -> str:
    disclosure = entry.disclosure
    return _item_url(org, disclosure.fiscal_year, disclosure.item, anchor)


# --- The years ----------------------------------------------------------------


def _year_rows(organisation: Organisation) -> list[dict]:
    """Each year with a framework or with disclosures, newest first, in three queries."""
    editions = list(Edition.objects.annotate(item_count=Count("items")))

    def edition_of(year: int) -> Edition | None:
        return next((e for e in editions if e.covers(year)), None)

    has_content = (
        ~Q(explanation="") | Q(item__role__in=services.GENERATED_ROLES) | Q(entries__isnull=False)
    )
    published = Q(status=DisclosureStatus.PUBLISHED)
    # distinct: the join on entries repeats a disclosure once per entry.
    counts = {
        row["fiscal_year"]: row
        for row in Disclosure.objects.filter(organisation=organisation)
        .values("fiscal_year")
        .annotate(
            started=Count("id", distinct=True),
            published=Count("id", filter=published, distinct=True),
            complete=Count("id", filter=published & has_content, distinct=True),
            to_review=Count("id", filter=Q(to_review=True), distinct=True),
        )
    }
    years = set(counts)
    for edition in editions:
        years.update(range(edition.first_year, edition.last_year + 1))
    current = fiscal_year_of(timezone.localdate())
    rows = []
    for year in sorted(years, reverse=True):
        edition = edition_of(year)
        stats = counts.get(year, {})
        items = edition.item_count if edition else 0
        rows.append(
            {
                "year": year,
                "edition": edition,
                "items": items,
                "started": stats.get("started", 0),
                "published": stats.get("published", 0),
                "to_review": stats.get("to_review", 0),
                "complete": services.Completeness("", items, stats.get("complete", 0)),
                "current": year == current,
            }
        )
    return rows


@login_required
def years(request: HttpRequest, org: str) -> HttpResponse:
    access = organisation_access(request.user, org)
    year_form = YearForm(request.GET) if "fiscal_year" in request.GET else YearForm()
    if year_form.is_valid():
        return redirect(
            "disclosures_staff:year", org=org, year=year_form.cleaned_data["fiscal_year"]
        )
    return render(
        request,
        "disclosures/staff_years.html",
        context(access, rows=_year_rows(access.organisation), year_form=year_form),
        status=400 if year_form.is_bound else 200,
    )


# --- A year's completeness board -------------------------------------------------


def _unit_filter(request: HttpRequest, organisation: Organisation) -> Unit | None:
    value = request.GET.get("unit", "")
    if not value:
        return None
    if not value.isdigit():
        raise Http404
    # Another organisation's unit is not a filter of this board.
    return get_object_or_404(Unit, organisation=organisation, pk=int(value))


@login_required
def year(request: HttpRequest, org: str, year: int) -> HttpResponse:
    access = organisation_access(request.user, org)
    organisation = access.organisation
    fiscal_year_or_404(year)
    unit = _unit_filter(request, organisation)
    mine_only = request.GET.get("mine") == "1"
    my_units = user_units(request.user, organisation)
    board = services.year_board(
        organisation=organisation,
        fiscal_year=year,
        my_units=my_units,
        unit=unit,
        mine_only=mine_only,
    )
    rows = board.rows
    return render(
        request,
        "disclosures/staff_year.html",
        context(
            access,
            year=year,
            board=board,
            units=list(Unit.objects.filter(organisation=organisation)),
            unit=unit,
            mine_only=mine_only,
            my_units=my_units,
            filtered=unit is not None or mine_only,
            shown_count=sum(len(shown) for _stats, shown in board.groups),
            overdue_count=sum(1 for row in rows if row.overdue),
            empty_count=sum(1 for row in rows if row.empty),
            review_count=sum(1 for row in rows if row.to_review),
            published_count=sum(1 for row in rows if row.published),
            next_year_has_framework=edition_for_year(year + 1) is not None,
        ),
    )


# --- An item's page -------------------------------------------------------------


def _item_page(
    request: HttpRequest,
    access: OrganisationAccess,
    year: int,
    item: Item,
    disclosure: Disclosure | None,
    *,
    form: DisclosureForm | None = None,
    files_form: EntryFilesForm | None = None,
    link_form: EntryLinkForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The item with all its forms; the one that failed comes back bound."""
    organisation = access.organisation
    entries = list(disclosure.entries.order_by("order", "id")) if disclosure else []
    public_path = reverse("disclosures:item", args=[organisation.slug, year, item.code])
    return render(
        request,
        "disclosures/staff_item.html",
        context(
            access,
            year=year,
            item=item,
            disclosure=disclosure,
            entries=entries,
            generated=item.role in services.GENERATED_ROLES,
            public_path=public_path,
            public_url=services.absolute_url(public_path),
            form=form or DisclosureForm(organisation=organisation, disclosure=disclosure),
            files_form=files_form or EntryFilesForm(),
            link_form=link_form or EntryLinkForm(),
        ),
        status=status,
    )


@login_required
def item(request: HttpRequest, org: str, year: int, code: str) -> HttpResponse:
    access = organisation_access(request.user, org)
    organisation = access.organisation
    framework_item = _item_or_404(year, code)
    disclosure = _disclosure_or_none(organisation, year, framework_item)
    if request.method != "POST":
        return _item_page(request, access, year, framework_item, disclosure)
    require_edit(access)
    form = DisclosureForm(request.POST, organisation=organisation, disclosure=disclosure)
    if form.is_valid():
        try:
            with transaction.atomic():
                disclosure = services.disclosure_for(
                    organisation=organisation, fiscal_year=year, item=framework_item
                )
                services.disclosure_update(
                    disclosure=disclosure,
                    explanation=form.cleaned_data["explanation"],
                    unit=form.cleaned_data["unit"],
                    due_date=form.cleaned_data["due_date"],
                    reviewed=form.cleaned_data.get("reviewed", False),
                )
        except services.DisclosureError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(code)s was saved.") % {"code": framework_item.code})
            return redirect(_item_url(org, year, framework_item))
    not_saved(request)
    return _item_page(request, access, year, framework_item, disclosure, form=form, status=400)


def _safe_next(request: HttpRequest) -> str | None:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


@login_required
@require_POST
def publish(request: HttpRequest, org: str, year: int, code: str) -> HttpResponse:
    access = organisation_access(request.user, org, roles=EDITING_ROLES)
    framework_item = _item_or_404(year, code)
    published = request.POST.get("published") == "1"
    disclosure = services.disclosure_for(
        organisation=access.organisation, fiscal_year=year, item=framework_item
    )
    services.disclosure_publish(disclosure=disclosure, published=published)
    values = {"code": framework_item.code}
    if published:
        messages.success(request, _("%(code)s is now public at its permanent address.") % values)
        if not (
            disclosure.explanation
            or disclosure.entries.exists()
            or framework_item.role in services.GENERATED_ROLES
        ):
            messages.warning(
                request,
                _("%(code)s has no explanation, document or link yet: its public page is empty.")
                % values,
            )
    else:
        messages.success(
            request,
            _(
                "%(code)s was withdrawn: its address now tells visitors "
                "that the item is not available."
            )
            % values,
        )
    return redirect(_safe_next(request) or _item_url(org, year, framework_item))


# --- Entries: uploads, links, editing, deleting, order -----------------------------


@login_required
@require_POST
def upload(request: HttpRequest, org: str, year: int, code: str) -> HttpResponse:
    access = organisation_access(request.user, org, roles=EDITING_ROLES)
    organisation = access.organisation
    framework_item = _item_or_404(year, code)
    form = EntryFilesForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            # All or nothing: a refused file leaves no draft and no other file behind.
            with transaction.atomic():
                disclosure = services.disclosure_for(
                    organisation=organisation, fiscal_year=year, item=framework_item
                )
                saved = services.entries_add_files(
                    disclosure=disclosure,
                    files=form.cleaned_data["files"],
                    titles=form.titles(),
                    date=form.cleaned_data["date"],
                    user=request.user,
                )
        except ValidationError as error:
            form.add_error("files", error)
        else:
            messages.success(
                request,
                ngettext("%(count)s file was added.", "%(count)s files were added.", len(saved))
                % {"count": len(saved)},
            )
            return redirect(_item_url(org, year, framework_item, "entries"))
    messages.error(request, _("No file was saved. Please check the files named below."))
    disclosure = _disclosure_or_none(organisation, year, framework_item)
    return _item_page(
        request, access, year, framework_item, disclosure, files_form=form, status=400
    )


@login_required
@require_POST
def add_link(request: HttpRequest, org: str, year: int, code: str) -> HttpResponse:
    access = organisation_access(request.user, org, roles=EDITING_ROLES)
    organisation = access.organisation
    framework_item = _item_or_404(year, code)
    form = EntryLinkForm(request.POST)
    if form.is_valid():
        try:
            with transaction.atomic():
                disclosure = services.disclosure_for(
                    organisation=organisation, fiscal_year=year, item=framework_item
                )
                services.entry_add_link(
                    disclosure=disclosure,
                    url=form.cleaned_data["url"],
                    title=form.cleaned_data["title"],
                    date=form.cleaned_data["date"],
                    user=request.user,
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The link was added."))
            return redirect(_item_url(org, year, framework_item, "entries"))
    not_saved(request)
    disclosure = _disclosure_or_none(organisation, year, framework_item)
    return _item_page(request, access, year, framework_item, disclosure, link_form=form, status=400)


@login_required
def entry(request: HttpRequest, org: str, key) -> HttpResponse:
    access = organisation_access(request.user, org)
    the_entry = _entry_or_404(access, key)
    status = 200
    if request.method == "POST":
        require_edit(access)
        form = EntryForm(request.POST, entry=the_entry)
        if form.is_valid():
            try:
                services.entry_update(
                    entry=the_entry,
                    title=form.cleaned_data["title"],
                    date=form.cleaned_data["date"],
                    url=form.cleaned_data.get("url", ""),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The entry was saved."))
                return redirect(_entry_item_url(org, the_entry, f"entry-{the_entry.key}"))
        not_saved(request)
        status = 400
    else:
        form = EntryForm(entry=the_entry)
    disclosure = the_entry.disclosure
    return render(
        request,
        "disclosures/staff_entry.html",
        context(
            access,
            year=disclosure.fiscal_year,
            item=disclosure.item,
            entry=the_entry,
            form=form,
        ),
        status=status,
    )


@login_required
@require_POST
def entry_delete(request: HttpRequest, org: str, key) -> HttpResponse:
    access = organisation_access(request.user, org, roles=EDITING_ROLES)
    the_entry = _entry_or_404(access, key)
    services.entry_delete(entry=the_entry)
    messages.success(request, _("“%(title)s” was deleted.") % {"title": the_entry.title})
    return redirect(_entry_item_url(org, the_entry))


@login_required
@require_POST
def entry_move(request: HttpRequest, org: str, key) -> HttpResponse:
    access = organisation_access(request.user, org, roles=EDITING_ROLES)
    the_entry = _entry_or_404(access, key)
    offset = {"up": -1, "down": 1}.get(request.POST.get("direction", ""))
    if offset is None:
        raise Http404
    services.entry_move(entry=the_entry, offset=offset)
    return redirect(_entry_item_url(org, the_entry, f"entry-{the_entry.key}"))


# --- Copying a year forward ----------------------------------------------------------


def _copy_message(request: HttpRequest, report: services.CopyReport, next_year: int) -> None:
    if report.copied:
        messages.success(
            request,
            ngettext(
                "%(count)s item was copied to %(year)s as a draft marked “to review”.",
                "%(count)s items were copied to %(year)s as drafts marked “to review”.",
                len(report.copied),
            )
            % {"count": len(report.copied), "year": next_year},
        )
    else:
        messages.info(request, _("Nothing was copied to %(year)s.") % {"year": next_year})
    if report.skipped:
        messages.info(
            request,
            ngettext(
                "%(count)s item already had content in %(year)s and was left alone: %(codes)s.",
                "%(count)s items already had content in %(year)s and were left alone: %(codes)s.",
                len(report.skipped),
            )
            % {"count": len(report.skipped), "year": next_year, "codes": ", ".join(report.skipped)},
        )
    if report.unmatched:
        messages.warning(
            request,
            ngettext(
                "%(count)s item has no counterpart in the framework of %(year)s "
                "and was not copied: %(codes)s.",
                "%(count)s items have no counterpart in the framework of %(year)s "
                "and were not copied: %(codes)s.",
                len(report.unmatched),
            )
            % {
                "count": len(report.unmatched),
                "year": next_year,
                "codes": ", ".join(report.unmatched),
            },
        )


@login_required
def copy_forward(request: HttpRequest, org: str, year: int) -> HttpResponse:
    """A confirmation page, then the copy: it fills a whole year at once."""
    access = organisation_access(request.user, org, roles=EDITING_ROLES)
    organisation = access.organisation
    fiscal_year_or_404(year)
    if request.method == "POST":
        try:
            report = services.disclosures_copy_forward(
                organisation=organisation, fiscal_year=year, user=request.user
            )
        except services.DisclosureError as error:
            messages.error(request, str(error))
            return redirect("disclosures_staff:year", org=org, year=year)
        _copy_message(request, report, year + 1)
        return redirect("disclosures_staff:year", org=org, year=year + 1)
    sources = [
        d
        for d in Disclosure.objects.filter(organisation=organisation, fiscal_year=year)
        .select_related("item")
        .annotate(entry_count=Count("entries"))
        .order_by("item__number")
        if d.explanation or d.entry_count
    ]
    source_edition = edition_for_year(year)
    target_edition = edition_for_year(year + 1)
    filled = set()
    if target_edition is not None and target_edition == source_edition:
        # Within one edition items match by code, so the page can say which stay as they are.
        filled = {
            d.item.code
            for d in Disclosure.objects.filter(organisation=organisation, fiscal_year=year + 1)
            .select_related("item")
            .annotate(entry_count=Count("entries"))
            if d.explanation or d.entry_count
        }
    return render(
        request,
        "disclosures/staff_copy.html",
        context(
            access,
            year=year,
            next_year=year + 1,
            sources=sources,
            filled=filled,
            target_edition=target_edition,
            same_edition=target_edition is not None and target_edition == source_edition,
        ),
    )


# --- The link sheet ------------------------------------------------------------------


def _link_sheet_response(organisation: Organisation, year: int, fmt: str) -> HttpResponse:
    if fmt not in FORMATS or edition_for_year(fiscal_year_or_404(year)) is None:
        raise Http404
    response = HttpResponse(
        link_sheet_export(organisation=organisation, fiscal_year=year, fmt=fmt),
        content_type=CONTENT_TYPES[fmt],
    )
    filename = link_sheet_filename(organisation=organisation, fiscal_year=year, fmt=fmt)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def links(request: HttpRequest, org: str, year: int, fmt: str) -> HttpResponse:
    access = organisation_access(request.user, org)
    return _link_sheet_response(access.organisation, year, fmt)


@login_required
def links_mine(request: HttpRequest, year: int, fmt: str) -> HttpResponse:
    """The sheet of the user's organisation; with several, ?org= chooses, else a list."""
    fiscal_year_or_404(year)
    if request.GET.get("org"):
        access = organisation_access(request.user, request.GET["org"])
        return _link_sheet_response(access.organisation, year, fmt)
    accesses = user_organisations(request.user)
    if len(accesses) == 1:
        return _link_sheet_response(accesses[0].organisation, year, fmt)
    return render(
        request,
        "disclosures/staff_links_choose.html",
        {"accesses": accesses, "year": year},
    )
