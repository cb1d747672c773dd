"""Writes of the surveys: rounds, one-time codes, responses, the self-assessed result.

Each function owns its transaction. A response is stored with its day and its
answers only: whoever sent it (user, address, browser, code) is never written
next to it.
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from assessments.framework import edition_for
from assessments.models import (
    SCALE_CHOICES,
    Answer,
    Assessment,
    AssessmentKind,
    IndicatorScore,
    InstrumentScore,
    OneTimeCode,
    Organisation,
    Response,
    ResponseSource,
    SurveyRound,
)
from assessments.public_cache import content_changed

from .bank import Bank, survey_bank

# Letters and digits that cannot be mistaken for each other on a printed slip.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
MAX_CODES_PER_BATCH = 2000


class SurveyError(Exception):
    """A refused survey write; the message is for the user, in their language."""


def round_bank(survey_round: SurveyRound) -> Bank:
    return survey_bank(
        edition_for(survey_round.organisation, survey_round.fiscal_year),
        survey_round.instrument_code,
    )


def round_create(
    *,
    organisation: Organisation,
    fiscal_year: int,
    instrument_code: str,
    opens_on: dt.date,
    closes_on: dt.date,
    population: int | None = None,
    uses_codes: bool = False,
) -> SurveyRound:
    """Open a round; refused when the year's edition has no question bank for the
    instrument, or when the organisation already has that round."""
    if closes_on < opens_on:
        raise SurveyError(_("The closing date is before the opening date."))
    bank = survey_bank(edition_for(organisation, fiscal_year), instrument_code)
    if not bank:
        raise SurveyError(
            _("The framework of %(year)s has no %(instrument)s questions.")
            % {"year": fiscal_year, "instrument": instrument_code}
        )
    try:
        with transaction.atomic():
            survey_round = SurveyRound.objects.create(
                organisation=organisation,
                fiscal_year=fiscal_year,
                instrument_code=instrument_code,
                opens_on=opens_on,
                closes_on=closes_on,
                population=population,
                uses_codes=uses_codes,
            )
            content_changed(organisation)
            return survey_round
    except IntegrityError:
        raise SurveyError(
            _("There is already a %(instrument)s round for %(year)s.")
            % {"year": fiscal_year, "instrument": instrument_code}
        ) from None


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


@transaction.atomic
def codes_generate(*, survey_round: SurveyRound, count: int) -> list[OneTimeCode]:
    """Add ``count`` one-time codes to a round (unique across the site)."""
    if not 1 <= count <= MAX_CODES_PER_BATCH:
        raise SurveyError(
            _("Ask for between 1 and %(max)s codes at a time.") % {"max": MAX_CODES_PER_BATCH}
        )
    made: set[str] = set()
    while len(made) < count:
        batch = {_new_code() for _ in range(count - len(made))} - made
        taken = set(OneTimeCode.objects.filter(code__in=batch).values_list("code", flat=True))
        made |= batch - taken
    codes = [OneTimeCode(round=survey_round, code=code) for code in sorted(made)]
    OneTimeCode.objects.bulk_create(codes)
    return codes


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def answers_check(bank: Bank, values: dict[str, int]) -> list[str]:
    """What is wrong with a set of answers (every sub-item required, values of its scale)."""
    problems = []
    for question in bank.questions:
        allowed = {c.value for c in SCALE_CHOICES[question.scale]}
        for item in question.items.all():
            value = values.get(item.code)
            if value is None:
                problems.append(_("%(code)s is not answered") % {"code": item.code})
            elif value not in allowed:
                problems.append(
                    _("%(code)s: %(value)s is not one of the choices")
                    % {"code": item.code, "value": value}
                )
    unknown = set(values) - set(bank.items_by_code)
    for code in sorted(unknown):
        problems.append(_("%(code)s is not a question of this survey") % {"code": code})
    return problems


def response_submit(
    *,
    survey_round: SurveyRound,
    values: dict[str, int],
    today: dt.date,
    code: str = "",
    bank: Bank | None = None,
) -> None:
    """Store one respondent's answers, using up their one-time code if the round asks
    for one. Returns nothing: there is nothing a caller should keep about it."""
    if not survey_round.is_open(today):
        raise SurveyError(_("This survey is closed."))
    bank = bank if bank is not None else round_bank(survey_round)
    problems = answers_check(bank, values)
    if problems:
        raise SurveyError("; ".join(problems))
    with transaction.atomic():
        if survey_round.uses_codes:
            used = OneTimeCode.objects.filter(
                round=survey_round, code=normalise_code(code), used=False
            ).update(used=True)
            if used != 1:
                raise SurveyError(_("This code is not valid or has already been used."))
        _store(survey_round, [values], today, ResponseSource.ONLINE)


def _store(survey_round: SurveyRound, rows: list[dict[str, int]], day: dt.date, source: str) -> int:
    responses = [Response(round=survey_round, submitted_on=day, source=source) for _ in rows]
    Response.objects.bulk_create(responses)
    Answer.objects.bulk_create(
        [
            Answer(response=response, item_code=item_code, value=value)
            for response, values in zip(responses, rows, strict=True)
            for item_code, value in values.items()
        ],
        batch_size=5000,
    )
    return len(responses)


def responses_import(
    *, survey_round: SurveyRound, rows: list[dict[str, int]], day: dt.date, bank: Bank
) -> int:
    """Store checked rows from paper or another form, all or nothing."""
    with transaction.atomic():
        return _store(survey_round, rows, day, ResponseSource.IMPORTED)


@transaction.atomic
def self_assessment_record(
    *,
    organisation: Organisation,
    fiscal_year: int,
    indicator_scores: dict[int, Decimal],
    instrument_scores: dict[int, Decimal],
) -> Assessment:
    """Write (or rewrite) the year's self-assessed result: the indicator scores the
    surveys and the OIT check give, and instrument scores where only those are known."""
    edition = edition_for(organisation, fiscal_year)
    if edition is None:
        raise SurveyError(_("No framework covers %(year)s.") % {"year": fiscal_year})
    assessment, _created = Assessment.all_kinds.update_or_create(
        organisation=organisation,
        fiscal_year=fiscal_year,
        kind=AssessmentKind.SELF,
        defaults={"edition": edition},
    )
    assessment.scores.all().delete()
    assessment.instrument_scores.all().delete()
    IndicatorScore.objects.bulk_create(
        [
            IndicatorScore(assessment=assessment, indicator_id=pk, score=score)
            for pk, score in indicator_scores.items()
        ]
    )
    InstrumentScore.objects.bulk_create(
        [
            InstrumentScore(assessment=assessment, instrument_id=pk, score=score)
            for pk, score in instrument_scores.items()
        ]
    )
    content_changed(organisation)
    return assessment
