"""Integrity measures of a fiscal year, their follow-up, announcements and report settings."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments.models import Indicator, Organisation, Unit
from ita_portal.thai import thai_date

FISCAL_YEAR_RANGE = Q(fiscal_year__gte=2500) & Q(fiscal_year__lte=2700)


def upload_path(instance: models.Model, filename: str) -> str:
    """An unguessable name: the upload's own name says nothing and is not kept.

    The extension comes from the checked content (see ``uploads.py``), which
    sets ``instance._upload_extension`` before saving.
    """
    extension = getattr(instance, "_upload_extension", "") or "bin"
    folder = instance._meta.model_name
    return f"{folder}/{uuid.uuid4().hex}.{extension}"


class MeasureStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DELAYED = "delayed", _("Delayed")


class Round(models.TextChoices):
    SIX_MONTHS = "6m", _("6-month report")
    TWELVE_MONTHS = "12m", _("12-month report")
    DATED = "dated", _("Dated report")


# The rounds every measure is expected to report in a year.
EXPECTED_ROUNDS = (Round.SIX_MONTHS, Round.TWELVE_MONTHS)


class Measure(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="measures",
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("measure"), max_length=500)
    indicators = models.ManyToManyField(
        Indicator,
        verbose_name=_("indicators addressed"),
        blank=True,
        related_name="measures",
        help_text=_("Leave empty for a stand-alone measure such as anti-bribery."),
    )
    approach = models.TextField(_("approach and guidelines"), blank=True)
    responsible_units = models.ManyToManyField(
        Unit, verbose_name=_("responsible units"), blank=True, related_name="measures"
    )
    responsible_text = models.TextField(
        _("responsible (free text)"),
        blank=True,
        help_text=_("For example: every unit. One responsible per line if there are several."),
    )
    monitoring = models.TextField(_("monitoring and reporting"), blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    due_month_only = models.BooleanField(
        _("due in the month only"),
        default=False,
        help_text=_("Print only the month and year of the due date (กันยายน 2566)."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[indicators, responsible_units])

    class Meta:
        ordering = ["organisation", "fiscal_year", "number"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "fiscal_year", "number"], name="measure_unique_number"
            ),
            models.CheckConstraint(condition=FISCAL_YEAR_RANGE, name="measure_fiscal_year_be"),
            models.CheckConstraint(condition=Q(number__gte=1), name="measure_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def steps_text(self) -> str:
        return "\n".join(step.text for step in self.steps.all())


class MeasureStep(models.Model):
    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="steps"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    # 0: a step (1, 2 …); 1: a sub-step under the step before it (1.1, 1.2 …); 2: 1.1.1.
    depth = models.PositiveSmallIntegerField(_("level"), default=0)
    text = models.TextField(_("step"))

    class Meta:
        ordering = ["measure", "order"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        constraints = [
            models.UniqueConstraint(fields=["measure", "order"], name="step_unique_order"),
        ]

    def __str__(self) -> str:
        return self.text


class FollowUp(models.Model):
    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    round = models.CharField(_("reporting round"), max_length=8, choices=Round.choices)
    report_date = models.DateField(
        _("report date"), null=True, blank=True, help_text=_("Required for a dated report.")
    )
    summary = models.TextField(_("summary of results"), blank=True)
    outcome = models.TextField(_("outcome or success"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=MeasureStatus.choices, default=MeasureStatus.NOT_STARTED
    )
    completed_on = models.DateField(_("completion date"), null=True, blank=True)
    completed_month_only = models.BooleanField(
        _("completed in the month only"),
        default=False,
        help_text=_("Print only the month and year of the completion date."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["measure", "report_date", "created_at"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [
            # A 6- or 12-month report exists once per measure; dated reports once per date.
            models.UniqueConstraint(
                fields=["measure", "round"],
                condition=~Q(round="dated"),
                name="follow_up_unique_round",
            ),
            models.UniqueConstraint(
                fields=["measure", "report_date"],
                condition=Q(round="dated"),
                name="follow_up_unique_dated",
            ),
            models.CheckConstraint(
                condition=~Q(round="dated") | Q(report_date__isnull=False),
                name="follow_up_dated_has_date",
            ),
            models.CheckConstraint(
                condition=Q(round__in=Round.values), name="follow_up_round_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=MeasureStatus.values), name="follow_up_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure} — {self.round_label}"

    @property
    def round_label(self) -> str:
        if self.round == Round.DATED and self.report_date:
            return f"{Round.DATED.label} {thai_date(self.report_date)}"
        return str(self.get_round_display())

    @property
    def sort_key(self) -> tuple:
        order = {Round.SIX_MONTHS: 0, Round.TWELVE_MONTHS: 2}
        return (order.get(self.round, 1), self.report_date or self.created_at.date())


class EvidenceKind(models.TextChoices):
    IMAGE = "image", _("Image")
    PDF = "pdf", _("PDF document")
    LINK = "link", _("Link")


class Evidence(models.Model):
    follow_up = models.ForeignKey(
        FollowUp, verbose_name=_("follow-up"), on_delete=models.CASCADE, related_name="evidence"
    )
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=8, choices=EvidenceKind.choices)
    file = models.FileField(_("file"), upload_to=upload_path, blank=True, max_length=200)
    # A downscaled JPEG of an image, made on upload: what pages and the PDF show.
    preview = models.ImageField(
        _("preview"),
        upload_to=upload_path,
        blank=True,
        max_length=200,
        width_field="preview_width",
        height_field="preview_height",
    )
    preview_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    preview_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    url = models.URLField(_("link"), max_length=1000, blank=True)
    caption = models.CharField(_("caption"), max_length=500, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["follow_up", "order", "id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="link") & ~Q(url="") & Q(file=""))
                | (Q(kind__in=["image", "pdf"]) & ~Q(file="") & Q(url="")),
                name="evidence_file_or_link",
            ),
        ]

    def __str__(self) -> str:
        return self.caption or self.get_kind_display()

    @property
    def is_image(self) -> bool:
        return self.kind == EvidenceKind.IMAGE


class AnnouncementKind(models.TextChoices):
    ANNOUNCEMENT = "announcement", _("Announcement")
    ORDER = "order", _("Order")


class Announcement(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="announcements",
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    kind = models.CharField(
        _("kind"),
        max_length=16,
        choices=AnnouncementKind.choices,
        default=AnnouncementKind.ANNOUNCEMENT,
    )
    number = models.CharField(
        _("number"), max_length=20, blank=True, help_text=_("For example 32/2567.")
    )
    title = models.CharField(_("subject"), max_length=500)
    body = models.TextField(_("text"), help_text=_("Separate paragraphs with an empty line."))
    date = models.DateField(_("date"))
    signatory_name = models.CharField(_("signatory"), max_length=255)
    signatory_position = models.CharField(_("signatory's position"), max_length=500)
    measures = models.ManyToManyField(
        Measure, verbose_name=_("measures"), blank=True, related_name="announcements"
    )
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    attachment = models.FileField(
        _("signed PDF"), upload_to=upload_path, blank=True, max_length=200
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[measures])

    class Meta:
        ordering = ["organisation", "fiscal_year", "date", "id"]
        verbose_name = _("announcement or order")
        verbose_name_plural = _("announcements and orders")
        constraints = [
            models.CheckConstraint(condition=FISCAL_YEAR_RANGE, name="announcement_fiscal_year_be"),
            models.CheckConstraint(
                condition=Q(kind__in=AnnouncementKind.values), name="announcement_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.body.replace("\r\n", "\n").split("\n\n") if p.strip()]


class DocumentKind(models.TextChoices):
    """The documents an office submits about its measures, each at its own permanent address."""

    ANNUAL = "annual", _("Annual report on the measures")
    ANNOUNCEMENT = "announcement", _("Announcement of the measures")
    PLAN = "plan", _("Measures plan")
    RESULTS = "results", _("Report on the results of the measures")


class ChapterWord(models.TextChoices):
    CHAPTER = "บทที่", "บทที่"
    PART = "ส่วนที่", "ส่วนที่"


class ReportSettings(models.Model):
    """The settings of one document of a year (its kind): title, parts, signatory, digits,
    and whether it is public."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="report_settings",
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    kind = models.CharField(
        _("document"), max_length=16, choices=DocumentKind.choices, default=DocumentKind.ANNUAL
    )
    title = models.CharField(
        _("title"), max_length=500, blank=True, help_text=_("Empty: the usual title.")
    )
    hidden_parts = models.JSONField(_("parts left out"), default=list, blank=True)
    chapter_word = models.CharField(
        _("chapter word"), max_length=10, choices=ChapterWord.choices, default=ChapterWord.CHAPTER
    )
    document_date = models.DateField(_("date of the document"), null=True, blank=True)
    body = models.TextField(
        _("text"), blank=True, help_text=_("Separate paragraphs with an empty line.")
    )
    strengths_threshold = models.DecimalField(
        _("strengths from"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "Indicators at or above this score are listed as strengths. Empty: the "
            "edition's top level."
        ),
    )
    preface = models.TextField(_("preface"), blank=True)
    background = models.TextField(_("background (chapter 1)"), blank=True)
    thai_digits = models.BooleanField(_("print Thai digits"), default=False)
    signatory_name = models.CharField(_("signatory"), max_length=255, blank=True)
    signatory_position = models.CharField(_("signatory's position"), max_length=500, blank=True)
    published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "fiscal_year"]
        verbose_name = _("report settings")
        verbose_name_plural = _("report settings")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "fiscal_year", "kind"], name="report_settings_unique_year"
            ),
            models.CheckConstraint(
                condition=FISCAL_YEAR_RANGE, name="report_settings_fiscal_year_be"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.fiscal_year}"

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.body.replace("\r\n", "\n").split("\n\n") if p.strip()]

    def shows(self, part: str) -> bool:
        return part not in (self.hidden_parts or [])


class AnalysisText(models.Model):
    """The office's own words on its result: a first draft generated from the data,
    then edited. ``key`` names what it is about (overall, indicator-3, weakness-9.1 …)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="analysis_texts"
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    key = models.CharField(_("about"), max_length=40)
    text = models.TextField(_("text"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "fiscal_year", "key"]
        verbose_name = _("analysis text")
        verbose_name_plural = _("analysis texts")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "fiscal_year", "key"], name="analysis_text_unique_key"
            ),
            models.CheckConstraint(
                condition=FISCAL_YEAR_RANGE, name="analysis_text_fiscal_year_be"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.fiscal_year} {self.key}"
