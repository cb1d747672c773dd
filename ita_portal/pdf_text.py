"""The text layer of our PDFs: what a viewer's search, copy and a screen reader get.

Two mechanisms, for two kinds of reader:

1. ``/ActualText`` spans. WeasyPrint draws glyphs, and a Thai cluster is not
   one glyph per character: ำ is drawn as nikhahit + sara aa, a tone mark
   above a vowel is a shifted variant glyph, and the glyph order is the
   visual one. A reader that rebuilds text from the glyphs gets ํ + า, tone
   marks before vowels, and (poppler's layout mode) marks attached to the
   next syllable. So every line of text WeasyPrint draws is wrapped in a
   marked-content span ``/Span <</ActualText (…)>> BDC … EMC`` carrying the
   exact characters of that line as typed. Poppler (pdftotext, Evince,
   Okular), PDFium (Chrome) and Acrobat take the text from the span.
   The span is per line (one ``draw_first_line`` call), not per cluster:
   that is the unit WeasyPrint hands us whole, so the hook only wraps
   WeasyPrint's function, it never re-implements how glyphs are written.
   The cost is that a search hit is highlighted at a proportional position
   inside the line rather than on the exact glyphs.

2. The glyph-to-text map (each font's ``ToUnicode``). WeasyPrint maps a glyph
   to the text of the first cluster it was shaped from, so a glyph used in
   ผู้ could extract as the whole cluster, or as nothing, everywhere after.
   We map each glyph back to its own character, from the font's cmap or
   a positional variant's glyph name (``uni0E49.narrow`` is U+0E49). Readers that ignore ActualText
   (pdf.js in Firefox, pypdf) then still get every letter, NFKC-equivalent
   to the source (ำ as ํ + า): worth keeping as the fallback.
"""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache

from fontTools.ttLib import TTFont

_VARIANT_NAME = re.compile(r"^uni([0-9A-F]{4})(?:[._]|$)")


# --- 1. ActualText spans --------------------------------------------------------------------

# The wrapper acts only inside our own rendering: another caller of WeasyPrint
# in the same process (another thread, a library) gets WeasyPrint unchanged
# even while the wrapper is installed.
_spans_wanted: ContextVar[bool] = ContextVar("ita_pdf_actual_text", default=False)
_install_lock = threading.Lock()
_renders_in_progress = 0
_original_draw_first_line = None


def _line_text(textbox) -> str:
    """The characters of the line ``draw_first_line`` has just drawn, as in the source."""
    layout = textbox.pango_layout
    first_line, _next_index = layout.get_first_line()
    utf8 = layout.text.encode()
    start = first_line.start_index
    return utf8[start : start + first_line.length].decode(errors="replace")


def _draw_first_line_with_actual_text(stream, textbox, *args, **kwargs):
    if not _spans_wanted.get():
        return _original_draw_first_line(stream, textbox, *args, **kwargs)
    import pydyf

    start = len(stream.stream)
    emojis = _original_draw_first_line(stream, textbox, *args, **kwargs)
    if len(stream.stream) == start:  # nothing drawn (blank line, zero font size)
        return emojis
    text = _line_text(textbox)
    if text.strip():
        # Inserted before the line's first operator, closed after its last:
        # both inside the same BT … ET, as the PDF allows marked content to be.
        properties = pydyf.Dictionary({"ActualText": pydyf.String(text)})
        stream.stream[start:start] = [b"/Span", properties, b"BDC"]
        stream.stream.append(b"EMC")
    return emojis


@contextmanager
def actual_text_spans() -> Iterator[None]:
    """Within this block, every line of text WeasyPrint draws carries its source text.

    WeasyPrint's ``draw_first_line`` (used for HTML and SVG text alike) is
    replaced by a wrapper for as long as any render of ours is running, and
    put back after the last one: a counter under a lock, so that overlapping
    renders in threads never restore too early or leave the wrapper behind.
    Under gunicorn's sync workers each process renders one document at a
    time, so the lock is never contended.
    """
    global _renders_in_progress, _original_draw_first_line
    from weasyprint.draw import text as draw_text_module

    with _install_lock:
        if _renders_in_progress == 0:
            _original_draw_first_line = draw_text_module.draw_first_line
            draw_text_module.draw_first_line = _draw_first_line_with_actual_text
        _renders_in_progress += 1
    token = _spans_wanted.set(True)
    try:
        yield
    finally:
        _spans_wanted.reset(token)
        with _install_lock:
            _renders_in_progress -= 1
            if _renders_in_progress == 0:
                draw_text_module.draw_first_line = _original_draw_first_line


# --- 2. The glyph-to-text map ---------------------------------------------------------------


@lru_cache(maxsize=16)
def _glyph_characters(file_content: bytes, index: int) -> dict[int, str]:
    font = TTFont(io.BytesIO(file_content), fontNumber=index, lazy=True)
    characters: dict[int, str] = {}
    order = font.getGlyphOrder()
    for codepoint, name in sorted(font.getBestCmap().items()):
        # Legacy Thai fonts also reach their variants through private-use
        # code points (U+F700–U+F71A); those say nothing to a reader.
        if not 0xE000 <= codepoint <= 0xF8FF:
            characters.setdefault(font.getGlyphID(name), chr(codepoint))
    for glyph_id, name in enumerate(order):
        if glyph_id not in characters and (match := _VARIANT_NAME.match(name)):
            codepoint = int(match.group(1), 16)
            if not 0xE000 <= codepoint <= 0xF8FF:
                characters[glyph_id] = chr(codepoint)
    return characters


class TextFixingFonts(dict):
    """``Document.fonts``: corrects each font's glyph-to-text map when the PDF writer reads it."""

    def values(self):
        for font in super().values():
            if getattr(font, "bitmap", False) or not getattr(font, "file_content", None):
                continue
            # Read the font once, before WeasyPrint subsets it (the subset has
            # lost the glyph names that identify the variants).
            characters = getattr(font, "_ita_glyph_characters", None)
            if characters is None:
                try:
                    characters = _glyph_characters(bytes(font.file_content), font.index)
                except Exception:  # an odd font keeps WeasyPrint's own map
                    characters = {}
                font._ita_glyph_characters = characters
            for glyph_id in list(font.to_unicode):
                if glyph_id in characters:
                    font.to_unicode[glyph_id] = characters[glyph_id]
        return super().values()
