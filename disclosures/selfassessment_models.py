"""The OIT self-assessment: what staff confirm for the pre-check, the year's
submission with its frozen snapshot, and the assessor's review.

A submission freezes, per item, the address, entries and pre-check as they
were when the office submitted, so later edits never change what was
reviewed. Every step of the review is an event (who, when, what).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assessments.models import (
    MAX_FISCAL_YEAR,
    MIN_FISCAL_YEAR,
    SCORE_VALIDATORS,
    Item,
    Organisation,
)


class ContentTick(models.Model):
    """Staff's confirmation that one "at least these contents" line of an item is
    shown, pointing at the entry that shows it."""

    disclosure = models.ForeignKey(
        "disclosures.Disclosure", on_delete=models.CASCADE, related_name="content_ticks"
    )
    line = models.CharField(_("required content"), max_length=500)
    entry = models.ForeignKey(
        "disclosures.Entry",
        verbose_name=_("shown in"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="content_ticks",
    )
    ticked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    ticked_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["disclosure", "id"]
        verbose_name = _("content confirmation")
        verbose_name_plural = _("content confirmations")
        constraints = [
            models.UniqueConstraint(fields=["disclosure", "line"], name="contenttick_unique_line"),
        ]

    def __str__(self) -> str:
        return self.line


class SubmissionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted for review")
    IN_REVIEW = "in_review", _("In review")
    CLARIFICATION = "clarification", _("Open for clarifications")
    CONFIRMED = "confirmed", _("Verdicts confirmed")


class Submission(models.Model):
    """An organisation's OIT self-assessment of a year, submitted for review."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="oit_submissions"
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.SUBMITTED,
    )
    submitted_at = models.DateTimeField(_("submitted"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # The predicted OIT score when submitted (0–100), from the pre-check.
    predicted_oit = models.DecimalField(
        _("predicted OIT score"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=SCORE_VALIDATORS,
    )
    clarification_deadline = models.DateField(_("clarifications until"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    summary_published = models.BooleanField(_("summary published"), default=False)

    class Meta:
        ordering = ["organisation", "-fiscal_year"]
        verbose_name = _("OIT self-assessment")
        verbose_name_plural = _("OIT self-assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "fiscal_year"], name="submission_unique_year"
            ),
            models.CheckConstraint(
                condition=Q(fiscal_year__gte=MIN_FISCAL_YEAR, fiscal_year__lte=MAX_FISCAL_YEAR),
                name="submission_fiscal_year_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.fiscal_year}"


class ItemSnapshot(models.Model):
    """One item as it was submitted: address, explanation, entries and pre-check."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="snapshots")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    address = models.URLField(_("address"), max_length=1000)
    published = models.BooleanField(_("published"))
    explanation = models.TextField(_("explanation"), blank=True)
    # [{"title", "kind", "url", "date", "file_type", "signed"}], as submitted.
    entries = models.JSONField(_("entries"), default=list)
    ready = models.BooleanField(_("ready"))
    # The pre-check's findings, each a Thai sentence telling the office what to do.
    findings = models.JSONField(_("findings"), default=list)

    class Meta:
        ordering = ["submission", "item__number"]
        verbose_name = _("submitted item")
        verbose_name_plural = _("submitted items")
        constraints = [
            models.UniqueConstraint(fields=["submission", "item"], name="snapshot_unique_item"),
        ]

    def __str__(self) -> str:
        return f"{self.submission} {self.item.code}"


class Verdict(models.TextChoices):
    PENDING = "", _("Not reviewed yet")
    PASS = "pass", _("Passed")
    FAIL = "fail", _("Not passed")


class ItemReview(models.Model):
    """The assessor's verdict on one submitted item, and the office's clarification."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="reviews")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    verdict = models.CharField(
        _("verdict"), max_length=8, choices=Verdict.choices, blank=True, default=""
    )
    score = models.DecimalField(
        _("score"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=SCORE_VALIDATORS,
        help_text=_("Only when the edition scores items other than 100 or 0."),
    )
    comment = models.TextField(_("assessor's comment"), blank=True)
    improvement = models.TextField(_("improvement needed"), blank=True)
    clarification = models.TextField(_("clarification"), blank=True)
    clarification_url = models.URLField(_("new evidence (link)"), max_length=1000, blank=True)
    clarification_file = models.FileField(
        _("new evidence (file)"), upload_to="oit-clarifications/%Y/", blank=True, max_length=200
    )
    clarified_at = models.DateTimeField(_("clarified"), null=True, blank=True)
    clarified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["submission", "item__number"]
        verbose_name = _("item review")
        verbose_name_plural = _("item reviews")
        constraints = [
            models.UniqueConstraint(fields=["submission", "item"], name="itemreview_unique_item"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100),
                name="itemreview_score_0_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.submission} {self.item.code}: {self.verdict or '-'}"


class ReviewEventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted for review")
    VERDICT = "verdict", _("Verdict given")
    DEADLINE = "deadline", _("Clarification deadline set")
    CLARIFIED = "clarified", _("Clarification filed")
    CONFIRMED = "confirmed", _("Verdicts confirmed")
    PUBLISHED = "published", _("Summary published")
    WITHDRAWN = "withdrawn", _("Submission withdrawn")


class ReviewEvent(models.Model):
    """One recorded step of a self-assessment's review: who, when, what."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("what"), max_length=16, choices=ReviewEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    detail = models.TextField(_("detail"), blank=True)

    class Meta:
        ordering = ["submission", "at", "id"]
        verbose_name = _("review event")
        verbose_name_plural = _("review events")

    def __str__(self) -> str:
        return f"{self.submission} {self.kind}"
