"""What the public may store through a complaint: files, bytes and replies are capped,
and a refused or failed step leaves neither rows nor files behind (issue 11, point 4)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from django.db import connection

from assessments.models import Role
from complaints import services
from complaints.attachments import QuotaExceeded
from complaints.models import Attachment, Complaint, Event, EventKind
from tests.builders import make_user
from tests.complaints.builders import make_complaint
from tests.measures.builders import PDF_BYTES, upload

TRACK = "/complaints/track/"
KB = 1024


def _pdf(size: int, name: str = "evidence.pdf"):
    """A PDF of about ``size`` bytes (it is checked by its content, so it starts as one)."""
    return upload(name, PDF_BYTES + b"%" + b"x" * max(0, size - len(PDF_BYTES) - 2) + b"\n")


def _files_on_disk(settings) -> list:
    folder = settings.MEDIA_ROOT / "complaint-files"
    return sorted(folder.iterdir()) if folder.exists() else []


def _open(client, filed):
    client.post(TRACK, {"action": "lookup", "code": filed.code_display, "pin": filed.pin})


def _reply(client, *files, text=""):
    return client.post(TRACK, {"action": "reply", "text": text, "files": list(files)})


@pytest.fixture
def small_quota(settings):
    # The report's 4 replies stored 396 MB; the same shape at a hundredth of the scale.
    settings.COMPLAINT_MAX_BYTES = 500 * KB
    settings.COMPLAINT_MAX_FILES = 20


def test_the_reported_large_replies_are_refused_beyond_the_quota_with_nothing_stored(
    client, org, settings, small_quota
):
    filed = make_complaint(org, anonymous=True, witnesses="พยาน")
    _open(client, filed)
    accepted = _reply(client, *[_pdf(99 * KB, f"a{n}.pdf") for n in range(4)])
    assert accepted.status_code == 302
    stored = (Attachment.objects.count(), Event.objects.count(), _files_on_disk(settings))
    assert stored[0] == 4 and len(stored[2]) == 4

    for round_ in range(3):
        refused = _reply(client, *[_pdf(99 * KB, f"b{round_}{n}.pdf") for n in range(4)])
        assert refused.status_code == 200
        html = refused.content.decode()
        assert "ไฟล์ของเรื่องร้องเรียนหนึ่งเรื่องรวมกันได้ไม่เกิน" in html
        assert (Attachment.objects.count(), Event.objects.count(), _files_on_disk(settings)) == (
            stored
        )


def test_a_complaint_holds_at_most_the_set_number_of_files(client, org, settings):
    settings.COMPLAINT_MAX_FILES = 3
    filed = make_complaint(org, files=[_pdf(1 * KB), _pdf(1 * KB)])
    _open(client, filed)
    refused = _reply(client, _pdf(1 * KB), _pdf(1 * KB), text="อีกสองไฟล์")
    assert "ได้ไม่เกิน 3 ไฟล์" in refused.content.decode()
    assert not Event.objects.filter(kind=EventKind.MESSAGE_IN).exists()
    assert len(_files_on_disk(settings)) == Attachment.objects.count() == 2

    assert _reply(client, _pdf(1 * KB)).status_code == 302
    assert len(_files_on_disk(settings)) == Attachment.objects.count() == 3


def test_filing_beyond_the_quota_saves_nothing(client, org, settings, small_quota):
    form = {
        "category": "corruption",
        "accused": "งานพัสดุ",
        "facts": "ล็อกสเปกการจัดซื้อ",
        "anonymous": "on",
        "consent": "on",
        "submission_key": "",
        "files": [_pdf(200 * KB, f"f{n}.pdf") for n in range(3)],
    }
    response = client.post(f"/{org.slug}/complaints/new/", form)
    assert response.status_code == 200
    assert "ไฟล์ของเรื่องร้องเรียนหนึ่งเรื่องรวมกันได้ไม่เกิน" in response.content.decode()
    assert not Complaint.objects.exists()
    assert _files_on_disk(settings) == []


def test_replies_per_complaint_are_limited_per_hour(client, org, settings):
    settings.COMPLAINT_REPLY_RATE = "2/h"
    filed = make_complaint(org, anonymous=True, witnesses="พยาน")
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        _open(client, filed)
        assert _reply(client, text="ครั้งที่หนึ่ง").status_code == 302
        assert _reply(client, text="ครั้งที่สอง").status_code == 302
        refused = _reply(client, text="ครั้งที่สาม")
    assert "กรุณาส่งใหม่อีกครั้งในอีก 60 นาที" in refused.content.decode()
    assert Event.objects.filter(kind=EventKind.MESSAGE_IN).count() == 2

    with time_machine.travel(start + dt.timedelta(minutes=61), tick=False):
        _open(client, filed)
        assert _reply(client, text="ครั้งที่สาม").status_code == 302
    assert Event.objects.filter(kind=EventKind.MESSAGE_IN).count() == 3


def test_replies_are_rate_limited_per_client_address_across_complaints(client, org, settings):
    settings.COMPLAINT_REPLY_ADDRESS_RATE = "2/h"
    first = make_complaint(org, anonymous=True, witnesses="พยาน")
    second = make_complaint(org, anonymous=True, witnesses="พยาน")
    _open(client, first)
    assert _reply(client, text="หนึ่ง").status_code == 302
    assert _reply(client, text="สอง").status_code == 302
    _open(client, second)
    refused = _reply(client, text="สามอย่าลืม")
    assert refused.status_code == 429
    html = refused.content.decode()
    assert "มีการส่งข้อความจากการเชื่อมต่อของท่านมากเกินไป" in html
    assert "สามอย่าลืม" in html  # what was typed is kept on the page
    assert Event.objects.filter(kind=EventKind.MESSAGE_IN).count() == 2


def test_files_written_by_a_failed_attempt_are_removed(org, settings, monkeypatch):
    """A tracking code that collides makes the first attempt fail after its files were
    written; they are deleted with the rolled-back rows."""
    taken = make_complaint(org).complaint.tracking_code
    codes = iter([taken, "ACDEFGHJKMNP"])
    monkeypatch.setattr(services, "tracking_code_new", lambda: next(codes))
    filed = make_complaint(org, files=[_pdf(2 * KB), _pdf(3 * KB)])
    assert filed.complaint.tracking_code == "ACDEFGHJKMNP"
    assert len(_files_on_disk(settings)) == Attachment.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_replies_at_once_cannot_both_pass_the_quota(org, settings):
    settings.COMPLAINT_MAX_FILES = 1
    complaint = make_complaint(org, anonymous=True, witnesses="พยาน").complaint
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def reply() -> None:
        try:
            barrier.wait()
            services.complainant_reply(complaint=complaint, files=[_pdf(1 * KB)])
            outcomes.append("stored")
        except QuotaExceeded:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=reply) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "stored"]
    assert len(_files_on_disk(settings)) == Attachment.objects.count() == 1


def test_an_officer_recording_a_letter_is_not_held_to_the_public_quota(org, settings):
    settings.COMPLAINT_MAX_FILES = 1
    officer = make_user("legal", org, role=Role.COMPLAINT_OFFICER)
    filed = make_complaint(org, files=[_pdf(1 * KB), _pdf(1 * KB)], recorded_by=officer)
    assert filed.complaint.attachments.count() == 2
