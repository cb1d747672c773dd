"""E-mail to the complaint officers, and to complainants who asked to be told when the
office answers. Sent after the commit, and a mail server that refuses or times out
never fails the request: the case is saved either way. Neither e-mail holds the
complaint's content, its PIN or anyone's identity: a link, nothing else."""

from __future__ import annotations

import logging
import smtplib

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
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


def notify_complainant(*, complaint_id: int) -> None:
    """Tell a complainant who asked for it that the office answered: the tracking link only.

    The address is read here, from the case, so a complaint whose identity was erased
    meanwhile, or that never asked, gets nothing. The e-mail never says what changed
    (anyone may read an inbox) nor carries the code or PIN; a failure is logged with
    the case number, never the address.
    """
    row = (
        Complaint.objects.filter(pk=complaint_id, notify_by_email=True, anonymous=False)
        .exclude(complainant_email="")
        .values_list("complainant_email", "organisation__name_th")
        .first()
    )
    if row is None:
        return
    address, agency = row
    url = f"{settings.SITE_URL}{reverse('complaints:track')}"
    # In the site's language (Thai), whatever language the officer's page was in.
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("News about your complaint to %(agency)s") % {"agency": agency}
        body = _(
            "%(agency)s has answered or moved forward the complaint you filed.\n\n"
            "To read it, open %(url)s and enter your tracking code and PIN.\n\n"
            "For your privacy this e-mail does not repeat what the office wrote. "
            "The office never asks for your PIN. You asked for these e-mails when you "
            "filed the complaint; if this e-mail is not for you, please ignore it."
        ) % {"agency": agency, "url": url}
    try:
        send_mail(subject=subject, message=body, from_email=None, recipient_list=[address])
    except (OSError, smtplib.SMTPException) as error:
        # The officer's step is saved and the news is on the tracking page; only the
        # case number and the error are logged, never the address.
        logger.error(
            "could not e-mail the complainant of complaint #%s: %s",
            complaint_id,
            type(error).__name__,
        )
