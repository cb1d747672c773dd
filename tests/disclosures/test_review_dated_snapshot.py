"""A submitted item's dated entries show their dates in Buddhist Era on the review pages."""

import datetime as dt

from assessments.models import Item, OrganisationKind, Role
from disclosures.review.services import submission_submit
from disclosures.services import disclosure_for, disclosure_publish, entry_add_link
from tests.builders import logged_in, make_org, make_user
from tests.editions import make_edition


def test_the_review_page_shows_the_snapshots_dates(db):
    make_edition(
        code="dated-2590",
        first_year=2590,
        instruments=[("OIT", "100", [1])],
        items={1: ["O1", "O2"]},
    )
    esa = make_org("esa")
    assessor = make_user("assessor", esa, Role.ASSESSOR)
    school = make_org("first", kind=OrganisationKind.SCHOOL, parent=esa)
    editor = make_user("editor", school, Role.EDITOR)
    for item in Item.objects.filter(edition__code="dated-2590"):
        disclosure = disclosure_for(organisation=school, fiscal_year=2590, item=item)
        entry_add_link(
            disclosure=disclosure,
            url="https://www.example.go.th/doc",
            title="เอกสาร",
            date=dt.date(2046, 10, 20),
        )
        disclosure_publish(disclosure=disclosure, published=True)
    submission_submit(organisation=school, fiscal_year=2590, user=editor)

    review = logged_in(assessor).get("/staff/first/oit/2590/review/")
    office = logged_in(editor).get("/staff/first/oit/2590/self-assessment/")

    assert review.status_code == 200 and office.status_code == 200
    assert "20 ต.ค. 2589" in review.content.decode()


def test_review_pages_of_a_submission_whose_submitter_is_gone(db):
    """The submitter's account may be deleted (the record keeps no user): no error."""
    make_edition(
        code="gone-2590", first_year=2590, instruments=[("OIT", "100", [1])], items={1: ["O1"]}
    )
    esa = make_org("esa")
    assessor = make_user("assessor", esa, Role.ASSESSOR)
    school = make_org("first", kind=OrganisationKind.SCHOOL, parent=esa)
    editor = make_user("editor", school, Role.EDITOR)
    item = Item.objects.get(edition__code="gone-2590")
    disclosure = disclosure_for(organisation=school, fiscal_year=2590, item=item)
    entry_add_link(disclosure=disclosure, url="https://www.example.go.th/d", title="ก", date=None)
    disclosure_publish(disclosure=disclosure, published=True)
    submission_submit(organisation=school, fiscal_year=2590, user=None)

    assert logged_in(assessor).get("/staff/first/oit/2590/review/").status_code == 200
    assert logged_in(editor).get("/staff/first/oit/2590/self-assessment/").status_code == 200
