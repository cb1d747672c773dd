"""Organisations, their units and people; ITA framework editions; yearly results.

Scores are stored as they are published (two decimals). Everything derived
from them (instrument points, total, grade, analysis) is computed in
``assessments.scoring`` and never stored twice.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# First path segments the site itself uses; an organisation may not take them.
RESERVED_SLUGS = frozenset(
    {"admin", "staff", "static", "media", "i18n", "complaints", "api", "healthz"}
)


def validate_slug_not_reserved(value: str) -> None:
    if value.lower() in RESERVED_SLUGS:
        raise ValidationError(
            _("“%(value)s” is used by the portal itself; choose another short name."),
            params={"value": value},
        )


SCORE_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]
# Fiscal years the portal accepts (BE); wide enough for history and the future.
MIN_FISCAL_YEAR = 2550
MAX_FISCAL_YEAR = 2700


class OrganisationKind(models.TextChoices):
    PRIMARY_ESA = "primary_esa", _("Primary education service area office")
    SECONDARY_ESA = "secondary_esa", _("Secondary education service area office")
    PROVINCIAL_OFFICE = "provincial_office", _("Provincial education office")
    SCHOOL = "school", _("School")
    OTHER = "other", _("Other agency")


class OrganisationQuerySet(models.QuerySet):
    def for_user(self, user) -> OrganisationQuerySet:
        """Organisations the user is a member of (all of them for a superuser)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(memberships__user=user).distinct()


class Organisation(models.Model):
    slug = models.SlugField(
        _("short name in addresses"),
        max_length=50,
        unique=True,
        validators=[validate_slug_not_reserved],
        help_text=_(
            "Latin letters, digits and hyphens; used in public addresses. Do not change it once published."
        ),
    )
    name_th = models.CharField(_("name (Thai)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    affiliation = models.TextField(
        _("affiliation"),
        blank=True,
        help_text=_(
            "The agencies above this one, one per line, as printed on report covers "
            "(for example the Office of the Basic Education Commission, then the Ministry)."
        ),
    )
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("telephone"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    head_name = models.CharField(_("head of agency"), max_length=255, blank=True)
    head_position = models.CharField(_("position of the head"), max_length=255, blank=True)
    develop_threshold = models.DecimalField(
        _("threshold for indicators to develop"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=SCORE_VALIDATORS,
        help_text=_(
            "Indicators scoring below this are listed as to develop. "
            "Empty: the pass mark of the framework (85)."
        ),
    )

    objects = OrganisationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name_th"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=Q(develop_threshold__isnull=True)
                | Q(develop_threshold__gte=0, develop_threshold__lte=100),
                name="organisation_threshold_0_100",
            ),
        ]

    def __str__(self) -> str:
        return self.name_th

    def get_absolute_url(self) -> str:
        return reverse("assessments:organisation", args=[self.slug])

    @property
    def affiliation_lines(self) -> list[str]:
        """Who this agency belongs to, nearest first: parents in the portal, then the typed lines."""
        lines = []
        parent, seen = self.parent, set()
        while parent is not None and parent.pk not in seen:
            seen.add(parent.pk)
            lines.append(parent.name_th)
            parent = parent.parent
        lines += [line.strip() for line in self.affiliation.splitlines() if line.strip()]
        return lines


class UnitQuerySet(models.QuerySet):
    def active(self) -> UnitQuerySet:
        """Units offered in new choices; retired ones stay only on the records that have them."""
        return self.filter(retired_at__isnull=True)

    def offered(self, organisation: Organisation, *, keep=()) -> UnitQuerySet:
        """The organisation's units a form offers: the active ones, plus the retired ones in
        ``keep`` (ids or a queryset: the units the edited record already has)."""
        return self.filter(organisation=organisation).filter(
            Q(retired_at__isnull=True) | Q(pk__in=keep)
        )


class Unit(models.Model):
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="units"
    )
    name = models.CharField(_("name"), max_length=255)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)

    objects = UnitQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "order", "name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="unit_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    EDITOR = "editor", _("Editor")
    COMPLAINT_OFFICER = "complaint_officer", _("Complaint officer")
    VIEWER = "viewer", _("Viewer")


# Roles that may change the organisation's ITA data.
EDITING_ROLES = frozenset({Role.ADMINISTRATOR, Role.EDITOR})


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, default=Role.VIEWER)
    units = models.ManyToManyField(
        Unit,
        verbose_name=_("units"),
        blank=True,
        help_text=_("Limit the member to these units; empty means the whole organisation."),
    )

    history = HistoricalRecords(m2m_fields=[units])

    class Meta:
        ordering = ["organisation", "user__username"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"

    @property
    def can_edit(self) -> bool:
        return self.role in EDITING_ROLES


class MembershipChange(models.Model):
    """Who gave whom which role (and units), from what to what: the record the history page shows.

    An empty role means no membership: ``old_role=""`` is an addition,
    ``new_role=""`` a removal. Units are kept as text so the record still
    reads the same after a unit is renamed or merged.
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="membership_changes",
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="membership_changes",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    old_role = models.CharField(_("old role"), max_length=32, choices=Role.choices, blank=True)
    new_role = models.CharField(_("new role"), max_length=32, choices=Role.choices, blank=True)
    old_units = models.TextField(_("old units"), blank=True)
    new_units = models.TextField(_("new units"), blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("membership change")
        verbose_name_plural = _("membership changes")
        indexes = [
            models.Index(fields=["organisation", "created_at"], name="membershipchange_org_time"),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.old_role or '–'} → {self.new_role or '–'}"


class OneTimePassword(models.Model):
    """A password an administrator set and saw: the member must replace it at first login.

    It is in force while the user's password hash is still the one set here,
    so changing the password (or resetting it by e-mail) ends it without any
    extra step.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="one_time_password",
    )
    password_hash = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("one-time password")
        verbose_name_plural = _("one-time passwords")

    def __str__(self) -> str:
        return str(self.user)

    @property
    def in_force(self) -> bool:
        return self.user.password == self.password_hash


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


# --- Yearly results -----------------------------------------------------------


class AssessmentQuerySet(models.QuerySet):
    def for_user(self, user) -> AssessmentQuerySet:
        return self.filter(organisation__in=Organisation.objects.for_user(user))


class Assessment(models.Model):
    """One organisation's official ITA result for one fiscal year.

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
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    ranked_out_of = models.PositiveIntegerField(
        _("number of agencies ranked"), null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AssessmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "fiscal_year"]
        verbose_name = _("ITA result")
        verbose_name_plural = _("ITA results")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "fiscal_year"], name="assessment_unique_year"
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
