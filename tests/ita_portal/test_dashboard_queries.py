"""The staff dashboard's queries do not grow with the organisations or their years."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import Membership, OrganisationKind, Role
from tests.builders import make_assessment, make_org, make_user

pytestmark = pytest.mark.django_db

SCORES = ["90", "91", "92", "93", "94", "95", "96", "97", "88", "89"]


def _member_of(user, count: int, start: int) -> None:
    for n in range(start, start + count):
        org = make_org(f"office-{n}")
        Membership.objects.create(user=user, organisation=org, role=Role.ADMINISTRATOR)
        make_org(f"school-{n}", kind=OrganisationKind.SCHOOL, parent=org)
        for year in (2564, 2565):
            make_assessment(org, year, SCORES)


def _queries(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/staff/")
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_the_dashboard_costs_the_same_for_2_and_12_organisations(client):
    user = make_user("many")
    client.force_login(user)
    _member_of(user, 2, start=0)
    few, html = _queries(client)
    assert html.count("/oit/schools/") == 2  # each office has a school: the roll-up link
    _member_of(user, 10, start=2)
    many, html = _queries(client)
    assert html.count("/oit/schools/") == 12
    assert "/staff/office-11/ita/" in html  # every office is listed with its results
    assert many == few, f"{few} queries for 2 organisations, {many} for 12"
