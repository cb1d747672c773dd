"""What is due for a staff user: lines, dates, states, scoping, and the staff home."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone, translation

from assessments.models import Item, Membership, Role, SurveyRound
from complaints.models import Category
from complaints.services import complaint_file
from disclosures.models import Disclosure, DisclosureStatus
from disclosures.selfassessment_models import Submission, SubmissionStatus
from ita_portal.due import DueState, due_work
from measures.models import DocumentKind, FollowUp, Measure, ReportSettings, Round
from tests.builders import make_org, make_user

pytestmark = pytest.mark.django_db

# 10 March 2026: fiscal year 2569 (its edition ships with the portal), before the
# 6-month round (31 March) and the OIT evidence date (30 April).
TODAY = dt.date(2026, 3, 10)
YEAR = 2569


def _lines(user, today=TODAY):
    with translation.override("en"):
        return [line for org in due_work(user=user, today=today) for line in org.lines]


def _kinds(user, today=TODAY):
    return [line.kind for line in _lines(user, today)]


def _measure(org, year, number=1):
    return Measure.objects.create(organisation=org, fiscal_year=year, number=number, title="m")


def test_an_editor_sees_the_years_oit_items_to_publish_linked_to_the_board(org):
    user = make_user("ed", org)
    items = Item.objects.filter(edition__first_year=YEAR, edition__scheme__code="nacc")
    published = items.order_by("number").first()
    Disclosure.objects.create(
        organisation=org,
        fiscal_year=YEAR,
        item=published,
        status=DisclosureStatus.PUBLISHED,
        first_published_at=timezone.now(),
    )
    (line,) = [line for line in _lines(user) if line.kind == "oit"]
    assert f"{items.count() - 1} OIT items of {YEAR}" in line.text
    assert published.code + "," not in line.text.split(":")[1]
    assert line.due == dt.date(2026, 4, 30)
    assert line.state == DueState.LATER
    assert line.url == f"/staff/{org.slug}/oit/{YEAR}/"


def test_an_items_own_due_date_gives_it_a_line_of_its_own_overdue_after_it(org):
    user = make_user("ed", org)
    item = Item.objects.filter(edition__first_year=YEAR).order_by("number").first()
    Disclosure.objects.create(
        organisation=org, fiscal_year=YEAR, item=item, due_date=dt.date(2026, 2, 28)
    )
    own = [line for line in _lines(user) if item.code in line.text and line.kind == "oit"]
    assert own[0].state == DueState.OVERDUE
    assert own[0].url == f"/staff/{org.slug}/oit/{YEAR}/{item.code}/"
    assert _lines(user)[0] == own[0]  # overdue first


def test_follow_up_rounds_missing_are_due_and_last_years_12_month_round_overdue(org):
    user = make_user("ed", org)
    this_year, last_year = _measure(org, YEAR), _measure(org, YEAR - 1)
    FollowUp.objects.create(measure=last_year, round=Round.SIX_MONTHS)
    lines = [line for line in _lines(user) if line.kind == "follow_up"]
    assert [(line.text, line.state) for line in lines] == [
        (f"Report the 12-month results of 1 measure of {YEAR - 1}", DueState.OVERDUE),
        (f"Report the 6-month results of 1 measure of {YEAR}", DueState.SOON),
        (f"Report the 12-month results of 1 measure of {YEAR}", DueState.LATER),
    ]
    FollowUp.objects.create(measure=this_year, round=Round.SIX_MONTHS)
    FollowUp.objects.create(measure=last_year, round=Round.TWELVE_MONTHS)
    texts = [line.text for line in _lines(user) if line.kind == "follow_up"]
    assert texts == [f"Report the 12-month results of 1 measure of {YEAR}"]


def test_unpublished_documents_of_a_year_with_measures_are_due(org):
    user = make_user("ed", org)
    _measure(org, YEAR)
    docs = {line.url for line in _lines(user) if line.kind == "document"}
    assert f"/staff/{org.slug}/measures/{YEAR}/documents/announcement/" in docs
    ReportSettings.objects.create(
        organisation=org, fiscal_year=YEAR, kind=DocumentKind.ANNOUNCEMENT, published=True
    )
    docs = {line.url for line in _lines(user) if line.kind == "document"}
    assert f"/staff/{org.slug}/measures/{YEAR}/documents/announcement/" not in docs
    assert f"/staff/{org.slug}/measures/{YEAR}/documents/plan/" in docs


def test_self_assessment_steps_follow_the_submission(org):
    user = make_user("ed", org)
    (line,) = [line for line in _lines(user) if line.kind == "self_assessment"]
    assert line.due == dt.date(2026, 4, 30)
    submission = Submission.objects.create(
        organisation=org, fiscal_year=YEAR, submitted_at=timezone.now()
    )
    assert "self_assessment" not in _kinds(user)  # with the assessor now
    submission.status = SubmissionStatus.CLARIFICATION
    submission.save()
    (line,) = [line for line in _lines(user) if line.kind == "self_assessment"]
    assert line.due == dt.date(2026, 6, 15)
    assert line.url == f"/staff/{org.slug}/oit/{YEAR}/self-assessment/"


def test_a_survey_round_open_now_is_listed_with_its_closing_date(org):
    user = make_user("ed", org)
    SurveyRound.objects.create(
        organisation=org,
        fiscal_year=YEAR,
        instrument_code="IIT",
        code="iit",
        opens_on=dt.date(2026, 3, 1),
        closes_on=dt.date(2026, 3, 20),
        population=10,
    )
    (line,) = [line for line in _lines(user) if line.kind == "survey"]
    assert line.due == dt.date(2026, 3, 20) and line.state == DueState.SOON
    assert not [line for line in _lines(user, dt.date(2026, 3, 25)) if line.kind == "survey"]
    # Open but closing in more than a month: nothing to do yet.
    SurveyRound.objects.update(closes_on=dt.date(2026, 5, 20))
    assert not [line for line in _lines(user) if line.kind == "survey"]


def _complaint(org, days_ago):
    return complaint_file(
        organisation=org,
        category=Category.DELAY,
        accused="งานพัสดุ",
        facts="ข้อเท็จจริงลับเฉพาะ",
        anonymous=False,
        identity={"complainant_name": "นายลับ ที่สุด"},
        received_at=timezone.now() - dt.timedelta(days=days_ago),
    )


def test_complaint_officers_see_a_count_to_acknowledge_never_the_content(org):
    officer = make_user("legal", org, role=Role.COMPLAINT_OFFICER)
    editor = make_user("ed", org)
    _complaint(org, 30)
    _complaint(org, 1)
    (line,) = _lines(officer, timezone.localdate())
    assert line.text == "Acknowledge 2 new complaints (1 past its date)"
    assert line.state == DueState.OVERDUE
    assert line.url == f"/staff/{org.slug}/complaints/?status=received"
    assert "complaints" not in _kinds(editor, timezone.localdate())


def test_a_member_of_another_organisation_sees_none_of_it(org):
    other = make_org("other")
    stranger = make_user("stranger", other)
    _measure(org, YEAR)
    _complaint(org, 30)
    work = due_work(user=stranger, today=TODAY)
    assert [o.organisation for o in work] == [other]
    assert all(f"/{org.slug}/" not in line.url for o in work for line in o.lines)


def test_a_unit_limited_member_sees_only_their_units_work(org):
    unit = org.units.create(name="กลุ่มกฎหมาย")
    user = make_user("unit", org)
    Membership.objects.get(user=user).units.set([unit])
    mine, theirs = _measure(org, YEAR, 1), _measure(org, YEAR, 2)
    mine.responsible_units.set([unit])
    item = Item.objects.filter(edition__first_year=YEAR).order_by("number").first()
    Disclosure.objects.create(organisation=org, fiscal_year=YEAR, item=item, unit=unit)
    lines = _lines(user)
    assert {line.kind for line in lines} == {"oit", "follow_up"}
    assert any(f"1 OIT item of {YEAR}: {item.code}" in line.text for line in lines)
    assert all("1 measure" in line.text for line in lines if line.kind == "follow_up")
    assert theirs.pk  # the other unit's measure is not counted


def test_viewers_have_nothing_due(org):
    viewer = make_user("viewer", org, role=Role.VIEWER)
    _measure(org, YEAR)
    assert due_work(user=viewer, today=TODAY) == []


def _member_of(user, count, start):
    for n in range(start, start + count):
        office = make_org(f"office-{n}")
        Membership.objects.create(user=user, organisation=office, role=Role.EDITOR)
        _measure(office, YEAR)
        item = Item.objects.filter(edition__first_year=YEAR).order_by("number").first()
        Disclosure.objects.create(
            organisation=office, fiscal_year=YEAR, item=item, due_date=dt.date(2026, 3, 1)
        )
        officer_org = make_org(f"legal-{n}")
        Membership.objects.create(user=user, organisation=officer_org, role=Role.COMPLAINT_OFFICER)
        _complaint(officer_org, 20)


def test_due_work_costs_the_same_queries_for_1_and_6_organisations(
    django_assert_max_num_queries,
):
    user = make_user("many")
    _member_of(user, 1, 0)
    with django_assert_max_num_queries(12):
        one = due_work(user=user, today=TODAY)
    _member_of(user, 5, 1)
    with django_assert_max_num_queries(12):
        many = due_work(user=user, today=TODAY)
    assert len(one) == 2 and len(many) == 12
    assert all(o.lines for o in many)


@time_machine.travel(dt.datetime(2026, 3, 10, 9, tzinfo=dt.timezone(dt.timedelta(hours=7))))
def test_the_staff_home_shows_the_work_first_overdue_marked_in_words(client, org):
    user = make_user("ed", org)
    last_year = _measure(org, YEAR - 1)
    FollowUp.objects.create(measure=last_year, round=Round.SIX_MONTHS)
    client.force_login(user)
    with translation.override("en"):
        html = client.get("/staff/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    work = html.index('id="due-title"')
    assert work < html.index(f"/staff/{org.slug}/ita/")  # before the organisation rows
    assert 'class="badge fail">' in html[work:]
    assert f'href="/staff/{org.slug}/measures/{YEAR - 1}/"' in html
    assert "/staff/notifications/" in html


def test_the_staff_home_says_when_nothing_is_due(client):
    user = make_user("alone")
    client.force_login(user)
    html = client.get("/staff/").content.decode()
    assert 'id="due-title"' in html
    assert 'class="due-lines"' not in html


def test_the_staff_home_needs_a_login(client):
    response = client.get("/staff/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_an_esa_assessor_sees_the_schools_self_assessments_waiting_for_review(org):
    from disclosures.selfassessment_models import ItemSnapshot

    assessor = make_user("assessor", org, Role.ASSESSOR)
    item = Item.objects.filter(edition__first_year=YEAR).order_by("number").first()
    for n, status in enumerate(
        [SubmissionStatus.SUBMITTED, SubmissionStatus.SUBMITTED, SubmissionStatus.CONFIRMED]
    ):
        school = make_org(f"school{n}", parent=org)
        submission = Submission.objects.create(
            organisation=school, fiscal_year=YEAR, status=status, submitted_at=timezone.now()
        )
        ItemSnapshot.objects.create(
            submission=submission,
            item=item,
            address="https://x.example/",
            published=True,
            ready=True,
        )
    # Another ESA's school is not this assessor's to review.
    other_school = make_org("elsewhere", parent=make_org("other-esa"))
    Submission.objects.create(
        organisation=other_school,
        fiscal_year=YEAR,
        status=SubmissionStatus.SUBMITTED,
        submitted_at=timezone.now(),
    )
    (line,) = _lines(assessor)
    assert line.kind == "review"
    assert line.text == "Review 2 submitted OIT self-assessments"
    assert line.due == dt.date(2026, 5, 31)  # ITAS: assessors score in May
    assert line.url == "/staff/oit/reviews/"
    assert _lines(assessor, today=dt.date(2026, 6, 1))[0].state == DueState.OVERDUE
