"""Staff list pages make a number of queries that does not grow with their rows:
units, members, years of results, measures with steps and follow-ups,
announcements, documents, OIT years, survey rounds."""

from __future__ import annotations

import datetime as dt
from itertools import count

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import Membership, Role, Unit
from measures.models import Announcement, Round
from tests.builders import make_assessment, make_org, make_user
from tests.disclosures.builders import make_disclosure
from tests.measures.builders import make_follow_up, make_measure

pytestmark = pytest.mark.django_db

SCORES = ["90", "91", "92", "93", "94", "95", "96", "97", "88", "89"]
PAGES = [
    "/staff/office/ita/",
    "/staff/office/units/",
    "/staff/office/members/",
    "/staff/office/measures/",
    "/staff/office/measures/2565/",
    "/staff/office/measures/2565/announcements/",
    "/staff/office/measures/2565/documents/",
    "/staff/office/oit/",
]
_serial = count()


def _grow(org, rows: int) -> None:
    for _ in range(rows):
        n = next(_serial)
        unit = Unit.objects.create(organisation=org, name=f"กลุ่มงานที่ {n}", order=n + 1)
        user = make_user(f"member{n}")
        membership = Membership.objects.create(user=user, organisation=org, role=Role.EDITOR)
        membership.units.add(unit)
        measure = make_measure(org, 2565, title=f"มาตรการที่ {n}")
        measure.responsible_units.add(unit)
        make_follow_up(measure, Round.SIX_MONTHS)
        make_follow_up(measure, Round.TWELVE_MONTHS)
        Announcement.objects.create(
            organisation=org,
            fiscal_year=2565,
            title=f"ประกาศที่ {n}",
            date=dt.date(2022, 3, 1),
            signatory_name="นายสมชาย ใจดี",
            signatory_position="ผู้อำนวยการ",
        )
        make_assessment(org, 2564 + n, SCORES)
        make_disclosure(org, "O1", 2564 + n, documents=1, links=1)


def _counts(client) -> dict[str, int]:
    found = {}
    for page in PAGES:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page)
        assert response.status_code == 200, page
        found[page] = len(captured)
    return found


def test_staff_lists_cost_the_same_for_1_and_6_rows(client):
    org = make_org("office")
    boss = make_user("boss", org, role=Role.ADMINISTRATOR)
    client.force_login(boss)
    _grow(org, 1)
    few = _counts(client)
    _grow(org, 5)
    many = _counts(client)
    grown = {page: (few[page], many[page]) for page in PAGES if many[page] != few[page]}
    assert not grown, f"queries (1 row, 6 rows) that grow: {grown}"


def test_the_results_list_marks_a_year_on_a_provisional_framework(client):
    from assessments.provisional import edition_start_provisional

    org = make_org("office")
    client.force_login(make_user("boss", org, role=Role.ADMINISTRATOR))
    make_assessment(org, 2569, SCORES)
    edition_start_provisional(fiscal_year=2570)
    make_assessment(org, 2570)
    html = client.get("/staff/office/ita/").content.decode()
    rows = html.split("<tr>")
    marked = [row for row in rows if "ชุดเกณฑ์การประเมินชั่วคราว" in row]
    assert len(marked) == 1 and "/staff/office/ita/2570/" in marked[0]
