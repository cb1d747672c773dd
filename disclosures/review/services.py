"""Every write of the OIT review; each owns its transaction and records an event.

The steps, in order: the office submits (a frozen snapshot of every item), the
assessor gives verdicts, opens clarifications with a deadline, the office
files at most one clarification per failed item before it, and the assessor
confirms. An administrator may withdraw a submission before any verdict.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Item, Organisation
from assessments.public_cache import content_changed
from assessments.services import assessment_get_or_create, assessment_item_results_update
from ita_portal.concurrency import check_not_stale, edit_token
from ita_portal.uploads import DOCUMENTS, check_upload

from ..models import (
    Entry,
    ItemReview,
    ItemSnapshot,
    ReviewEvent,
    ReviewEventKind,
    Submission,
    SubmissionStatus,
    Verdict,
)
from ..selectors import absolute_url
from ..selfcheck import year_selfcheck

# What the assessor's form edits, compared to refuse a stale save.
REVIEW_FIELDS = ("verdict", "score", "comment", "improvement")


class ReviewError(Exception):
    """A step that cannot be taken now; the message (Thai) says why and what to do."""


def review_edit_token(review: ItemReview) -> str:
    return edit_token(review, REVIEW_FIELDS)


def _event(
    submission: Submission,
    kind: ReviewEventKind,
    actor,
    *,
    item: Item | None = None,
    detail: str = "",
) -> ReviewEvent:
    return ReviewEvent.objects.create(
        submission=submission, kind=kind, actor=actor, item=item, detail=detail
    )


def _entry_snapshot(entry: Entry) -> dict:
    return {
        "title": entry.title,
        "kind": entry.kind,
        "url": absolute_url(entry.public_url()) if entry.is_document else entry.url,
        "date": entry.date.isoformat() if entry.date else None,
        "file_type": entry.file_type,
        "signed": entry.signed,
    }


def _locked(submission: Submission) -> Submission:
    return Submission.objects.select_for_update().get(pk=submission.pk)


def _is_withdrawn(submission: Submission) -> bool:
    # A withdrawn submission keeps its row (and so its events) but no snapshot.
    return not submission.snapshots.exists()


def submission_submit(
    *, organisation: Organisation, fiscal_year: int, user, today: dt.date | None = None
) -> Submission:
    """Freeze every item of the year as it is now and open it for review.

    Refused while a submission of the year is under review or confirmed; a
    withdrawn one is submitted again on the same record, so its history stays.
    """
    check = year_selfcheck(organisation=organisation, fiscal_year=fiscal_year, today=today)
    if check.edition is None or not check.items:
        raise ReviewError(
            _(
                "There is no OIT framework for fiscal year %(year)s yet, so nothing can be submitted."
            )
            % {"year": fiscal_year}
        )
    now = timezone.now()
    try:
        with transaction.atomic():
            submission, created = Submission.objects.select_for_update().get_or_create(
                organisation=organisation,
                fiscal_year=fiscal_year,
                defaults={"submitted_at": now, "submitted_by": user},
            )
            if not created:
                if not _is_withdrawn(submission):
                    raise ReviewError(
                        _(
                            "Fiscal year %(year)s was already submitted and its review is under "
                            "way. It cannot be submitted again."
                        )
                        % {"year": fiscal_year}
                    )
                submission.submitted_at, submission.submitted_by = now, user
                submission.clarification_deadline = None
                submission.confirmed_at = submission.confirmed_by = None
            submission.status = SubmissionStatus.SUBMITTED
            submission.predicted_oit = check.predicted.score
            submission.save()
            disclosures = [c.disclosure for c in check.items if c.disclosure is not None]
            entries: dict[int, list[dict]] = {}
            for entry in Entry.objects.filter(disclosure__in=disclosures).order_by(
                "disclosure", "order", "id"
            ):
                entries.setdefault(entry.disclosure_id, []).append(_entry_snapshot(entry))
            snapshots, reviews = [], []
            for item_check in check.items:
                item, disclosure = item_check.item, item_check.disclosure
                path = reverse("disclosures:item", args=[organisation.slug, fiscal_year, item.code])
                snapshots.append(
                    ItemSnapshot(
                        submission=submission,
                        item=item,
                        address=absolute_url(path),
                        published=bool(disclosure and disclosure.is_published),
                        explanation=disclosure.explanation if disclosure else "",
                        entries=entries.get(disclosure.pk, []) if disclosure else [],
                        ready=item_check.ready,
                        findings=[str(f) for f in item_check.findings],
                    )
                )
                reviews.append(ItemReview(submission=submission, item=item))
            ItemSnapshot.objects.bulk_create(snapshots)
            ItemReview.objects.bulk_create(reviews)
            # A published summary of a withdrawn submission submitted again shows the new figures.
            content_changed(organisation)
            _event(
                submission,
                ReviewEventKind.SUBMITTED,
                user,
                detail=_("%(ready)s of %(total)s items ready")
                % {"ready": check.ready_count, "total": check.total},
            )
    except IntegrityError as error:  # two submissions at once: the first one won
        raise ReviewError(
            _("Fiscal year %(year)s was just submitted by someone else.") % {"year": fiscal_year}
        ) from error
    return submission


def submission_withdraw(*, submission: Submission, user) -> None:
    """Take a submission back before the assessor gave any verdict."""
    with transaction.atomic():
        submission = _locked(submission)
        if _is_withdrawn(submission):
            raise ReviewError(_("This self-assessment was already withdrawn."))
        if (
            submission.status != SubmissionStatus.SUBMITTED
            or submission.reviews.exclude(verdict=Verdict.PENDING).exists()
        ):
            raise ReviewError(
                _(
                    "The assessor has started the review, so the submission can no longer be "
                    "withdrawn. Ask the assessor if something must change."
                )
            )
        submission.snapshots.all().delete()
        submission.reviews.all().delete()
        submission.summary_published = False
        submission.save(update_fields=["summary_published"])
        content_changed(submission.organisation_id)
        _event(submission, ReviewEventKind.WITHDRAWN, user)


def _verdict_words(review: ItemReview) -> str:
    words = str(Verdict(review.verdict).label)
    if review.score is not None:
        words += f" ({review.score})"
    return words


def review_save(
    *,
    submission: Submission,
    item: Item,
    token: str | None,
    verdict: str,
    score: Decimal | None,
    comment: str,
    improvement: str,
    user,
) -> ItemReview:
    """The assessor's verdict on one item; refused when stale or already confirmed."""
    with transaction.atomic():
        submission = _locked(submission)
        if submission.status == SubmissionStatus.CONFIRMED:
            raise ReviewError(_("The verdicts were confirmed; they can no longer be changed."))
        review = ItemReview.objects.select_for_update().get(submission=submission, item=item)
        check_not_stale(review, token, REVIEW_FIELDS)
        new = (verdict, score, comment, improvement)
        if (review.verdict, review.score, review.comment, review.improvement) == new:
            return review
        review.verdict, review.score, review.comment, review.improvement = new
        review.reviewed_at, review.reviewed_by = timezone.now(), user
        review.save()
        if submission.status == SubmissionStatus.SUBMITTED:
            submission.status = SubmissionStatus.IN_REVIEW
            submission.save(update_fields=["status"])
        _event(submission, ReviewEventKind.VERDICT, user, item=item, detail=_verdict_words(review))
    return review


def clarification_deadline_set(
    *, submission: Submission, deadline: dt.date, user, today: dt.date | None = None
) -> None:
    """Show the verdicts to the office and let it clarify failed items until ``deadline``."""
    today = today or timezone.localdate()
    with transaction.atomic():
        submission = _locked(submission)
        if submission.status == SubmissionStatus.CONFIRMED:
            raise ReviewError(_("The verdicts were confirmed; the review is closed."))
        if submission.reviews.filter(verdict=Verdict.PENDING).exists():
            raise ReviewError(_("Give every item a verdict first, then open the clarifications."))
        if deadline < today:
            raise ReviewError(_("Choose a deadline from today on."))
        submission.clarification_deadline = deadline
        submission.status = SubmissionStatus.CLARIFICATION
        submission.save(update_fields=["clarification_deadline", "status"])
        _event(submission, ReviewEventKind.DEADLINE, user, detail=deadline.isoformat())


def clarifications_open(submission: Submission, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return (
        submission.status == SubmissionStatus.CLARIFICATION
        and submission.clarification_deadline is not None
        and today <= submission.clarification_deadline
    )


def clarification_file(
    *,
    submission: Submission,
    item: Item,
    text: str,
    url: str,
    upload: UploadedFile | None,
    user,
    today: dt.date | None = None,
) -> ItemReview:
    """The office's one clarification of a failed item, before the deadline.

    The file is checked by its content and stored under an unguessable name.
    """
    checked = check_upload(upload, DOCUMENTS) if upload else None
    with transaction.atomic():
        submission = _locked(submission)
        if not clarifications_open(submission, today):
            raise ReviewError(
                _(
                    "Clarifications are closed: the deadline has passed or the assessor has not "
                    "opened them. Contact the assessor if you need more time."
                )
            )
        review = ItemReview.objects.select_for_update().get(submission=submission, item=item)
        if review.verdict != Verdict.FAIL:
            raise ReviewError(_("Only an item that did not pass can be clarified."))
        if review.clarified_at is not None:
            raise ReviewError(
                _("A clarification of %(code)s was already filed; only one is allowed per item.")
                % {"code": item.code}
            )
        review.clarification, review.clarification_url = text, url
        if upload is not None and checked is not None:
            review.clarification_file.save(
                f"{uuid.uuid4().hex}.{checked.type.extension}", upload, save=False
            )
        review.clarified_at, review.clarified_by = timezone.now(), user
        review.save()
        _event(submission, ReviewEventKind.CLARIFIED, user, item=item)
    return review


def confirm_blocker(submission: Submission, today: dt.date | None = None) -> str:
    """Why the verdicts cannot be confirmed yet, or "" when they can."""
    today = today or timezone.localdate()
    if submission.status == SubmissionStatus.CONFIRMED:
        return _("The verdicts were already confirmed.")
    reviews = list(submission.reviews.all())
    if not reviews:
        return _("This self-assessment was withdrawn.")
    if any(r.verdict == Verdict.PENDING for r in reviews):
        return _("Give every item a verdict first.")
    failed = [r for r in reviews if r.verdict == Verdict.FAIL]
    if not failed:
        return ""
    if submission.status != SubmissionStatus.CLARIFICATION:
        return _("Open the clarifications with a deadline first, so the office can answer.")
    if today > submission.clarification_deadline or all(r.clarified_at for r in failed):
        return ""
    return _("Wait until the clarification deadline has passed or every failed item is clarified.")


def submission_confirm(
    *, submission: Submission, user, for_parent: bool, today: dt.date | None = None
) -> None:
    """Make the verdicts final.

    For a reviewer acting for the parent organisation (the ESA assessing its
    school) they become the school's official OIT item results; an internal
    committee's verdicts stay beside the official result.
    """
    with transaction.atomic():
        submission = _locked(submission)
        blocker = confirm_blocker(submission, today)
        if blocker:
            raise ReviewError(blocker)
        submission.status = SubmissionStatus.CONFIRMED
        submission.confirmed_at, submission.confirmed_by = timezone.now(), user
        submission.save(update_fields=["status", "confirmed_at", "confirmed_by"])
        official = for_parent and submission.organisation.parent_id is not None
        if official:
            reviews = list(submission.reviews.select_related("item"))
            assessment = assessment_get_or_create(
                organisation=submission.organisation, fiscal_year=submission.fiscal_year
            )
            if reviews and assessment.edition_id != reviews[0].item.edition_id:
                raise ReviewError(
                    _(
                        "The official result of %(year)s follows another framework edition than "
                        "the submission, so the verdicts cannot become its item results."
                    )
                    % {"year": submission.fiscal_year}
                )
            assessment_item_results_update(
                assessment=assessment,
                results={
                    r.item_id: (r.verdict == Verdict.PASS, r.comment, r.improvement)
                    for r in reviews
                },
            )
        _event(
            submission,
            ReviewEventKind.CONFIRMED,
            user,
            detail=_("official OIT item results") if official else _("beside the official result"),
        )
        # The published summary now shows the final score (and, for the parent, the results).
        content_changed(submission.organisation_id)


def summary_publish(*, submission: Submission, published: bool, user) -> None:
    with transaction.atomic():
        submission = _locked(submission)
        if published and _is_withdrawn(submission):
            raise ReviewError(
                _("Submit the self-assessment first; then its summary can be published.")
            )
        if submission.summary_published == published:
            return
        submission.summary_published = published
        submission.save(update_fields=["summary_published"])
        content_changed(submission.organisation_id)
        _event(
            submission,
            ReviewEventKind.PUBLISHED,
            user,
            detail=_("published") if published else _("unpublished"),
        )
