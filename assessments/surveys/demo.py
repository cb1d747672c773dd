"""Demo survey rounds: last year's (closed, enough answers to compare the prediction
with the official 2569 result) and this year's (open, still collecting), for the
demo ESA office and its school. Answers are drawn from a seeded generator so the
demo is the same on every machine."""

from __future__ import annotations

import datetime as dt
import random

from assessments.models import SCALE_CHOICES, OneTimeCode, Organisation, ResponseSource, SurveyRound
from assessments.public_cache import content_changed

from .bank import Bank
from .services import _store, codes_generate, round_bank

# (organisation slug, fiscal year, instrument, opens, closes, population, responses, codes)
DEMO_ROUNDS = [
    ("demo", 2569, "IIT", dt.date(2025, 12, 1), dt.date(2026, 2, 27), 62, 34, False),
    ("demo", 2569, "EIT", dt.date(2025, 12, 1), dt.date(2026, 3, 31), 880, 96, False),
    ("demo", 2570, "IIT", dt.date(2026, 11, 16), dt.date(2027, 1, 29), 60, 14, True),
    ("demo", 2570, "EIT", dt.date(2026, 11, 16), dt.date(2027, 3, 31), 900, 41, False),
    ("demo-school", 2570, "IIT", dt.date(2026, 11, 16), dt.date(2027, 1, 29), 18, 9, True),
    ("demo-school", 2570, "EIT", dt.date(2026, 11, 16), dt.date(2027, 3, 31), 250, 3, False),
]
CODES_PRINTED = 40


def _answers(bank: Bank, rng: random.Random) -> dict[str, int]:
    """One respondent: mostly the best answer, sometimes the next one, rarely worse."""
    values = {}
    for question in bank.questions:
        choices = [c.value for c in SCALE_CHOICES[question.scale]]
        for item in question.items.all():
            ranked = sorted(choices, reverse=not item.reverse)  # best first
            draw = rng.random()
            if len(ranked) == 2:
                pick = 0 if draw < 0.95 else 1
            else:
                pick = 0 if draw < 0.7 else 1 if draw < 0.96 else 2
            values[item.code] = ranked[pick]
    return values


def demo_surveys_load() -> None:
    for slug, year, instrument, opens, closes, population, count, codes in DEMO_ROUNDS:
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            continue
        survey_round, created = SurveyRound.objects.get_or_create(
            organisation=organisation,
            fiscal_year=year,
            instrument_code=instrument,
            defaults={
                "opens_on": opens,
                "closes_on": closes,
                "population": population,
                "uses_codes": codes,
            },
        )
        if created:
            content_changed(organisation)
        if not created or survey_round.responses.exists():
            continue
        bank = round_bank(survey_round)
        if not bank:
            continue
        # Seeded for a demo that is the same everywhere, not for secrecy.
        rng = random.Random(f"{slug}-{year}-{instrument}")  # noqa: S311
        rows = [_answers(bank, rng) for _ in range(count)]
        _store(
            survey_round, rows, min(closes, opens + dt.timedelta(days=10)), ResponseSource.ONLINE
        )
        if codes:
            made = codes_generate(survey_round=survey_round, count=max(CODES_PRINTED, count))
            OneTimeCode.objects.filter(pk__in=[c.pk for c in made[:count]]).update(used=True)
