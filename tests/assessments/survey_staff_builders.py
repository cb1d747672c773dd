"""Builders shared by the survey staff tests: a round, and answers chosen per sub-item."""

from __future__ import annotations

import datetime as dt

from assessments.models import SurveyRound
from assessments.surveys.services import response_submit, round_bank, round_create

YEAR = 2569
OPENS = dt.date(2026, 1, 5)
CLOSES = dt.date(2026, 2, 27)
DAY = dt.date(2026, 1, 20)


def make_round(org, instrument: str = "IIT", **fields) -> SurveyRound:
    fields.setdefault("opens_on", OPENS)
    fields.setdefault("closes_on", CLOSES)
    fields.setdefault("population", 40)
    return round_create(
        organisation=org, fiscal_year=fields.pop("year", YEAR), instrument_code=instrument, **fields
    )


def answer_all(survey_round: SurveyRound, count: int, overrides: dict[str, int] | None = None):
    """``count`` responses with the answer that scores 100 everywhere (the lowest
    choice on a reverse-scored sub-item), except ``overrides`` (stored values)."""
    bank = round_bank(survey_round)
    values = {}
    for question in bank.questions:
        for item in question.items.all():
            values[item.code] = 0 if item.reverse else 100
    values.update(overrides or {})
    for _ in range(count):
        response_submit(survey_round=survey_round, values=values, today=DAY, bank=bank)
    return bank
