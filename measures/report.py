"""Assembling the annual measures report, and rendering it as HTML and as PDF.

One set of template partials (``templates/measures/_report_*.html``) makes
both the web page and the PDF, so the two never drift. The PDF is rendered
by WeasyPrint with the vendored Thai face (``static/fonts/``), and every
resource it asks for (stylesheet, font, logo, evidence images) is read from
disk by ``ReportFetcher``: the PDF never goes to the network.
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from assessments.charts import history_line, indicator_bars
from assessments.models import Organisation
from assessments.scoring import (
    EditionData,
    SubIndicatorAverage,
    YearResult,
    edition_data,
    organisation_results,
    sub_indicator_averages,
)
from ita_portal.pdf import html_to_pdf
from ita_portal.pdf_store import static_digest
from ita_portal.thai import thai_digits_html

from .documents import DocumentSpec, spec_for
from .models import Announcement, DocumentKind, Evidence, FollowUp, Measure, ReportSettings
from .services import measures_edition, measures_for_year, report_settings_for

# Resources in the PDF are asked for under this made-up origin and answered
# from disk; nothing else can be fetched.
PDF_BASE_URL = "https://report.invalid/"
PDF_CACHE_DIR = "report-pdfs"


@dataclass
class MeasureResults:
    measure: Measure
    follow_ups: list[FollowUp]

    @property
    def images(self) -> list[Evidence]:
        return [e for f in self.follow_ups for e in f.evidence.all() if e.is_image]


@dataclass
class Report:
    organisation: Organisation
    fiscal_year: int
    settings: ReportSettings
    analysis: YearResult | None
    history: list[YearResult]
    sub_indicators: list[SubIndicatorAverage]
    framework: EditionData | None
    measures: list[Measure]
    results: list[MeasureResults]
    announcements: list[Announcement]
    files: dict[str, Path] = field(default_factory=dict)
    kind: str = DocumentKind.ANNUAL

    @property
    def spec(self) -> DocumentSpec:
        return spec_for(self.kind)

    @property
    def title(self) -> str:
        return self.settings.title or self.spec.default_title(self.organisation, self.fiscal_year)

    @property
    def analysed_year(self) -> int:
        return self.fiscal_year - 1

    @property
    def published(self) -> bool:
        return bool(self.settings.pk and self.settings.published)

    @property
    def levels(self) -> list[tuple]:
        """(level, highest total of the level or None), best first, for the levels table.

        A level that shares its minimum total with a better one (ผ่านดี and ผ่าน
        both start at 85) has the same upper bound as that one's lower neighbour.
        """
        if self.framework is None:
            return []
        rows, upper, previous_min = [], Decimal("100.00"), None
        for level in self.framework.levels:
            if previous_min is not None and level.min_total < previous_min:
                upper = previous_min - Decimal("0.01")
            rows.append((level, upper))
            previous_min = level.min_total
        return rows

    @property
    def levels_have_conditions(self) -> bool:
        return bool(self.framework) and any(
            lv.min_instrument is not None for lv in self.framework.levels
        )

    @property
    def oit_failed_count(self) -> int:
        """How many OIT items of the analysed year did not pass (chapter 2 lists them)."""
        return sum(len(sub.failed) for sub in self.sub_indicators)

    @property
    def indicator_chart(self) -> dict | None:
        return indicator_bars(self.analysis) if self.analysis and self.analysis.edition else None

    @property
    def history_chart(self) -> dict | None:
        return history_line(self.history)


def _evidence_urls(organisation: Organisation, evidence: Evidence) -> dict[str, Path]:
    files = {}
    if evidence.preview:
        url = reverse(
            "measures:evidence-preview", kwargs={"org": organisation.slug, "key": evidence.key}
        )
        files[url] = Path(evidence.preview.path)
    return files


def report_build(
    *, organisation: Organisation, fiscal_year: int, kind: str = DocumentKind.ANNUAL
) -> Report:
    """Everything a document of the year shows, read in a fixed number of queries."""
    spec_for(kind)  # an unknown kind is a 404 before anything is read
    history = [
        r
        for r in organisation_results(organisation=organisation)
        if r.fiscal_year < fiscal_year
        and (r.shown_total is not None or any(i.score is not None for i in r.indicators))
    ]
    analysis = next((r for r in history if r.fiscal_year == fiscal_year - 1), None)
    measures = list(measures_for_year(organisation=organisation, fiscal_year=fiscal_year))
    results = [
        MeasureResults(m, sorted(m.follow_ups.all(), key=lambda f: f.sort_key)) for m in measures
    ]
    edition = measures_edition(fiscal_year, organisation)
    report = Report(
        organisation=organisation,
        fiscal_year=fiscal_year,
        settings=report_settings_for(organisation=organisation, fiscal_year=fiscal_year, kind=kind),
        analysis=analysis,
        history=history,
        sub_indicators=sub_indicator_averages(result=analysis) if analysis else [],
        framework=edition_data(edition) if edition else None,
        measures=measures,
        results=results,
        announcements=list(
            Announcement.objects.filter(organisation=organisation, fiscal_year=fiscal_year)
            .prefetch_related("measures")
            .order_by("date", "id")
        ),
        kind=kind,
    )
    for item in results:
        for evidence in item.images:
            report.files.update(_evidence_urls(organisation, evidence))
    if organisation.logo:
        report.files[organisation.logo.url] = Path(organisation.logo.path)
    return report


def _context(report: Report, *, pdf: bool) -> dict:
    return {
        "report": report,
        "organisation": report.organisation,
        "pdf": pdf,
        "doc": report.settings,
        "site_url": settings.SITE_URL,
    }


def report_body_html(report: Report, *, pdf: bool = False) -> SafeString:
    """The report's content, as shown inside the web page and in the PDF."""
    # The report is the agency's official Thai document, whatever language
    # the visitor reads the portal in.
    with translation.override("th"):
        html = render_to_string(report.spec.template, _context(report, pdf=pdf))
    if report.settings.thai_digits:
        html = thai_digits_html(html)
    return mark_safe(html)


def report_document_html(report: Report) -> str:
    """The standalone HTML document WeasyPrint turns into the PDF."""
    context = _context(report, pdf=True)
    context["body"] = report_body_html(report, pdf=True)
    html = render_to_string("measures/report_pdf.html", context)
    return absolute_links(html)


_SITE_LINK = re.compile(r'(<a\b[^>]*?\bhref=")/(?!/)')


def absolute_links(html: str) -> str:
    """Links of the PDF as the portal's public addresses (``SITE_URL``).

    Resources (stylesheet, fonts, images) are fetched under ``PDF_BASE_URL``
    and must stay relative; only the reader's links leave the document, and a
    relative one would resolve to that made-up host.
    """
    return _SITE_LINK.sub(lambda m: f"{m.group(1)}{settings.SITE_URL.rstrip('/')}/", html)


class ReportFetcher:
    """Answers WeasyPrint's requests from disk: static files, the logo, evidence previews."""

    def __init__(self, files: dict[str, Path]) -> None:
        self.files = files

    def _path(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}/" != PDF_BASE_URL:
            return None
        path = unquote(parts.path)
        if path in self.files:
            return self.files[path]
        static_url = "/" + settings.STATIC_URL.lstrip("/")
        if path.startswith(static_url):
            relative = path[len(static_url) :]
            if ".." in relative.split("/"):
                return None
            found = finders.find(relative)
            if found:
                return Path(found)
            if settings.STATIC_ROOT:
                candidate = Path(settings.STATIC_ROOT) / relative
                return candidate if candidate.is_file() else None
        return None

    def __call__(self, url: str, *args, **kwargs):
        from weasyprint.urls import URLFetcherResponse

        path = self._path(url)
        if path is None or not path.is_file():
            raise ValueError(f"not a report resource: {url}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, body=path.read_bytes(), headers={"Content-Type": content_type}
        )

    fetch = __call__


def _render_pdf(html: str, files: dict[str, Path]) -> bytes:
    return html_to_pdf(html, base_url=PDF_BASE_URL, url_fetcher=ReportFetcher(files))


@lru_cache(maxsize=1)
def stylesheet_digest() -> str:
    """The report's stylesheet and fonts change only with a new release of the portal."""
    return static_digest("css/report.css", "fonts/Laksaman.ttf", "fonts/Laksaman-Bold.ttf")


def report_pdf_bytes(report: Report, *, cached: bool = True) -> bytes:
    """The report as PDF: for the task queue's worker and ``render_report``, never a
    web request (the public gets the stored copy, ``measures.pdf_store``).

    WeasyPrint takes seconds for a large year, so the PDF is kept in storage
    (MEDIA_ROOT, shared by every server) under the digest of the exact HTML
    it was made from: any change to what the report shows changes the HTML,
    hence the name, and a stale copy is never served. Older copies of the
    same report are removed when a new one is written.
    """
    html = report_document_html(report)
    if not cached:
        return _render_pdf(html, report.files)
    key = hashlib.sha256((html + stylesheet_digest()).encode()).hexdigest()[:40]
    prefix = f"{report.organisation.pk}-{report.fiscal_year}-{report.kind}-"
    name = f"{PDF_CACHE_DIR}/{prefix}{key}.pdf"
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as stored:
            return stored.read()
    pdf = _render_pdf(html, report.files)
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(pdf))
    try:
        _dirs, names = default_storage.listdir(PDF_CACHE_DIR)
    except FileNotFoundError:
        names = []
    for old in names:
        if old.startswith(prefix) and f"{PDF_CACHE_DIR}/{old}" != name:
            default_storage.delete(f"{PDF_CACHE_DIR}/{old}")
    return pdf


def report_file_name(
    *, organisation: Organisation, fiscal_year: int, kind: str = DocumentKind.ANNUAL
) -> str:
    return document_file_name(organisation.slug, fiscal_year, kind)


def document_file_name(slug: str, fiscal_year: int, kind: str = DocumentKind.ANNUAL) -> str:
    if kind == DocumentKind.ANNUAL:
        return f"ita-measures-{slug}-{fiscal_year}.pdf"
    return f"ita-{kind}-{slug}-{fiscal_year}.pdf"
