"""Submitting a year for review: the frozen snapshot, refusing a second
submission, withdrawing before any verdict."""

from __future__ import annotations

import pytest

from disclosures.models import (
    ItemReview,
    ItemSnapshot,
    ReviewEvent,
    ReviewEventKind,
    Submission,
    SubmissionStatus,
)
from disclosures.review import services
from disclosures.review.services import ReviewError
from disclosures.services import disclosure_for, disclosure_update, entry_add_link
from tests.builders import logged_in
from tests.disclosures.review_world import YEAR, give_verdicts, make_world, submit, url


@pytest.fixture
def world(db):
    return make_world()


def test_submitting_freezes_every_item_with_its_address_entries_and_precheck(world):
    response = logged_in(world.users["school_editor"]).post(
        url("self-assessment-submit", world), {"confirm": "on"}
    )

    assert response.status_code == 302
    submission = Submission.objects.get(organisation=world.school, fiscal_year=YEAR)
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.predicted_oit is not None
    snapshots = {s.item.code: s for s in submission.snapshots.select_related("item")}
    assert sorted(snapshots) == ["W1", "W2", "W3", "W4", "W5"]
    w1 = snapshots["W1"]
    assert w1.published is True
    assert w1.address.endswith(f"/school/oit/{YEAR}/W1/")
    assert w1.entries == [
        {
            "title": "ลิงก์เดิม",
            "kind": "link",
            "url": "https://school.example.go.th/w1",
            "date": None,
            "file_type": "",
            "signed": False,
        }
    ]
    assert snapshots["W2"].published is False and snapshots["W2"].ready is False
    assert snapshots["W2"].findings, "a not-ready item says what to do"
    assert ItemReview.objects.filter(submission=submission, verdict="").count() == 5
    event = ReviewEvent.objects.get(submission=submission)
    assert (event.kind, event.actor) == (ReviewEventKind.SUBMITTED, world.users["school_editor"])


def test_later_edits_never_change_the_snapshot(world):
    submission = submit(world)
    before = list(submission.snapshots.values_list("item__code", "explanation", "entries", "ready"))

    disclosure = disclosure_for(organisation=world.school, fiscal_year=YEAR, item=world.item("W1"))
    disclosure_update(disclosure=disclosure, explanation="<p>ใหม่</p>", unit=None, due_date=None)
    disclosure.entries.all().delete()
    entry_add_link(disclosure=disclosure, url="https://school.example.go.th/new", title="ลิงก์ใหม่")

    after = list(submission.snapshots.values_list("item__code", "explanation", "entries", "ready"))
    assert after == before
    assert "ลิงก์เดิม" in str(after)


def test_submitting_needs_the_confirmation_box(world):
    response = logged_in(world.users["school_editor"]).post(url("self-assessment-submit", world))

    assert response.status_code == 400
    assert not Submission.objects.exists()


def test_a_second_submission_is_refused_while_the_review_is_under_way(world):
    submit(world)

    with pytest.raises(ReviewError):
        submit(world)
    assert ItemSnapshot.objects.count() == 5


def test_a_viewer_or_an_assessor_cannot_submit(world):
    for who in ("school_viewer", "internal_assessor", "esa_assessor"):
        response = logged_in(world.users[who]).post(
            url("self-assessment-submit", world), {"confirm": "on"}
        )
        assert response.status_code == 404, who
    assert not Submission.objects.exists()


def test_an_administrator_withdraws_before_any_verdict_and_submits_again(world):
    submission = submit(world)
    client = logged_in(world.users["school_admin"])

    assert client.post(url("self-assessment-withdraw", world)).status_code == 302
    assert not submission.snapshots.exists() and not submission.reviews.exists()
    kinds = list(submission.events.values_list("kind", flat=True))
    assert kinds == [ReviewEventKind.SUBMITTED, ReviewEventKind.WITHDRAWN]

    client.post(url("self-assessment-submit", world), {"confirm": "on"})
    assert submission.snapshots.count() == 5
    assert submission.events.count() == 3


def test_withdrawing_is_refused_once_a_verdict_was_given(world):
    submission = submit(world)
    give_verdicts(world, submission)

    with pytest.raises(ReviewError):
        services.submission_withdraw(submission=submission, user=world.users["school_admin"])
    assert submission.snapshots.count() == 5


def test_an_editor_cannot_withdraw(world):
    submit(world)
    response = logged_in(world.users["school_editor"]).post(url("self-assessment-withdraw", world))

    assert response.status_code == 404
    assert ItemSnapshot.objects.count() == 5


def test_the_office_page_speaks_thai_and_says_nothing_is_public(world):
    page = logged_in(world.users["school_editor"]).get(url("self-assessment", world))

    text = page.content.decode()
    assert page.status_code == 200
    assert "ส่งปีงบประมาณ 2590 ให้ผู้ประเมินตรวจ" in text
    assert "ไม่เผยแพร่ต่อสาธารณะ" in text
