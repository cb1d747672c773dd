"""An item's page: its settings, documents and links, publishing."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from assessments.access import OrganisationAccess, organisation_access
from assessments.models import EDITING_ROLES, Item
from ita_portal.concurrency import StaleEdit, stale_context, stale_form
from ita_portal.once import once_claim, once_seen
from measures.staff_views.common import (
    context,
    not_saved,
)

from .. import editing, selectors, services
from ..forms import DisclosureForm, EntryFilesForm, EntryForm, EntryLinkForm
from ..models import Disclosure
from ..periods import evidence_period
from ..selfcheck import year_selfcheck
from .common import disclosure_or_none, entry_item_url, entry_or_404, item_or_404, item_url


def can_change_disclosure(access: OrganisationAccess, disclosure: Disclosure | None) -> bool:
    """Editors change any item; a member limited to units only the items of their units.

    An item nobody was made responsible for yet belongs to the whole organisation.
    """
    if not access.is_unit_limited:
        return access.can_edit
    unit_id = disclosure.unit_id if disclosure else None
    return access.can_edit_units([unit_id] if unit_id else [])


def require_change_disclosure(access: OrganisationAccess, disclosure: Disclosure | None) -> None:
    # Another unit's item is read-only: its POSTs are a 404, like a viewer's.
    if not can_change_disclosure(access, disclosure):
        raise Http404


def _disclosure_form(
    access: OrganisationAccess, year: int, item: Item, disclosure: Disclosure | None
) -> DisclosureForm:
    form = DisclosureForm(
        organisation=access.organisation, disclosure=disclosure, unit_ids=access.unit_ids
    )
    form.initial["edit_token"] = editing.disclosure_edit_token(
        disclosure, organisation=access.organisation, fiscal_year=year, item=item
    )
    return form


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
    **extra: object,
) -> HttpResponse:
    """The item with all its forms; the one that failed comes back bound."""
    organisation = access.organisation
    entries = list(disclosure.entries.order_by("order", "id")) if disclosure else []
    public_path = reverse("disclosures:item", args=[organisation.slug, year, item.code])
    # Recomputed on every view: the pre-check follows the evidence as it is now.
    check = year_selfcheck(organisation=organisation, fiscal_year=year).check_for(item)
    return render(
        request,
        "disclosures/staff_item.html",
        context(
            access,
            year=year,
            item=item,
            disclosure=disclosure,
            entries=entries,
            generated=item.role in selectors.GENERATED_ROLES,
            edition=item.edition,
            period=evidence_period(item, year),
            complaint_form_url=selectors.absolute_url(
                reverse("complaints:new", args=[organisation.slug])
            ),
            public_path=public_path,
            public_url=selectors.absolute_url(public_path),
            form=form or _disclosure_form(access, year, item, disclosure),
            files_form=files_form or EntryFilesForm(),
            link_form=link_form or EntryLinkForm(),
            can_change=can_change_disclosure(access, disclosure),
            check=check,
            ticks=_ticks(item, disclosure),
            documents=[e for e in entries if e.is_document],
            **extra,
        ),
        status=status,
    )


def _ticks(item: Item, disclosure: Disclosure | None) -> list[tuple[int, str, str]]:
    """Each required content line: its number, text and the key of the entry it points at."""
    pointed: dict[str, str] = {}
    if disclosure is not None:
        pointed = {
            t.line: str(t.entry.key)
            for t in disclosure.content_ticks.select_related("entry")
            if t.entry is not None
        }
    return [(n, line, pointed.get(line, "")) for n, line in enumerate(item.content_lines)]


@login_required
def item(request: HttpRequest, org: str, year: int, code: str) -> HttpResponse:
    access = organisation_access(request.user, org)
    organisation = access.organisation
    framework_item = item_or_404(access.organisation, year, code)
    disclosure = disclosure_or_none(organisation, year, framework_item)
    if request.method != "POST":
        return _item_page(request, access, year, framework_item, disclosure)
    require_change_disclosure(access, disclosure)
    form = DisclosureForm(
        request.POST,
        organisation=organisation,
        disclosure=disclosure,
        unit_ids=access.unit_ids,
        fiscal_year=year,
    )
    if form.is_valid():
        try:
            editing.disclosure_save(
                organisation=organisation,
                fiscal_year=year,
                item=framework_item,
                token=form.cleaned_data["edit_token"],
                explanation=form.cleaned_data["explanation"],
                unit=form.cleaned_data["unit"],
                due_date=form.cleaned_data["due_date"],
                reviewed=form.cleaned_data.get("reviewed", False),
            )
        except StaleEdit as error:
            disclosure = disclosure_or_none(organisation, year, framework_item)
            token = editing.disclosure_edit_token(
                disclosure, organisation=organisation, fiscal_year=year, item=framework_item
            )
            return _item_page(
                request,
                access,
                year,
                framework_item,
                disclosure,
                form=stale_form(form, token),
                status=409,
                **stale_context(error),
            )
        except services.DisclosureError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(code)s was saved.") % {"code": framework_item.code})
            return redirect(item_url(org, year, framework_item))
    not_saved(request)
    return _item_page(request, access, year, framework_item, disclosure, form=form, status=400)


def _safe_next(request: HttpRequest) -> str | None:
    """A staff page of this site to go back to, or None.

    Only a relative path that resolves to a staff page: ``next=0`` passed the
    host check, and ``redirect("0")`` then took it for a URL name (error 500).
    """
    target = request.POST.get("next", "")
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts=None, require_https=request.is_secure()
    ):
        return None
    try:
        match = resolve(urlsplit(target).path)
    except Resolver404:
        return None
    return target if match.namespace.endswith("_staff") else None


@login_required
@require_POST
def publish(request: HttpRequest, org: str, year: int, code: str) -> HttpResponse:
    access = organisation_access(request.user, org, roles=EDITING_ROLES)
    framework_item = item_or_404(access.organisation, year, code)
    require_change_disclosure(access, disclosure_or_none(access.organisation, year, framework_item))
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
            or framework_item.role in selectors.GENERATED_ROLES
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
    return redirect(_safe_next(request) or item_url(org, year, framework_item))


# --- Entries: uploads, links, editing, deleting, order -----------------------------


@login_required
@require_POST
def upload(request: HttpRequest, org: str, year: int, code: str) -> HttpResponse:
    access = organisation_access(request.user, org, roles=EDITING_ROLES)
    organisation = access.organisation
    framework_item = item_or_404(access.organisation, year, code)
    require_change_disclosure(access, disclosure_or_none(organisation, year, framework_item))
    url = item_url(org, year, framework_item, "entries")
    if seen := once_seen(request, fallback=url):
        return seen
    form = EntryFilesForm(request.POST, request.FILES)
    if form.is_valid():
        with once_claim(request, fallback=url) as claim:
            if claim.repeated:
                return claim.redirect_repeated()
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
                return claim.redirect(url)
    messages.error(request, _("No file was saved. Please check the files named below."))
    disclosure = disclosure_or_none(organisation, year, framework_item)
    return _item_page(
        request, access, year, framework_item, disclosure, files_form=form, status=400
    )


@login_required
@require_POST
def add_link(request: HttpRequest, org: str, year: int, code: str) -> HttpResponse:
    access = organisation_access(request.user, org, roles=EDITING_ROLES)
    organisation = access.organisation
    framework_item = item_or_404(access.organisation, year, code)
    require_change_disclosure(access, disclosure_or_none(organisation, year, framework_item))
    url = item_url(org, year, framework_item, "entries")
    if seen := once_seen(request, fallback=url):
        return seen
    form = EntryLinkForm(request.POST)
    if form.is_valid():
        with once_claim(request, fallback=url) as claim:
            if claim.repeated:
                return claim.redirect_repeated()
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
            except (ValidationError, services.DisclosureError) as error:
                form.add_error(None, error if isinstance(error, ValidationError) else str(error))
            else:
                messages.success(request, _("The link was added."))
                return claim.redirect(url)
    not_saved(request)
    disclosure = disclosure_or_none(organisation, year, framework_item)
    return _item_page(request, access, year, framework_item, disclosure, link_form=form, status=400)


@login_required
def entry(request: HttpRequest, org: str, key) -> HttpResponse:
    access = organisation_access(request.user, org)
    the_entry = entry_or_404(access, key)
    status = 200
    stale: dict = {}
    if request.method == "POST":
        require_change_disclosure(access, the_entry.disclosure)
        form = EntryForm(request.POST, entry=the_entry)
        if form.is_valid():
            try:
                editing.entry_save(
                    entry=the_entry,
                    token=form.cleaned_data["edit_token"],
                    title=form.cleaned_data["title"],
                    date=form.cleaned_data["date"],
                    url=form.cleaned_data.get("url", ""),
                )
            except StaleEdit as error:
                the_entry = entry_or_404(access, key)
                form = stale_form(form, editing.entry_edit_token(the_entry))
                stale = stale_context(error)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The entry was saved."))
                return redirect(entry_item_url(org, the_entry, f"entry-{the_entry.key}"))
        if not stale:
            not_saved(request)
        status = 409 if stale else 400
    else:
        form = EntryForm(entry=the_entry)
        form.initial["edit_token"] = editing.entry_edit_token(the_entry)
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
            can_change=can_change_disclosure(access, disclosure),
            **stale,
        ),
        status=status,
    )


@login_required
@require_POST
def entry_delete(request: HttpRequest, org: str, key) -> HttpResponse:
    access = organisation_access(request.user, org, roles=EDITING_ROLES)
    the_entry = entry_or_404(access, key)
    require_change_disclosure(access, the_entry.disclosure)
    services.entry_delete(entry=the_entry)
    messages.success(request, _("“%(title)s” was deleted.") % {"title": the_entry.title})
    return redirect(entry_item_url(org, the_entry))


@login_required
@require_POST
def entry_move(request: HttpRequest, org: str, key) -> HttpResponse:
    access = organisation_access(request.user, org, roles=EDITING_ROLES)
    the_entry = entry_or_404(access, key)
    require_change_disclosure(access, the_entry.disclosure)
    offset = {"up": -1, "down": 1}.get(request.POST.get("direction", ""))
    if offset is None:
        raise Http404
    services.entry_move(entry=the_entry, offset=offset)
    return redirect(entry_item_url(org, the_entry, f"entry-{the_entry.key}"))


# --- Copying a year forward ----------------------------------------------------------
