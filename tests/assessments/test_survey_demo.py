"""The demo's survey rounds: realistic, repeatable, and the school's EIT below the floor."""

from __future__ import annotations

import pytest

from assessments.demo import demo_load
from assessments.models import Response, SurveyRound
from assessments.provisional import edition_start_provisional
from assessments.surveys.demo import DEMO_ROUNDS, demo_surveys_load
from assessments.surveys.scores import round_scores


@pytest.mark.django_db
def test_demo_rounds_load_once_with_scores_in_a_realistic_range():
    demo_load()
    # 2570 runs on the provisional copy of 2569, question banks included.
    edition_start_provisional(fiscal_year=2570)
    demo_surveys_load()
    demo_surveys_load()  # again: nothing doubles
    assert SurveyRound.objects.count() == len(DEMO_ROUNDS)
    assert Response.objects.count() == sum(row[6] for row in DEMO_ROUNDS)
    office_iit = SurveyRound.objects.get(
        organisation__slug="demo", fiscal_year=2570, instrument_code="IIT"
    )
    assert office_iit.uses_codes and office_iit.codes.filter(used=True).count() == 14
    scores = round_scores(office_iit)
    assert scores.shown and 80 < scores.score < 95
    school_eit = SurveyRound.objects.get(
        organisation__slug="demo-school", fiscal_year=2570, instrument_code="EIT"
    )
    assert not round_scores(school_eit).shown  # 3 answers: nothing shown
