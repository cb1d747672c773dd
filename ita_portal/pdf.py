"""Rendering HTML to PDF with WeasyPrint: the one helper every document goes through.

Every PDF the portal makes is

- searchable: each Thai word comes out of the PDF exactly as typed (see
  ``ita_portal.pdf_text`` for the ActualText spans and the glyph map);
- tagged (a structure tree: headings, paragraphs, tables, lists, figures
  with their ``alt``), so a screen reader can follow it;
- in a language: the catalog's ``/Lang`` from ``<html lang>``, Thai unless
  the document says otherwise;
- titled: ``<title>`` and ``<meta name="author">``, or the ``title`` and
  ``author`` given here when the document has none; viewers show the title
  rather than the file name;
- bookmarked: WeasyPrint makes the outline from the headings
  (``bookmark-level`` in ``static/css/report.css`` says which).

We use ``pdf_tags=True`` rather than the ``pdf/ua-1`` variant: the variant
writes the same tags plus XMP metadata claiming PDF/UA-1 conformance, a
claim we cannot check (WeasyPrint leaves page headers and footers
outside the structure tree without marking them as artifacts).
"""

from __future__ import annotations

from .pdf_text import TextFixingFonts, actual_text_spans

DEFAULT_LANG = "th"


def html_to_pdf(
    html: str,
    *,
    base_url: str,
    url_fetcher,
    title: str | None = None,
    author: str | None = None,
    lang: str = DEFAULT_LANG,
) -> bytes:
    from weasyprint import HTML  # heavy: imported only when a PDF is made

    document = HTML(string=html, base_url=base_url, url_fetcher=url_fetcher).render()
    metadata = document.metadata
    # A template may render an empty <title> or author: that counts as none.
    if title and not (metadata.title or "").strip():
        metadata.title = title
    if author and not any(name.strip() for name in metadata.authors or ()):
        metadata.authors = [author]
    if not metadata.lang:
        metadata.lang = lang
    document.fonts = TextFixingFonts(document.fonts)
    # Glyphs are drawn while the PDF is written, not while the layout is made.
    with actual_text_spans():
        return document.write_pdf(pdf_tags=True)
