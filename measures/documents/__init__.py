"""The documents an office submits about its measures, one spec per kind.

Each kind (``DocumentKind``) has its own module with a ``SPEC``: the body
template shared by its web page and its PDF, the parts an office may leave
out, and the settings its form shows. ``measures.report`` builds the data and
renders whichever kind is asked for.
"""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse

from assessments.models import Organisation

from ..models import DocumentKind, ReportSettings
from .base import DocumentSpec

SPECS: dict[str, DocumentSpec] = {}


def register(spec: DocumentSpec) -> DocumentSpec:
    SPECS[spec.kind] = spec
    return spec


def spec_for(kind: str) -> DocumentSpec:
    try:
        return SPECS[kind]
    except KeyError:
        raise Http404("no such document") from None


# Public addresses of the kinds other than the annual report (which keeps its own).
PAGE_KINDS = [k for k in DocumentKind.values if k != DocumentKind.ANNUAL]


from . import announcement, annual, plan, results  # noqa: E402

for _module in (annual, announcement, plan, results):
    register(_module.SPEC)


def document_addresses(slug: str, year: int, kind: str) -> tuple[str, str]:
    """The permanent public page and PDF of a document (the annual report keeps its own)."""
    if kind == DocumentKind.ANNUAL:
        return (
            reverse("measures:report", kwargs={"org": slug, "year": year}),
            reverse("measures:report-pdf", kwargs={"org": slug, "year": year}),
        )
    kwargs = {"org": slug, "year": year, "kind": kind}
    return reverse("measures:document", kwargs=kwargs), reverse(
        "measures:document-pdf", kwargs=kwargs
    )


def published_documents(
    organisation: Organisation, fiscal_year: int
) -> dict[str, tuple[str, str, str]]:
    """Kind → (label, page, PDF) of the year's published documents, in one query."""
    kinds = ReportSettings.objects.filter(
        organisation=organisation, fiscal_year=fiscal_year, published=True
    ).values_list("kind", flat=True)
    return {
        kind: (
            str(DocumentKind(kind).label),
            *document_addresses(organisation.slug, fiscal_year, kind),
        )
        for kind in kinds
        if kind in SPECS
    }
