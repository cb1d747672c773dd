"""The weekly e-mail of what is due: who gets it, once a week, opt-out, unsubscribe link."""

from __future__ import annotations

import datetime as dt
import io
import logging
import re

import pytest
from django.core import mail
from django.core.management import call_command

from assessments.models import Role
from complaints.models import Category
from complaints.services import complaint_file
from ita_portal.digest import digest_send, unsubscribe_token, unsubscribe_user, week_of
from ita_portal.models import StaffPreference
from measures.models import Measure
from tests.builders import make_org, make_user

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 11, 30)


@pytest.fixture(autouse=True)
def _locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://ita.example.go.th"


def _with_work(org):
    # Last year's measure without its 12-month report: overdue in November.
    Measure.objects.create(organisation=org, fiscal_year=2569, number=1, title="m")


def test_a_user_with_work_gets_one_thai_mail_with_absolute_links_and_unsubscribe(org):
    user = make_user("ed", org, email="ed@example.go.th")
    _with_work(org)
    outcome = digest_send(today=MONDAY)
    assert outcome.sent == [user.pk]
    (message,) = mail.outbox
    assert message.to == ["ed@example.go.th"]
    assert f"https://ita.example.go.th/staff/{org.slug}/measures/2569/" in message.body
    html = message.alternatives[0][0]
    assert f'href="https://ita.example.go.th/staff/{org.slug}/measures/2569/"' in html
    # The unsubscribe link's token is signed with the time: read it back from the mail.
    token = re.search(
        r"https://ita\.example\.go\.th/staff/notifications/unsubscribe/([^/\s]+)/", message.body
    ).group(1)
    assert unsubscribe_user(token) == user
    assert token in message.extra_headers["List-Unsubscribe"]
    # Dates in BE (the token may hold any digits: left out of the check).
    text = message.body.replace(token, "")
    assert "2569" in text and "2026" not in text


def test_a_rerun_the_same_week_sends_nothing_and_the_next_week_sends_again(org):
    make_user("ed", org, email="ed@example.go.th")
    _with_work(org)
    digest_send(today=MONDAY)
    digest_send(today=MONDAY + dt.timedelta(days=3))
    assert len(mail.outbox) == 1
    digest_send(today=MONDAY + dt.timedelta(days=7))
    assert len(mail.outbox) == 2


def test_no_mail_without_address_without_work_or_after_opting_out(org):
    make_user("noaddress", org)
    opted = make_user("opted", org, email="opted@example.go.th")
    StaffPreference.objects.create(user=opted, weekly_digest=False)
    idle_org = make_org("idle")
    make_user("idle", idle_org, email="idle@example.go.th", role=Role.VIEWER)
    _with_work(org)
    outcome = digest_send(today=MONDAY)
    assert mail.outbox == [] and outcome.sent == []
    assert outcome.nothing_due == 1


def test_the_mail_never_names_a_complaint_or_complainant(org):
    officer = make_user("legal", org, role=Role.COMPLAINT_OFFICER, email="legal@example.go.th")
    complaint_file(
        organisation=org,
        category=Category.DELAY,
        accused="นายถูกร้อง ลับมาก",
        facts="ข้อเท็จจริงลับเฉพาะ",
        anonymous=False,
        identity={"complainant_name": "นายผู้ร้อง ลับที่สุด"},
    )
    assert digest_send(today=MONDAY).sent == [officer.pk]
    text = mail.outbox[0].body + mail.outbox[0].alternatives[0][0]
    for secret in ("นายถูกร้อง", "ข้อเท็จจริงลับเฉพาะ", "นายผู้ร้อง"):
        assert secret not in text
    assert f"/staff/{org.slug}/complaints/?status=received" in text


def test_one_bad_address_does_not_stop_the_others_and_is_logged_by_id(org, caplog):
    bad = make_user("bad", org, email="bad@example.go.th\nBcc: x@example.com")
    good = make_user("good", org, email="good@example.go.th")
    _with_work(org)
    with caplog.at_level(logging.WARNING, logger="ita_portal.digest"):
        outcome = digest_send(today=MONDAY)
    assert outcome.failed == [bad.pk] and outcome.sent == [good.pk]
    assert [m.to for m in mail.outbox] == [["good@example.go.th"]]
    assert f"user {bad.pk}" in caplog.text and "bad@example" not in caplog.text


def test_a_mail_server_that_refuses_fails_each_user_alone_and_retries_next_run(
    org, settings, refusing_smtp, caplog
):
    users = [make_user(f"u{n}", org, email=f"u{n}@example.go.th") for n in range(2)]
    _with_work(org)
    with caplog.at_level(logging.WARNING, logger="ita_portal.digest"):
        outcome = digest_send(today=MONDAY)
    assert outcome.failed == [u.pk for u in users]  # each was tried
    assert "example.go.th" not in caplog.text
    assert not StaffPreference.objects.filter(digest_sent_week__isnull=False).exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert digest_send(today=MONDAY).sent == [u.pk for u in users]


def test_the_command_dry_run_prints_and_sends_nothing(org):
    make_user("ed", org, email="ed@example.go.th")
    _with_work(org)
    out = io.StringIO()
    call_command("send_due_digest", "--dry-run", stdout=out)
    assert mail.outbox == []
    assert f"/staff/{org.slug}/measures/2569/" in out.getvalue()
    assert not StaffPreference.objects.exists()
    call_command("send_due_digest", stdout=out)
    assert len(mail.outbox) == 1 and "sent: 1" in out.getvalue()


def test_the_task_sends_the_digest(org):
    from ita_portal.tasks import send_due_digest

    make_user("ed", org, email="ed@example.go.th")
    _with_work(org)
    send_due_digest.call()
    assert len(mail.outbox) == 1


def test_week_of_is_the_monday():
    assert week_of(dt.date(2026, 12, 6)) == MONDAY


def test_the_notifications_page_switches_the_digest_off_and_on(client, org):
    user = make_user("ed", org, email="ed@example.go.th")
    client.force_login(user)
    assert client.get("/staff/notifications/").status_code == 200
    response = client.post("/staff/notifications/", {})
    assert response.status_code == 302
    assert StaffPreference.objects.get(user=user).weekly_digest is False
    client.post("/staff/notifications/", {"weekly_digest": "on"})
    assert StaffPreference.objects.get(user=user).weekly_digest is True


def test_the_notifications_page_needs_a_login(client):
    assert client.get("/staff/notifications/").status_code == 302


def test_the_unsubscribe_link_confirms_on_get_and_stops_on_post(client, org):
    user = make_user("ed", org, email="ed@example.go.th")
    url = f"/staff/notifications/unsubscribe/{unsubscribe_token(user)}/"
    response = client.get(url)
    assert response.status_code == 200 and b'method="post"' in response.content
    assert not StaffPreference.objects.exists()  # a GET (a mail scanner) changes nothing
    assert client.post(url).status_code == 200
    assert StaffPreference.objects.get(user=user).weekly_digest is False
    _with_work(org)
    assert digest_send(today=MONDAY).sent == []


def test_a_forged_unsubscribe_token_is_a_404(client, org):
    user = make_user("ed", org)
    token = unsubscribe_token(user)
    assert client.get(f"/staff/notifications/unsubscribe/{token}x/").status_code == 404
    assert client.post(f"/staff/notifications/unsubscribe/{user.pk}/").status_code == 404
