"""Announcements and orders through the staff pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import Role
from measures.models import Announcement, AnnouncementKind, Measure
from tests.builders import make_org, make_user, post_edit

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def editor_client(client, org):
    client.force_login(make_user("editor", org, Role.EDITOR))
    return client


def _url(name: str, *args) -> str:
    return reverse(f"measures_staff:{name}", args=["office", *args])


def _measure(org, year=2565, number=1) -> Measure:
    return Measure.objects.create(
        organisation=org, fiscal_year=year, number=number, title=f"มาตรการที่ {number}"
    )


def _announcement(org, **fields) -> Announcement:
    values = {
        "organisation": org,
        "fiscal_year": 2565,
        "title": "มาตรการป้องกันการรับสินบน",
        "body": "ย่อหน้าแรก\n\nย่อหน้าที่สอง",
        "date": dt.date(2021, 11, 1),
        "signatory_name": "นายสมชาย ใจดี",
        "signatory_position": "ผู้อำนวยการ",
    }
    values.update(fields)
    return Announcement.objects.create(**values)


def _form(**extra) -> dict:
    data = {
        "kind": AnnouncementKind.ANNOUNCEMENT,
        "number": "32/2565",
        "title": "มาตรการส่งเสริมคุณธรรมและความโปร่งใส",
        "body": "ด้วยสำนักงานได้ดำเนินการ\n\nจึงประกาศมาเพื่อทราบโดยทั่วกัน",
        "date": "2021-11-01",
        "signatory_name": "นายสมชาย ใจดี",
        "signatory_position": "ผู้อำนวยการสำนักงาน",
    }
    data.update(extra)
    return data


def test_add_an_announcement_with_its_measures_and_signed_pdf(editor_client, org, settings):
    first, second = _measure(org, number=1), _measure(org, number=2)
    assert editor_client.get(_url("announcement-add", 2565)).status_code == 200
    pdf = SimpleUploadedFile("signed.pdf", PDF, content_type="application/pdf")
    response = editor_client.post(
        _url("announcement-add", 2565), _form(measures=[first.pk, second.pk], attachment_file=pdf)
    )
    assert response.status_code == 302
    assert response["Location"] == _url("announcements", 2565)
    announcement = Announcement.objects.get()
    assert announcement.organisation == org and announcement.fiscal_year == 2565
    assert announcement.number == "32/2565"
    assert set(announcement.measures.all()) == {first, second}
    assert announcement.attachment.name.endswith(".pdf")
    assert (settings.MEDIA_ROOT / announcement.attachment.name).read_bytes() == PDF
    listing = editor_client.get(_url("announcements", 2565)).text
    assert "มาตรการส่งเสริมคุณธรรมและความโปร่งใส" in listing


def test_only_this_years_measures_of_the_organisation_can_be_linked(editor_client, org):
    _measure(org, number=1)
    last_year = _measure(org, year=2564)
    theirs = _measure(make_org("other"))
    form = editor_client.get(_url("announcement-add", 2565)).context["form"]
    assert [m.title for m in form.fields["measures"].queryset] == ["มาตรการที่ 1"]
    for measure in (last_year, theirs):
        response = editor_client.post(_url("announcement-add", 2565), _form(measures=[measure.pk]))
        assert response.status_code == 400
        assert "measures" in response.context["form"].errors
    assert not Announcement.objects.exists()


def test_a_signed_pdf_that_is_not_a_pdf_saves_nothing(editor_client, org, settings):
    fake = SimpleUploadedFile("signed.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = editor_client.post(_url("announcement-add", 2565), _form(attachment_file=fake))
    assert response.status_code == 400
    assert "signed.pdf" in response.context["form"].errors["attachment_file"][0]
    assert "มาตรการส่งเสริมคุณธรรมและความโปร่งใส" in response.text  # kept as typed
    assert not Announcement.objects.exists()


def test_a_refused_pdf_leaves_an_existing_announcement_unchanged(editor_client, org):
    announcement = _announcement(org)
    fake = SimpleUploadedFile("signed.pdf", b"not a pdf", content_type="application/pdf")
    response = post_edit(
        editor_client,
        _url("announcement", announcement.pk),
        _form(title="ชื่อใหม่", attachment_file=fake),
    )
    assert response.status_code == 400
    announcement.refresh_from_db()
    assert announcement.title == "มาตรการป้องกันการรับสินบน" and not announcement.attachment


def test_missing_fields_are_marked_and_nothing_is_saved(editor_client, org):
    response = editor_client.post(
        _url("announcement-add", 2565), _form(title="", date="", signatory_name="")
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"title", "date", "signatory_name"}
    assert "ด้วยสำนักงานได้ดำเนินการ" in response.text
    assert not Announcement.objects.exists()


def test_edit_and_preview(editor_client, org):
    announcement = _announcement(org)
    response = post_edit(
        editor_client,
        _url("announcement", announcement.pk),
        _form(kind=AnnouncementKind.ORDER, number="7/2565"),
    )
    assert response.status_code == 302
    announcement.refresh_from_db()
    assert announcement.kind == AnnouncementKind.ORDER and announcement.number == "7/2565"
    preview = editor_client.get(_url("announcement-preview", announcement.pk))
    assert preview.status_code == 200
    assert 'class="announcement"' in preview.text
    assert "จึงประกาศมาเพื่อทราบโดยทั่วกัน" in preview.text
    assert "7/2565" in preview.text


def test_delete_after_confirmation(
    editor_client, org, settings, django_capture_on_commit_callbacks
):
    announcement = _announcement(org)
    pdf = SimpleUploadedFile("signed.pdf", PDF, content_type="application/pdf")
    saved = post_edit(
        editor_client, _url("announcement", announcement.pk), _form(attachment_file=pdf)
    )
    assert saved.status_code == 302
    announcement.refresh_from_db()
    stored = settings.MEDIA_ROOT / announcement.attachment.name
    assert stored.exists()
    assert editor_client.get(_url("announcement-delete", announcement.pk)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(_url("announcement-delete", announcement.pk))
    assert response.status_code == 302
    assert not Announcement.objects.exists()
    assert not stored.exists()


def test_viewer_reads_but_cannot_change(client, org):
    announcement = _announcement(org)
    client.force_login(make_user("viewer", org, Role.VIEWER))
    assert client.get(_url("announcements", 2565)).status_code == 200
    assert client.get(_url("announcement", announcement.pk)).status_code == 200
    assert client.get(_url("announcement-preview", announcement.pk)).status_code == 200
    assert client.get(_url("announcement-add", 2565)).status_code == 404
    assert client.post(_url("announcement-add", 2565), _form()).status_code == 404
    assert client.post(_url("announcement", announcement.pk), _form(title="x")).status_code == 404
    assert client.post(_url("announcement-delete", announcement.pk)).status_code == 404
    announcement.refresh_from_db()
    assert announcement.title == "มาตรการป้องกันการรับสินบน"
    assert Announcement.objects.count() == 1


def test_another_organisations_announcement_is_404(client, org):
    theirs = _announcement(make_org("other"), title="ของหน่วยงานอื่น")
    client.force_login(make_user("editor", org, Role.EDITOR))
    assert client.get(_url("announcement", theirs.pk)).status_code == 404
    assert client.get(_url("announcement-preview", theirs.pk)).status_code == 404
    assert client.post(_url("announcement", theirs.pk), _form()).status_code == 404
    assert client.post(_url("announcement-delete", theirs.pk)).status_code == 404
    assert "ของหน่วยงานอื่น" not in client.get(_url("announcements", 2565)).text
    theirs.refresh_from_db()
    assert theirs.title == "ของหน่วยงานอื่น"


def test_another_organisations_staff_cannot_open_the_announcements(client, org):
    announcement = _announcement(org)
    client.force_login(make_user("outsider", make_org("other"), Role.ADMINISTRATOR))
    assert client.get(_url("announcements", 2565)).status_code == 404
    assert client.get(_url("announcement-preview", announcement.pk)).status_code == 404
    assert client.post(_url("announcement-add", 2565), _form()).status_code == 404
    assert Announcement.objects.count() == 1
