"""The ITA framework: one edition per span of fiscal years, with its instruments,
indicators, sub-indicators, OIT items and grade bands."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# --- The ITA framework, one edition per span of fiscal years -----------------


class Edition(models.Model):
    code = models.SlugField(_("code"), max_length=50, unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    first_year = models.PositiveSmallIntegerField(_("first fiscal year (BE)"))
    last_year = models.PositiveSmallIntegerField(_("last fiscal year (BE)"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["first_year"]
        verbose_name = _("framework edition")
        verbose_name_plural = _("framework editions")
        constraints = [
            models.CheckConstraint(
                condition=Q(first_year__lte=models.F("last_year")), name="edition_years_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.name_th

    def covers(self, fiscal_year: int) -> bool:
        return self.first_year <= fiscal_year <= self.last_year


class InstrumentCode(models.TextChoices):
    IIT = "IIT", _("Internal stakeholders' perception (IIT)")
    EIT = "EIT", _("External stakeholders' perception (EIT)")
    OIT = "OIT", _("Open data (OIT)")


class Instrument(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="instruments")
    code = models.CharField(_("code"), max_length=8, choices=InstrumentCode.choices)
    name_th = models.CharField(_("name (Thai)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    weight = models.DecimalField(_("weight (%)"), max_digits=5, decimal_places=2)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["edition", "order"]
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="instrument_unique_code"),
            models.CheckConstraint(
                condition=Q(weight__gt=0, weight__lte=100), name="instrument_weight_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.edition.code})"


class Indicator(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="indicators")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="indicators")
    number = models.PositiveSmallIntegerField(_("number"))
    name_th = models.CharField(_("name (Thai)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["edition", "number"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["edition", "number"], name="indicator_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name_th}"


class SubIndicator(models.Model):
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="sub_indicators"
    )
    code = models.CharField(_("code"), max_length=10)
    name_th = models.CharField(_("name (Thai)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "order"]
        verbose_name = _("sub-indicator")
        verbose_name_plural = _("sub-indicators")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "code"], name="subindicator_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name_th}"


class ItemRole(models.TextChoices):
    """What the portal builds an item from, when it builds it from its own data."""

    NONE = "", _("Ordinary item")
    MEASURES = "measures", _("The integrity measures")
    MEASURE_RESULTS = "measure_results", _("Results of the integrity measures")
    COMPLAINT_STATISTICS = "complaint_statistics", _("Complaint statistics")


class Item(models.Model):
    """An OIT item (O1 …). Its code is unique only within its edition."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="items")
    sub_indicator = models.ForeignKey(SubIndicator, on_delete=models.PROTECT, related_name="items")
    code = models.CharField(_("code"), max_length=10)
    number = models.PositiveSmallIntegerField(_("order"))
    title_th = models.CharField(_("title (Thai)"), max_length=500)
    heading = models.CharField(_("heading"), max_length=255, blank=True)
    requirement = models.TextField(_("what the page must show"), blank=True)
    role = models.CharField(
        _("built from"), max_length=32, choices=ItemRole.choices, blank=True, default=""
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["edition", "number"]
        verbose_name = _("OIT item")
        verbose_name_plural = _("OIT items")
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="item_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title_th}"


class GradeBand(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="grade_bands")
    grade = models.CharField(_("grade"), max_length=4)
    min_score = models.DecimalField(_("lowest score"), max_digits=5, decimal_places=2)
    label_th = models.CharField(_("label (Thai)"), max_length=100, blank=True)
    label_en = models.CharField(_("label (English)"), max_length=100)
    passed = models.BooleanField(_("passes"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["edition", "-min_score"]
        verbose_name = _("grade band")
        verbose_name_plural = _("grade bands")
        constraints = [
            models.UniqueConstraint(fields=["edition", "grade"], name="gradeband_unique_grade"),
            models.UniqueConstraint(fields=["edition", "min_score"], name="gradeband_unique_min"),
            models.CheckConstraint(
                condition=Q(min_score__gte=0, min_score__lte=100), name="gradeband_min_0_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grade} ≥ {self.min_score}"
