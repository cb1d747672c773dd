"""Each staff role's yearly work in a real browser, at desktop and phone width, axe-core
(WCAG 2.1 A/AA) on every page visited: the editor, the administrator, the complaint
officer and the assessor. A few pages each: the full flows have their own tests."""

from __future__ import annotations

import pytest

from assessments.models import Role, Unit
from complaints.models import Complaint, Status
from disclosures.models import Entry
from disclosures.selfassessment_models import ItemReview, Verdict
from measures.models import DocumentKind, FollowUp, ReportSettings
from tests.builders import make_org, make_user
from tests.complaints.builders import make_complaint
from tests.disclosures.review_world import YEAR as REVIEW_YEAR
from tests.disclosures.review_world import make_world, submit
from tests.measures.builders import make_measure

from .conftest import VIEWPORT_IDS, VIEWPORTS
from .journeys import checked, click_href, log_in

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.parametrize("viewport", VIEWPORTS, ids=VIEWPORT_IDS),
]

YEAR = 2569


def _office():
    org = make_org("office", name_th="สำนักงานเขตพื้นที่การศึกษาทดสอบ")
    Unit.objects.create(organisation=org, name="กลุ่มอำนวยการ")
    return org


def _submit(page, form) -> None:
    form.locator("button[type=submit]").first.click()
    page.wait_for_load_state("load")
    checked(page)


def test_editor_fills_an_oit_item_and_records_a_measure_result(live_server, page):
    org = _office()
    make_user("editor", org, Role.EDITOR)
    measure = make_measure(org, YEAR, indicators=())
    base = live_server.url

    log_in(page, base, "editor")  # lands on the staff home
    page.goto(f"{base}/staff/office/oit/{YEAR}/")
    checked(page)
    click_href(page, f"/staff/office/oit/{YEAR}/O1/")
    form = page.locator(f'form[action="/staff/office/oit/{YEAR}/O1/link/"]')
    form.locator("[name=url]").fill("https://www.example.go.th/structure")
    form.locator("[name=title]").fill("แผนผังโครงสร้างหน่วยงาน")
    _submit(page, form)
    assert Entry.objects.filter(
        disclosure__organisation=org, url="https://www.example.go.th/structure"
    ).exists()

    page.goto(f"{base}/staff/office/measures/measure/{measure.pk}/follow-ups/")
    checked(page)
    click_href(page, f"/staff/office/measures/measure/{measure.pk}/follow-ups/add/")
    form = page.locator("main form[method=post]").last
    form.locator("select[name=round]").select_option(index=1)
    form.locator("[name=summary]").fill("จัดประชุมชี้แจงบุคลากรทุกกลุ่มงานแล้ว")
    _submit(page, form)
    assert FollowUp.objects.filter(measure=measure).count() == 1


def test_administrator_sees_members_units_and_publishes_a_document(live_server, page):
    org = _office()
    make_user("head", org, Role.ADMINISTRATOR)
    make_measure(org, YEAR, indicators=())
    base = live_server.url

    log_in(page, base, "head")
    for path in (
        "/staff/office/members/",
        "/staff/office/units/",
        f"/staff/office/measures/{YEAR}/",
    ):
        page.goto(f"{base}{path}")
        checked(page)
    page.goto(f"{base}/staff/office/measures/{YEAR}/documents/{DocumentKind.PLAN}/")
    checked(page)
    form = page.locator(
        f'form[action="/staff/office/measures/{YEAR}/documents/{DocumentKind.PLAN}/publish/"]'
    )
    _submit(page, form)
    assert ReportSettings.objects.get(
        organisation=org, fiscal_year=YEAR, kind=DocumentKind.PLAN
    ).published
    # The agency's home now links it.
    page.goto(f"{base}/office/")
    checked(page)
    assert page.locator(f'a[href="/office/reports/{YEAR}/plan/"]').count() == 1


def test_complaint_officer_opens_a_case_from_the_queue_and_accepts_it(live_server, page):
    org = _office()
    make_user("legal", org, Role.COMPLAINT_OFFICER)
    complaint = make_complaint(org).complaint
    base = live_server.url

    log_in(page, base, "legal")
    page.goto(f"{base}/staff/office/complaints/")
    checked(page)
    click_href(page, f"/staff/office/complaints/{complaint.pk}/")
    form = page.locator(f'form[action="/staff/office/complaints/{complaint.pk}/accept/"]')
    _submit(page, form)
    assert Complaint.objects.get(pk=complaint.pk).status == Status.ACCEPTED


def test_assessor_opens_the_review_list_and_reviews_an_item(live_server, page):
    world = make_world()
    submission = submit(world)
    base = live_server.url

    log_in(page, base, "esa_assessor")
    page.goto(f"{base}/staff/oit/reviews/")
    checked(page)
    click_href(page, f"/staff/school/oit/{REVIEW_YEAR}/review/")
    form = page.locator("main form", has=page.locator("input[type=radio][value=pass]")).first
    form.locator("input[type=radio][value=pass]").check()
    _submit(page, form)
    assert ItemReview.objects.filter(submission=submission, verdict=Verdict.PASS).exists()
