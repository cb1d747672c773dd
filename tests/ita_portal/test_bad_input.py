"""A request with control characters is a 400 with a Thai page, never a 500 (issue 11, point 8)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.builders import make_org, make_user

pytestmark = pytest.mark.django_db

THAI_TITLE = "คำขอไม่ถูกต้อง"


@pytest.fixture
def client():
    # Any exception a view lets out fails the test with its traceback.
    return Client(raise_request_exception=True)


@pytest.fixture
def demo(db):
    return make_org("demo")


def _refused(response) -> bool:
    return response.status_code == 400 and THAI_TITLE in response.content.decode()


def test_a_nul_in_the_query_string_is_refused(client, demo):
    # On PostgreSQL the search reached the database with the NUL: error 500.
    assert _refused(client.get("/demo/oit/2565/?q=%00"))


def test_a_nul_in_the_path_is_refused(client, demo):
    assert _refused(client.get("/demo/oit/2565/O1%00/"))


def test_a_nul_in_a_query_parameter_name_or_repeated_value_is_refused(client, demo):
    assert _refused(client.get("/demo/oit/2565/?a%00=1"))
    assert _refused(client.get("/demo/oit/2565/?q=O1&q=%00"))


def test_other_control_characters_in_the_address_are_refused(client, demo):
    assert _refused(client.get("/demo/oit/2565/O1%01/"))
    assert _refused(client.get("/demo/oit/2565/?q=%1b%5b2J"))
    assert _refused(client.get("/demo/oit/2565/?q=%7f"))


def test_tabs_and_line_breaks_in_a_query_are_ordinary_input(client, demo):
    assert client.get("/demo/oit/2565/?q=O1%09%0d%0a").status_code == 200


def test_a_nul_in_a_session_cookie_is_refused(client, demo):
    # Django unquotes "\000" in a quoted cookie; the session key would reach the database.
    client.cookies["sessionid"] = "abcdefgh\x00ijkl"
    assert _refused(client.get("/demo/"))


def test_a_nul_in_a_posted_value_is_refused(client, demo):
    # The publish form's `next` is read straight from request.POST, without a form.
    editor = make_user("editor", demo)
    client.force_login(editor)
    response = client.post("/staff/demo/oit/2565/O1/publish/", {"published": "1", "next": "\x00"})
    assert _refused(response)


def test_a_posted_text_may_carry_a_vertical_tab_pasted_from_word(client, demo):
    response = client.post("/i18n/setlang/", {"language": "th", "next": "/demo/\x0b"})
    assert response.status_code == 302


def test_a_control_character_in_an_upload_field_name_is_refused(client, demo):
    editor = make_user("editor", demo)
    client.force_login(editor)
    upload = SimpleUploadedFile("report.pdf", b"%PDF-1.4\n%%EOF\n")
    response = client.post("/staff/demo/oit/2565/O1/upload/", {"files\x1b": [upload]})
    assert _refused(response)


def test_the_refusal_speaks_the_visitors_chosen_language(client, demo):
    client.cookies["django_language"] = "en"
    response = client.get("/demo/oit/2565/?q=%00")
    assert response.status_code == 400
    assert "Bad request" in response.content.decode()


def test_django_s_own_bad_requests_get_the_thai_page(client, demo):
    # A forged Host header is refused by Django itself, through handler400.
    client.raise_request_exception = False
    assert _refused(client.get("/demo/", HTTP_HOST="evil.example"))


@pytest.mark.parametrize("tail", ["abc/", "2566-02-30/", "1.5/"])
def test_an_admin_history_address_with_a_wrong_id_is_not_found(client, demo, tail):
    # django-simple-history's pattern takes any text as the version: ValueError, error 500.
    client.force_login(make_user("root", is_superuser=True, is_staff=True))
    assert (
        client.get(f"/admin/assessments/organisation/{demo.pk}/history/{tail}").status_code == 404
    )
    assert client.get("/admin/assessments/organisation/x/history/1/").status_code == 404


@pytest.mark.parametrize("model", ["assessments/edition", "measures/announcement"])
def test_an_admin_history_list_with_a_wrong_object_id_is_not_found(client, demo, model):
    client.force_login(make_user("root", is_superuser=True, is_staff=True))
    assert client.get(f"/admin/{model}/1;%20DROP%20TABLE/history/").status_code == 404
