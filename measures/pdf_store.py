"""The measures documents' stored PDFs: their keys, versions and builder
(the mechanism is ``ita_portal.pdf_store``)."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import caches

from assessments.models import Organisation
from assessments.public_cache import fetch_one, organisation_version
from ita_portal.models import StoredPdf
from ita_portal.pdf_store import pdf_queue, pdf_version

from .models import DocumentKind, ReportSettings
from .report import report_build, report_pdf_bytes, stylesheet_digest

# The documents are the agency's official Thai text whatever the reader's language.
DOCUMENT_LANG = "th"


def document_key(*, organisation: Organisation | int, fiscal_year: int, kind: str) -> str:
    pk = organisation.pk if isinstance(organisation, Organisation) else organisation
    return f"document:{pk}:{fiscal_year}:{kind}:{DOCUMENT_LANG}"


def document_version(organisation: Organisation) -> str:
    """Known from the organisation's row alone: no rendering, no further query."""
    return pdf_version(organisation.content_version, DOCUMENT_LANG, stylesheet_digest())


def public_document_state(*, slug: str, fiscal_year: int, kind: str) -> dict | None:
    """What a public download needs, in one query: the organisation's id and version,
    whether the document is published, and the stored PDF's file and version (None
    for an unknown organisation).

    Plain SQL, because this is the hot path of every public download and the ORM
    spends longer composing the equivalent query than the database runs it. The
    stored PDF's key is built as ``document_key`` builds it.
    """
    sql = f"""
        SELECT o.id, o.content_version,
            EXISTS (
                SELECT 1 FROM {ReportSettings._meta.db_table} r
                WHERE r.organisation_id = o.id AND r.fiscal_year = %s AND r.kind = %s
                    AND r.published = %s
            ),
            s.file, s.version
        FROM {Organisation._meta.db_table} o
        LEFT JOIN {StoredPdf._meta.db_table} s
            ON s.key = %s || CAST(o.id AS TEXT) || %s
        WHERE o.slug = %s
    """  # noqa: S608 (table names from the models; every value is a parameter)
    suffix = f":{fiscal_year}:{kind}:{DOCUMENT_LANG}"
    row = fetch_one(sql, [fiscal_year, kind, True, "document:", suffix, slug])
    if row is None:
        return None
    keys = ("pk", "content_version", "published", "stored_file", "stored_version")
    state = dict(zip(keys, row, strict=True))
    state["published"] = bool(state["published"])
    return state


# The file of each document known to be current, remembered in this process's
# memory under the organisation's version (and the stylesheet's): true until that
# version moves, and a moved version makes a new key, so nothing is invalidated.
# A miss costs one join, whose planning was most of a download's time (bench/README.md).
CURRENT_FILE_PREFIX = "current-pdf:1:"


def current_public_file(*, slug: str, fiscal_year: int, kind: str) -> str | None:
    """The stored file of a published document whose PDF is current, else None
    (unknown, unpublished, not made yet or out of date: the view decides)."""
    version = organisation_version(slug)
    if version is None:
        return None
    digest = stylesheet_digest()
    memory = caches["public-pages"]
    key = f"{CURRENT_FILE_PREFIX}{slug}:{version}:{fiscal_year}:{kind}:{digest}"
    known = memory.get(key)
    if known is not None:
        return known
    state = public_document_state(slug=slug, fiscal_year=fiscal_year, kind=kind)
    if state is None or not state["published"] or not state["stored_file"]:
        return None
    if state["stored_version"] != pdf_version(state["content_version"], DOCUMENT_LANG, digest):
        return None  # the worker has not made this version yet: not remembered
    if f"{state['pk']}.{state['content_version']}" != version:
        return None  # the version moved between the two queries: ask again next time
    memory.set(key, state["stored_file"], settings.PUBLIC_PAGE_SECONDS)
    return state["stored_file"]


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
