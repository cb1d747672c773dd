"""Following a complaint with its tracking code and PIN."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import time_machine
from django.test import Client
from django.urls import reverse

from assessments.models import Role
from complaints.models import Attachment, Category, EventKind, Status
from complaints.services import (
    complaint_accept,
    complaint_conclude,
    complaint_message,
    complaint_note,
    identity_reveal,
)
from complaints.views import TRACKING_KEY
from tests.builders import make_user
from tests.complaints.builders import IDENTITY, make_complaint
from tests.measures.builders import PDF_BYTES, image_bytes, upload

TRACK = "/complaints/track/"
BANGKOK = ZoneInfo("Asia/Bangkok")
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def _open(client, filed, **extra):
    return client.post(
        TRACK, {"action": "lookup", "code": filed.code_display, "pin": filed.pin}, **extra
    )


def _case_is_open(client) -> bool:
    return "reply_form" in client.get(TRACK).context


def test_the_page_asks_for_the_code_and_the_pin(client, db):
    response = client.get(TRACK)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="code"' in html and 'name="pin"' in html and 'type="password"' in html
    assert "no-store" in response["Cache-Control"]


def test_the_whole_public_flow(client, org):
    form = {
        "category": Category.DELAY,
        "accused": "งานทะเบียน",
        "facts": "ยื่นคำขอมาสามเดือนยังไม่ได้รับการพิจารณา",
        "witnesses": "สำเนาคำขอ",
        "complainant_name": IDENTITY["complainant_name"],
        "complainant_phone": IDENTITY["complainant_phone"],
        "consent": "on",
        "files": [upload("request.pdf", PDF_BYTES)],
    }
    filed = client.post(reverse("complaints:new", args=[org.slug]), form)
    shown = client.get(filed["Location"]).context["filed"]

    # Typed the way people type: lower case, no dashes, spaces around.
    code = f"  {shown['code'].replace('-', '').lower()} "
    opened = client.post(TRACK, {"action": "lookup", "code": code, "pin": shown["pin"]})
    assert opened.status_code == 302 and opened["Location"] == TRACK

    page = client.get(TRACK)
    assert page.status_code == 200
    html = page.content.decode()
    assert f'id="tracking-code">{shown["code"]}<' in html
    assert str(Status.RECEIVED.label) in html
    assert html.count('class="file"') == 1

    reply = client.post(
        TRACK,
        {
            "action": "reply",
            "text": "ส่งหลักฐานเพิ่มเติมครับ",
            "files": [upload("more.jpg", image_bytes())],
        },
    )
    assert reply.status_code == 302 and reply["Location"] == TRACK

    page = client.get(TRACK)
    html = page.content.decode()
    assert "ส่งหลักฐานเพิ่มเติมครับ" in html
    assert html.count('class="file"') == 2
    assert "(JPG," in html and "(PDF," in html
    assert Attachment.objects.count() == 2
    for value in (IDENTITY["complainant_name"], IDENTITY["complainant_phone"]):
        assert value not in html


def test_the_case_shows_status_dates_messages_and_outcome(client, org):
    officer = make_user("legal", org, role=Role.COMPLAINT_OFFICER)
    received = dt.datetime(2024, 1, 15, 10, 30, tzinfo=BANGKOK)
    filed = make_complaint(org, received_at=received)
    complaint = filed.complaint
    complaint_accept(complaint=complaint, user=officer, message="รับเรื่องไว้พิจารณาแล้ว")
    complaint_message(complaint=complaint, user=officer, text="ขอสำเนาใบเสร็จเพิ่มเติม")
    complaint_note(complaint=complaint, user=officer, text="บันทึกภายใน ห้ามเผยแพร่")
    identity_reveal(complaint=complaint, user=officer)
    complaint_conclude(complaint=complaint, user=officer, outcome="ลงโทษทางวินัยแล้ว")

    _open(client, filed)
    html = client.get(TRACK).content.decode()

    assert str(Status.CONCLUDED.label) in html
    assert "15 มกราคม 2567" in html  # received, in BE with the Thai month
    assert "30 มกราคม 2567" in html  # to be acknowledged by (15 days)
    assert 'id="case-outcome"' in html and "ลงโทษทางวินัยแล้ว" in html
    assert "รับเรื่องไว้พิจารณาแล้ว" in html
    assert "ขอสำเนาใบเสร็จเพิ่มเติม" in html
    assert "บันทึกภายใน" not in html
    assert f"event-{EventKind.IDENTITY_VIEWED}" not in html
    assert f"event-{EventKind.NOTE}" not in html
    assert "legal" not in html  # officers stay unnamed too


def test_the_identity_is_never_on_the_tracking_page(client, org):
    filed = make_complaint(org)
    _open(client, filed)
    html = client.get(TRACK).content.decode()
    assert 'id="tracking-code"' in html
    for value in IDENTITY.values():
        assert value not in html


def test_a_wrong_code_and_a_wrong_pin_get_the_same_answer(client, org):
    filed = make_complaint(org)
    not_the_pin = f"{(int(filed.pin) + 1) % 10**6:06d}"
    wrong_pin = client.post(
        TRACK, {"action": "lookup", "code": filed.code_display, "pin": not_the_pin}
    )
    unknown_code = client.post(
        TRACK, {"action": "lookup", "code": "ACDE-FGHJ-KMNP", "pin": filed.pin}
    )

    assert wrong_pin.status_code == unknown_code.status_code == 200
    assert CSRF.sub("", wrong_pin.content.decode()) == CSRF.sub("", unknown_code.content.decode())
    assert 'id="track-failed"' in wrong_pin.content.decode()
    assert filed.code_display not in wrong_pin.content.decode()
    assert TRACKING_KEY not in client.session


def test_repeated_failures_are_rate_limited_even_with_the_right_pin(client, org, settings):
    settings.COMPLAINT_TRACK_RATE = "3/h"
    filed = make_complaint(org)
    for _ in range(3):
        response = client.post(
            TRACK, {"action": "lookup", "code": filed.code_display, "pin": "000000"}
        )
        assert response.status_code == 200

    refused = _open(client, filed)
    assert refused.status_code == 429
    assert 'id="rate-limited"' in refused.content.decode()
    assert TRACKING_KEY not in client.session
    assert not _case_is_open(client)

    # Another browser, even on the same address, is not held back by these failures.
    assert _open(Client(), filed).status_code == 302


def test_successful_look_ups_are_not_counted(client, org, settings):
    settings.COMPLAINT_TRACK_RATE = "2/h"
    filed = make_complaint(org)
    for _ in range(4):
        assert _open(client, filed).status_code == 302


def test_an_empty_form_gets_the_same_answer(client, db):
    response = client.post(TRACK, {"action": "lookup", "code": "", "pin": ""})
    assert response.status_code == 200
    assert 'id="track-failed"' in response.content.decode()


def test_the_session_is_renewed_when_a_case_is_opened(client, org):
    filed = make_complaint(org)
    client.get(TRACK)
    client.session.save()
    before = client.session.session_key
    _open(client, filed)
    assert client.session.session_key != before


def test_the_case_closes_after_half_an_hour_without_use(client, org):
    filed = make_complaint(org)
    start = dt.datetime(2024, 3, 1, 9, 0, tzinfo=BANGKOK)
    with time_machine.travel(start, tick=False) as clock:
        _open(client, filed)
        clock.shift(dt.timedelta(minutes=25))
        assert _case_is_open(client)
        clock.shift(dt.timedelta(minutes=25))  # 25 minutes after the last step
        assert _case_is_open(client)
        clock.shift(dt.timedelta(minutes=31))
        response = client.get(TRACK)
        assert "reply_form" not in response.context
        assert 'name="pin"' in response.content.decode()


def test_finish_closes_the_case_on_this_device(client, org):
    filed = make_complaint(org)
    _open(client, filed)
    response = client.post(TRACK, {"action": "finish"})
    assert response.status_code == 302
    assert TRACKING_KEY not in client.session
    assert not _case_is_open(client)


def test_a_reply_needs_a_message_or_a_file(client, org):
    filed = make_complaint(org)
    _open(client, filed)
    response = client.post(TRACK, {"action": "reply", "text": "   "})
    assert response.status_code == 200
    assert response.context["reply_form"].non_field_errors()
    assert not filed.complaint.events.filter(kind=EventKind.MESSAGE_IN).exists()


def test_a_reply_with_a_renamed_program_saves_nothing(client, org):
    filed = make_complaint(org)
    _open(client, filed)
    response = client.post(
        TRACK,
        {"action": "reply", "text": "ข้อความพร้อมไฟล์", "files": [upload("doc.pdf", EXE)]},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "ไฟล์ “doc.pdf” ไม่ใช่ชนิดไฟล์ที่รับได้" in html
    assert "ข้อความพร้อมไฟล์" in html
    assert not filed.complaint.events.filter(kind=EventKind.MESSAGE_IN).exists()
    assert not Attachment.objects.exists()


def test_a_reply_without_an_open_case_is_not_taken(client, org):
    filed = make_complaint(org)
    response = client.post(TRACK, {"action": "reply", "text": "สวัสดี"})
    assert response.status_code == 302
    assert not filed.complaint.events.filter(kind=EventKind.MESSAGE_IN).exists()


def test_other_methods_are_refused(client, db):
    assert client.put(TRACK).status_code == 405
