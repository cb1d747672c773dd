"""Rendering HTML to PDF with WeasyPrint, with Thai text that can be copied and searched.

WeasyPrint maps each glyph to the text of the cluster it was shaped from
(first occurrence wins). A Thai cluster such as ผู้ is one cluster of three
glyphs, so the consonant or a vowel glyph may end up mapped to the empty
string or to the whole cluster, and every later use of that glyph extracts
wrongly (การ came out as กำร). Before the fonts are written we map each glyph
back to its own character, from the font's cmap, or for the positional
variants Thai fonts carry (a tone mark moved left or down) from the
``uniXXXX.variant`` glyph name. Copy, search and screen readers then get
the text; NFKC-equivalent to the source (ำ comes out as ํ + า).
"""

from __future__ import annotations

import io
import re
from functools import lru_cache

from fontTools.ttLib import TTFont

_VARIANT_NAME = re.compile(r"^uni([0-9A-F]{4})(?:[._]|$)")


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


class _TextFixingFonts(dict):
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


def html_to_pdf(html: str, *, base_url: str, url_fetcher) -> bytes:
    from weasyprint import HTML  # heavy: imported only when a PDF is made

    document = HTML(string=html, base_url=base_url, url_fetcher=url_fetcher).render()
    fonts = _TextFixingFonts(document.fonts)
    document.fonts = fonts
    return document.write_pdf()
