"""The measures documents' stored PDFs: their keys, versions and builder
(the mechanism is ``ita_portal.pdf_store``)."""

from __future__ import annotations

from assessments.models import Organisation
from ita_portal.pdf_store import pdf_queue, pdf_version

from .models import DocumentKind
from .report import report_build, report_pdf_bytes, stylesheet_digest

# The documents are the agency's official Thai text whatever the reader's language.
DOCUMENT_LANG = "th"


def document_key(*, organisation: Organisation | int, fiscal_year: int, kind: str) -> str:
    pk = organisation.pk if isinstance(organisation, Organisation) else organisation
    return f"document:{pk}:{fiscal_year}:{kind}:{DOCUMENT_LANG}"


def document_version(organisation: Organisation) -> str:
    """Known from the organisation's row alone: no rendering, no further query."""
    return pdf_version(organisation.content_version, DOCUMENT_LANG, stylesheet_digest())


def document_queue(*, organisation: Organisation, fiscal_year: int, kind: str) -> None:
    """Have the worker make the document's PDF before anyone asks (publishing, the demo)."""
    # The change that led here has just moved the version: read it again.
    organisation.refresh_from_db(fields=["content_version"])
    pdf_queue(
        document_key(organisation=organisation, fiscal_year=fiscal_year, kind=kind),
        document_version(organisation),
    )


def document_build(parts: list[str]) -> tuple[str, bytes] | None:
    """The worker's builder for ``document:<organisation>:<year>:<kind>:<lang>``."""
    pk, year, kind, _lang = parts
    organisation = Organisation.objects.select_related("parent").filter(pk=int(pk)).first()
    if organisation is None or kind not in DocumentKind.values:
        return None
    version = document_version(organisation)  # read before the data it describes
    report = report_build(organisation=organisation, fiscal_year=int(year), kind=kind)
    return version, report_pdf_bytes(report, cached=False)
