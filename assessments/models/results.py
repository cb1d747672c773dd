"""Yearly results: an organisation's ITA result for a fiscal year, its indicator
scores and OIT item results.

Scores are stored as they are published (two decimals). Everything derived
from them (instrument points, total, grade, analysis) is computed in
``assessments.scoring`` and never stored twice."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .framework import Edition, Indicator, Instrument, Item, ResultLevel
from .organisations import MAX_FISCAL_YEAR, MIN_FISCAL_YEAR, SCORE_VALIDATORS, Organisation

# --- Yearly results -----------------------------------------------------------


class AssessmentKind(models.TextChoices):
    OFFICIAL = "official", _("Official result")
    SELF = "self", _("Self-assessed (predicted)")


class AssessmentQuerySet(models.QuerySet):
    def for_user(self, user) -> AssessmentQuerySet:
        return self.filter(organisation__in=Organisation.objects.for_user(user))


class OfficialManager(models.Manager.from_queryset(AssessmentQuerySet)):
    """The default manager: official results only.

    Every page, export, trend and analysis that existed before self-assessment
    means the official result, and so do ``organisation.assessments`` and
    prefetches (Django builds them from the default manager). A self-assessed
    result is reached only on purpose, through ``Assessment.all_kinds``.
    """

    def get_queryset(self) -> AssessmentQuerySet:
        return super().get_queryset().filter(kind=AssessmentKind.OFFICIAL)


class Assessment(models.Model):
    """One organisation's ITA result for one fiscal year: the official one, or the
    office's own prediction (``kind``), both scored by the same functions.

    ``edition`` is empty for years before the framework editions the portal
    holds: for those only the published total (and rank) is kept, so the
    history of earlier years can still be shown.
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    kind = models.CharField(
        _("kind"),
        max_length=10,
        choices=AssessmentKind.choices,
        default=AssessmentKind.OFFICIAL,
    )
    edition = models.ForeignKey(
        Edition,
        verbose_name=_("framework edition"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
    )
    official_total = models.DecimalField(
        _("official total"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=SCORE_VALIDATORS,
        help_text=_("The total as published by the NACC, to check the computed total against."),
    )
    official_level = models.ForeignKey(
        ResultLevel,
        verbose_name=_("published level"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The level as published, when the scores behind it are not known."),
    )
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    ranked_out_of = models.PositiveIntegerField(
        _("number of agencies ranked"), null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OfficialManager()
    all_kinds = AssessmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "fiscal_year"]
        verbose_name = _("ITA result")
        verbose_name_plural = _("ITA results")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "fiscal_year", "kind"], name="assessment_unique_year"
            ),
            models.CheckConstraint(
                condition=Q(fiscal_year__gte=MIN_FISCAL_YEAR, fiscal_year__lte=MAX_FISCAL_YEAR),
                name="assessment_fiscal_year_range",
            ),
            models.CheckConstraint(
                condition=Q(official_total__isnull=True)
                | Q(official_total__gte=0, official_total__lte=100),
                name="assessment_official_total_0_100",
            ),
            models.CheckConstraint(
                condition=Q(rank__isnull=True)
                | Q(ranked_out_of__isnull=True)
                | Q(rank__lte=models.F("ranked_out_of")),
                name="assessment_rank_within_ranked",
            ),
            models.CheckConstraint(
                condition=Q(rank__isnull=True) | Q(rank__gte=1), name="assessment_rank_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.fiscal_year}"

    def get_absolute_url(self) -> str:
        return reverse("assessments:year", args=[self.organisation.slug, self.fiscal_year])

    @property
    def self_assessed(self) -> bool:
        return self.kind == AssessmentKind.SELF


class IndicatorScore(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="scores")
    score = models.DecimalField(
        _("score"), max_digits=5, decimal_places=2, validators=SCORE_VALIDATORS
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "indicator__number"]
        verbose_name = _("indicator score")
        verbose_name_plural = _("indicator scores")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "indicator"], name="indicatorscore_unique"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=100), name="indicatorscore_0_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} – {self.indicator.number}: {self.score}"


class InstrumentScore(models.Model):
    """An instrument's own score (0–100, before weighting), for years whose
    indicator scores are not known. Indicator scores, when complete, win."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="instrument_scores"
    )
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="scores")
    score = models.DecimalField(
        _("score"), max_digits=5, decimal_places=2, validators=SCORE_VALIDATORS
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "instrument__order"]
        verbose_name = _("instrument score")
        verbose_name_plural = _("instrument scores")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "instrument"], name="instrumentscore_unique"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=100), name="instrumentscore_0_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} – {self.instrument.code}: {self.score}"


class ItemResult(models.Model):
    """The assessor's finding on one OIT item in one year."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="item_results"
    )
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="results")
    passed = models.BooleanField(_("passed"))
    score = models.DecimalField(
        _("score"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=SCORE_VALIDATORS,
        help_text=_("Leave empty when the item is only passed or failed (100 or 0)."),
    )
    comment = models.TextField(_("assessor's comment"), blank=True)
    improvement = models.TextField(_("improvement needed"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "item__number"]
        verbose_name = _("OIT item result")
        verbose_name_plural = _("OIT item results")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="itemresult_unique"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100),
                name="itemresult_score_0_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} – {self.item.code}"

    @property
    def value(self) -> Decimal:
        """The item's score for averaging: its own score, else 100 when passed and 0 when not."""
        if self.score is not None:
            return self.score
        return Decimal(100) if self.passed else Decimal(0)
