"""The pre-check's confirmations on the staff item page: the head's signature
on a document, and the entry that shows each required content line."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments.access import organisation_access
from assessments.models import EDITING_ROLES
from ita_portal.once import once_claim, once_seen

from ..models import Entry
from ..selfcheck.services import SelfCheckError, content_tick_set, entry_signed_set
from .common import disclosure_or_none, entry_item_url, entry_or_404, item_or_404, item_url
from .items import require_change_disclosure


@login_required
@require_POST
def entry_signed(request: HttpRequest, org: str, key) -> HttpResponse:
    access = organisation_access(request.user, org, roles=EDITING_ROLES)
    the_entry = entry_or_404(access, key)
    require_change_disclosure(access, the_entry.disclosure)
    url = entry_item_url(org, the_entry, "selfcheck")
    if seen := once_seen(request, fallback=url):
        return seen
    signed = request.POST.get("signed") == "1"
    with once_claim(request, fallback=url) as claim:
        if claim.repeated:
            return claim.redirect_repeated()
        try:
            entry_signed_set(entry=the_entry, signed=signed)
        except SelfCheckError:
            messages.error(request, _("Only an uploaded document can carry the signature."))
            return redirect(url)
        values = {"title": the_entry.title}
        if signed:
            messages.success(
                request, _("“%(title)s” is marked as signed by the head of the agency.") % values
            )
        else:
            messages.success(request, _("“%(title)s” is no longer marked as signed.") % values)
        return claim.redirect(url)


@login_required
@require_POST
def content_tick(request: HttpRequest, org: str, year: int, code: str) -> HttpResponse:
    access = organisation_access(request.user, org, roles=EDITING_ROLES)
    organisation = access.organisation
    framework_item = item_or_404(organisation, year, code)
    disclosure = disclosure_or_none(organisation, year, framework_item)
    require_change_disclosure(access, disclosure)
    url = item_url(org, year, framework_item, "selfcheck")
    if seen := once_seen(request, fallback=url):
        return seen
    lines = framework_item.content_lines
    number = request.POST.get("line", "")
    if disclosure is None or not number.isdigit() or not 0 <= int(number) < len(lines):
        messages.error(
            request,
            _("Nothing was recorded: add a document or link first, then choose a content line."),
        )
        return redirect(url)
    line = lines[int(number)]
    chosen = request.POST.get("entry", "")
    entry = None
    if chosen:
        entry = (
            Entry.objects.filter(disclosure=disclosure, key=chosen).first()
            if _is_uuid(chosen)
            else None
        )
        if entry is None:
            raise Http404("not an entry of this item")
    with once_claim(request, fallback=url) as claim:
        if claim.repeated:
            return claim.redirect_repeated()
        content_tick_set(disclosure=disclosure, line=line, entry=entry, user=request.user)
        if entry is None:
            messages.success(request, _("“%(line)s” is no longer confirmed.") % {"line": line})
        else:
            messages.success(
                request,
                _("“%(line)s” is confirmed as shown in “%(title)s”.")
                % {"line": line, "title": entry.title},
            )
        return claim.redirect(url)


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
