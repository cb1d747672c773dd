"""Follow-up results of a measure and their evidence, through the staff pages, with real uploads."""

from __future__ import annotations

import datetime as dt
import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from assessments.models import Role
from measures.models import Evidence, EvidenceKind, FollowUp, Measure, MeasureStatus, Round
from tests.builders import make_org, make_user, post_edit

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def _image(name: str = "photo.png", fmt: str = "PNG", size=(12, 8), noise: bool = False):
    if noise:  # random pixels do not compress: a file of a predictable, larger size
        image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    else:
        image = Image.new("RGB", size, (200, 30, 30))
    buffer = io.BytesIO()
    image.save(buffer, format=fmt)
    content_type = "image/png" if fmt == "PNG" else "image/jpeg"
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def measure(org):
    return Measure.objects.create(organisation=org, fiscal_year=2565, number=1, title="มาตรการ")


@pytest.fixture
def follow_up(measure):
    return FollowUp.objects.create(measure=measure, round=Round.SIX_MONTHS)


@pytest.fixture
def editor_client(client, org):
    client.force_login(make_user("editor", org, Role.EDITOR))
    return client


def _url(name: str, *args) -> str:
    return reverse(f"measures_staff:{name}", args=["office", *args])


def _follow_up_form(**extra) -> dict:
    data = {
        "round": Round.SIX_MONTHS,
        "report_date": "",
        "summary": "จัดอบรมบุคลากร 2 ครั้ง",
        "outcome": "บุคลากรร้อยละ 90 ผ่านการอบรม",
        "status": MeasureStatus.IN_PROGRESS,
        "completed_on": "",
    }
    data.update(extra)
    return data


# --- Follow-ups -------------------------------------------------------------------


def test_list_and_add_a_follow_up(editor_client, measure):
    assert editor_client.get(_url("follow-ups", measure.pk)).status_code == 200
    response = editor_client.post(_url("follow-up-add", measure.pk), _follow_up_form())
    follow_up = FollowUp.objects.get(measure=measure)
    assert response.status_code == 302
    assert response["Location"] == _url("follow-up", follow_up.pk)
    assert follow_up.status == MeasureStatus.IN_PROGRESS
    assert follow_up.summary == "จัดอบรมบุคลากร 2 ครั้ง"
    listing = editor_client.get(_url("follow-ups", measure.pk)).text
    assert _url("follow-up", follow_up.pk) in listing


def test_a_second_report_of_the_same_round_is_a_form_error(editor_client, measure, follow_up):
    response = editor_client.post(_url("follow-up-add", measure.pk), _follow_up_form())
    assert response.status_code == 400
    assert "round" in response.context["form"].errors
    assert "จัดอบรมบุคลากร 2 ครั้ง" in response.text  # what was typed stays
    assert FollowUp.objects.count() == 1


def test_changing_a_report_to_a_round_already_reported_is_a_form_error(
    editor_client, measure, follow_up
):
    twelve = FollowUp.objects.create(measure=measure, round=Round.TWELVE_MONTHS)
    response = editor_client.post(_url("follow-up", twelve.pk), _follow_up_form())
    assert response.status_code == 400
    assert "round" in response.context["form"].errors
    twelve.refresh_from_db()
    assert twelve.round == Round.TWELVE_MONTHS


def test_saving_a_report_again_is_not_a_duplicate(editor_client, follow_up):
    response = post_edit(
        editor_client, _url("follow-up", follow_up.pk), _follow_up_form(status=MeasureStatus.DONE)
    )
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.status == MeasureStatus.DONE


def test_a_dated_report_needs_a_date_and_one_per_date(editor_client, measure):
    url = _url("follow-up-add", measure.pk)
    response = editor_client.post(url, _follow_up_form(round=Round.DATED))
    assert response.status_code == 400
    assert "report_date" in response.context["form"].errors
    assert not FollowUp.objects.exists()

    assert editor_client.post(url, _follow_up_form(round=Round.DATED, report_date="2022-01-15"))
    assert editor_client.post(url, _follow_up_form(round=Round.DATED, report_date="2022-02-15"))
    assert FollowUp.objects.filter(round=Round.DATED).count() == 2
    again = editor_client.post(url, _follow_up_form(round=Round.DATED, report_date="15/01/2565"))
    assert again.status_code == 400
    assert "report_date" in again.context["form"].errors
    assert FollowUp.objects.count() == 2


def test_viewer_sees_follow_ups_but_cannot_post(client, org, measure, follow_up):
    (link,) = _links(follow_up, 1)
    client.force_login(make_user("viewer", org, Role.VIEWER))
    assert client.get(_url("follow-ups", measure.pk)).status_code == 200
    page = client.get(_url("follow-up", follow_up.pk))
    assert page.status_code == 200
    assert _url("evidence-upload", follow_up.pk) not in page.text
    assert client.get(_url("follow-up-add", measure.pk)).status_code == 404
    for url, data in (
        (_url("follow-up-add", measure.pk), _follow_up_form(round=Round.TWELVE_MONTHS)),
        (_url("follow-up", follow_up.pk), _follow_up_form(status=MeasureStatus.DONE)),
        (_url("evidence-upload", follow_up.pk), {"files": [_image()]}),
        (_url("evidence-link", follow_up.pk), {"url": "https://example.org/"}),
        (_url("evidence-update", follow_up.pk), _formset([link], **{"evidence-0-caption": "x"})),
        (_url("evidence-delete", link.pk), {}),
    ):
        assert client.post(url, data).status_code == 404, url
    follow_up.refresh_from_db()
    assert follow_up.status == MeasureStatus.NOT_STARTED
    assert FollowUp.objects.count() == 1
    assert list(Evidence.objects.values_list("caption", flat=True)) == ["เดิม 1"]


def test_another_organisations_follow_up_and_evidence_are_404(client, org):
    other = make_org("other")
    theirs = Measure.objects.create(organisation=other, fiscal_year=2565, number=1, title="อื่น")
    their_follow_up = FollowUp.objects.create(measure=theirs, round=Round.SIX_MONTHS)
    their_link = Evidence.objects.create(
        follow_up=their_follow_up, kind=EvidenceKind.LINK, url="https://example.org/"
    )
    client.force_login(make_user("editor", org, Role.EDITOR))
    assert client.get(_url("follow-up", their_follow_up.pk)).status_code == 404
    assert client.get(_url("follow-up-add", theirs.pk)).status_code == 404
    assert client.post(_url("follow-up", their_follow_up.pk), _follow_up_form()).status_code == 404
    upload = client.post(_url("evidence-upload", their_follow_up.pk), {"files": [_image()]})
    assert upload.status_code == 404
    link = client.post(_url("evidence-link", their_follow_up.pk), {"url": "https://example.org/"})
    assert link.status_code == 404
    assert client.post(_url("evidence-delete", their_link.pk)).status_code == 404
    assert list(Evidence.objects.all()) == [their_link]


# --- Evidence ---------------------------------------------------------------------


def test_two_images_at_once_with_a_caption(editor_client, org, follow_up, settings):
    response = editor_client.post(
        _url("evidence-upload", follow_up.pk),
        {
            "files": [_image("one.png"), _image("two.jpg", "JPEG", size=(40, 30))],
            "caption": "ภาพกิจกรรมอบรม",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == _url("follow-up", follow_up.pk) + "#evidence"
    evidence = list(follow_up.evidence.order_by("order"))
    assert [e.kind for e in evidence] == [EvidenceKind.IMAGE, EvidenceKind.IMAGE]
    assert [e.caption for e in evidence] == ["ภาพกิจกรรมอบรม", "ภาพกิจกรรมอบรม"]
    assert [e.order for e in evidence] == [1, 2]
    for e in evidence:
        assert (settings.MEDIA_ROOT / e.file.name).exists()
        assert e.preview and (settings.MEDIA_ROOT / e.preview.name).exists()
        # The upload's own name is not kept.
        assert "one" not in e.file.name and "two" not in e.file.name
    page = editor_client.get(_url("follow-up", follow_up.pk)).text
    for e in evidence:
        assert reverse("measures:evidence-preview", kwargs={"org": "office", "key": e.key}) in page
        assert reverse("measures:evidence-file", kwargs={"org": "office", "key": e.key}) in page
    assert "ภาพกิจกรรมอบรม" in page


def test_a_pdf_is_accepted(editor_client, follow_up):
    pdf = SimpleUploadedFile("report.pdf", PDF, content_type="application/pdf")
    response = editor_client.post(_url("evidence-upload", follow_up.pk), {"files": [pdf]})
    assert response.status_code == 302
    (evidence,) = follow_up.evidence.all()
    assert evidence.kind == EvidenceKind.PDF and not evidence.preview
    assert evidence.file.name.endswith(".pdf")


def test_a_renamed_program_is_refused_and_nothing_is_saved(editor_client, follow_up, settings):
    fake = SimpleUploadedFile("photo.jpg", EXE, content_type="image/jpeg")
    response = editor_client.post(
        _url("evidence-upload", follow_up.pk), {"files": [_image("good.png"), fake]}
    )
    assert response.status_code == 400
    errors = response.context["files_form"].errors["files"]
    assert len(errors) == 1 and "photo.jpg" in errors[0]
    assert "photo.jpg" in response.text
    assert not Evidence.objects.exists()
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_a_file_above_the_size_limit_is_refused_with_a_message(editor_client, follow_up, settings):
    settings.MAX_UPLOAD_SIZE = 1000
    big = _image("big.png", size=(40, 40), noise=True)
    assert big.size > 1000
    response = editor_client.post(_url("evidence-upload", follow_up.pk), {"files": [big]})
    assert response.status_code == 400
    (error,) = response.context["files_form"].errors["files"]
    assert "big.png" in error
    assert not Evidence.objects.exists()


def test_uploading_nothing_is_a_form_error(editor_client, follow_up):
    response = editor_client.post(_url("evidence-upload", follow_up.pk), {"caption": "ไม่มีไฟล์"})
    assert response.status_code == 400
    assert "files" in response.context["files_form"].errors


def test_add_a_link_with_a_caption(editor_client, follow_up):
    response = editor_client.post(
        _url("evidence-link", follow_up.pk),
        {"url": "https://www.facebook.com/office/posts/1", "caption": "ข่าวกิจกรรม"},
    )
    assert response.status_code == 302
    (link,) = follow_up.evidence.all()
    assert link.kind == EvidenceKind.LINK and link.caption == "ข่าวกิจกรรม"
    bad = editor_client.post(_url("evidence-link", follow_up.pk), {"url": "ไม่ใช่ลิงก์"})
    assert bad.status_code == 400
    assert "url" in bad.context["link_form"].errors
    assert follow_up.evidence.count() == 1


def _links(follow_up: FollowUp, count: int) -> list[Evidence]:
    return [
        Evidence.objects.create(
            follow_up=follow_up,
            kind=EvidenceKind.LINK,
            url=f"https://example.org/{n}",
            caption=f"เดิม {n}",
            order=n,
        )
        for n in range(1, count + 1)
    ]


def _formset(evidence: list[Evidence], **changes) -> dict:
    data = {
        "evidence-TOTAL_FORMS": str(len(evidence)),
        "evidence-INITIAL_FORMS": str(len(evidence)),
        "evidence-MIN_NUM_FORMS": "0",
        "evidence-MAX_NUM_FORMS": "1000",
    }
    for index, e in enumerate(evidence):
        data[f"evidence-{index}-id"] = str(e.pk)
        data[f"evidence-{index}-caption"] = e.caption
        data[f"evidence-{index}-order"] = str(e.order)
    data.update(changes)
    return data


def test_edit_captions_and_order(editor_client, follow_up):
    first, second = _links(follow_up, 2)
    response = editor_client.post(
        _url("evidence-update", follow_up.pk),
        _formset(
            [first, second],
            **{"evidence-0-caption": "ใหม่", "evidence-0-order": "5", "evidence-1-order": "1"},
        ),
    )
    assert response.status_code == 302
    assert [(e.pk, e.caption) for e in follow_up.evidence.order_by("order")] == [
        (second.pk, "เดิม 2"),
        (first.pk, "ใหม่"),
    ]


def test_the_caption_form_cannot_reach_another_follow_ups_evidence(editor_client, measure):
    mine = FollowUp.objects.create(measure=measure, round=Round.SIX_MONTHS)
    elsewhere = FollowUp.objects.create(measure=measure, round=Round.TWELVE_MONTHS)
    (other,) = _links(elsewhere, 1)
    response = editor_client.post(
        _url("evidence-update", mine.pk),
        _formset([other], **{"evidence-0-caption": "แอบแก้"}),
    )
    assert response.status_code == 400
    assert response.context["evidence_formset"].non_form_errors()
    other.refresh_from_db()
    assert other.caption == "เดิม 1"
    assert not mine.evidence.exists()


def test_delete_evidence_removes_its_files(
    editor_client, follow_up, settings, django_capture_on_commit_callbacks
):
    editor_client.post(_url("evidence-upload", follow_up.pk), {"files": [_image()]})
    (evidence,) = follow_up.evidence.all()
    stored = [settings.MEDIA_ROOT / evidence.file.name, settings.MEDIA_ROOT / evidence.preview.name]
    assert all(path.exists() for path in stored)
    assert editor_client.get(_url("evidence-delete", evidence.pk)).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(_url("evidence-delete", evidence.pk))
    assert response.status_code == 302
    assert not Evidence.objects.exists()
    assert not any(path.exists() for path in stored)


def test_dates_are_shown_in_the_buddhist_era(editor_client, measure):
    follow_up = FollowUp.objects.create(
        measure=measure, round=Round.DATED, report_date=dt.date(2022, 1, 15)
    )
    page = editor_client.get(_url("follow-up", follow_up.pk)).text
    assert 'type="date"' not in page and 'value="15/01/2565"' in page
