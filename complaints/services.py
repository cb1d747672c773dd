"""Rules for complaints: codes and PINs, filing, the case workflow, deadlines,
statistics and erasing identities.

Every write is a function here; views, commands and tests call the same
ones. Each step of a case writes an Event, so the timeline is the record.
Identity fields are never put in an event's text, a log line or an e-mail.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Organisation
from assessments.public_cache import content_changed
from ita_portal.thai import arabic_digits

from .attachments import (
    REPLY_WINDOW_FIELDS,
    attach,
    files_check,
    quota_check,
    removed_on_failure,
    reply_rate_take,
)
from .models import (
    CLOSED_STATUSES,
    CODE_ALPHABET,
    CODE_LENGTH,
    IDENTITY_FIELDS,
    PIN_LENGTH,
    Channel,
    Complaint,
    Event,
    EventKind,
    RejectionReason,
    Status,
)
from .notifications import notify_complainant, notify_officers


class ComplaintError(Exception):
    """A step that cannot be taken in the case's state; the message says why."""


# --- Codes and PINs ----------------------------------------------------------------


def tracking_code_new() -> str:
    """12 characters from a 25-letter alphabet: about 56 bits, not guessable."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def pin_new() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(PIN_LENGTH))


def tracking_code_normalise(value: str) -> str:
    """What a person types: spaces, dashes, lower case and Thai digits are forgiven."""
    return "".join(ch for ch in arabic_digits(value).upper() if ch.isalnum())


def tracking_code_display(code: str) -> str:
    """ABCD-EFGH-JKMN: easier to read out and copy."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def track_url() -> str:
    """The tracking page's permanent address, for receipts and e-mails."""
    return f"{settings.SITE_URL}{reverse('complaints:track')}"


def complaint_for_tracking(*, code: str, pin: str) -> Complaint | None:
    """The complaint with this code and PIN, or None; a wrong code and a wrong PIN
    look the same to the caller, and take about the same time."""
    complaint = Complaint.objects.filter(tracking_code=tracking_code_normalise(code)).first()
    if complaint is None:
        # Hash anyway so that an unknown code is not answered faster than a wrong PIN.
        make_password(pin or "")
        return None
    if not check_password((pin or "").strip(), complaint.pin_hash):
        return None
    return complaint


# --- Deadlines ------------------------------------------------------------------


def acknowledge_days() -> int:
    return int(getattr(settings, "COMPLAINT_ACKNOWLEDGE_DAYS", 15))


def acknowledge_due(received: dt.datetime) -> dt.date:
    return timezone.localtime(received).date() + dt.timedelta(days=acknowledge_days())


def is_overdue(complaint: Complaint, today: dt.date | None = None) -> bool:
    """Not yet acknowledged (screened) and past the acknowledgement date."""
    today = today or timezone.localdate()
    return (
        complaint.acknowledged_at is None
        and complaint.acknowledge_by < today
        and not complaint.is_closed
    )


def overdue_q(today: dt.date | None = None):
    from django.db.models import Q

    today = today or timezone.localdate()
    return Q(acknowledged_at__isnull=True, acknowledge_by__lt=today) & ~Q(
        status__in=CLOSED_STATUSES
    )


# --- Filing --------------------------------------------------------------------


@dataclass
class Filed:
    complaint: Complaint
    pin: str  # shown once to the complainant, then only its hash exists

    @property
    def code_display(self) -> str:
        return tracking_code_display(self.complaint.tracking_code)


class DuplicateSubmission(Exception):
    """The same web form was sent again; the complaint it made is ``complaint``."""

    def __init__(self, complaint: Complaint) -> None:
        super().__init__(complaint.pk)
        self.complaint = complaint


def complaint_file(
    *,
    organisation: Organisation,
    channel: str = Channel.WEB,
    category: str,
    accused: str,
    facts: str,
    request: str = "",
    incident_date: dt.date | None = None,
    witnesses: str = "",
    anonymous: bool,
    identity: dict[str, str] | None = None,
    notify_by_email: bool = False,
    files: Sequence = (),
    recorded_by=None,
    received_at: dt.datetime | None = None,
    submission_key: uuid.UUID | None = None,
) -> Filed:
    """Record a complaint with a fresh code and PIN; files are checked first, all or none.

    An anonymous complaint keeps no identity, whatever was sent, and so no
    e-mail notices; ``notify_by_email`` needs the identity's e-mail. Officers
    recording a walk-in, phone or letter complaint pass ``recorded_by``. A
    ``submission_key`` already used (the same form sent twice, even at the
    same moment) creates nothing and raises DuplicateSubmission.
    """
    if submission_key is not None:
        earlier = Complaint.objects.filter(submission_key=submission_key).first()
        if earlier is not None:
            raise DuplicateSubmission(earlier)
    checked = files_check(files)
    if recorded_by is None:
        # The quotas guard the public channel; an officer recording a letter may need more.
        quota_check(complaint=None, checked=checked)
    identity = (
        {} if anonymous else {k: (identity or {}).get(k, "").strip() for k in IDENTITY_FIELDS}
    )
    notify_by_email = notify_by_email and not anonymous
    if notify_by_email and not identity.get("complainant_email"):
        raise ComplaintError(_("Give an e-mail address to be told when the office answers."))
    received_at = received_at or timezone.now()
    pin = pin_new()
    for _attempt in range(5):
        try:
            with removed_on_failure() as written, transaction.atomic():
                complaint = Complaint.objects.create(
                    submission_key=submission_key,
                    organisation=organisation,
                    tracking_code=tracking_code_new(),
                    pin_hash=make_password(pin),
                    channel=channel,
                    category=category,
                    accused=accused.strip(),
                    facts=facts.strip(),
                    request=request.strip(),
                    incident_date=incident_date,
                    witnesses=witnesses.strip(),
                    anonymous=anonymous,
                    received_at=received_at,
                    acknowledge_by=acknowledge_due(received_at),
                    created_by=recorded_by,
                    notify_by_email=notify_by_email,
                    **identity,
                )
                attach(complaint, checked, from_complainant=True, written=written)
                Event.objects.create(
                    complaint=complaint,
                    kind=EventKind.RECEIVED,
                    actor=recorded_by,
                    status=Status.RECEIVED,
                )
                # The public statistics count it.
                content_changed(organisation)
            break
        except IntegrityError:
            if submission_key is not None:
                # The same form, sent at the same moment, was saved by the other request.
                earlier = Complaint.objects.filter(submission_key=submission_key).first()
                if earlier is not None:
                    raise DuplicateSubmission(earlier) from None
            # A tracking code collision (one in 10^16): draw another.
            continue
    else:  # pragma: no cover - would need five collisions in a row
        raise ComplaintError("could not draw a unique tracking code")
    # robust: whatever goes wrong after the commit is logged, and the complainant
    # still gets the code and PIN (notify_officers itself catches mail failures).
    transaction.on_commit(lambda: notify_officers(complaint), robust=True)
    return Filed(complaint=complaint, pin=pin)


# --- The complainant, through the tracking page ------------------------------------


def complainant_reply(*, complaint: Complaint, text: str = "", files: Sequence = ()) -> list[Event]:
    """A message and/or files from the complainant; files are checked first, all or none.

    Within the complaint's quotas (complaints/attachments.py), checked under a
    lock on its row so that two replies at once cannot both pass; beyond them,
    QuotaExceeded and nothing is stored.
    """
    text = text.strip()
    if not text and not files:
        raise ComplaintError(_("Write a message or choose a file."))
    checked = files_check(files)
    events = []
    with removed_on_failure() as written, transaction.atomic():
        locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
        quota_check(complaint=locked, checked=checked)
        reply_rate_take(complaint=locked, now=timezone.now())
        if text:
            events.append(
                Event.objects.create(complaint=complaint, kind=EventKind.MESSAGE_IN, text=text)
            )
        for attachment in attach(locked, checked, from_complainant=True, written=written):
            events.append(
                Event.objects.create(
                    complaint=complaint, kind=EventKind.FILE_IN, attachment=attachment
                )
            )
        locked.save(update_fields=["updated_at", *REPLY_WINDOW_FIELDS])
    complaint.updated_at = locked.updated_at
    return events


def tracking_events(complaint: Complaint) -> QuerySet[Event]:
    """What the tracking page shows: status changes and messages, never notes or reveals."""
    from .models import VISIBLE_TO_COMPLAINANT

    return complaint.events.filter(kind__in=VISIBLE_TO_COMPLAINANT).select_related("attachment")


# --- The officers' workflow ----------------------------------------------------------

# Which status may follow which: anything not listed is refused.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.RECEIVED: frozenset({Status.ACCEPTED, Status.REJECTED, Status.FORWARDED}),
    Status.ACCEPTED: frozenset({Status.INVESTIGATING, Status.CONCLUDED, Status.FORWARDED}),
    Status.INVESTIGATING: frozenset({Status.CONCLUDED, Status.FORWARDED}),
    Status.CONCLUDED: frozenset(),
    Status.REJECTED: frozenset(),
    Status.FORWARDED: frozenset(),
}


@transaction.atomic
def _move(complaint: Complaint, new: str, *, user, text: str = "") -> Event:
    if new not in TRANSITIONS[complaint.status]:
        raise ComplaintError(
            _("A case that is “%(current)s” cannot become “%(new)s”.")
            % {"current": Status(complaint.status).label, "new": Status(new).label}
        )
    now = timezone.now()
    complaint.status = new
    if complaint.acknowledged_at is None:
        # Screening, forwarding or rejecting is the acknowledgement the deadline asks for.
        complaint.acknowledged_at = now
    if new in CLOSED_STATUSES:
        complaint.closed_at = now
    complaint.save()
    # The public statistics count cases by status and by acknowledgement in time.
    content_changed(complaint.organisation_id)
    _complainant_told(complaint)
    return Event.objects.create(
        complaint=complaint, kind=EventKind.STATUS, actor=user, status=new, text=text
    )


def _complainant_told(complaint: Complaint) -> None:
    """After the commit, e-mail a complainant who asked for it that there is news.

    The e-mail holds the tracking link only (complaints/notifications.py); a mail
    server that fails is logged there and never undoes the officer's step.
    """
    if not complaint.notify_by_email:
        return
    pk = complaint.pk
    transaction.on_commit(lambda: notify_complainant(complaint_id=pk), robust=True)


def complaint_assign(*, complaint: Complaint, officer, user) -> Event:
    complaint.assigned_to = officer
    complaint.save(update_fields=["assigned_to", "updated_at"])
    name = (officer.get_full_name() or officer.get_username()) if officer else ""
    return Event.objects.create(complaint=complaint, kind=EventKind.ASSIGNED, actor=user, text=name)


def complaint_accept(*, complaint: Complaint, user, message: str = "") -> Event:
    return _move(complaint, Status.ACCEPTED, user=user, text=message.strip())


def complaint_reject(*, complaint: Complaint, user, reason: str, message: str = "") -> Event:
    if reason not in RejectionReason.values:
        raise ComplaintError(_("Choose the reason for not taking the complaint up."))
    with transaction.atomic():
        complaint.rejection_reason = reason
        text = message.strip() or str(RejectionReason(reason).label)
        return _move(complaint, Status.REJECTED, user=user, text=text)


def complaint_investigate(*, complaint: Complaint, user, message: str = "") -> Event:
    return _move(complaint, Status.INVESTIGATING, user=user, text=message.strip())


def complaint_conclude(*, complaint: Complaint, user, outcome: str) -> Event:
    outcome = outcome.strip()
    if not outcome:
        raise ComplaintError(_("Write the outcome the complainant will read."))
    with transaction.atomic():
        complaint.outcome = outcome
        return _move(complaint, Status.CONCLUDED, user=user, text=outcome)


def complaint_forward(*, complaint: Complaint, user, agency: str, message: str = "") -> Event:
    agency = agency.strip()
    if not agency:
        raise ComplaintError(_("Name the agency the complaint is forwarded to."))
    with transaction.atomic():
        complaint.forwarded_to = agency
        text = message.strip() or _("Forwarded to %(agency)s.") % {"agency": agency}
        return _move(complaint, Status.FORWARDED, user=user, text=text)


def complaint_note(*, complaint: Complaint, user, text: str) -> Event:
    """An internal note: officers only, never shown to the complainant."""
    if not text.strip():
        raise ComplaintError(_("Write the note."))
    return Event.objects.create(
        complaint=complaint, kind=EventKind.NOTE, actor=user, text=text.strip()
    )


def complaint_message(*, complaint: Complaint, user, text: str) -> Event:
    """A message the complainant reads on the tracking page."""
    if not text.strip():
        raise ComplaintError(_("Write the message."))
    with transaction.atomic():
        _complainant_told(complaint)
        return Event.objects.create(
            complaint=complaint, kind=EventKind.MESSAGE_OUT, actor=user, text=text.strip()
        )


def identity_reveal(*, complaint: Complaint, user) -> dict[str, str]:
    """The complainant's identity, for an officer who asked for it; the timeline keeps who and when."""
    Event.objects.create(complaint=complaint, kind=EventKind.IDENTITY_VIEWED, actor=user)
    return {name: getattr(complaint, name) for name in IDENTITY_FIELDS}


# --- Erasing identities after the retention period -----------------------------------


def retention_cutoff(now: dt.datetime | None = None) -> dt.datetime:
    years = int(getattr(settings, "COMPLAINT_RETENTION_YEARS", 5))
    now = now or timezone.now()
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def complainant_data_purge(
    *, before: dt.datetime | None = None, dry_run: bool = False
) -> list[Complaint]:
    """Blank the identity of cases closed before the cut-off, and record it on each case."""
    before = before or retention_cutoff()
    cases = list(
        Complaint.objects.filter(
            status__in=CLOSED_STATUSES,
            closed_at__lt=before,
            identity_purged_at__isnull=True,
            anonymous=False,
        )
    )
    if dry_run:
        return cases
    now = timezone.now()
    with transaction.atomic():
        for complaint in cases:
            for name in IDENTITY_FIELDS:
                setattr(complaint, name, "")
            complaint.notify_by_email = False
            complaint.identity_purged_at = now
            complaint.save()
            Event.objects.create(complaint=complaint, kind=EventKind.IDENTITY_PURGED)
    return cases
