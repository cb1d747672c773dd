"""The ITA framework as data: schemes, editions (one per span of fiscal years),
their instruments, indicators, sub-indicators, OIT items and result levels.

Nothing here fixes a shape: the number of instruments, their codes and
weights, the indicators, the items and the levels all come from an edition's
data, because the NACC changes them almost every year.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

NACC_SCHEME = "nacc"


class Scheme(models.Model):
    """Who publishes a line of editions: the NACC, OBEC's ITA Online for schools, a ministry."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("assessment scheme")
        verbose_name_plural = _("assessment schemes")

    def __str__(self) -> str:
        return self.name_th

    @classmethod
    def nacc(cls) -> Scheme:
        scheme, _created = cls.objects.get_or_create(
            code=NACC_SCHEME,
            defaults={
                "name_th": "สำนักงานคณะกรรมการป้องกันและปราบปรามการทุจริตแห่งชาติ (ป.ป.ช.)",
                "name_en": "National Anti-Corruption Commission (NACC)",
            },
        )
        return scheme


class IndicatorLevelStyle(models.TextChoices):
    """How an indicator's own score is judged on the result pages."""

    LEVELS = "levels", _("By the result levels (letters, as in 2564–2565)")
    PASS_FAIL = "pass_fail", _("Pass or not against the pass mark")


class Edition(models.Model):
    scheme = models.ForeignKey(
        Scheme,
        verbose_name=_("scheme"),
        on_delete=models.PROTECT,
        related_name="editions",
    )
    code = models.SlugField(_("code"), max_length=50, unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    first_year = models.PositiveSmallIntegerField(_("first fiscal year (BE)"))
    last_year = models.PositiveSmallIntegerField(_("last fiscal year (BE)"))
    provisional = models.BooleanField(
        _("provisional"),
        default=False,
        help_text=_(
            "Copied from an earlier edition while the NACC has not published this year's; "
            "replace it with the real edition when it comes out."
        ),
    )
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("copied from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
    )
    pass_mark = models.DecimalField(
        _("pass mark"), max_digits=5, decimal_places=2, default=Decimal("85")
    )
    indicator_levels = models.CharField(
        _("indicator levels shown as"),
        max_length=16,
        choices=IndicatorLevelStyle.choices,
        default=IndicatorLevelStyle.PASS_FAIL,
    )
    keeps_codes = models.BooleanField(
        _("item codes carry over"),
        default=True,
        help_text=_(
            "An item continues the previous edition's item with the same code, unless it "
            "names other codes under “continues”."
        ),
    )
    source = models.TextField(
        _("sources and confidence"),
        blank=True,
        help_text=_("Where this edition's data comes from, and what is still to be checked."),
    )
    # What load_framework last wrote, to tell an operator's edit from an old file.
    loaded_snapshot = models.JSONField(null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["loaded_snapshot"])

    class Meta:
        ordering = ["scheme", "first_year"]
        verbose_name = _("framework edition")
        verbose_name_plural = _("framework editions")
        constraints = [
            models.CheckConstraint(
                condition=Q(first_year__lte=models.F("last_year")), name="edition_years_ordered"
            ),
            models.CheckConstraint(
                condition=Q(pass_mark__gte=0, pass_mark__lte=100), name="edition_pass_mark_0_100"
            ),
        ]

    def __str__(self) -> str:
        return self.name_th

    def covers(self, fiscal_year: int) -> bool:
        return self.first_year <= fiscal_year <= self.last_year

    @property
    def years_label(self) -> str:
        if self.first_year == self.last_year:
            return str(self.first_year)
        return f"{self.first_year}–{self.last_year}"


class Instrument(models.Model):
    """An assessment tool of an edition (IIT, EIT, OIT … whatever the edition has)."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="instruments")
    code = models.CharField(
        _("code"),
        max_length=16,
        help_text=_("Short code as the NACC writes it, e.g. IIT, EIT, OIT."),
    )
    name_th = models.CharField(_("name (Thai)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    weight = models.DecimalField(_("weight (%)"), max_digits=5, decimal_places=2)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    verify = models.BooleanField(_("to check against the NACC manual"), default=False)

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
    verify = models.BooleanField(_("to check against the NACC manual"), default=False)

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
    verify = models.BooleanField(_("to check against the NACC manual"), default=False)

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
    """What the portal builds an item from, when it builds it from its own data.

    Per edition and optional: the code that plays a role changes between
    editions (complaint statistics are O31 in 2564–65, O29 in 2566).
    """

    NONE = "", _("Ordinary item")
    MEASURES = "measures", _("The integrity measures")
    MEASURE_RESULTS = "measure_results", _("Results of the integrity measures")
    COMPLAINT_STATISTICS = "complaint_statistics", _("Complaint statistics")
    COMPLAINT_CHANNEL = "complaint_channel", _("The complaint channel")
    COMPLAINT_GUIDELINE = "complaint_guideline", _("The complaint-handling guideline")


class ItemPeriod(models.TextChoices):
    """The period an item's evidence must fall in."""

    NONE = "", _("No period")
    CURRENT_YEAR = "current_year", _("The current fiscal year")
    PREVIOUS_YEAR = "previous_year", _("The previous fiscal year")
    FIRST_HALF = "first_half", _("The first six months of the current fiscal year")
    MONTHLY = "monthly", _("Each month of the current fiscal year")


class Item(models.Model):
    """An OIT item (O1 …). Its code is unique only within its edition."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="items")
    sub_indicator = models.ForeignKey(SubIndicator, on_delete=models.PROTECT, related_name="items")
    code = models.CharField(_("code"), max_length=10)
    number = models.PositiveSmallIntegerField(_("order"))
    title_th = models.CharField(_("title (Thai)"), max_length=500)
    title_en = models.CharField(_("title (English)"), max_length=500, blank=True)
    heading = models.CharField(_("heading"), max_length=255, blank=True)
    requirement = models.TextField(_("what the page must show"), blank=True)
    period = models.CharField(
        _("evidence period"), max_length=16, choices=ItemPeriod.choices, blank=True, default=""
    )
    signed_by_head = models.BooleanField(_("signed by the head of the agency"), default=False)
    contents = models.TextField(
        _("at least these contents"),
        blank=True,
        help_text=_("One short line per required content (อย่างน้อยประกอบด้วย)."),
    )
    role = models.CharField(
        _("built from"), max_length=32, choices=ItemRole.choices, blank=True, default=""
    )
    continues = models.CharField(
        _("continues"),
        max_length=100,
        blank=True,
        help_text=_(
            "Codes of the previous edition's items this item continues, separated by commas; "
            "empty: the item with the same code, when the edition keeps the codes."
        ),
    )
    verify = models.BooleanField(_("to check against the NACC manual"), default=False)

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

    @property
    def content_lines(self) -> list[str]:
        return [line.strip() for line in self.contents.splitlines() if line.strip()]

    @property
    def continued_codes(self) -> list[str]:
        return [c.strip() for c in self.continues.replace(";", ",").split(",") if c.strip()]


class ResultLevel(models.Model):
    """A result level as a rule: a minimum total and, optionally, a minimum for every
    instrument's own score (0–100, before weighting).

    The levels of an edition are tried best first (highest minimum total, then
    highest instrument minimum); the first whose conditions all hold is the result.
    """

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="levels")
    code = models.CharField(
        _("code"), max_length=20, help_text=_("A short key, e.g. AA or excellent.")
    )
    grade = models.CharField(
        _("letter"),
        max_length=4,
        blank=True,
        help_text=_("The letter results print (AA … F in 2564–2565); empty when levels are words."),
    )
    label_th = models.CharField(_("label (Thai)"), max_length=100)
    label_en = models.CharField(_("label (English)"), max_length=100, blank=True)
    min_total = models.DecimalField(_("lowest total"), max_digits=5, decimal_places=2)
    min_instrument = models.DecimalField(
        _("lowest score of every instrument"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Empty: no condition on the instruments."),
    )
    passed = models.BooleanField(_("passes"))
    verify = models.BooleanField(_("to check against the NACC manual"), default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["edition", "-min_total", models.F("min_instrument").desc(nulls_last=True)]
        verbose_name = _("result level")
        verbose_name_plural = _("result levels")
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="resultlevel_unique_code"),
            models.UniqueConstraint(
                fields=["edition", "min_total", "min_instrument"],
                condition=Q(min_instrument__isnull=False),
                name="resultlevel_unique_rule",
            ),
            models.UniqueConstraint(
                fields=["edition", "min_total"],
                condition=Q(min_instrument__isnull=True),
                name="resultlevel_unique_total_rule",
            ),
            models.CheckConstraint(
                condition=Q(min_total__gte=0, min_total__lte=100), name="resultlevel_min_0_100"
            ),
            models.CheckConstraint(
                condition=Q(min_instrument__isnull=True)
                | Q(min_instrument__gte=0, min_instrument__lte=100),
                name="resultlevel_instrument_0_100",
            ),
        ]

    def __str__(self) -> str:
        return self.grade or self.label_th

    def sort_key(self) -> tuple:
        """Best first: highest total, then the stricter instrument condition."""
        return (-self.min_total, -(self.min_instrument if self.min_instrument is not None else -1))
