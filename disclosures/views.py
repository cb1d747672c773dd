"""Public OIT pages of an organisation's fiscal year, and the files they list.

A visitor sees published items only. An item that exists in the year's
framework but is not published (yet, or any more) answers with a page that
says so, at the same address, so an assessor knows the link is right and
the content is missing. Staff of the organisation also see drafts, marked.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable
from urllib.parse import quote

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from assessments.access import OrganisationAccess, organisation_member
from assessments.models import MAX_FISCAL_YEAR, MIN_FISCAL_YEAR, Organisation
from assessments.public_cache import public_page
from ita_portal.thai import fiscal_year_of

from .models import Disclosure, DisclosureStatus, Entry
from .selectors import (
    PublicRow,
    absolute_url,
    generated_for,
    item_for_year,
    latest_framework_year,
    public_index,
    public_search,
    public_years,
    published_disclosure,
    year_data,
)

# Published pages may be kept a minute by browsers and proxies; withdrawing
# an item takes effect within that.
PUBLIC_MAX_AGE = 60


def _organisation(org: str) -> Organisation:
    return get_object_or_404(Organisation.objects.select_related("parent"), slug=org)


def _year_or_404(year: int) -> int:
    if not MIN_FISCAL_YEAR <= year <= MAX_FISCAL_YEAR:
        raise Http404
    return year


def _cache(response: HttpResponse, access: OrganisationAccess | None) -> HttpResponse:
    # A page shown to staff may hold drafts: it must not be stored anywhere.
    response["Cache-Control"] = (
        f"public, max-age={PUBLIC_MAX_AGE}" if access is None else "private, no-store"
    )
    return response


@require_safe
def years(request: HttpRequest, org: str) -> HttpResponse:
    """The latest year with something published, else the newest year with a framework."""
    organisation = _organisation(org)
    published = public_years(organisation)
    year = (
        published[0]
        if published
        else latest_framework_year(fiscal_year_of(timezone.localdate()), organisation=organisation)
    )
    if year is None:
        raise Http404("no framework loaded")
    return redirect("disclosures:year", organisation.slug, year)


def _link_rows(organisation: Organisation, year: int, rows: Iterable[PublicRow]) -> None:
    """Give each row its item page's address.

    One reverse() for the whole table: two per row cost about 3 ms of a 10 ms page.
    """
    marker = "0"
    prefix = reverse("disclosures:item", args=[organisation.slug, year, marker])
    prefix = prefix.removesuffix(f"{marker}/")
    for row in rows:
        row.url = f"{prefix}{quote(row.item.code, safe='')}/"


def _year_body(
    request: HttpRequest, organisation: Organisation, year: int, query: str, access
) -> str:
    edition, groups = public_index(organisation=organisation, fiscal_year=year)
    if edition is None:
        raise Http404("no framework for that year")
    rows = [row for group in groups for row in group.rows]
    _link_rows(organisation, year, rows)
    results = (
        public_search(organisation=organisation, fiscal_year=year, rows=rows, query=query)
        if query
        else None
    )
    context = {
        "organisation": organisation,
        "year": year,
        "edition": edition,
        "groups": groups,
        "published_count": sum(1 for row in rows if row.published),
        "item_count": len(rows),
        "query": query,
        "results": results,
        "years": sorted(set(public_years(organisation)) | {year}, reverse=True),
        "access": access,
    }
    return render_to_string("disclosures/_year_body.html", context, request)


@require_safe
@public_page
def year(request: HttpRequest, org: str, year: int) -> HttpResponse:
    organisation = _organisation(org)
    _year_or_404(year)
    access = organisation_member(request.user, organisation)
    query = request.GET.get("q", "").strip()[:100]
    body = _year_body(request, organisation, year, query, access)
    context = {"organisation": organisation, "year": year, "body": body, "access": access}
    return _cache(render(request, "disclosures/year.html", context), access)


@require_safe
@public_page
def year_json(request: HttpRequest, org: str, year: int) -> HttpResponse:
    organisation = _organisation(org)
    _year_or_404(year)
    data = year_data(organisation=organisation, fiscal_year=year)
    if not data["items"]:
        raise Http404("no framework for that year")
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Access-Control-Allow-Origin"] = "*"
    return _cache(response, None)


def _item_page(
    request: HttpRequest, organisation: Organisation, year: int, code: str, access
) -> dict:
    framework_item = item_for_year(year, code, organisation=organisation)
    if framework_item is None:
        raise Http404("no such item in that year's framework")
    if framework_item.code != code:
        return {"redirect": framework_item.code}
    disclosure = published_disclosure(
        organisation=organisation, fiscal_year=year, item=framework_item
    )
    draft = None
    if disclosure is None and access is not None:
        draft = (
            Disclosure.objects.filter(
                organisation=organisation, fiscal_year=year, item=framework_item
            )
            .select_related("unit")
            .prefetch_related("entries")
            .first()
        )
    shown = disclosure or draft
    context = {
        "organisation": organisation,
        "year": year,
        "item": framework_item,
        "disclosure": shown,
        "draft": draft is not None or (shown is None and access is not None),
        "permanent_url": absolute_url(request.path),
        "access": access,
    }
    title = f"{framework_item.code} {framework_item.title_th}"
    if shown is None and access is None:
        # The item exists; its page is not published. Say so, at its own address.
        body = render_to_string("disclosures/_item_unavailable_body.html", context, request)
        return {"title": title, "body": body, "status": 404}
    generated = generated_for(organisation=organisation, fiscal_year=year, item=framework_item)
    context["generated"] = generated
    context["entries"] = list(shown.entries.all()) if shown else []
    body = render_to_string("disclosures/_item_body.html", context, request)
    return {"title": title, "body": body, "status": 200}


@require_safe
@public_page
def item(request: HttpRequest, org: str, year: int, code: str) -> HttpResponse:
    organisation = _organisation(org)
    _year_or_404(year)
    access = organisation_member(request.user, organisation)
    page = _item_page(request, organisation, year, code, access)
    if page.get("redirect"):
        # o1 → O1: one address per item.
        return redirect(
            "disclosures:item", organisation.slug, year, page["redirect"], permanent=True
        )
    context = {"organisation": organisation, "year": year, "page": page, "access": access}
    response = render(request, "disclosures/item.html", context, status=page["status"])
    return _cache(response, access)


@require_safe
def entry_file(request: HttpRequest, org: str, key) -> FileResponse:
    entry = get_object_or_404(
        Entry.objects.select_related("disclosure__organisation", "disclosure__item"),
        key=key,
        disclosure__organisation__slug=org,
    )
    if not entry.file:
        raise Http404("a link has no file")
    access = organisation_member(request.user, entry.disclosure.organisation)
    if access is None and entry.disclosure.status != DisclosureStatus.PUBLISHED:
        raise Http404("not published")
    content_type = mimetypes.guess_type(entry.file.name)[0] or "application/octet-stream"
    try:
        handle = entry.file.open("rb")
    except FileNotFoundError as error:
        raise Http404("file missing") from error
    name = f"{entry.disclosure.item.code}-{entry.key.hex[:8]}.{entry.file_type or 'bin'}"
    inline = entry.file_type in {"pdf", "jpg", "png", "webp"}
    response = FileResponse(
        handle, content_type=content_type, as_attachment=not inline, filename=name
    )
    response["X-Content-Type-Options"] = "nosniff"
    return _cache(response, access)
