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


# Issue 17, point 4: Thai everywhere a Thai user goes. The part catalogue
# (locale/parts/forms) must be compiled (make messages / msgfmt) for these.


def test_password_change_page_and_its_messages_are_thai(client, org):
    from django.urls import reverse

    from tests.builders import PASSWORD, make_user

    client.force_login(make_user("somchai", org))
    page = client.get(reverse("staff:password-change")).text
    assert "รหัสผ่านเก่า" in page  # Django's own label, in its Thai catalogue
    refused = client.post(
        reverse("staff:password-change"),
        {"old_password": PASSWORD, "new_password1": "12345", "new_password2": "12345"},
    ).text
    assert "รหัสผ่านนี้สั้นเกินไป" in refused and "รหัสผ่านนี้เป็นตัวเลขทั้งหมด" in refused
    assert "กรุณาแก้ไข 3 รายการ" in refused  # too short, too common, numeric
    assert "This password" not in refused


def test_password_reset_mail_is_thai_even_from_the_english_page(client, org):
    from django.core import mail
    from django.urls import reverse

    from tests.builders import make_user

    make_user("somchai", org, email="somchai@example.go.th")
    client.cookies["django_language"] = "en"
    client.post(reverse("staff:password-reset"), {"email": "somchai@example.go.th"})
    assert "ตั้งรหัสผ่านใหม่" in mail.outbox[0].subject
    assert "Someone" not in mail.outbox[0].body


def test_admin_history_button_and_results_history_heading_differ():
    with translation.override("th"):
        # The admin's "History" (Django, simple-history) is a record's history...
        assert translation.gettext("History") == "ประวัติ"
        # ...and the results page's is the ITA results of past years.
        assert translation.pgettext("ITA results of past years", "History") == "ผลการประเมินย้อนหลัง"


def test_import_export_and_history_pages_read_thai(client, db):
    from django.urls import reverse

    from assessments.models import Organisation
    from tests.builders import make_org, make_user

    org = make_org("office")
    client.force_login(make_user("operator", is_superuser=True, is_staff=True))
    listing = client.get(reverse("admin:assessments_organisation_changelist")).text
    history = client.get(reverse("admin:assessments_organisation_history", args=[org.pk])).text
    change = client.get(reverse("admin:assessments_organisation_change", args=[org.pk])).text
    assert 'class="historylink">ประวัติ</a>' in change
    assert "ประวัติการแก้ไข" in history or "ดูประวัติ" in history
    import_page = client.get(reverse("admin:measures_measure_import")).text
    assert "ไฟล์ที่จะนำเข้า" in import_page and "รูปแบบไฟล์" in import_page
    assert Organisation.objects.count() == 1 and listing
