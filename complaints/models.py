"""Corruption and misconduct complaints, their attachments and their timeline.

A complaint reaches the public side only through its tracking code and a
secret PIN (stored hashed); nobody has an account. The complainant's
identity and contact fields are read only by complaint officers of the
organisation, and every time an officer reveals them an event says who and
when. Rules (codes, deadlines, transitions, statistics, purging) live in
``complaints/services.py``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assessments.models import Organisation

# Unambiguous for reading aloud or copying by hand: no 0/O, 1/I/L, 2/Z, 5/S, 8/B.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 12
PIN_LENGTH = 6

# The fields that identify the complainant: shown to complaint officers of the
# organisation only, never logged, blanked by ``purge_complainant_data``.
IDENTITY_FIELDS = (
    "complainant_name",
    "complainant_address",
    "complainant_phone",
    "complainant_email",
    "complainant_id_number",
)


class Channel(models.TextChoices):
    WEB = "web", _("Web form")
    WALK_IN = "walk_in", _("In person")
    PHONE = "phone", _("Telephone")
    POST = "post", _("Post")
    EMAIL = "email", _("E-mail")
    FACEBOOK = "facebook", _("Facebook")
    HOTLINE = "hotline", _("Hotline to the director")
    BOX = "box", _("Complaint box")


class Category(models.TextChoices):
    """The kinds of misconduct a complaint may be about (reference 003, measure 4, 1.1)."""

    CORRUPTION = "corruption", _("Corruption in office")
    POSITION_OFFENCE = "position_offence", _("Offence against one's position")
    NEGLECT = "neglect", _("Neglect of a duty the law requires")
    DELAY = "delay", _("Unreasonable delay")
    BEYOND_AUTHORITY = "beyond_authority", _("Acting beyond authority or unlawfully")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    RECEIVED = "received", _("Received, awaiting screening")
    ACCEPTED = "accepted", _("Accepted")
    INVESTIGATING = "investigating", _("Under investigation")
    CONCLUDED = "concluded", _("Concluded")
    REJECTED = "rejected", _("Not taken up")
    FORWARDED = "forwarded", _("Forwarded to another agency")


# A case in one of these states needs nothing more from the office.
CLOSED_STATUSES = frozenset({Status.CONCLUDED, Status.REJECTED, Status.FORWARDED})


class RejectionReason(models.TextChoices):
    """Why a complaint is not taken up (reference 003, measure 4, 1.2–1.5)."""

    NOT_IN_SCOPE = "not_in_scope", _("Not about misconduct of this agency's staff")
    NO_EVIDENCE = "no_evidence", _("No sufficient evidence or witnesses")
    ANONYMOUS_WITHOUT_EVIDENCE = (
        "anonymous_without_evidence",
        _("Anonymous, without clear evidence or named witnesses"),
    )
    MISSING_PARTICULARS = "missing_particulars", _("Does not state what a complaint must state")
    RUMOUR = "rumour", _("Rumour, not facts")
    DUPLICATE = "duplicate", _("Already handled in another case")
    OTHER = "other", _("Other reason")


class Complaint(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    tracking_code = models.CharField(_("tracking code"), max_length=20, unique=True)
    pin_hash = models.CharField(max_length=200, editable=False)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    category = models.CharField(_("category"), max_length=24, choices=Category.choices)
    accused = models.CharField(_("who or which unit the complaint is about"), max_length=500)
    facts = models.TextField(_("facts and acts complained of"))
    request = models.TextField(_("what the complainant asks for"), blank=True)
    incident_date = models.DateField(_("date of the incident"), null=True, blank=True)
    witnesses = models.TextField(_("evidence and witnesses"), blank=True)

    anonymous = models.BooleanField(_("anonymous"), default=False)
    complainant_name = models.CharField(_("name"), max_length=255, blank=True)
    complainant_address = models.TextField(_("address"), blank=True)
    complainant_phone = models.CharField(_("telephone"), max_length=50, blank=True)
    complainant_email = models.EmailField(_("e-mail"), blank=True)
    complainant_id_number = models.CharField(_("ID card number"), max_length=20, blank=True)
    # The complainant asked to be told by e-mail (at complainant_email) when the office
    # answers: an e-mail with the tracking link only. Part of the identity: cleared with it.
    notify_by_email = models.BooleanField(_("e-mail me when the office answers"), default=False)
    identity_purged_at = models.DateTimeField(_("identity erased"), null=True, blank=True)

    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer in charge"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_complaints",
    )
    received_at = models.DateTimeField(_("received"))
    acknowledge_by = models.DateField(_("acknowledge by"))
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    rejection_reason = models.CharField(
        _("reason for not taking it up"),
        max_length=32,
        choices=RejectionReason.choices,
        blank=True,
    )
    outcome = models.TextField(_("outcome for the complainant"), blank=True)
    forwarded_to = models.CharField(_("forwarded to"), max_length=500, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The officer who recorded a complaint received by another channel."),
    )
    updated_at = models.DateTimeField(auto_now=True)
    # The one-time key of the web form that sent it: the same form sent twice
    # (a double click, a resent POST) finds this complaint instead of making another.
    submission_key = models.UUIDField(null=True, blank=True, editable=False)
    # The complainant's replies in the current window (COMPLAINT_REPLY_RATE),
    # counted on this row so that the service's row lock serialises them.
    reply_window_start = models.DateTimeField(null=True, blank=True, editable=False)
    reply_window_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        constraints = [
            models.UniqueConstraint(
                fields=["submission_key"], name="complaint_submission_key_unique"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="complaint_channel_valid"
            ),
            models.CheckConstraint(
                condition=Q(category__in=Category.values), name="complaint_category_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="complaint_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="complaint_rejection_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="forwarded") | ~Q(forwarded_to=""),
                name="complaint_forward_has_agency",
            ),
            # An anonymous complaint holds no identity at all.
            models.CheckConstraint(
                condition=Q(anonymous=False)
                | (
                    Q(complainant_name="")
                    & Q(complainant_address="")
                    & Q(complainant_phone="")
                    & Q(complainant_email="")
                    & Q(complainant_id_number="")
                ),
                name="complaint_anonymous_has_no_identity",
            ),
            # E-mail notices need an address, so an anonymous complaint never has them.
            models.CheckConstraint(
                condition=Q(notify_by_email=False) | ~Q(complainant_email=""),
                name="complaint_notify_has_email",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["organisation", "received_at"]),
        ]

    def __str__(self) -> str:
        # Never the complainant: this string reaches logs and the admin.
        return self.tracking_code

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES


def attachment_path(instance: models.Model, filename: str) -> str:
    extension = getattr(instance, "_upload_extension", "") or "bin"
    return f"complaint-files/{uuid.uuid4().hex}.{extension}"


class Attachment(models.Model):
    complaint = models.ForeignKey(
        Complaint, verbose_name=_("complaint"), on_delete=models.CASCADE, related_name="attachments"
    )
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    file_type = models.CharField(_("file type"), max_length=8, editable=False)
    size = models.PositiveIntegerField(_("size in bytes"), default=0, editable=False)
    # From the complainant (form or tracking page) or added by an officer.
    from_complainant = models.BooleanField(_("from the complainant"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["complaint", "created_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return f"{self.complaint} {self.key.hex[:8]}"


class EventKind(models.TextChoices):
    RECEIVED = "received", _("Received")
    ASSIGNED = "assigned", _("Officer assigned")
    STATUS = "status", _("Status changed")
    NOTE = "note", _("Internal note")
    MESSAGE_OUT = "message_out", _("Message to the complainant")
    MESSAGE_IN = "message_in", _("Message from the complainant")
    FILE_IN = "file_in", _("File from the complainant")
    IDENTITY_VIEWED = "identity_viewed", _("Identity revealed")
    IDENTITY_PURGED = "identity_purged", _("Identity erased")


# What the complainant sees on the tracking page: never notes or reveals.
VISIBLE_TO_COMPLAINANT = frozenset(
    {
        EventKind.RECEIVED,
        EventKind.STATUS,
        EventKind.MESSAGE_OUT,
        EventKind.MESSAGE_IN,
        EventKind.FILE_IN,
    }
)


class Event(models.Model):
    """One line of a complaint's timeline; never edited or deleted."""

    complaint = models.ForeignKey(
        Complaint, verbose_name=_("complaint"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, blank=True)
    text = models.TextField(_("text"), blank=True)
    attachment = models.ForeignKey(
        Attachment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["complaint", "created_at", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="event_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.complaint} {self.kind}"

    @property
    def visible_to_complainant(self) -> bool:
        return self.kind in VISIBLE_TO_COMPLAINANT
