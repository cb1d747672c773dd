"""A survey round's dates are typed in BE and must be near the round's fiscal year."""

from __future__ import annotations

from django.urls import reverse

from assessments.models import Role, SurveyRound
from tests.builders import make_org, make_user

from .survey_staff_builders import YEAR


def _create(client, org, **dates):
    return client.post(
        reverse("surveys_staff:surveys", args=[org.slug]),
        {"fiscal_year": YEAR, "instrument": "IIT", "population": "40", **dates},
    )


def test_a_round_closing_years_after_its_fiscal_year_is_refused(client, db):
    office = make_org("office")
    client.force_login(make_user("staffer", office, Role.EDITOR))
    response = _create(client, office, opens_on="05/01/2569", closes_on="27/02/2579")
    assert response.status_code == 400
    errors = response.context["form"].errors.as_data()
    assert [e.code for e in errors["closes_on"]] == ["fiscal_year"]
    assert not SurveyRound.objects.exists()


def test_a_round_typed_in_be_is_opened(client, db):
    office = make_org("office")
    client.force_login(make_user("staffer", office, Role.EDITOR))
    response = _create(client, office, opens_on="๐๕/๐๑/๒๕๖๙", closes_on="27 ก.พ. 2569")
    assert response.status_code == 302
    survey_round = SurveyRound.objects.get()
    assert (survey_round.opens_on.isoformat(), survey_round.closes_on.isoformat()) == (
        "2026-01-05",
        "2026-02-27",
    )
