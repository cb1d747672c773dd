"""The weekly e-mail of what is due (``manage.py send_due_digest``, cron or the task queue).

Once a week per user: the Monday of the week sent is recorded on the user's
``StaffPreference``, so running the job again that week sends nothing. A
user who opted out, has no address or has nothing due gets nothing. A mail
failure for one user is logged by user id (never the address) and the others
still get theirs; the failed user is tried again on the next run.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .due import OrganisationDue, due_work
from .models import StaffPreference
from .thai import fiscal_year_of

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "ita_portal.digest.unsubscribe"


def week_of(day: dt.date) -> dt.date:
    """The Monday of the week ``day`` falls in."""
    return day - dt.timedelta(days=day.weekday())


def unsubscribe_token(user) -> str:
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT)


def unsubscribe_user(token: str):
    """The active user a token was made for, or None when it is forged or the user is gone.

    No expiry: the link in an old e-mail should still work.
    """
    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return get_user_model().objects.filter(pk=pk, is_active=True).first()


def digest_preference_set(*, user, weekly_digest: bool) -> StaffPreference:
    preference, _created = StaffPreference.objects.update_or_create(
        user=user, defaults={"weekly_digest": weekly_digest}
    )
    return preference


def digest_enabled(user) -> bool:
    preference = StaffPreference.objects.filter(user=user).first()
    return preference is None or preference.weekly_digest


def _recipients(week: dt.date):
    """Active users with an address, not opted out, not yet sent this week's digest."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .exclude(staff_preference__weekly_digest=False)
        .exclude(Q(staff_preference__digest_sent_week__gte=week))
        .order_by("pk")
    )


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def digest_message(*, user, work: list[OrganisationDue], today: dt.date) -> EmailMultiAlternatives:
    """The digest for one user, in Thai, with absolute links."""
    with translation.override("th"):
        context = {
            "user": user,
            "work": work,
            "today": today,
            "fiscal_year": fiscal_year_of(today),
            "site_url": settings.SITE_URL,
            "home_url": absolute(reverse("staff:dashboard")),
            "settings_url": absolute(reverse("staff:notifications")),
            "unsubscribe_url": absolute(
                reverse("staff:unsubscribe", args=[unsubscribe_token(user)])
            ),
        }
        subject = _("ITA Portal: what is due this week")
        text = render_to_string("emails/due_digest.txt", context)
        html = render_to_string("emails/due_digest.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={"List-Unsubscribe": f"<{context['unsubscribe_url']}>"},
    )
    message.attach_alternative(html, "text/html")
    return message


@dataclass
class DigestOutcome:
    sent: list[int] = field(default_factory=list)  # user ids
    nothing_due: int = 0
    failed: list[int] = field(default_factory=list)
    previews: list[str] = field(default_factory=list)  # dry run: the messages' text


def digest_send(*, today: dt.date | None = None, dry_run: bool = False) -> DigestOutcome:
    """Send this week's digest to every user who should get it; ``dry_run`` sends nothing."""
    today = today or timezone.localdate()
    week = week_of(today)
    outcome = DigestOutcome()
    for user in _recipients(week):
        work = [o for o in due_work(user=user, today=today) if o.lines]
        if not work:
            outcome.nothing_due += 1
            continue
        message = digest_message(user=user, work=work, today=today)
        if dry_run:
            outcome.previews.append(f"To user {user.pk}: {message.subject}\n\n{message.body}")
            continue
        try:
            message.send()
        except (smtplib.SMTPException, OSError, ValueError) as error:
            # The address stays out of the log (it is personal data, and an SMTP
            # error or traceback would quote it): the user id and the error's kind.
            logger.warning("Due digest not sent to user %s: %s", user.pk, type(error).__name__)
            outcome.failed.append(user.pk)
            continue
        StaffPreference.objects.update_or_create(user=user, defaults={"digest_sent_week": week})
        outcome.sent.append(user.pk)
    return outcome
