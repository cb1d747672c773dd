"""The agency's public home links everything the public looks for, and nothing unpublished."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import Item, ItemRole, SurveyRound
from assessments.surveys.services import round_create
from disclosures.review import services as review
from measures.models import DocumentKind
from measures.services import report_publish
from tests.builders import make_assessment, make_user
from tests.disclosures.builders import make_disclosure
from tests.disclosures.review_world import YEAR, give_verdicts, make_world, submit

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)  # fiscal year 2570


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def _round(org, instrument: str, *, opens: dt.date, closes: dt.date, uses_codes=False):
    return SurveyRound.objects.create(
        organisation=org,
        fiscal_year=2570,
        instrument_code=instrument,
        opens_on=opens,
        closes_on=closes,
        uses_codes=uses_codes,
    )


def test_the_complaint_channel_is_linked_from_every_agency_home(client, org):
    html = client.get("/office/").text
    assert 'href="/office/complaints/new/"' in html
    assert 'href="/complaints/track/"' in html
    # This year's and last year's statistics.
    assert 'href="/office/complaints/statistics/2570/"' in html
    assert 'href="/office/complaints/statistics/2569/"' in html


def test_the_current_years_oit_pages_and_past_published_years(client, org):
    make_disclosure(org, "O1", 2566, explanation="<p>ข้อมูล</p>", published=True)
    make_disclosure(org, "O1", 2565, explanation="<p>ร่าง</p>")  # a draft year
    html = client.get("/office/").text
    # The OIT pages (the address picks the year), and every year with something published.
    assert 'href="/office/oit/"' in html
    assert 'href="/office/oit/2566/"' in html
    assert 'href="/office/oit/2565/"' not in html


def test_published_documents_are_linked_and_drafts_are_not(client, org):
    admin = make_user("head", org)
    report_publish(organisation=org, fiscal_year=2569, user=admin, published=True)
    report_publish(
        organisation=org, fiscal_year=2570, user=admin, published=True, kind=DocumentKind.PLAN
    )
    report_publish(
        organisation=org,
        fiscal_year=2570,
        user=admin,
        published=False,
        kind=DocumentKind.ANNOUNCEMENT,
    )
    html = client.get("/office/").text
    assert 'href="/office/reports/2569/"' in html
    assert 'href="/office/reports/2569.pdf"' in html
    assert 'href="/office/reports/2570/plan/"' in html
    assert 'href="/office/reports/2570/plan.pdf"' in html
    assert "/office/reports/2570/announcement/" not in html


def test_open_public_surveys_are_linked_never_code_rounds_or_closed_ones(client, org):
    today = TODAY.date()
    eit = _round(org, "EIT", opens=today - dt.timedelta(days=3), closes=today)
    iit = _round(org, "IIT", opens=today, closes=today + dt.timedelta(days=9))
    eit_codes = SurveyRound.objects.create(
        organisation=org,
        fiscal_year=2569,
        instrument_code="EIT",
        opens_on=today,
        closes_on=today,
        uses_codes=True,
    )
    html = client.get("/office/").text
    assert f'href="/s/{eit.code}/"' in html
    assert f"/s/{iit.code}/" not in html
    assert f"/s/{eit_codes.code}/" not in html

    # The next day the EIT round has closed: the day is part of the cached page's key.
    with time_machine.travel(TODAY + dt.timedelta(days=1), tick=False):
        assert f"/s/{eit.code}/" not in client.get("/office/").text


def test_a_published_self_assessment_summary_is_linked(client):
    world = make_world()
    submission = submit(world)
    give_verdicts(world, submission)
    summary = f"/school/oit/{YEAR}/self-assessment/"
    assert summary not in client.get("/school/").text
    review.summary_publish(submission=submission, published=True, user=world.users["school_admin"])
    assert f'href="{summary}"' in client.get("/school/").text


def test_what_is_published_shows_at_once_on_the_cached_page(client, org):
    """Publishing moves the organisation's version, so the stored home is not reused."""
    admin = make_user("head", org)
    assert "/office/reports/2570/" not in client.get("/office/").text
    report_publish(organisation=org, fiscal_year=2570, user=admin, published=True)
    assert 'href="/office/reports/2570/"' in client.get("/office/").text

    survey = round_create(
        organisation=org,
        fiscal_year=2569,  # the last year with an edition (and its EIT questions)
        instrument_code="EIT",
        opens_on=TODAY.date(),
        closes_on=TODAY.date() + dt.timedelta(days=30),
    )
    assert f'href="/s/{survey.code}/"' in client.get("/office/").text


def _queries(client, url: str) -> int:
    # Each call follows a change (a new content version): the page is built, not stored.
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_home_makes_the_same_number_of_queries_however_much_is_published(client, org):
    admin = make_user("head", org)
    make_assessment(org, 2566, official_total="88.10")
    report_publish(organisation=org, fiscal_year=2566, user=admin, published=True)
    make_disclosure(org, "O1", 2566, explanation="<p>ข้อมูล</p>", published=True)
    few = _queries(client, "/office/")

    for year in (2567, 2568, 2569):
        make_assessment(org, year, official_total="90.00")
        for kind in DocumentKind.values:
            report_publish(
                organisation=org, fiscal_year=year, user=admin, published=True, kind=kind
            )
    make_disclosure(org, "O2", 2567, explanation="<p>ข้อมูล</p>", published=True)
    make_disclosure(org, "O3", 2568, explanation="<p>ข้อมูล</p>", published=True)
    _round(org, "EIT", opens=TODAY.date(), closes=TODAY.date())
    many = _queries(client, "/office/")
    assert many == few


def test_the_complaint_guideline_item_links_the_portals_own_form_and_tracking(client, org):
    # The item is found by its role in the edition, never by its code.
    guideline = Item.objects.get(
        edition__first_year__lte=2569,
        edition__last_year__gte=2569,
        role=ItemRole.COMPLAINT_GUIDELINE,
    )
    make_disclosure(org, guideline.code, 2569, explanation="<p>คู่มือ</p>", published=True)
    html = client.get(f"/office/oit/2569/{guideline.code}/").text
    assert 'href="/office/complaints/new/"' in html
    assert 'href="/complaints/track/"' in html

    # An ordinary item does not carry them.
    ordinary = Item.objects.filter(edition=guideline.edition, role=ItemRole.NONE).first()
    make_disclosure(org, ordinary.code, 2569, explanation="<p>ข้อมูล</p>", published=True)
    html = client.get(f"/office/oit/2569/{ordinary.code}/").text
    assert "/office/complaints/new/" not in html
