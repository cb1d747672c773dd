"""The officers' workflow through the staff pages: queue, case page, steps, recording, e-mail."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from assessments.models import Role
from complaints.models import Channel, Complaint, Event, EventKind, RejectionReason, Status
from complaints.services import (
    complaint_accept,
    complaint_for_tracking,
    tracking_code_display,
    tracking_events,
)
from tests.builders import make_org, make_user
from tests.measures.builders import PDF_BYTES, upload

from .builders import make_complaint

BANGKOK = ZoneInfo("Asia/Bangkok")
NAME = "นายลับเฉพาะ ผู้ร้องทดสอบ"
FACTS = "เจ้าหน้าที่เรียกรับเงินเพื่อเร่งการเบิกจ่ายงบประมาณ"
ACCUSED = "นายผู้ถูกร้อง ทดสอบ"


def _file(org, **fields) -> Complaint:
    fields.setdefault("accused", ACCUSED)
    fields.setdefault("facts", FACTS)
    if not fields.get("anonymous"):
        fields.setdefault("identity", {"complainant_name": NAME, "complainant_phone": "0811111111"})
    return make_complaint(org, **fields).complaint


@pytest.fixture
def officer(org):
    return make_user("officer", org, Role.COMPLAINT_OFFICER, first_name="สมศรี", last_name="นิติกร")


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def complaint(org) -> Complaint:
    return _file(org)


def _url(name: str, *args) -> str:
    return reverse(f"complaints_staff:{name}", args=["office", *args])


def _levels(response) -> list[str]:
    return [m.level_tag for m in get_messages(response.wsgi_request)]


def _statuses(complaint: Complaint) -> list[str]:
    return list(complaint.events.filter(kind=EventKind.STATUS).values_list("status", flat=True))


# --- The queue --------------------------------------------------------------------------


def test_queue_lists_the_organisations_cases_newest_first(officer_client, org):
    old = _file(org, received_at=dt.datetime(2024, 1, 5, 10, tzinfo=BANGKOK))
    new = _file(org, received_at=dt.datetime(2024, 2, 5, 10, tzinfo=BANGKOK))
    _file(make_org("other"), facts="เรื่องของหน่วยงานอื่น")
    response = officer_client.get(_url("queue"))
    assert response.status_code == 200
    assert [row["complaint"].pk for row in response.context["rows"]] == [new.pk, old.pk]
    assert tracking_code_display(new.tracking_code) in response.text
    assert "เรื่องของหน่วยงานอื่น" not in response.text
    assert response["Cache-Control"].count("no-store") == 1
    # Links to recording a complaint and to this fiscal year's public statistics.
    assert _url("record") in response.text
    assert 'id="statistics-link"' in response.text


def test_queue_filters_by_status_category_and_channel(officer_client, org, officer):
    phone = _file(org, channel=Channel.PHONE, category="delay")
    web = _file(org)
    complaint_accept(complaint=web, user=officer)

    def listed(**query) -> set[int]:
        response = officer_client.get(_url("queue"), query)
        return {row["complaint"].pk for row in response.context["rows"]}

    assert listed(channel="phone") == {phone.pk}
    assert listed(category="delay") == {phone.pk}
    assert listed(status="accepted") == {web.pk}
    assert listed(status="accepted", channel="phone") == set()
    # A value that is not a choice is not applied rather than an error.
    assert listed(status="nonsense") == {phone.pk, web.pk}


def test_queue_highlights_and_filters_overdue_cases(officer_client, org, officer):
    received = dt.datetime(2024, 3, 1, 9, tzinfo=BANGKOK)
    late = _file(org, received_at=received)
    handled = _file(org, received_at=received)
    complaint_accept(complaint=handled, user=officer)
    recent = _file(org, received_at=dt.datetime(2024, 3, 20, 9, tzinfo=BANGKOK))
    with time_machine.travel(dt.datetime(2024, 3, 25, 12, tzinfo=BANGKOK), tick=False):
        response = officer_client.get(_url("queue"))
        overdue = {row["complaint"].pk for row in response.context["rows"] if row["overdue"]}
        assert overdue == {late.pk}
        row = re.search(rf'<tr class="([^"]*)" id="case-{late.pk}">(.*?)</tr>', response.text, re.S)
        assert "overdue" in row.group(1)
        assert 'class="badge fail overdue"' in row.group(2)  # text, not colour only
        assert f'<tr class="case" id="case-{recent.pk}">' in response.text
        assert response.context["overdue_count"] == 1
        only = officer_client.get(_url("queue"), {"overdue": "1"})
        assert [r["complaint"].pk for r in only.context["rows"]] == [late.pk]
        case = officer_client.get(_url("case", late.pk))
        assert 'id="overdue"' in case.text
        assert 'id="overdue"' not in officer_client.get(_url("case", recent.pk)).text


def test_queue_pages_by_fifty_in_a_bounded_number_of_queries(
    officer_client, org, officer, django_assert_max_num_queries
):
    Complaint.objects.bulk_create(
        Complaint(
            organisation=org,
            tracking_code=f"CODE{n:08d}",
            pin_hash="x",
            channel=Channel.WEB,
            category="other",
            accused="x",
            facts="y",
            anonymous=True,
            assigned_to=officer,
            received_at=dt.datetime(2024, 1, 1, tzinfo=BANGKOK) + dt.timedelta(hours=n),
            acknowledge_by=dt.date(2024, 1, 16),
        )
        for n in range(60)
    )
    with django_assert_max_num_queries(10):
        response = officer_client.get(_url("queue"))
    assert len(response.context["rows"]) == 50
    assert response.context["rows"][0]["complaint"].tracking_code == "CODE00000059"
    second = officer_client.get(_url("queue"), {"page": 2})
    assert len(second.context["rows"]) == 10


# --- The case page ------------------------------------------------------------------------


def test_case_page_shows_the_complaint_and_its_timeline(officer_client, org, complaint):
    response = officer_client.get(_url("case", complaint.pk))
    assert response.status_code == 200
    assert FACTS in response.text
    assert ACCUSED in response.text
    assert f'id="event-{complaint.events.get().pk}"' in response.text
    assert "no-store" in response["Cache-Control"]
    # What the state allows is offered; the rest is not.
    assert 'id="step-accept"' in response.text
    assert 'id="step-reject"' in response.text
    assert 'id="step-conclude"' not in response.text


def test_screen_accept_then_investigate_then_conclude(officer_client, officer, complaint):
    response = officer_client.post(_url("accept", complaint.pk), {"message": "รับเรื่องแล้ว"})
    assert response.status_code == 302
    assert response["Location"].startswith(_url("case", complaint.pk))
    assert _levels(response) == ["success"]
    officer_client.post(_url("investigate", complaint.pk), {"message": ""})
    officer_client.post(_url("conclude", complaint.pk), {"outcome": "ลงโทษทางวินัยแล้ว"})
    complaint.refresh_from_db()
    assert complaint.status == Status.CONCLUDED
    assert complaint.outcome == "ลงโทษทางวินัยแล้ว"
    assert complaint.acknowledged_at is not None
    assert complaint.closed_at is not None
    assert _statuses(complaint) == [Status.ACCEPTED, Status.INVESTIGATING, Status.CONCLUDED]
    assert set(complaint.events.filter(kind=EventKind.STATUS).values_list("actor", flat=True)) == {
        officer.pk
    }
    page = officer_client.get(_url("case", complaint.pk)).text
    assert "ลงโทษทางวินัยแล้ว" in page
    assert 'id="step-accept"' not in page and 'id="step-conclude"' not in page


def test_reject_with_a_reason(officer_client, complaint):
    response = officer_client.post(
        _url("reject", complaint.pk), {"reason": RejectionReason.RUMOUR, "message": ""}
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.REJECTED
    assert complaint.rejection_reason == RejectionReason.RUMOUR
    event = complaint.events.get(kind=EventKind.STATUS)
    assert event.text == str(RejectionReason.RUMOUR.label)


def test_reject_without_a_reason_is_a_form_error_and_changes_nothing(officer_client, complaint):
    response = officer_client.post(_url("reject", complaint.pk), {"reason": "", "message": "x"})
    assert response.status_code == 400
    assert "reason" in response.context["forms"]["reject"].errors
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED
    assert _statuses(complaint) == []


def test_forward_to_another_agency(officer_client, complaint):
    officer_client.post(_url("forward", complaint.pk), {"agency": "สำนักงาน ป.ป.ช.", "message": ""})
    complaint.refresh_from_db()
    assert complaint.status == Status.FORWARDED
    assert complaint.forwarded_to == "สำนักงาน ป.ป.ช."
    assert complaint.closed_at is not None


@pytest.mark.parametrize(
    ("step", "data"),
    [
        ("conclude", {"outcome": "สรุปผล"}),
        ("investigate", {"message": ""}),
    ],
)
def test_a_step_the_state_does_not_allow_is_refused_with_a_message(
    officer_client, complaint, step, data
):
    response = officer_client.post(_url(step, complaint.pk), data)
    assert response.status_code == 302
    assert _levels(response) == ["error"]
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED
    assert complaint.outcome == ""
    assert complaint.acknowledged_at is None
    assert _statuses(complaint) == []


def test_a_closed_case_cannot_be_reopened(officer_client, complaint):
    officer_client.post(_url("reject", complaint.pk), {"reason": "duplicate", "message": ""})
    response = officer_client.post(_url("accept", complaint.pk), {"message": ""})
    assert _levels(response)[-1] == "error"
    complaint.refresh_from_db()
    assert complaint.status == Status.REJECTED
    assert _statuses(complaint) == [Status.REJECTED]


def test_assign_an_officer_of_the_organisation(officer_client, org, complaint):
    colleague = make_user("colleague", org, Role.COMPLAINT_OFFICER, first_name="สมชาย")
    officer_client.post(_url("assign", complaint.pk), {"officer": colleague.pk})
    complaint.refresh_from_db()
    assert complaint.assigned_to == colleague
    assert complaint.events.filter(kind=EventKind.ASSIGNED).exists()
    assert "สมชาย" in officer_client.get(_url("queue")).text


@pytest.mark.parametrize("role", [Role.EDITOR, Role.ADMINISTRATOR])
def test_only_complaint_officers_can_be_assigned(officer_client, org, complaint, role):
    editor = make_user("someone", org, role)
    stranger = make_user("stranger", make_org("other"), Role.COMPLAINT_OFFICER)
    for user in (editor, stranger):
        response = officer_client.post(_url("assign", complaint.pk), {"officer": user.pk})
        assert response.status_code == 400
    complaint.refresh_from_db()
    assert complaint.assigned_to is None
    assert not complaint.events.filter(kind=EventKind.ASSIGNED).exists()


def test_messages_reach_the_tracking_page_and_notes_do_not(officer_client, complaint):
    officer_client.post(_url("message", complaint.pk), {"text": "ขอเอกสารเพิ่มเติม"})
    officer_client.post(_url("note", complaint.pk), {"text": "บันทึกภายในห้ามเปิดเผย"})
    texts = list(tracking_events(complaint).values_list("text", flat=True))
    assert "ขอเอกสารเพิ่มเติม" in texts
    assert "บันทึกภายในห้ามเปิดเผย" not in texts
    assert complaint.events.filter(kind=EventKind.NOTE, text="บันทึกภายในห้ามเปิดเผย").exists()
    page = officer_client.get(_url("case", complaint.pk)).text
    assert "ขอเอกสารเพิ่มเติม" in page and "บันทึกภายในห้ามเปิดเผย" in page


def test_an_empty_message_is_a_form_error(officer_client, complaint):
    response = officer_client.post(_url("message", complaint.pk), {"text": "   "})
    assert response.status_code == 400
    assert complaint.events.count() == 1


def test_attachments_are_downloaded_privately(officer_client, org):
    complaint = _file(org, files=[upload("scan.pdf", PDF_BYTES)])
    attachment = complaint.attachments.get()
    page = officer_client.get(_url("case", complaint.pk)).text
    url = _url("attachment", complaint.pk, attachment.key)
    assert url in page
    response = officer_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"


# --- Recording a complaint received by another channel -------------------------------------


def _record_form(**extra) -> dict:
    data = {
        "channel": Channel.WALK_IN,
        "received_on": "2024-02-01",
        "category": "neglect",
        "accused": ACCUSED,
        "facts": FACTS,
        "request": "",
        "incident_date": "",
        "witnesses": "",
        "complainant_name": NAME,
        "complainant_phone": "0822222222",
        "complainant_address": "",
        "complainant_email": "",
        "complainant_id_number": "",
    }
    data.update(extra)
    return data


@time_machine.travel(dt.datetime(2024, 2, 3, 10, tzinfo=BANGKOK), tick=False)
def test_record_a_walk_in_complaint_and_hand_over_code_and_pin(officer_client, officer, org):
    response = officer_client.post(
        _url("record"),
        {**_record_form(), "files": [upload("letter.pdf", PDF_BYTES)]},
    )
    assert response.status_code == 200
    complaint = Complaint.objects.get()
    assert complaint.channel == Channel.WALK_IN
    assert complaint.created_by == officer
    assert complaint.complainant_name == NAME
    assert timezone_date(complaint.received_at) == dt.date(2024, 2, 1)
    assert complaint.acknowledge_by == dt.date(2024, 2, 16)
    assert complaint.attachments.count() == 1
    assert complaint.events.get().actor == officer
    # The code and PIN are on this answer, once, and they work on the tracking page.
    code = re.search(r'id="tracking-code">([^<]+)<', response.text).group(1)
    pin = re.search(r'id="tracking-pin">(\d+)<', response.text).group(1)
    assert complaint_for_tracking(code=code, pin=pin) == complaint
    # The PIN is nowhere else: not the case page, not the session.
    case = officer_client.get(_url("case", complaint.pk))
    assert pin not in case.text.replace(code, "")
    assert pin not in str(dict(officer_client.session))


def timezone_date(value: dt.datetime) -> dt.date:
    return value.astimezone(BANGKOK).date()


def test_record_an_anonymous_phone_complaint_keeps_no_identity(officer_client):
    response = officer_client.post(
        _url("record"),
        _record_form(channel=Channel.PHONE, anonymous="on", received_on=""),
    )
    assert response.status_code == 400  # the date received is required
    response = officer_client.post(
        _url("record"),
        # What was typed about the complainant is dropped, not checked.
        _record_form(
            channel=Channel.PHONE,
            anonymous="on",
            received_on=timezone.localdate().isoformat(),
            complainant_email="not an e-mail",
        ),
    )
    assert response.status_code == 200
    complaint = Complaint.objects.get()
    assert complaint.anonymous
    assert complaint.channel == Channel.PHONE
    assert complaint.complainant_name == "" and complaint.complainant_phone == ""


@pytest.mark.parametrize(
    "extra",
    [
        {"channel": Channel.WEB},  # the public's own channel
        {"received_on": "2999-01-01"},
        {"complainant_name": "", "complainant_phone": ""},  # neither identity nor anonymous
        {"complainant_id_number": "1234567890123"},  # wrong check digit
        {"facts": ""},
    ],
)
def test_record_refuses_incomplete_or_wrong_forms(officer_client, extra):
    response = officer_client.post(_url("record"), _record_form(**extra))
    assert response.status_code == 400
    assert not Complaint.objects.exists()


def test_record_accepts_a_buddhist_era_date(officer_client):
    officer_client.post(_url("record"), _record_form(received_on="15/01/2567"))
    complaint = Complaint.objects.get()
    assert timezone_date(complaint.received_at) == dt.date(2024, 1, 15)


# --- E-mail to the officers ----------------------------------------------------------------


def test_officers_are_emailed_a_link_and_nothing_else(
    org, officer, settings, django_capture_on_commit_callbacks
):
    officer.email = "officer@example.com"
    officer.save()
    make_user("editor", org, Role.EDITOR, email="editor@example.com")
    settings.SITE_URL = "https://ita.example.go.th"
    with django_capture_on_commit_callbacks(execute=True):
        complaint = _file(
            org, identity={"complainant_name": NAME, "complainant_email": "c@example.com"}
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["officer@example.com"]
    body = message.subject + message.body
    assert f"https://ita.example.go.th{_url('case', complaint.pk)}" in body
    for secret in (FACTS, ACCUSED, NAME, "c@example.com", complaint.tracking_code):
        assert secret not in body


def test_a_recorded_complaint_emails_the_officers_too(
    officer_client, officer, django_capture_on_commit_callbacks
):
    officer.email = "officer@example.com"
    officer.save()
    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(
            _url("record"), _record_form(received_on=timezone.localdate().isoformat())
        )
    assert len(mail.outbox) == 1
    assert NAME not in mail.outbox[0].body
    assert Event.objects.get().kind == EventKind.RECEIVED
