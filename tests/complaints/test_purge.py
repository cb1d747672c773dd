"""``purge_complainant_data``: the identity of cases closed before the retention cut-off is
blanked and the case says so; open, recent and anonymous cases are left alone."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command

from assessments.models import Role
from complaints import selectors, services
from complaints.models import IDENTITY_FIELDS, Complaint, EventKind
from complaints.services import complaint_file
from tests.builders import make_user

BANGKOK = ZoneInfo("Asia/Bangkok")
IDENTITY = {
    "complainant_name": "นายเก่าแก่ ผู้ร้องเรียน",
    "complainant_address": "1 ถนนเก่า",
    "complainant_phone": "0800000001",
    "complainant_email": "old.complainant@example.com",
    "complainant_id_number": "1101700230708",
}
NOW = dt.datetime(2030, 6, 1, 12, tzinfo=BANGKOK)


@pytest.fixture
def officer(org):
    return make_user("officer", org, Role.COMPLAINT_OFFICER)


def _case(org, officer, *, closed: dt.datetime | None, anonymous: bool = False) -> Complaint:
    """A case received a month before ``closed`` (or in 2024 if still open), then rejected."""
    received = (closed or dt.datetime(2024, 1, 1, tzinfo=BANGKOK)) - dt.timedelta(days=30)
    complaint = complaint_file(
        organisation=org,
        category="other",
        accused="x",
        facts="y",
        anonymous=anonymous,
        identity=None if anonymous else dict(IDENTITY),
        received_at=received,
    ).complaint
    if closed:
        with time_machine.travel(closed, tick=False):
            services.complaint_reject(complaint=complaint, user=officer, reason="rumour")
    return complaint


@pytest.fixture
def cases(org, officer) -> dict[str, Complaint]:
    # Retention 5 years: on NOW (1 June 2030) the cut-off is 1 June 2025.
    return {
        "old": _case(org, officer, closed=dt.datetime(2025, 3, 1, 10, tzinfo=BANGKOK)),
        "recent": _case(org, officer, closed=dt.datetime(2025, 8, 1, 10, tzinfo=BANGKOK)),
        "open": _case(org, officer, closed=None),
        "anonymous": _case(
            org, officer, closed=dt.datetime(2025, 3, 1, 10, tzinfo=BANGKOK), anonymous=True
        ),
    }


def _run(*args: str) -> str:
    out = io.StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("purge_complainant_data", *args, stdout=out)
    return out.getvalue()


def _identity(complaint: Complaint) -> dict[str, str]:
    complaint.refresh_from_db()
    return {name: getattr(complaint, name) for name in IDENTITY_FIELDS}


def test_purge_blanks_old_closed_cases_and_records_it(cases):
    output = _run()
    old = cases["old"]
    assert _identity(old) == dict.fromkeys(IDENTITY_FIELDS, "")
    assert old.identity_purged_at == NOW
    event = old.events.get(kind=EventKind.IDENTITY_PURGED)
    assert event.actor is None
    # The rest of the case stays: only the identity goes.
    assert old.facts == "y"
    assert old.status == "rejected"
    assert " 1 " in output
    for value in IDENTITY.values():
        assert value not in output
    assert old.tracking_code not in output


def test_purge_leaves_recent_open_and_anonymous_cases(cases):
    _run()
    assert _identity(cases["recent"]) == IDENTITY
    assert _identity(cases["open"]) == IDENTITY
    for name in ("recent", "open", "anonymous"):
        complaint = cases[name]
        complaint.refresh_from_db()
        assert complaint.identity_purged_at is None
        assert not complaint.events.filter(kind=EventKind.IDENTITY_PURGED).exists()


def test_a_second_run_purges_nothing_more(cases):
    _run()
    _run()
    assert cases["old"].events.filter(kind=EventKind.IDENTITY_PURGED).count() == 1


def test_dry_run_changes_nothing(cases):
    output = _run("--dry-run")
    assert _identity(cases["old"]) == IDENTITY
    assert cases["old"].identity_purged_at is None
    assert not Complaint.objects.filter(events__kind=EventKind.IDENTITY_PURGED).exists()
    assert " 1 " in output


def test_retention_setting_moves_the_cut_off(cases, settings):
    settings.COMPLAINT_RETENTION_YEARS = 4  # cut-off 1 June 2026: both closed cases
    _run()
    assert _identity(cases["old"])["complainant_name"] == ""
    assert _identity(cases["recent"])["complainant_name"] == ""
    assert _identity(cases["open"]) == IDENTITY


def test_before_sets_the_cut_off(cases):
    _run("--before", "2025-09-01")
    assert _identity(cases["recent"])["complainant_name"] == ""
    assert _identity(cases["open"]) == IDENTITY


def test_before_accepts_a_buddhist_era_date(cases):
    _run("--before", "2568-04-01")  # 1 April 2025
    assert _identity(cases["old"])["complainant_name"] == ""
    assert _identity(cases["recent"]) == IDENTITY


@pytest.mark.parametrize("value", ["soon", "2031-01-01"])
def test_before_must_be_a_past_date(cases, value):
    with pytest.raises(CommandError):
        _run("--before", value)
    assert _identity(cases["old"]) == IDENTITY


def test_purged_cases_keep_counting_in_the_statistics(cases, org):
    before = selectors.statistics(organisation=org, fiscal_year=2568)
    _run()
    after = selectors.statistics(organisation=org, fiscal_year=2568)
    assert after.received == before.received > 0
