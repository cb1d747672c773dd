"""Organisations, their units, their members and the changes to members' roles."""

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
    # "s": the short addresses of survey rounds (/s/<code>/), printed on posters.
    {"admin", "staff", "static", "media", "i18n", "complaints", "api", "healthz", "s"}
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
    scheme = models.ForeignKey(
        "assessments.Scheme",
        verbose_name=_("assessment scheme"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        help_text=_(
            "Whose item lists the organisation follows (e.g. OBEC's for a school). "
            "Empty: the NACC's. A year without an edition of this scheme uses the NACC's."
        ),
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

    # Moved by assessments.public_cache.content_changed whenever anything the
    # public sees of this organisation changes: public pages and stored PDFs
    # are keyed on it.
    content_version = models.PositiveBigIntegerField(default=1, editable=False)

    objects = OrganisationQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["content_version"])

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

    def save(self, *args, **kwargs) -> None:
        # content_version is moved only by public_cache.content_changed (an UPDATE).
        # An instance loaded before a move and saved after it would write the old
        # number back, and pages cached under it would be served again, stale.
        if (
            not self._state.adding
            and kwargs.get("update_fields") is None
            and not kwargs.get("force_insert")
        ):
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name != "content_version"
            ]
        super().save(*args, **kwargs)

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
    # Reviews OIT self-assessments: a member of the parent organisation (the ESA
    # reviewing its schools) or an internal committee member of the organisation.
    ASSESSOR = "assessor", _("Assessor")


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


class SiteVersion(models.Model):
    """One row, moved with every organisation's content version (``public_cache``):
    the version of the pages that list every organisation, read by its key in one
    step instead of adding up every organisation's version on each request."""

    value = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("site version")
        verbose_name_plural = _("site version")

    def __str__(self) -> str:
        return str(self.value)
