"""An OIT item in the staff workspace: its page settings, uploads, links, entries and publishing."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from assessments.models import Role, Unit
from disclosures.models import Disclosure, DisclosureStatus, Entry, EntryKind
from tests.builders import make_org, make_user, post_edit
from tests.disclosures.builders import item, make_disclosure
from tests.measures.builders import PDF_BYTES as PDF

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def _docx_bytes() -> bytes:
    """The smallest Word document: what the upload check looks for in a DOCX."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"/>',
        )
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _xlsx_bytes() -> bytes:
    workbook = Workbook()
    workbook.active.append(["รายการ", "จำนวนเงิน"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _file(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def _url(name: str, *args) -> str:
    return reverse(f"disclosures_staff:{name}", args=["office", *args])


def _media_files(settings) -> list:
    media = settings.MEDIA_ROOT
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


@pytest.fixture
def editor_client(client, org):
    client.force_login(make_user("editor", org, Role.EDITOR))
    return client


# --- The item page and its form -------------------------------------------------------


def test_looking_at_an_item_creates_nothing(editor_client, org):
    response = editor_client.get(_url("item", 2565, "O1"))
    assert response.status_code == 200
    assert item("O1").requirement in response.text
    assert response.context["disclosure"] is None
    assert not Disclosure.objects.exists()
    # The address to give ITAS, in full.
    assert "/office/oit/2565/O1/" in response.context["public_url"]


def test_the_code_ignores_case_and_an_unknown_code_is_404(editor_client, org):
    response = editor_client.get(_url("item", 2565, "o7"))
    assert response.status_code == 200
    assert response.context["item"].code == "O7"
    assert editor_client.get(_url("item", 2565, "O99")).status_code == 404
    assert editor_client.get(_url("item", 2570, "O1")).status_code == 404  # no framework


def test_saving_the_form_creates_a_draft(editor_client, org):
    unit = Unit.objects.create(organisation=org, name="กลุ่มอำนวยการ")
    response = post_edit(
        editor_client,
        _url("item", 2565, "O1"),
        {
            "explanation": "แผนผังโครงสร้างของสำนักงาน\n\nปรับปรุงล่าสุดเดือนตุลาคม",
            "unit": unit.pk,
            "due_date": "31/12/2565",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == _url("item", 2565, "O1")
    disclosure = Disclosure.objects.get(organisation=org, fiscal_year=2565, item=item("O1"))
    assert disclosure.status == DisclosureStatus.DRAFT
    assert disclosure.unit == unit
    assert disclosure.due_date == dt.date(2022, 12, 31)
    # Plain paragraphs become HTML paragraphs.
    assert disclosure.explanation == ("<p>แผนผังโครงสร้างของสำนักงาน</p><p>ปรับปรุงล่าสุดเดือนตุลาคม</p>")
    assert disclosure.content_updated_at is not None


def test_plain_text_is_edited_as_plain_text(editor_client, org):
    url = _url("item", 2565, "O1")
    # What a browser sends from a textarea: CRLF line breaks.
    text = "ผังโครงสร้าง\r\nฉบับปรับปรุง\r\n\r\nดูรายละเอียด & เอกสารแนบ"
    assert (
        post_edit(editor_client, url, {"explanation": text, "unit": "", "due_date": ""}).status_code
        == 302
    )
    disclosure = Disclosure.objects.get()
    assert disclosure.explanation == (
        "<p>ผังโครงสร้าง<br>ฉบับปรับปรุง</p><p>ดูรายละเอียด &amp; เอกสารแนบ</p>"
    )
    form = editor_client.get(url).context["form"]
    assert form["explanation"].value() == text.replace("\r\n", "\n")
    # Saving it again unchanged is not a change the public sees.
    updated = disclosure.content_updated_at
    again = {"explanation": text, "unit": "", "due_date": "1/1/2566"}
    assert post_edit(editor_client, url, again).status_code == 302
    disclosure.refresh_from_db()
    assert disclosure.content_updated_at == updated
    assert disclosure.due_date == dt.date(2023, 1, 1)


def test_html_is_edited_as_html(editor_client, org):
    url = _url("item", 2565, "O1")
    html = "<ul><li>ข้อที่หนึ่ง</li></ul>"
    assert (
        post_edit(editor_client, url, {"explanation": html, "unit": "", "due_date": ""}).status_code
        == 302
    )
    assert editor_client.get(url).context["form"]["explanation"].value() == html


def test_scripts_are_removed_from_the_explanation(editor_client, org):
    response = post_edit(
        editor_client,
        _url("item", 2565, "O1"),
        {"explanation": "<p>โครงสร้าง</p><script>alert(1)</script>", "unit": "", "due_date": ""},
    )
    assert response.status_code == 302
    assert Disclosure.objects.get().explanation == "<p>โครงสร้าง</p>"


def test_another_organisations_unit_is_refused(editor_client, org):
    theirs = Unit.objects.create(organisation=make_org("other"), name="กลุ่มอำนวยการ")
    response = editor_client.post(
        _url("item", 2565, "O1"), {"explanation": "ข้อความ", "unit": theirs.pk, "due_date": ""}
    )
    assert response.status_code == 400
    assert "unit" in response.context["form"].errors
    assert "ข้อความ" in response.text  # what was typed stays
    assert not Disclosure.objects.exists()


def test_a_wrong_date_is_a_form_error(editor_client, org):
    response = editor_client.post(
        _url("item", 2565, "O1"), {"explanation": "", "unit": "", "due_date": "31/02/2565"}
    )
    assert response.status_code == 400
    assert "due_date" in response.context["form"].errors
    assert not Disclosure.objects.exists()


def test_the_review_mark_is_offered_only_when_set_and_can_be_cleared(editor_client, org):
    disclosure = make_disclosure(org)
    assert "reviewed" not in editor_client.get(_url("item", 2565, "O1")).context["form"].fields
    Disclosure.objects.filter(pk=disclosure.pk).update(to_review=True)
    page = editor_client.get(_url("item", 2565, "O1"))
    assert "reviewed" in page.context["form"].fields
    assert 'name="reviewed"' in page.text
    form = {"explanation": "ตรวจแล้ว", "unit": "", "due_date": ""}
    assert post_edit(editor_client, _url("item", 2565, "O1"), form).status_code == 302
    disclosure.refresh_from_db()
    assert disclosure.to_review  # saving alone does not clear it
    reviewed = {**form, "reviewed": "on"}
    assert post_edit(editor_client, _url("item", 2565, "O1"), reviewed).status_code == 302
    disclosure.refresh_from_db()
    assert not disclosure.to_review


def test_a_measures_item_says_where_its_list_comes_from(editor_client, org):
    page = editor_client.get(_url("item", 2565, "O42")).text
    assert reverse("measures_staff:year", args=["office", 2565]) in page
    ordinary = editor_client.get(_url("item", 2565, "O1")).text
    assert reverse("measures_staff:year", args=["office", 2565]) not in ordinary


# --- Uploads ---------------------------------------------------------------------------


def test_several_documents_are_uploaded_at_once(editor_client, org, settings):
    files = [
        _file("คำสั่งแบ่งงาน.docx", _docx_bytes()),
        _file("งบประมาณ_2565.xlsx", _xlsx_bytes()),
        _file("แผนผัง.pdf", PDF),
    ]
    response = editor_client.post(
        _url("upload", 2565, "O1"), {"files": files, "title": "", "date": "2565-10-01"}
    )
    assert response.status_code == 302
    assert response["Location"] == _url("item", 2565, "O1") + "#entries"
    disclosure = Disclosure.objects.get()
    assert disclosure.status == DisclosureStatus.DRAFT
    entries = list(disclosure.entries.order_by("order"))
    assert [(e.kind, e.file_type, e.title) for e in entries] == [
        (EntryKind.DOCUMENT, "docx", "คำสั่งแบ่งงาน"),
        (EntryKind.DOCUMENT, "xlsx", "งบประมาณ 2565"),
        (EntryKind.DOCUMENT, "pdf", "แผนผัง"),
    ]
    assert all(e.date == dt.date(2022, 10, 1) for e in entries)
    assert entries[2].file.read() == PDF
    assert len(_media_files(settings)) == 3
    page = editor_client.get(_url("item", 2565, "O1")).text
    for entry in entries:
        assert reverse("disclosures:entry-file", args=["office", entry.key]) in page


def test_a_single_upload_takes_the_title_given(editor_client, org):
    editor_client.post(
        _url("upload", 2565, "O1"), {"files": [_file("scan001.pdf", PDF)], "title": "แผนผังองค์กร"}
    )
    assert Entry.objects.get().title == "แผนผังองค์กร"


def test_a_renamed_program_is_refused_in_thai_and_nothing_is_saved(editor_client, org, settings):
    response = editor_client.post(
        _url("upload", 2565, "O1"),
        {"files": [_file("แผนผัง.pdf", PDF), _file("program.pdf", EXE)]},
    )
    assert response.status_code == 400
    (error,) = response.context["files_form"].errors["files"]
    assert error.startswith("ไฟล์ “program.pdf” ไม่ใช่ชนิดไฟล์ที่รับได้")
    assert "ไฟล์ “program.pdf” ไม่ใช่ชนิดไฟล์ที่รับได้" in response.text
    # Not even the good file, nor the draft the upload would have started.
    assert not Entry.objects.exists()
    assert not Disclosure.objects.exists()
    assert _media_files(settings) == []


def test_a_file_above_the_size_limit_is_refused_in_thai(editor_client, org, settings):
    settings.MAX_UPLOAD_SIZE = 1000
    big = _file("รายงานฉบับเต็ม.pdf", PDF + b"0" * 2000)
    response = editor_client.post(_url("upload", 2565, "O1"), {"files": [big]})
    assert response.status_code == 400
    (error,) = response.context["files_form"].errors["files"]
    assert error.startswith("ไฟล์ “รายงานฉบับเต็ม.pdf” มีขนาด")
    assert "เกินขนาดสูงสุดที่รับได้" in error
    assert not Entry.objects.exists()
    assert _media_files(settings) == []


def test_uploading_nothing_is_a_form_error(editor_client, org):
    response = editor_client.post(_url("upload", 2565, "O1"), {"title": "ไม่มีไฟล์"})
    assert response.status_code == 400
    assert "files" in response.context["files_form"].errors
    assert not Disclosure.objects.exists()


# --- Links and entries --------------------------------------------------------------------


def test_adding_a_link(editor_client, org):
    response = editor_client.post(
        _url("link", 2565, "O9"),
        {"url": "https://www.facebook.com/office", "title": "เพจ Facebook", "date": ""},
    )
    assert response.status_code == 302
    (entry,) = Entry.objects.all()
    assert (entry.kind, entry.url, entry.title) == (
        EntryKind.LINK,
        "https://www.facebook.com/office",
        "เพจ Facebook",
    )
    assert entry.disclosure.item.code == "O9"


def test_a_link_that_is_not_an_address_is_a_form_error(editor_client, org):
    response = editor_client.post(_url("link", 2565, "O9"), {"url": "ไม่ใช่ลิงก์", "title": "x"})
    assert response.status_code == 400
    assert "url" in response.context["link_form"].errors
    assert not Disclosure.objects.exists()


def test_editing_an_entry(editor_client, org):
    entry = make_disclosure(org, links=1).entries.get()
    url = _url("entry", entry.key)
    page = editor_client.get(url)
    assert page.status_code == 200
    assert "ลิงก์ O1 รายการที่ 1" in page.text
    response = post_edit(
        editor_client,
        url,
        {"title": "เว็บไซต์ใหม่", "date": "1/10/2565", "url": "https://new.example.go.th/"},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.title, entry.date, entry.url) == (
        "เว็บไซต์ใหม่",
        dt.date(2022, 10, 1),
        "https://new.example.go.th/",
    )


def test_a_document_keeps_its_file_when_edited(editor_client, org):
    entry = make_disclosure(org, documents=1).entries.get()
    page = editor_client.get(_url("entry", entry.key))
    assert "url" not in page.context["form"].fields
    saved = post_edit(editor_client, _url("entry", entry.key), {"title": "เอกสารแนบ", "date": ""})
    assert saved.status_code == 302
    entry.refresh_from_db()
    assert entry.title == "เอกสารแนบ" and entry.file.read() == PDF


def test_deleting_a_document_removes_its_file(
    editor_client, org, settings, django_capture_on_commit_callbacks
):
    entry = make_disclosure(org, documents=1).entries.get()
    assert len(_media_files(settings)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(_url("entry-delete", entry.key))
    assert response.status_code == 302
    assert response["Location"] == _url("item", 2565, "O1") + "#entries"
    assert not Entry.objects.exists()
    assert _media_files(settings) == []


def test_moving_entries_up_and_down(editor_client, org):
    disclosure = make_disclosure(org, links=3)
    first, second, third = disclosure.entries.order_by("order")
    editor_client.post(_url("entry-move", third.key), {"direction": "up"})
    assert list(disclosure.entries.order_by("order")) == [first, third, second]
    editor_client.post(_url("entry-move", first.key), {"direction": "down"})
    assert list(disclosure.entries.order_by("order")) == [third, first, second]
    assert editor_client.post(_url("entry-move", first.key), {"direction": "x"}).status_code == 404


# --- Publishing ---------------------------------------------------------------------------


def test_publishing_and_withdrawing_reaches_the_public_page(editor_client, org):
    make_disclosure(org, links=1)
    public = reverse("disclosures:item", args=["office", 2565, "O1"])
    visitor = Client()
    assert visitor.get(public).status_code == 404

    response = editor_client.post(_url("publish", 2565, "O1"), {"published": "1"})
    assert response.status_code == 302
    assert response["Location"] == _url("item", 2565, "O1")
    disclosure = Disclosure.objects.get()
    assert disclosure.status == DisclosureStatus.PUBLISHED
    page = visitor.get(public)
    assert page.status_code == 200
    assert "ลิงก์ O1 รายการที่ 1" in page.text

    editor_client.post(_url("publish", 2565, "O1"), {"published": "0"})
    disclosure.refresh_from_db()
    assert disclosure.status == DisclosureStatus.DRAFT
    page = visitor.get(public)
    assert page.status_code == 404
    assert "O1" in page.text and "ลิงก์ O1 รายการที่ 1" not in page.text


def test_publishing_goes_back_to_a_local_next_only(editor_client, org):
    board = _url("year", 2565)
    response = editor_client.post(_url("publish", 2565, "O2"), {"published": "1", "next": board})
    assert response["Location"] == board
    response = editor_client.post(
        _url("publish", 2565, "O2"), {"published": "0", "next": "https://evil.example.com/"}
    )
    assert response["Location"] == _url("item", 2565, "O2")


def test_publishing_an_empty_item_warns(editor_client, org):
    response = editor_client.post(_url("publish", 2565, "O3"), {"published": "1"}, follow=True)
    levels = [m.level_tag for m in response.context["messages"]]
    assert levels == ["success", "warning"]
    # O42 takes its content from the measures: no warning.
    response = editor_client.post(_url("publish", 2565, "O42"), {"published": "1"}, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["success"]


# --- Who may do what ---------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.VIEWER, Role.COMPLAINT_OFFICER])
def test_other_roles_can_look_but_every_post_is_404(client, org, role):
    disclosure = make_disclosure(org, links=2)
    first, second = disclosure.entries.order_by("order")
    client.force_login(make_user("reader", org, role))
    assert client.get(_url("item", 2565, "O1")).status_code == 200
    assert client.get(_url("entry", first.key)).status_code == 200
    for url, data in (
        (_url("item", 2565, "O1"), {"explanation": "เปลี่ยน", "unit": "", "due_date": ""}),
        (_url("publish", 2565, "O1"), {"published": "1"}),
        (_url("upload", 2565, "O1"), {"files": [_file("a.pdf", PDF)]}),
        (_url("link", 2565, "O1"), {"url": "https://example.go.th/", "title": "x"}),
        (_url("entry", first.key), {"title": "เปลี่ยน"}),
        (_url("entry-delete", first.key), {}),
        (_url("entry-move", first.key), {"direction": "down"}),
        (_url("copy", 2565), {}),
    ):
        assert client.post(url, data).status_code == 404, url
    disclosure.refresh_from_db()
    assert disclosure.status == DisclosureStatus.DRAFT and disclosure.explanation == ""
    assert list(disclosure.entries.order_by("order")) == [first, second]
    assert [e.title for e in disclosure.entries.order_by("order")] == [
        "ลิงก์ O1 รายการที่ 1",
        "ลิงก์ O1 รายการที่ 2",
    ]


def test_another_organisations_items_and_entries_are_404(editor_client, org):
    other = make_org("other")
    theirs = make_disclosure(other, links=1)
    entry = theirs.entries.get()
    # Their entry through our organisation's address …
    assert editor_client.get(_url("entry", entry.key)).status_code == 404
    assert editor_client.post(_url("entry", entry.key), {"title": "ยึด"}).status_code == 404
    assert editor_client.post(_url("entry-delete", entry.key)).status_code == 404
    assert editor_client.post(_url("entry-move", entry.key), {"direction": "up"}).status_code == 404
    # … and their own addresses.
    theirs_url = reverse("disclosures_staff:item", args=["other", 2565, "O1"])
    assert editor_client.get(theirs_url).status_code == 404
    publish = reverse("disclosures_staff:publish", args=["other", 2565, "O1"])
    assert editor_client.post(publish, {"published": "1"}).status_code == 404
    entry_url = reverse("disclosures_staff:entry", args=["other", entry.key])
    assert editor_client.get(entry_url).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == DisclosureStatus.DRAFT
    assert Entry.objects.get().title == "ลิงก์ O1 รายการที่ 1"
