"""The PDF helper's text layer and accessibility, read back as a viewer reads them.

A small report-like document (the report stylesheet and the vendored
Laksaman face) goes through ``html_to_pdf``; poppler's ``pdftotext`` (its
default, layout-ordered mode and ``-raw``) and ``pdfinfo`` read the result,
as Evince, Okular and a search index do.
"""

from __future__ import annotations

import io
import mimetypes
import shutil
import subprocess
import unicodedata
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from django.contrib.staticfiles import finders
from pypdf import PdfReader

from ita_portal.pdf import html_to_pdf

BASE_URL = "https://pdftext.invalid/"
WORDS = ("ดำเนินการ", "สำนักงาน", "ผู้รับผิดชอบ", "ตัวชี้วัด")
THAI_YEAR = "๒๕๖๖"
# Reference 001, its first paragraph, as the office typed it.
LONG_PARAGRAPH = (
    "จากการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ "
    "ด้านการเปิดเผยข้อมูลสาธารณะ (Open Data Integrity and Transparency Assessment (OIT) "
    "ของสำนักงานศึกษาธิการจังหวัดพิจิตร ที่ผ่านมาในปีงบประมาณ พ.ศ. ๒๕๖๖ พบว่า "
    "ระดับการประเมิน ด้านการเปิดเผยข้อมูลสาธารณะ ไม่ผ่านเกณฑ์การประเมิน ได้ระดับ F "
    "จำเป็นต้องได้รับการปรับปรุงพัฒนาและแก้ไข"
)
# Each place a word can be printed starts with its own marker, so that a test
# can find the line it is on in the extracted text.
LINE = " ".join(WORDS) + " " + THAI_YEAR
HEADING, PARAGRAPH, CELL, CHART = "หัวเรื่อง", "ย่อหน้า", "ช่องตาราง", "แผนภูมิ"

DOCUMENT = f"""<!doctype html>
<html lang="th">
<head>
  <meta charset="utf-8">
  <title>รายงานทดสอบ ๒๕๖๖</title>
  <meta name="author" content="">
  <link rel="stylesheet" href="/static/css/report.css">
</head>
<body><div class="report">
  <section class="cover"><h1 class="cover-title">รายงานมาตรการ</h1></section>
  <section class="chapter">
    <h2><span class="chapter-number">บทที่ ๑</span> ความเป็นมา</h2>
    <h3>{HEADING} {LINE}</h3>
    <p>{PARAGRAPH} {LINE}</p>
    <table><thead><tr><th>มาตรการ</th><th>ผู้รับผิดชอบ</th></tr></thead>
      <tbody><tr><td>{CELL} {LINE}</td><td>กลุ่มอำนวยการ</td></tr></tbody></table>
    <svg class="chart" viewBox="0 0 400 40" xmlns="http://www.w3.org/2000/svg">
      <text x="0" y="20" font-family="Laksaman" font-size="14">{CHART} ตัวชี้วัด</text>
    </svg>
  </section>
  <section class="chapter">
    <h2><span class="chapter-number">บทที่ ๒</span> ผลการดำเนินการ</h2>
    <p class="indent">{LONG_PARAGRAPH}</p>
  </section>
</div></body>
</html>"""


def _fetch_static(url: str, *args, **kwargs):
    from weasyprint.urls import URLFetcherResponse

    parts = urlsplit(url)
    path = unquote(parts.path)
    found = None
    if url.startswith(BASE_URL) and path.startswith("/static/"):
        found = finders.find(path.removeprefix("/static/"))
    if not found:
        raise ValueError(f"not a test resource: {url}")
    file = Path(found)
    content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    return URLFetcherResponse(url, body=file.read_bytes(), headers={"Content-Type": content_type})


def _poppler(tool: str, *args: str, pdf: bytes) -> str:
    assert shutil.which(tool), f"{tool} is missing: install poppler-utils (make system-deps)"
    return subprocess.run(  # noqa: S603 - our own tool names and arguments
        [tool, *args, "-", "-"] if tool == "pdftotext" else [tool, *args, "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode()


def _line_with(text: str, marker: str) -> str:
    lines = [line for line in text.splitlines() if marker in line]
    assert len(lines) == 1, (marker, text)
    return lines[0]


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return html_to_pdf(
        DOCUMENT,
        base_url=BASE_URL,
        url_fetcher=_fetch_static,
        title="ไม่ใช้: เอกสารมีชื่อของตัวเอง",
        author="สำนักงานศึกษาธิการจังหวัดพิจิตร",
    )


@pytest.fixture(scope="module", params=["default", "raw"])
def extracted(request, pdf) -> str:
    return _poppler("pdftotext", *(["-raw"] if request.param == "raw" else []), pdf=pdf)


@pytest.mark.parametrize("marker", [HEADING, PARAGRAPH, CELL], ids=["heading", "paragraph", "cell"])
def test_each_word_comes_out_exactly_as_typed(extracted, marker):
    line = _line_with(extracted, marker)
    for word in (*WORDS, THAI_YEAR):
        assert word in line.split(), (word, line)


def test_the_words_come_out_in_order_with_nothing_in_between(extracted):
    assert LINE in " ".join(_line_with(extracted, PARAGRAPH).split())


def test_text_drawn_in_a_chart_is_exact_too(extracted):
    assert "ตัวชี้วัด" in _line_with(extracted, CHART)


def test_a_long_paragraph_of_real_thai_comes_out_equal(extracted):
    # Lines break between Thai words without a space: compare without whitespace.
    squeezed = "".join(extracted.split())
    assert "".join(LONG_PARAGRAPH.split()) in squeezed


def test_no_decomposed_sara_am_or_stray_marks(extracted):
    # What the glyphs alone give: nikhahit (U+0E4D) for ำ, a tone mark before its vowel.
    assert "\u0e4d" not in extracted
    assert "ผ\u0e49\u0e39" not in extracted


def test_readers_without_actualtext_still_get_every_letter(pdf):
    # pdf.js and pypdf read the glyph map: the same letters in drawing order,
    # ำ as ํ + า: equal once normalised (NFKC), as a viewer's search does.
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    text = unicodedata.normalize("NFKC", text)
    for word in WORDS:
        assert unicodedata.normalize("NFKC", word) in text


def test_the_pdf_is_tagged_in_thai_with_title_and_author(pdf):
    info = _poppler("pdfinfo", pdf=pdf)
    assert "Tagged:          yes" in info
    assert "Title:           รายงานทดสอบ ๒๕๖๖" in info  # the document's own title wins
    assert "Author:          สำนักงานศึกษาธิการจังหวัดพิจิตร" in info
    catalog = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    assert catalog["/Lang"] == "th"
    assert catalog["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in catalog


def test_the_structure_tree_has_headings_paragraphs_and_tables(pdf):
    catalog = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    kinds = set()
    pending = [catalog["/StructTreeRoot"].get_object()]
    while pending:
        element = pending.pop()
        kinds.add(element.get("/S"))
        kids = element.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, dict):
                pending.append(kid)
    assert {"/H2", "/H3", "/P", "/Table", "/TH", "/TD"} <= kinds


def test_the_outline_lists_the_chapters_and_their_sections(pdf):
    outline = PdfReader(io.BytesIO(pdf)).outline
    chapters = [item for item in outline if not isinstance(item, list)]
    titles = [" ".join(item.title.split()) for item in chapters]
    assert titles == ["บทที่ ๑ ความเป็นมา", "บทที่ ๒ ผลการดำเนินการ"]
    # The cover's title is the document's title, not a chapter; a section is under its chapter.
    sections = outline[1]
    assert isinstance(sections, list)
    assert [" ".join(item.title.split()) for item in sections] == [f"{HEADING} {LINE}"]


def test_title_author_and_language_are_filled_in_when_the_document_has_none():
    html = "<!doctype html><html><body><p>สำนักงาน</p></body></html>"
    pdf = html_to_pdf(
        html, base_url=BASE_URL, url_fetcher=_fetch_static, title="ประกาศ", author="สำนักงาน"
    )
    info = _poppler("pdfinfo", pdf=pdf)
    assert "Title:           ประกาศ" in info
    assert "Author:          สำนักงาน" in info
    assert PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Lang"] == "th"


def test_weasyprint_is_patched_only_while_our_pdf_is_written(monkeypatch):
    from weasyprint.document import Document
    from weasyprint.draw import text

    before = text.draw_first_line
    seen = []

    def failing_write_pdf(document, **options):
        seen.append(text.draw_first_line)
        raise RuntimeError("disk full")

    monkeypatch.setattr(Document, "write_pdf", failing_write_pdf)
    with pytest.raises(RuntimeError):
        html_to_pdf("<p>สำนักงาน</p>", base_url=BASE_URL, url_fetcher=_fetch_static)
    assert seen and seen[0] is not before  # the spans were on while the PDF was written
    assert text.draw_first_line is before  # and WeasyPrint is back as it was


def test_overlapping_renders_keep_the_wrapper_until_the_last_one_ends():
    import threading

    from weasyprint.draw import text

    from ita_portal.pdf_text import actual_text_spans

    original = text.draw_first_line
    first_inside, second_done = threading.Event(), threading.Event()
    seen = {}

    def first_render():
        with actual_text_spans():
            first_inside.set()
            second_done.wait(5)
            seen["after the second ended"] = text.draw_first_line

    thread = threading.Thread(target=first_render)
    thread.start()
    first_inside.wait(5)
    with actual_text_spans():
        seen["second"] = text.draw_first_line
    second_done.set()
    thread.join(5)
    assert seen["second"] is not original
    assert seen["after the second ended"] is not original  # still rendering: not restored
    assert text.draw_first_line is original
