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


def test_language_switch_is_a_link_that_sets_the_cookie_and_goes_back(client, db):
    response = client.get("/i18n/setlang/", {"language": "en", "next": "/staff/login/"})
    assert response.status_code == 302 and response["Location"] == "/staff/login/"
    assert response.cookies["django_language"].value == "en"
    assert '<html lang="en">' in client.get("/staff/login/").content.decode()


def test_language_switch_does_not_redirect_elsewhere_or_accept_any_language(client, db):
    response = client.get("/i18n/setlang/", {"language": "xx", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert "django_language" not in response.cookies
