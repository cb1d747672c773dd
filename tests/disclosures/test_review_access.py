"""Who reviews: an assessor of the parent organisation, an internal committee
member, a superuser; everybody else gets a 404. The public summary is a 404
until an administrator publishes it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from disclosures.models import ReviewEventKind
from disclosures.review import services
from disclosures.review.access import reviewer_access_or_none
from disclosures.review.selectors import waiting_reviews
from tests.builders import logged_in
from tests.disclosures.review_world import YEAR, give_verdicts, make_world, submit, url
from tests.measures.builders import PDF_BYTES, upload


@pytest.fixture
def world(db):
    return make_world()


def test_assessors_of_the_parent_and_of_the_organisation_itself_review(world):
    school = world.school
    parent = reviewer_access_or_none(world.users["esa_assessor"], school)
    internal = reviewer_access_or_none(world.users["internal_assessor"], school)
    root = reviewer_access_or_none(world.users["superuser"], school)

    assert parent is not None and parent.for_parent is True
    assert internal is not None and internal.for_parent is False
    assert root is not None and root.for_parent is True  # the school has a parent


@pytest.mark.parametrize(
    "who", ["stranger_assessor", "esa_editor", "school_admin", "school_editor", "school_viewer"]
)
def test_everybody_else_gets_a_404_on_every_review_page(world, who):
    submission = submit(world)
    give_verdicts(world, submission)
    client = logged_in(world.users[who])

    assert client.get(url("review", world)).status_code == 404
    for name, args in (("review-item", ("W1",)), ("review-deadline", ()), ("review-confirm", ())):
        assert client.post(url(name, world, *args), {"item-W1-verdict": "fail"}).status_code == 404
    assert submission.events.filter(kind=ReviewEventKind.CONFIRMED).count() == 0


@pytest.mark.parametrize("who", ["esa_assessor", "internal_assessor", "superuser"])
def test_assessors_open_the_review_page(world, who):
    submit(world)

    response = logged_in(world.users[who]).get(url("review", world))

    assert response.status_code == 200
    assert "https://" in response.content.decode()  # the submitted addresses


def test_an_assessor_of_a_school_is_not_an_assessor_of_its_parent(world):
    assert reviewer_access_or_none(world.users["internal_assessor"], world.esa) is None


def test_the_waiting_list_shows_only_what_the_user_may_review(world):
    submit(world)

    assert [s.organisation for s in waiting_reviews(world.users["esa_assessor"])] == [world.school]
    assert waiting_reviews(world.users["stranger_assessor"]) == []
    page = logged_in(world.users["esa_assessor"]).get(reverse("disclosures_staff:reviews"))
    assert world.school.name_th in page.content.decode()


def test_a_wrong_year_or_item_is_a_404_not_an_error(world):
    submit(world)
    client = logged_in(world.users["esa_assessor"])
    slug = world.school.slug

    assert client.get(reverse("disclosures_staff:review", args=[slug, 1999])).status_code == 404
    assert client.post(url("review-item", world, "O99")).status_code == 404


def test_the_clarification_file_is_for_the_office_and_its_assessors_only(world):
    submission = submit(world)
    give_verdicts(world, submission, failed=("W2",))
    services.clarification_deadline_set(
        submission=submission,
        deadline=timezone.localdate() + dt.timedelta(days=7),
        user=world.users["esa_assessor"],
    )
    services.clarification_file(
        submission=submission,
        item=world.item("W2"),
        text="ชี้แจง",
        url="",
        upload=upload("proof.pdf", PDF_BYTES),
        user=world.users["school_editor"],
    )
    file_url = url("clarification-file", world, "W2")

    for who in ("school_viewer", "esa_assessor", "internal_assessor"):
        assert logged_in(world.users[who]).get(file_url).status_code == 200, who
    for who in ("stranger_assessor", "esa_editor"):
        assert logged_in(world.users[who]).get(file_url).status_code == 404, who


def test_the_public_summary_is_a_404_until_published(client, world):
    submission = submit(world)
    give_verdicts(world, submission, failed=("W2",))
    public = reverse("disclosures:self-assessment-summary", args=[world.school.slug, YEAR])
    assert public == f"/school/oit/{YEAR}/self-assessment/"

    assert client.get(public).status_code == 404
    admin = logged_in(world.users["school_admin"])
    editor = logged_in(world.users["school_editor"])
    assert editor.post(url("self-assessment-publish", world), {"published": "1"}).status_code == 404
    assert client.get(public).status_code == 404

    admin.post(url("self-assessment-publish", world), {"published": "1"})
    page = client.get(public)
    assert page.status_code == 200
    text = page.content.decode()
    assert "ความเห็น W2" not in text  # the verdicts' comments are never public
    assert submission.events.filter(kind=ReviewEventKind.PUBLISHED).count() == 1

    admin.post(url("self-assessment-publish", world), {"published": "0"})
    assert client.get(public).status_code == 404


def test_the_public_summary_shows_the_final_score_once_confirmed(client, world):
    submission = submit(world)
    # W2 fails: indicator 3 (W1–W3) scores 66.67, indicator 4 (W4, W5) 100 → 83.33.
    give_verdicts(world, submission, failed=("W2",))
    services.summary_publish(
        submission=submission, published=True, user=world.users["school_admin"]
    )
    public = reverse("disclosures:self-assessment-summary", args=[world.school.slug, YEAR])
    assert "83.33" not in client.get(public).content.decode()

    services.clarification_deadline_set(
        submission=submission,
        deadline=timezone.localdate(),
        user=world.users["esa_assessor"],
    )
    services.submission_confirm(
        submission=submission,
        user=world.users["esa_assessor"],
        for_parent=True,
        today=timezone.localdate() + dt.timedelta(days=1),
    )
    assert "83.33" in client.get(public).content.decode()


def test_operators_read_submissions_in_the_admin_but_cannot_change_them(world):
    submission = submit(world)
    give_verdicts(world, submission)
    root = logged_in(world.users["superuser"])

    assert root.get(reverse("admin:disclosures_submission_changelist")).status_code == 200
    change = reverse("admin:disclosures_submission_change", args=[submission.pk])
    page = root.get(change)
    assert page.status_code == 200 and "ความเห็น W1" in page.content.decode()
    root.post(change, {"status": "confirmed"})
    assert submission.events.filter(kind=ReviewEventKind.CONFIRMED).count() == 0
    submission.refresh_from_db()
    assert submission.status != "confirmed"
    assert root.get(reverse("admin:disclosures_reviewevent_changelist")).status_code == 200


def test_the_dashboard_leads_an_assessor_to_the_reviews_waiting(world):
    page = logged_in(world.users["esa_assessor"]).get(reverse("staff:dashboard"))

    assert reverse("disclosures_staff:reviews") in page.content.decode()
    other = logged_in(world.users["school_editor"]).get(reverse("staff:dashboard"))
    assert reverse("disclosures_staff:reviews") not in other.content.decode()
