"""E-mail to the complaint officers. Sent after the complaint is committed, and a
mail server that refuses or times out never fails the request: the case is in
the officers' queue either way."""

from __future__ import annotations

import logging
import smtplib

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.translation import gettext as _

from assessments.models import Membership, Role

from .models import Complaint

logger = logging.getLogger(__name__)


def notify_officers(complaint: Complaint) -> None:
    """Tell the organisation's complaint officers that a case arrived: a link, nothing else."""
    recipients = list(
        Membership.objects.filter(organisation=complaint.organisation, role=Role.COMPLAINT_OFFICER)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    if not recipients:
        return
    path = reverse("complaints_staff:case", args=[complaint.organisation.slug, complaint.pk])
    try:
        send_mail(
            subject=_("New complaint received"),
            message=_("A new complaint has been received. Open it in the staff workspace:\n%(url)s")
            % {"url": f"{settings.SITE_URL}{path}"},
            from_email=None,
            recipient_list=recipients,
        )
    except (OSError, smtplib.SMTPException) as error:
        # The case is saved and in the officers' queue; a mail server we do not run
        # must not cost the complainant the code and PIN. Only the case number and
        # the error are logged: never the complaint's text or the complainant.
        logger.error(
            "could not e-mail the officers of %s about complaint #%s: %s: %s",
            complaint.organisation.slug,
            complaint.pk,
            type(error).__name__,
            error,
        )
