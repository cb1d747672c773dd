"""E-mail to a named complainant who asked for it when the office answers: the tracking
link only, never the content, the code or the PIN (issue 17, Deliver 6)."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from assessments.models import Role
from complaints.models import Complaint, Event, EventKind
from complaints.services import (
    complainant_data_purge,
    complaint_accept,
    complaint_conclude,
    complaint_note,
)
from tests.builders import make_user
from tests.complaints.builders import IDENTITY, make_complaint

EMAIL = IDENTITY["complainant_email"]
ANSWER = "สำนักงานได้ตั้งคณะกรรมการสืบข้อเท็จจริงแล้ว รายละเอียดลับ"
FACTS = "เรียกรับเงินเพื่อเร่งการเบิกจ่าย"


@pytest.fixture
def officer(org):
    return make_user("legal", org, role=Role.COMPLAINT_OFFICER, email="legal@example.go.th")


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def _step(client, org, complaint, step: str, **data):
    return client.post(reverse(f"complaints_staff:{step}", args=[org.slug, complaint.pk]), data)


def _form(**overrides) -> dict:
    data = {
        "category": "delay",
        "accused": "งานทะเบียน",
        "facts": FACTS,
        "consent": "on",
        "complainant_name": IDENTITY["complainant_name"],
        "complainant_email": EMAIL,
        "notify_by_email": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _post(client, org, **overrides):
    return client.post(reverse("complaints:new", args=[org.slug]), _form(**overrides))


def test_a_named_complainant_can_ask_for_e_mails(client, org):
    assert _post(client, org).status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.notify_by_email and complaint.complainant_email == EMAIL


def test_asking_for_e_mails_needs_an_address(client, org):
    response = _post(client, org, complainant_email="", complainant_phone="0812345678")
    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()
    assert [e.code for e in errors["complainant_email"]] == ["email_for_notice"]
    assert not Complaint.objects.exists()


def test_an_anonymous_complaint_asking_for_e_mails_is_refused_clearly(client, org):
    response = _post(client, org, anonymous="on", witnesses="ใบเสร็จ")
    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()
    assert [e.code for e in errors["notify_by_email"]] == ["anonymous_no_email"]
    assert not Complaint.objects.exists()


def test_the_office_s_message_e_mails_the_link_only(
    officer_client, org, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://ita.example.go.th"
    filed = make_complaint(org, notify_by_email=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = _step(officer_client, org, filed.complaint, "message", text=ANSWER)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [EMAIL]
    assert "https://ita.example.go.th/complaints/track/" in message.body
    text = message.subject + message.body
    for secret in [ANSWER, filed.pin, filed.complaint.tracking_code, filed.code_display, FACTS]:
        assert secret not in text
    assert IDENTITY["complainant_name"] not in text


def test_a_status_change_e_mails_once(officer_client, org, django_capture_on_commit_callbacks):
    filed = make_complaint(org, notify_by_email=True)
    with django_capture_on_commit_callbacks(execute=True):
        _step(officer_client, org, filed.complaint, "accept", message=ANSWER)
    assert [m.to for m in mail.outbox] == [[EMAIL]]
    assert ANSWER not in mail.outbox[0].body


def test_internal_steps_send_nothing(officer, org, django_capture_on_commit_callbacks):
    filed = make_complaint(org, notify_by_email=True)
    with django_capture_on_commit_callbacks(execute=True):
        complaint_note(complaint=filed.complaint, user=officer, text="บันทึกภายใน")
    assert mail.outbox == []


def test_no_e_mail_when_the_complainant_did_not_ask(
    officer_client, org, django_capture_on_commit_callbacks
):
    filed = make_complaint(org)
    with django_capture_on_commit_callbacks(execute=True):
        _step(officer_client, org, filed.complaint, "message", text=ANSWER)
    assert mail.outbox == []


def test_no_e_mail_for_an_anonymous_complaint(
    officer_client, org, django_capture_on_commit_callbacks
):
    filed = make_complaint(org, anonymous=True, witnesses="พยาน", notify_by_email=True)
    assert not filed.complaint.notify_by_email
    with django_capture_on_commit_callbacks(execute=True):
        _step(officer_client, org, filed.complaint, "message", text=ANSWER)
    assert mail.outbox == []


def test_the_purge_removes_the_wish_with_the_address(org, officer, settings):
    filed = make_complaint(org, notify_by_email=True)
    complaint_accept(complaint=filed.complaint, user=officer)
    complaint_conclude(complaint=filed.complaint, user=officer, outcome="ยุติ")
    complainant_data_purge(before=timezone.now() + dt.timedelta(days=1))
    complaint = Complaint.objects.get()
    assert complaint.complainant_email == "" and not complaint.notify_by_email


def test_the_officers_see_that_the_complainant_asked(officer_client, org):
    filed = make_complaint(org, notify_by_email=True)
    page = officer_client.get(reverse("complaints_staff:case", args=[org.slug, filed.complaint.pk]))
    assert 'id="notify-by-email"' in page.content.decode()
    assert EMAIL not in page.content.decode()  # the address stays behind "show the identity"


# transaction=True: the e-mail goes out on commit, inside the request, as in production.
@pytest.mark.django_db(transaction=True)
def test_a_failing_mail_server_never_breaks_the_officer_s_step(
    org, officer, client, refusing_smtp, caplog
):
    filed = make_complaint(org, notify_by_email=True)
    client.force_login(officer)
    caplog.set_level(logging.INFO)
    caplog.clear()  # filing's own e-mail to the officers failed too
    response = _step(client, org, filed.complaint, "message", text=ANSWER)
    assert response.status_code == 302
    assert Event.objects.filter(kind=EventKind.MESSAGE_OUT, text=ANSWER).exists()
    failures = [r for r in caplog.records if r.name == "complaints.notifications"]
    assert len(failures) == 1 and failures[0].levelno == logging.ERROR
    assert f"complaint #{filed.complaint.pk}" in failures[0].getMessage()
    for secret in [EMAIL, ANSWER, filed.complaint.tracking_code]:
        assert secret not in caplog.text
