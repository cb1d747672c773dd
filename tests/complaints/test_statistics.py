"""Published statistics of a fiscal year, checked against counts worked out by hand.

Eight complaints of fiscal year 2566 (1 Oct 2022 – 30 Sep 2023, Bangkok
time), acknowledged within 15 days or not:

    #  received (local)     category           channel    status         acknowledged   deadline
    1  2022-10-03 10:00     corruption         web        accepted       2022-10-10     in time
    2  2022-10-20 09:00     delay              phone      rejected       2022-11-10     late
    3  2022-11-15 09:00     corruption         walk_in    concluded      2022-11-20     in time
    4  2023-01-05 09:00     neglect            email      forwarded      2023-01-20     in time (last day)
    5  2023-03-01 09:00     other              web        received       –              late (due 16 Mar)
    6  2023-07-01 00:30     position_offence   post       investigating  2023-07-05     in time
    7  2023-09-25 09:00     corruption         box        received       –              pending
    8  2023-09-30 23:00     beyond_authority   facebook   received       –              pending

#6 is 30 June in UTC and #8 is still 30 September in Bangkok: months and the
year are counted in local time. Two more fall just outside the year, and one
belongs to another organisation.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from assessments.models import Role
from complaints import selectors, services
from complaints.models import Complaint
from complaints.services import complaint_file
from tests.builders import make_org, make_user

BANGKOK = ZoneInfo("Asia/Bangkok")
NAME = "นายสถิติ ไม่ควรปรากฏ"
FACTS = "ข้อเท็จจริงที่ไม่ควรอยู่ในหน้าสถิติ"
ACCUSED = "นางผู้ถูกร้อง ไม่ควรปรากฏ"
TODAY = dt.date(2023, 10, 5)


def _at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=BANGKOK)


def _file(org, received: dt.datetime, category: str = "corruption", channel: str = "web"):
    return complaint_file(
        organisation=org,
        channel=channel,
        category=category,
        accused=ACCUSED,
        facts=FACTS,
        anonymous=False,
        identity={"complainant_name": NAME, "complainant_email": "stat.person@example.com"},
        received_at=received,
    ).complaint


def _on(day: dt.datetime, step, **kwargs) -> None:
    with time_machine.travel(day, tick=False):
        step(**kwargs)


@pytest.fixture
def seeded(org):
    officer = make_user("officer", org, Role.COMPLAINT_OFFICER)
    c1 = _file(org, _at(2022, 10, 3, 10))
    _on(_at(2022, 10, 10, 11), services.complaint_accept, complaint=c1, user=officer)
    c2 = _file(org, _at(2022, 10, 20, 9), "delay", "phone")
    _on(
        _at(2022, 11, 10, 9),
        services.complaint_reject,
        complaint=c2,
        user=officer,
        reason="rumour",
    )
    c3 = _file(org, _at(2022, 11, 15, 9), "corruption", "walk_in")
    _on(_at(2022, 11, 20, 9), services.complaint_accept, complaint=c3, user=officer)
    _on(
        _at(2023, 1, 10, 9),
        services.complaint_conclude,
        complaint=c3,
        user=officer,
        outcome="สรุปผลแล้ว",
    )
    c4 = _file(org, _at(2023, 1, 5, 9), "neglect", "email")
    _on(
        _at(2023, 1, 20, 23, 30),
        services.complaint_forward,
        complaint=c4,
        user=officer,
        agency="สำนักงาน ป.ป.ช.",
    )
    _file(org, _at(2023, 3, 1, 9), "other", "web")
    c6 = _file(org, _at(2023, 7, 1, 0, 30), "position_offence", "post")
    _on(_at(2023, 7, 5, 9), services.complaint_accept, complaint=c6, user=officer)
    _on(_at(2023, 7, 6, 9), services.complaint_investigate, complaint=c6, user=officer)
    _file(org, _at(2023, 9, 25, 9), "corruption", "box")
    _file(org, _at(2023, 9, 30, 23), "beyond_authority", "facebook")
    # Outside the year, or another organisation's.
    _file(org, _at(2022, 9, 30, 23, 59))
    _file(org, _at(2023, 10, 1, 0, 5))
    _file(make_org("other"), _at(2023, 5, 5, 9))
    return org


def test_statistics_match_the_hand_counts(seeded):
    stats = selectors.statistics(organisation=seeded, fiscal_year=2566, today=TODAY)
    assert stats.received == 8
    assert [(month.month, count) for month, count in stats.by_month] == [
        (10, 2),
        (11, 1),
        (12, 0),
        (1, 1),
        (2, 0),
        (3, 1),
        (4, 0),
        (5, 0),
        (6, 0),
        (7, 1),
        (8, 0),
        (9, 2),
    ]
    assert [month.year for month, _count in stats.by_month] == [2022] * 3 + [2023] * 9
    assert dict(stats.by_category) == {
        "corruption": 3,
        "position_offence": 1,
        "neglect": 1,
        "delay": 1,
        "beyond_authority": 1,
        "other": 1,
    }
    assert dict(stats.by_channel) == {
        "web": 2,
        "walk_in": 1,
        "phone": 1,
        "post": 1,
        "email": 1,
        "facebook": 1,
        "hotline": 0,
        "box": 1,
    }
    assert dict(stats.by_status) == {
        "received": 3,
        "accepted": 1,
        "investigating": 1,
        "concluded": 1,
        "rejected": 1,
        "forwarded": 1,
    }
    assert (stats.in_time, stats.late, stats.pending) == (4, 2, 2)
    assert stats.in_time_percent == Decimal("66.67")


@time_machine.travel(dt.datetime(2023, 10, 5, 12, tzinfo=BANGKOK), tick=False)
def test_statistics_page_shows_the_same_numbers(client, seeded):
    response = client.get(reverse("complaints:statistics", args=["office", 2566]))
    assert response.status_code == 200
    tables = response.context["tables"]
    assert [row.count for row in tables.months] == [2, 1, 0, 1, 0, 1, 0, 0, 0, 1, 0, 2]
    assert tables.months[0].label == "ตุลาคม 2565"
    assert tables.months[-1].label == "กันยายน 2566"
    assert [row.count for row in tables.categories] == [3, 1, 1, 1, 1, 1]
    assert tables.categories[0].percent == Decimal("37.50")
    assert [row.count for row in tables.channels] == [2, 1, 1, 1, 1, 1, 0, 1]
    assert [row.count for row in tables.statuses] == [3, 1, 1, 1, 1, 1]
    html = response.text
    assert 'id="stat-received">8<' in html
    assert 'id="stat-in-time">4<' in html
    assert 'id="stat-late">2<' in html
    assert 'id="stat-pending">2<' in html
    assert "66.67" in html
    assert "ตุลาคม 2565" in html and "กันยายน 2566" in html
    # Drawn without scripts of its own (the site's shared static scripts aside).
    assert "<svg" in html and not re.search(r"<script(?![^>]*\bsrc=\"/static/js/)", html)
    assert response["Cache-Control"].startswith("public")


@time_machine.travel(dt.datetime(2023, 10, 5, 12, tzinfo=BANGKOK), tick=False)
def test_statistics_page_holds_aggregates_only(client, seeded):
    html = client.get(reverse("complaints:statistics", args=["office", 2566])).text
    for secret in (NAME, "stat.person@example.com", FACTS, ACCUSED, "สรุปผลแล้ว", "ป.ป.ช."):
        assert secret not in html
    for complaint in Complaint.objects.all():
        assert complaint.tracking_code not in html


def test_complaints_outside_the_fiscal_year_are_not_counted(seeded):
    before = selectors.statistics(organisation=seeded, fiscal_year=2565, today=TODAY)
    after = selectors.statistics(organisation=seeded, fiscal_year=2567, today=TODAY)
    assert before.received == 1
    assert dict(before.by_month)[dt.date(2022, 9, 1)] == 1
    assert after.received == 1
    assert dict(after.by_month)[dt.date(2023, 10, 1)] == 1


def test_an_empty_year_has_zeros_and_no_percentage(client, org):
    response = client.get(reverse("complaints:statistics", args=["office", 2560]))
    assert response.status_code == 200
    stats = response.context["tables"].stats
    assert stats.received == 0
    assert stats.in_time_percent is None
    assert 'id="stat-in-time-percent">–<' in response.text


@pytest.mark.parametrize("year", [2499, 2701, 2023, 1])
def test_a_year_that_is_not_buddhist_era_is_not_a_page(client, org, year):
    response = client.get(reverse("complaints:statistics", args=["office", year]))
    assert response.status_code == 404


def test_an_unknown_organisation_is_not_a_page(client, db):
    assert client.get(reverse("complaints:statistics", args=["nowhere", 2566])).status_code == 404


def test_the_statistics_address_is_permanent(org):
    assert reverse("complaints:statistics", args=["office", 2566]) == (
        "/office/complaints/statistics/2566/"
    )


@time_machine.travel(dt.datetime(2024, 3, 1, 12, tzinfo=BANGKOK), tick=False)
def test_the_year_picker_links_neighbouring_years_up_to_the_current_one(client, org):
    response = client.get(reverse("complaints:statistics", args=["office", 2566]))
    assert response.context["years"] == [2564, 2565, 2566, 2567]
    assert reverse("complaints:statistics", args=["office", 2567]) in response.text


def test_staff_get_a_page_that_is_not_stored(client, org):
    client.force_login(make_user("viewer", org, Role.VIEWER))
    response = client.get(reverse("complaints:statistics", args=["office", 2566]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
