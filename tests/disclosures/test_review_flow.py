"""The assessor's review: verdicts, the clarification deadline, one
clarification per failed item, confirming, and where the verdicts go."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from assessments.models import Assessment, ItemResult
from disclosures.models import ItemReview, ReviewEventKind, Submission, SubmissionStatus
from disclosures.review import services
from disclosures.review.services import ReviewError
from tests.builders import form_token, logged_in
from tests.disclosures.review_world import YEAR, give_verdicts, make_world, submit, url
from tests.measures.builders import PDF_BYTES, upload


@pytest.fixture
def world(db):
    return make_world()


def _verdict(client, world, code: str, verdict: str, **extra):
    page = url("review", world)
    token = form_token(client, page, f"item-{code}-edit_token")
    data = {f"item-{code}-{k}": v for k, v in {"verdict": verdict, **extra}.items()}
    return client.post(url("review-item", world, code), {f"item-{code}-edit_token": token, **data})


def _open_clarifications(world, submission, days: int = 7) -> None:
    services.clarification_deadline_set(
        submission=submission,
        deadline=timezone.localdate() + dt.timedelta(days=days),
        user=world.users["esa_assessor"],
    )


def test_the_assessor_saves_a_verdict_with_comment_and_improvement(world):
    submission = submit(world)
    client = logged_in(world.users["esa_assessor"])

    response = _verdict(client, world, "W2", "fail", comment="ไม่พบเอกสาร", improvement="เผยแพร่")

    assert response.status_code == 302
    review = ItemReview.objects.get(submission=submission, item__code="W2")
    assert (review.verdict, review.comment, review.improvement) == ("fail", "ไม่พบเอกสาร", "เผยแพร่")
    assert review.reviewed_by == world.users["esa_assessor"]
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.IN_REVIEW
    event = submission.events.get(kind=ReviewEventKind.VERDICT)
    assert (event.item.code, event.actor) == ("W2", world.users["esa_assessor"])


def test_a_stale_verdict_form_is_refused_and_says_what_changed(world):
    submit(world)
    first = logged_in(world.users["esa_assessor"])
    second = logged_in(world.users["superuser"])
    page = url("review", world)
    old_token = form_token(second, page, "item-W1-edit_token")

    _verdict(first, world, "W1", "pass", comment="ครบถ้วน")
    response = second.post(
        url("review-item", world, "W1"),
        {"item-W1-edit_token": old_token, "item-W1-verdict": "fail", "item-W1-comment": "ขาด"},
    )

    assert response.status_code == 409
    review = ItemReview.objects.get(item__code="W1")
    assert (review.verdict, review.comment) == ("pass", "ครบถ้วน")


def test_a_verdict_without_a_choice_is_refused(world):
    submit(world)
    client = logged_in(world.users["esa_assessor"])
    page = url("review", world)
    token = form_token(client, page, "item-W1-edit_token")

    response = client.post(url("review-item", world, "W1"), {"item-W1-edit_token": token})

    assert response.status_code == 400
    assert ItemReview.objects.get(item__code="W1").verdict == ""


def test_clarifications_open_only_once_every_item_has_a_verdict(world):
    submission = submit(world)
    with pytest.raises(ReviewError):
        _open_clarifications(world, submission)

    give_verdicts(world, submission)
    _open_clarifications(world, submission)

    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.CLARIFICATION
    assert submission.events.filter(kind=ReviewEventKind.DEADLINE).count() == 1


def test_the_office_sees_the_verdicts_and_files_one_clarification_per_failed_item(world):
    submission = submit(world)
    give_verdicts(world, submission, failed=("W2",))
    _open_clarifications(world, submission)
    office = logged_in(world.users["school_editor"])

    page = office.get(url("self-assessment", world))
    assert "ความเห็น W2" in page.content.decode() and "ปรับปรุง" in page.content.decode()

    response = office.post(
        url("self-assessment-clarify", world, "W2"),
        {
            "clarify-W2-text": "เผยแพร่แล้วที่ลิงก์ใหม่",
            "clarify-W2-url": "https://school.example.go.th/w2",
            "clarify-W2-file": upload("proof.pdf", PDF_BYTES),
        },
    )
    assert response.status_code == 302
    review = ItemReview.objects.get(submission=submission, item__code="W2")
    assert review.clarification == "เผยแพร่แล้วที่ลิงก์ใหม่"
    assert review.clarified_by == world.users["school_editor"]
    assert review.clarification_file.name.endswith(".pdf")
    assert "proof" not in review.clarification_file.name  # an unguessable name
    assert submission.events.filter(kind=ReviewEventKind.CLARIFIED, item__code="W2").exists()

    again = office.post(url("self-assessment-clarify", world, "W2"), {"clarify-W2-text": "อีกครั้ง"})
    assert again.status_code == 302
    review.refresh_from_db()
    assert review.clarification == "เผยแพร่แล้วที่ลิงก์ใหม่"
    assert submission.events.filter(kind=ReviewEventKind.CLARIFIED).count() == 1


def test_a_passed_item_cannot_be_clarified(world):
    submission = submit(world)
    give_verdicts(world, submission, failed=("W2",))
    _open_clarifications(world, submission)

    with pytest.raises(ReviewError):
        services.clarification_file(
            submission=submission,
            item=world.item("W1"),
            text="ชี้แจง",
            url="",
            upload=None,
            user=world.users["school_editor"],
        )


def test_a_late_clarification_is_refused_with_a_message(world):
    submission = submit(world)
    give_verdicts(world, submission, failed=("W2",))
    _open_clarifications(world, submission)
    Submission.objects.filter(pk=submission.pk).update(
        clarification_deadline=timezone.localdate() - dt.timedelta(days=1)
    )
    office = logged_in(world.users["school_editor"])

    page = office.get(url("self-assessment", world)).content.decode()
    assert "clarify-W2-text" not in page

    office.post(url("self-assessment-clarify", world, "W2"), {"clarify-W2-text": "ช้าไป"})
    assert ItemReview.objects.get(item__code="W2").clarified_at is None
    assert not submission.events.filter(kind=ReviewEventKind.CLARIFIED).exists()


def test_a_refused_file_saves_no_clarification(world):
    submission = submit(world)
    give_verdicts(world, submission, failed=("W2",))
    _open_clarifications(world, submission)

    response = logged_in(world.users["school_editor"]).post(
        url("self-assessment-clarify", world, "W2"),
        {"clarify-W2-text": "ชี้แจง", "clarify-W2-file": upload("x.pdf", b"not a pdf at all")},
    )

    assert response.status_code == 400
    assert ItemReview.objects.get(item__code="W2").clarified_at is None


def test_confirming_waits_for_the_deadline_or_every_clarification(world):
    submission = submit(world)
    give_verdicts(world, submission, failed=("W2",))
    _open_clarifications(world, submission)
    assessor = world.users["esa_assessor"]

    with pytest.raises(ReviewError):
        services.submission_confirm(submission=submission, user=assessor, for_parent=True)

    services.clarification_file(
        submission=submission,
        item=world.item("W2"),
        text="ชี้แจง",
        url="",
        upload=None,
        user=world.users["school_editor"],
    )
    services.submission_confirm(submission=submission, user=assessor, for_parent=True)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.CONFIRMED
    assert submission.confirmed_by == assessor


def test_confirming_after_the_deadline_without_clarification(world):
    submission = submit(world)
    give_verdicts(world, submission, failed=("W2",))
    _open_clarifications(world, submission)
    later = timezone.localdate() + dt.timedelta(days=8)

    services.submission_confirm(
        submission=submission, user=world.users["esa_assessor"], for_parent=True, today=later
    )

    assert Submission.objects.get(pk=submission.pk).status == SubmissionStatus.CONFIRMED


def test_the_parents_confirmed_verdicts_become_the_official_item_results(world):
    submission = submit(world)
    give_verdicts(world, submission, failed=())
    client = logged_in(world.users["esa_assessor"])

    response = client.post(url("review-confirm", world))

    assert response.status_code == 302
    assessment = Assessment.objects.get(organisation=world.school, fiscal_year=YEAR)
    results = {r.item.code: r for r in assessment.item_results.select_related("item")}
    assert sorted(results) == ["W1", "W2", "W3", "W4", "W5"]
    assert all(r.passed for r in results.values())
    assert results["W3"].comment == "ความเห็น W3"
    event = submission.events.get(kind=ReviewEventKind.CONFIRMED)
    assert event.actor == world.users["esa_assessor"]


def test_an_internal_committees_verdicts_stay_beside_the_official_result(world):
    submission = submit(world)
    give_verdicts(world, submission, failed=())
    client = logged_in(world.users["internal_assessor"])

    client.post(url("review-confirm", world))

    assert Submission.objects.get(pk=submission.pk).status == SubmissionStatus.CONFIRMED
    assert not ItemResult.objects.filter(assessment__organisation=world.school).exists()


def test_confirmed_verdicts_can_no_longer_change(world):
    submission = submit(world)
    give_verdicts(world, submission, failed=())
    services.submission_confirm(
        submission=submission, user=world.users["esa_assessor"], for_parent=True
    )

    with pytest.raises(ReviewError):
        services.review_save(
            submission=submission,
            item=world.item("W1"),
            token=None,
            verdict="fail",
            score=None,
            comment="",
            improvement="",
            user=world.users["esa_assessor"],
        )


def test_an_internal_committee_sees_its_verdicts_beside_the_official_result(world):
    from assessments.services import assessment_get_or_create, assessment_item_results_update

    assessment = assessment_get_or_create(organisation=world.school, fiscal_year=YEAR)
    assessment_item_results_update(
        assessment=assessment, results={world.item("W1").pk: (False, "ผลทางการ W1", "")}
    )
    submit(world)

    page = logged_in(world.users["internal_assessor"]).get(url("review", world)).content.decode()

    assert "ผลทางการ W1" in page


def test_a_submit_form_sent_twice_submits_once(world):
    client = logged_in(world.users["school_admin"])
    data = {"confirm": "on", "once": "a-one-time-token-for-this-form-1234"}

    first = client.post(url("self-assessment-submit", world), data)
    second = client.post(url("self-assessment-submit", world), data)

    assert first.status_code == second.status_code == 302
    assert Submission.objects.get().events.count() == 1
