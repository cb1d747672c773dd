"""Public pages of the annual measures report, and the files attached to it.

A year's report, and every file in it, is public once an administrator has
published it; until then only staff of the organisation see it (a preview),
and everyone else gets a 404, as if it did not exist.
"""

from __future__ import annotations

import mimetypes

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from assessments.access import OrganisationAccess, organisation_member
from assessments.models import Organisation
from assessments.public_cache import public_page, sessionless
from ita_portal.pdf_store import file_response, stored_pdf_response

from .documents import document_addresses
from .models import Announcement, DocumentKind, Evidence, ReportSettings
from .pdf_store import current_public_file, document_key, document_version
from .report import (
    document_file_name,
    report_body_html,
    report_build,
    report_file_name,
)


def _published(
    organisation: Organisation, fiscal_year: int, kind: str = DocumentKind.ANNUAL
) -> bool:
    return ReportSettings.objects.filter(
        organisation=organisation, fiscal_year=fiscal_year, kind=kind, published=True
    ).exists()


def _visible(
    request: HttpRequest,
    organisation: Organisation,
    fiscal_year: int,
    kind: str = DocumentKind.ANNUAL,
) -> tuple[OrganisationAccess | None, bool]:
    """Staff access (None for the public) and whether the year is published; 404 when the
    visitor may not see that year."""
    access = organisation_member(request.user, organisation)
    published = _published(organisation, fiscal_year, kind)
    if access is None and not published:
        raise Http404("report not published")
    return access, published


def _private(
    response: HttpResponse, access: OrganisationAccess | None, published: bool
) -> HttpResponse:
    # A draft must not linger in shared caches once shown to staff.
    response["Cache-Control"] = (
        "public, max-age=300" if published and access is None else "private, no-store"
    )
    return response


@require_safe
@public_page
def document(
    request: HttpRequest, org: str, year: int, kind: str = DocumentKind.ANNUAL
) -> HttpResponse:
    """A document of a year as a web page; the annual report at its own address."""
    organisation = get_object_or_404(Organisation.objects.select_related("parent"), slug=org)
    access, published = _visible(request, organisation, year, kind)
    data = report_build(organisation=organisation, fiscal_year=year, kind=kind)
    response = render(
        request,
        "measures/report.html",
        {
            "organisation": organisation,
            "report": data,
            "access": access,
            "body": report_body_html(data),
        },
    )
    return _private(response, access, published)


@require_safe
def document_pdf(
    request: HttpRequest, org: str, year: int, kind: str = DocumentKind.ANNUAL
) -> HttpResponse:
    """The document's stored PDF (never rendered here: see ``ita_portal.pdf_store``)."""
    if sessionless(request):
        response = _public_pdf(request, org, year, kind)
        if response is not None:
            return response
    organisation = get_object_or_404(Organisation, slug=org)
    access, published = _visible(request, organisation, year, kind)
    response = stored_pdf_response(
        request,
        key=document_key(organisation=organisation, fiscal_year=year, kind=kind),
        version=document_version(organisation),
        file_name=report_file_name(organisation=organisation, fiscal_year=year, kind=kind),
        page_url=document_addresses(org, year, kind)[0],
        title=str(DocumentKind(kind).label),
    )
    if response.get("Cache-Control") == "no-store":
        return response  # the "being prepared" page
    return _private(response, access, published)


def _public_pdf(
    request: HttpRequest, org: str, year: int, kind: str = DocumentKind.ANNUAL
) -> HttpResponse | None:
    """The public's download of a current published PDF: one query, at file speed
    (also before most middleware: ``public_cache.PublicFastPathMiddleware``).
    None: the view answers (not published: 404; not current: queued)."""
    stored_file = current_public_file(slug=org, fiscal_year=year, kind=kind)
    if stored_file is None:
        return None
    return _private(file_response(stored_file, document_file_name(org, year, kind)), None, True)


document_pdf.public_fast_path = _public_pdf

# The annual report keeps the addresses it had before the other documents.
report = document
report_pdf = document_pdf


def _file_response(field_file, access: OrganisationAccess | None, published: bool) -> FileResponse:
    content_type = mimetypes.guess_type(field_file.name)[0] or "application/octet-stream"
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as error:
        raise Http404("file missing") from error
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = "inline"
    return _private(response, access, published)


def _evidence(
    request: HttpRequest, org: str, key
) -> tuple[Evidence, OrganisationAccess | None, bool]:
    evidence = get_object_or_404(
        Evidence.objects.select_related("follow_up__measure__organisation"),
        key=key,
        follow_up__measure__organisation__slug=org,
    )
    measure = evidence.follow_up.measure
    return (evidence, *_visible(request, measure.organisation, measure.fiscal_year))


@require_safe
def evidence_file(request: HttpRequest, org: str, key) -> FileResponse:
    evidence, access, published = _evidence(request, org, key)
    if not evidence.file:
        raise Http404("a link has no file")
    return _file_response(evidence.file, access, published)


@require_safe
def evidence_preview(request: HttpRequest, org: str, key) -> FileResponse:
    evidence, access, published = _evidence(request, org, key)
    stored = evidence.preview or evidence.file
    if not stored or not evidence.is_image:
        raise Http404("no preview")
    return _file_response(stored, access, published)


@require_safe
def announcement_file(request: HttpRequest, org: str, key) -> FileResponse:
    announcement = get_object_or_404(
        Announcement.objects.select_related("organisation"), key=key, organisation__slug=org
    )
    if not announcement.attachment:
        raise Http404("no attachment")
    access, published = _visible(request, announcement.organisation, announcement.fiscal_year)
    return _file_response(announcement.attachment, access, published)
