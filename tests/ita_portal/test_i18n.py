import re
from pathlib import Path

from django.utils import translation

PO = Path(__file__).resolve().parents[2] / "locale" / "th" / "LC_MESSAGES" / "django.po"


def _entries() -> list[str]:
    return [block for block in PO.read_text(encoding="utf-8").split("\n\n") if "msgid" in block][1:]


def test_every_string_has_a_thai_translation():
    untranslated = []
    for block in _entries():
        msgstrs = re.findall(r'^msgstr(?:\[\d\])? "(.*)"((?:\n".*")*)', block, re.M)
        if not msgstrs or any(
            not (first + rest.replace('"', "").strip()) for first, rest in msgstrs
        ):
            untranslated.append(block.splitlines()[0])
    assert untranslated == []


def test_no_fuzzy_translation_is_left():
    assert not [b for b in _entries() if "#, fuzzy" in b]


def test_thai_is_the_default_language(settings):
    assert settings.LANGUAGE_CODE == "th"
    with translation.override("th"):
        assert translation.gettext("Strengths") == "จุดแข็ง"
