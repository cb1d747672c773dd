"""What an organisation publishes for each OIT item of a fiscal year.

A Disclosure is one organisation's page for one item (O1 …) of one fiscal
year; its entries are the documents and links the page lists. The item comes
from the edition that covers the year, so the page's requirement text and
its place under indicator and sub-indicator are framework data.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments.models import Item, Organisation, Unit


def entry_upload_path(instance: models.Model, filename: str) -> str:
    """An unguessable name; the extension comes from the checked content."""
    extension = getattr(instance, "_upload_extension", "") or "bin"
    return f"disclosure-entries/{uuid.uuid4().hex}.{extension}"


class DisclosureStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Disclosure(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="disclosures",
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    item = models.ForeignKey(
        Item, verbose_name=_("OIT item"), on_delete=models.PROTECT, related_name="disclosures"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="disclosures",
    )
    # Sanitised with nh3 before it is saved (services.explanation_clean).
    explanation = models.TextField(_("explanation"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=DisclosureStatus.choices, default=DisclosureStatus.DRAFT
    )
    # Set when a copy from the year before has not been checked yet.
    to_review = models.BooleanField(_("to review"), default=False)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    first_published_at = models.DateTimeField(_("first published"), null=True, blank=True)
    # When the content the public sees last changed (explanation, entries, status).
    content_updated_at = models.DateTimeField(_("last updated"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "fiscal_year", "item__number"]
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosures")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "fiscal_year", "item"], name="disclosure_unique_item"
            ),
            models.CheckConstraint(
                condition=Q(fiscal_year__gte=2500) & Q(fiscal_year__lte=2700),
                name="disclosure_fiscal_year_be",
            ),
            models.CheckConstraint(
                condition=Q(status__in=DisclosureStatus.values), name="disclosure_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(first_published_at__isnull=False),
                name="disclosure_published_has_date",
            ),
        ]
        indexes = [
            # The public page cache's stamp (count and latest change of an organisation's
            # disclosures) read from this index alone, without visiting the rows.
            models.Index(fields=["organisation", "updated_at"], name="disclosure_stamp"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation.slug} {self.fiscal_year} {self.item.code}"

    def get_absolute_url(self) -> str:
        return reverse(
            "disclosures:item", args=[self.organisation.slug, self.fiscal_year, self.item.code]
        )

    @property
    def is_published(self) -> bool:
        return self.status == DisclosureStatus.PUBLISHED


class EntryKind(models.TextChoices):
    DOCUMENT = "document", _("Document")
    LINK = "link", _("Link")


class Entry(models.Model):
    disclosure = models.ForeignKey(
        Disclosure, verbose_name=_("disclosure"), on_delete=models.CASCADE, related_name="entries"
    )
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=16, choices=EntryKind.choices)
    title = models.CharField(_("title"), max_length=500)
    date = models.DateField(_("date"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to=entry_upload_path, blank=True, max_length=200)
    # The checked type's extension (pdf, docx …) and size, shown beside the link.
    file_type = models.CharField(_("file type"), max_length=8, blank=True, editable=False)
    size = models.PositiveIntegerField(_("size in bytes"), default=0, editable=False)
    url = models.URLField(_("link"), max_length=1000, blank=True)
    # Staff confirm which document carries the head of agency's signature.
    signed = models.BooleanField(_("signed by the head of the agency"), default=False)
    # The last check of an external link (``check_links``): HTTP status, or the error.
    link_status = models.PositiveSmallIntegerField(_("link status"), null=True, blank=True)
    link_error = models.CharField(_("link error"), max_length=200, blank=True)
    link_checked_at = models.DateTimeField(_("link checked"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["disclosure", "order", "id"]
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="link") & ~Q(url="") & Q(file=""))
                | (Q(kind="document") & ~Q(file="") & Q(url="")),
                name="entry_file_or_link",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_document(self) -> bool:
        return self.kind == EntryKind.DOCUMENT

    def public_url(self) -> str:
        """Where a visitor opens the entry: our file address, or the external link."""
        if self.is_document:
            return reverse(
                "disclosures:entry-file", args=[self.disclosure.organisation.slug, self.key]
            )
        return self.url


# The OIT self-assessment (pre-check ticks, submissions, assessor review) has its
# own module; importing it here registers its models with the app.
from .selfassessment_models import (  # noqa: E402, F401
    ContentTick,
    ItemReview,
    ItemSnapshot,
    ReviewEvent,
    ReviewEventKind,
    Submission,
    SubmissionStatus,
    Verdict,
)
