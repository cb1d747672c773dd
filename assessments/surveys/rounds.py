"""Writes of the staff pages beyond ``services``: changing a round, an ESA's rounds
for its schools, and one-time codes sent by e-mail.

The e-mail addresses given to ``codes_email_send`` are used to send and then
forgotten: they are not stored, not logged, and a failed send is reported by
count only (the page gives the failed addresses back to the person who typed
them, from the form, not from anywhere the portal keeps).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.framework import edition_for
from assessments.models import OneTimeCode, Organisation, Question, SurveyRound
from assessments.public_cache import content_changed

from .services import SurveyError, codes_generate

logger = logging.getLogger(__name__)

MAX_EMAILS = 500
# One-time codes are for staff surveys; the public answers the EIT on an open link.
CODES_INSTRUMENTS = frozenset({"IIT"})


@transaction.atomic
def round_update(
    *,
    survey_round: SurveyRound,
    opens_on: dt.date,
    closes_on: dt.date,
    population: int | None,
    uses_codes: bool,
) -> SurveyRound:
    """Change a round's dates, population and codes flag. Answers are never touched;
    turning codes off leaves the codes there (unused ones simply stop mattering)."""
    if closes_on < opens_on:
        raise SurveyError(_("The closing date is before the opening date."))
    survey_round.opens_on = opens_on
    survey_round.closes_on = closes_on
    survey_round.population = population
    survey_round.uses_codes = uses_codes
    survey_round.save(
        update_fields=["opens_on", "closes_on", "population", "uses_codes", "updated_at"]
    )
    # The open form shows the dates and the population.
    content_changed(survey_round.organisation_id)
    return survey_round


# --- An ESA's rounds for its schools ---------------------------------------------


@dataclass
class ChildrenRounds:
    created: list[SurveyRound] = field(default_factory=list)
    # (school, instrument code) pairs
    existing: list[tuple[Organisation, str]] = field(default_factory=list)
    no_questions: list[tuple[Organisation, str]] = field(default_factory=list)


@transaction.atomic
def rounds_create_for_children(
    *,
    parent: Organisation,
    fiscal_year: int,
    instrument_codes: list[str],
    opens_on: dt.date,
    closes_on: dt.date,
    uses_codes: bool,
) -> ChildrenRounds:
    """Open the year's rounds for every child organisation that has none yet, all in
    one transaction. A school whose framework has no questions for an instrument is
    reported, not an error. Queries: a few per distinct scheme, not per school."""
    if closes_on < opens_on:
        raise SurveyError(_("The closing date is before the opening date."))
    children = list(parent.children.select_related("scheme").order_by("name_th"))
    existing = set(
        SurveyRound.objects.filter(
            organisation__in=children,
            fiscal_year=fiscal_year,
            instrument_code__in=instrument_codes,
        ).values_list("organisation_id", "instrument_code")
    )
    # Schools of one scheme share the edition of the year, hence its banks.
    edition_of_scheme: dict[int | None, int | None] = {}
    has_bank: dict[tuple[int | None, str], bool] = {}
    result = ChildrenRounds()
    to_create = []
    for child in children:
        if child.scheme_id not in edition_of_scheme:
            edition = edition_for(child, fiscal_year)
            edition_of_scheme[child.scheme_id] = edition.pk if edition else None
        edition_id = edition_of_scheme[child.scheme_id]
        for code in instrument_codes:
            if (child.pk, code) in existing:
                result.existing.append((child, code))
                continue
            key = (edition_id, code)
            if key not in has_bank:
                has_bank[key] = (
                    edition_id is not None
                    and Question.objects.filter(
                        edition_id=edition_id, indicator__instrument__code=code
                    ).exists()
                )
            if not has_bank[key]:
                result.no_questions.append((child, code))
                continue
            to_create.append(
                SurveyRound(
                    organisation=child,
                    fiscal_year=fiscal_year,
                    instrument_code=code,
                    opens_on=opens_on,
                    closes_on=closes_on,
                    uses_codes=uses_codes and code in CODES_INSTRUMENTS,
                )
            )
    result.created = SurveyRound.objects.bulk_create(to_create)
    content_changed(*{r.organisation_id for r in result.created})
    return result


# --- One-time codes by e-mail --------------------------------------------------------


@dataclass
class EmailOutcome:
    sent: int
    # The addresses as typed whose mail did not go: handed back to the page, never kept.
    failed: list[str]


def codes_email_send(
    *,
    survey_round: SurveyRound,
    addresses: list[str],
    message_for: Callable[[str], tuple[str, str]],
) -> EmailOutcome:
    """Make one fresh code per address and e-mail each its own link.

    ``message_for(code)`` gives the subject and body for a code. A code whose mail
    could not be handed to the mail server is deleted again: nobody has it, and the
    unused count stays true. Nothing about the addresses is written or logged.
    """
    if not survey_round.uses_codes:
        raise SurveyError(_("This round does not use one-time codes."))
    if not 1 <= len(addresses) <= MAX_EMAILS:
        raise SurveyError(_("Give between 1 and %(max)s addresses.") % {"max": MAX_EMAILS})
    codes = [c.code for c in codes_generate(survey_round=survey_round, count=len(addresses))]
    failed_codes: list[str] = []
    failed: list[str] = []
    try:
        connection = get_connection(fail_silently=False)
        connection.open()
    except Exception as error:  # the mail server is down: nothing goes
        logger.warning("Survey code mail: no connection (%s)", type(error).__name__)
        OneTimeCode.objects.filter(round=survey_round, code__in=codes, used=False).delete()
        return EmailOutcome(sent=0, failed=list(addresses))
    sent = 0
    try:
        for address, code in zip(addresses, codes, strict=True):
            subject, body = message_for(code)
            message = EmailMessage(
                subject=subject,
                body=body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[address],
                connection=connection,
            )
            try:
                delivered = message.send(fail_silently=False)
            except Exception as error:
                # The class name only: an SMTP error's text may quote the address.
                logger.warning("Survey code mail failed (%s)", type(error).__name__)
                delivered = 0
            if delivered:
                sent += 1
            else:
                failed.append(address)
                failed_codes.append(code)
    finally:
        # Closing a broken connection must not hide what was sent.
        with contextlib.suppress(Exception):
            connection.close()
    if failed_codes:
        OneTimeCode.objects.filter(round=survey_round, code__in=failed_codes, used=False).delete()
    return EmailOutcome(sent=sent, failed=failed)
