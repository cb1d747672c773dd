"""The complainant's identity: hidden by default, revealed on purpose (and recorded), and
never in the queue, statistics, the admin, error pages or log lines."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.models import Role
from complaints import services
from complaints.models import Complaint, EventKind
from tests.builders import make_user

from .builders import make_complaint

IDENTITY = {
    "complainant_name": "นางลับมาก ผู้ร้องเรียน",
    "complainant_address": "88/8 ถนนลับเฉพาะ ตำบลซ่อนเร้น",
    "complainant_phone": "0876543210",
    "complainant_email": "hidden.person@example.com",
    "complainant_id_number": "3100501234563",
}
FACTS = "ข้อเท็จจริงเฉพาะเรื่องที่ไม่ควรอยู่ในสถิติ"
ACCUSED = "นายผู้ถูกกล่าวหา เฉพาะเรื่อง"


def _file(org, **fields) -> Complaint:
    if not fields.get("anonymous"):
        fields.setdefault("identity", dict(IDENTITY))
    return make_complaint(org, accused=ACCUSED, facts=FACTS, **fields).complaint


def _no_identity(text: str) -> None:
    for value in IDENTITY.values():
        assert value not in text


@pytest.fixture
def complaint(org) -> Complaint:
    return _file(org)


@pytest.fixture
def officer(org):
    return make_user("officer", org, Role.COMPLAINT_OFFICER, first_name="สมใจ")


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def _url(name: str, *args) -> str:
    return reverse(f"complaints_staff:{name}", args=["office", *args])


# --- The case page -------------------------------------------------------------------------


def test_identity_is_hidden_on_the_case_page_and_the_queue(officer_client, complaint):
    case = officer_client.get(_url("case", complaint.pk))
    _no_identity(case.text)
    assert 'id="reveal-form"' in case.text
    _no_identity(officer_client.get(_url("queue")).text)


@time_machine.travel(dt.datetime(2024, 5, 2, 14, 30, tzinfo=dt.UTC), tick=False)
def test_revealing_writes_who_and_when_and_shows_the_identity_once(
    officer_client, officer, complaint
):
    response = officer_client.post(_url("reveal", complaint.pk))
    assert response.status_code == 302
    event = complaint.events.get(kind=EventKind.IDENTITY_VIEWED)
    assert event.actor == officer
    assert event.created_at == timezone.now()
    assert event.text == ""  # the identity itself is never written into the timeline
    shown = officer_client.get(response["Location"])
    for value in IDENTITY.values():
        assert value in shown.text
    assert f'id="event-{event.pk}"' in shown.text
    assert "no-store" in shown["Cache-Control"]
    # The next view of the page hides it again.
    again = officer_client.get(_url("case", complaint.pk))
    _no_identity(again.text)
    assert complaint.events.filter(kind=EventKind.IDENTITY_VIEWED).count() == 1


def test_revealing_one_case_does_not_reveal_another(officer_client, org, complaint):
    other = _file(org)
    response = officer_client.post(_url("reveal", complaint.pk))
    _no_identity(officer_client.get(_url("case", other.pk)).text)
    # The flag was used up by that page view.
    _no_identity(officer_client.get(response["Location"]).text)


def test_identity_is_not_tracked_to_the_complainant(officer_client, complaint):
    officer_client.post(_url("reveal", complaint.pk))
    kinds = set(services.tracking_events(complaint).values_list("kind", flat=True))
    assert EventKind.IDENTITY_VIEWED not in kinds


def test_an_anonymous_case_says_so_and_has_nothing_to_reveal(officer_client, org):
    complaint = _file(org, anonymous=True)
    page = officer_client.get(_url("case", complaint.pk)).text
    assert 'id="identity-anonymous"' in page
    assert 'id="reveal-form"' not in page
    officer_client.post(_url("reveal", complaint.pk))
    assert not complaint.events.filter(kind=EventKind.IDENTITY_VIEWED).exists()


def test_a_purged_case_says_when_the_identity_was_erased(officer_client, officer, complaint):
    services.complaint_reject(complaint=complaint, user=officer, reason="rumour")
    services.complainant_data_purge(before=timezone.now() + dt.timedelta(seconds=1))
    page = officer_client.get(_url("case", complaint.pk)).text
    assert 'id="identity-purged"' in page
    assert 'id="reveal-form"' not in page
    officer_client.post(_url("reveal", complaint.pk))
    assert not complaint.events.filter(kind=EventKind.IDENTITY_VIEWED).exists()


# --- Other roles and pages ---------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.VIEWER, Role.EDITOR, Role.ADMINISTRATOR])
def test_staff_pages_show_other_roles_no_identity(client, org, complaint, role):
    client.force_login(make_user("member", org, role))
    for url in (
        _url("queue"),
        _url("case", complaint.pk),
        reverse("staff:dashboard"),
        reverse("complaints:statistics", args=["office", 2567]),
    ):
        response = client.get(url)
        _no_identity(response.text)
        assert FACTS not in response.text


def test_statistics_show_no_identity_facts_or_accused(client, org, complaint):
    response = client.get(
        reverse("complaints:statistics", args=["office", complaint_year(complaint)])
    )
    assert response.status_code == 200
    assert response.context["tables"].stats.received == 1
    _no_identity(response.text)
    assert FACTS not in response.text
    assert ACCUSED not in response.text
    assert complaint.tracking_code not in response.text


def complaint_year(complaint: Complaint) -> int:
    from ita_portal.thai import fiscal_year_of

    return fiscal_year_of(timezone.localtime(complaint.received_at).date())


def test_the_admin_shows_superusers_no_identity_and_nothing_to_change(client, complaint):
    root = get_user_model().objects.create_superuser("root", "root@example.com", "pw-123456789")
    client.force_login(root)
    listing = client.get(reverse("admin:complaints_complaint_changelist"))
    assert listing.status_code == 200
    assert complaint.tracking_code in listing.text
    page = client.get(reverse("admin:complaints_complaint_change", args=[complaint.pk]))
    assert page.status_code == 200
    _no_identity(page.text)
    assert FACTS not in page.text and ACCUSED not in page.text
    assert (
        client.get(reverse("admin:complaints_complaint_delete", args=[complaint.pk])).status_code
        == 403
    )
    assert client.get(reverse("admin:complaints_complaint_add")).status_code == 403
    # A POST to the change page changes nothing.
    client.post(
        reverse("admin:complaints_complaint_change", args=[complaint.pk]), {"status": "concluded"}
    )
    complaint.refresh_from_db()
    assert complaint.status == "received"


def test_the_admin_is_closed_to_staff_who_are_not_superusers(client, org, complaint):
    from django.contrib.auth.models import Permission

    admin = make_user("admin", org, Role.COMPLAINT_OFFICER, is_staff=True)
    admin.user_permissions.set(Permission.objects.filter(content_type__app_label="complaints"))
    client.force_login(admin)
    # The admin is for superusers only: non-superusers go back to its login page.
    assert client.get(reverse("admin:complaints_complaint_changelist")).status_code in (302, 403)
    assert client.get(
        reverse("admin:complaints_complaint_change", args=[complaint.pk])
    ).status_code in (
        302,
        403,
    )


def test_an_error_page_shows_no_identity(org, officer, monkeypatch, caplog):
    def broken(**kwargs):
        raise RuntimeError("storage unavailable")

    monkeypatch.setattr(services, "complaint_file", broken)
    client = Client(raise_request_exception=False)
    client.force_login(officer)
    caplog.set_level(logging.DEBUG)
    response = client.post(
        _url("record"),
        {
            "channel": "walk_in",
            "received_on": timezone.localdate().isoformat(),
            "category": "corruption",
            "accused": ACCUSED,
            "facts": FACTS,
            **IDENTITY,
        },
    )
    assert response.status_code == 500
    _no_identity(response.content.decode())
    _no_identity(caplog.text)
    assert FACTS not in caplog.text


# --- Log lines ----------------------------------------------------------------------------


def test_no_identity_in_log_lines(officer_client, officer, org, caplog, capsys):
    caplog.set_level(logging.DEBUG)
    complaint = _file(org)  # filing
    officer_client.post(_url("reveal", complaint.pk))  # revealing
    officer_client.get(_url("case", complaint.pk))  # the page that shows it
    officer_client.post(_url("conclude", complaint.pk), {"outcome": "ผล"})  # refused step
    officer_client.post(_url("reject", complaint.pk), {"reason": "", "message": ""})  # form error
    officer_client.post(_url("record"), {"complainant_name": IDENTITY["complainant_name"]})  # 400
    services.complaint_reject(complaint=complaint, user=officer, reason="rumour")
    with time_machine.travel(timezone.now() + dt.timedelta(days=365 * 6)):
        call_command("purge_complainant_data")  # the purge
    complaint.refresh_from_db()
    assert complaint.identity_purged_at is not None
    assert caplog.records  # something was logged: the check below is not vacuous
    logged = caplog.text + "".join(str(getattr(record, "args", "")) for record in caplog.records)
    _no_identity(logged)
    _no_identity(capsys.readouterr().out)


def test_sql_is_never_logged_with_its_parameters():
    # With DEBUG on, Django logs every query with its values (identity included) at DEBUG.
    assert logging.getLogger("django.db.backends").getEffectiveLevel() >= logging.WARNING
