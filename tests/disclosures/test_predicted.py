"""The predicted (self-assessed) total and level against figures worked by hand,
predicted vs official, recording it as a SELF result, and its staff page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, AssessmentKind, Item, Role
from assessments.scoring import organisation_results, year_result
from assessments.surveys.services import SurveyError, response_submit, round_bank, round_create
from disclosures.models import ItemReview, Submission, SubmissionStatus, Verdict
from disclosures.predicted import (
    CLOSE_MARGIN,
    Agreement,
    Missing,
    Source,
    agreement,
    predicted_record,
    predicted_year,
)
from tests.builders import logged_in, make_assessment, make_org, make_user

pytestmark = pytest.mark.django_db

YEAR = 2569  # nacc-2569: IIT 30, EIT 30, OIT 40; levels 95/95, 85/85, 85, 70, 0
TODAY = dt.date(2026, 1, 15)  # inside fiscal year 2569


def _round(org, code: str, population: int = 40):
    return round_create(
        organisation=org,
        fiscal_year=YEAR,
        instrument_code=code,
        opens_on=dt.date(2025, 12, 1),
        closes_on=dt.date(2026, 2, 28),
        population=population,
    )


def _answer(survey_round, deviations: list[dict[str, int]]) -> None:
    """One response per entry: every sub-item at its best (normal 100, reverse 0),
    except the deviations."""
    bank = round_bank(survey_round)
    best = {item.code: (0 if item.reverse else 100) for item in bank.items}
    for changed in deviations:
        response_submit(
            survey_round=survey_round, values={**best, **changed}, today=TODAY, bank=bank
        )


def _iit(org, respondents: int = 5):
    """IIT by hand (5 respondents): I2 (normal) one answers 33 → 86.6; I4.1 (reverse
    yes/no) one answers มี (100 → scores 0) → item 80, I4 = (80+100+100)/3 = 93.333…;
    indicator 1 = (4 × 100 + 86.6 + 93.333…)/6 = 96.6555… → 96.66; indicators 2–5 = 100;
    IIT = (96.66 + 400)/5 = 99.332 → 99.33, points 99.332 × 30 % = 29.7996 → 29.80."""
    deviations = [{"I2": 33}, {"I4.1": 100}] + [{}] * (respondents - 2)
    _answer(_round(org, "IIT"), deviations)


def _eit(org):
    """EIT by hand (5 respondents): E4.2 (reverse, เคย/ไม่เคย) one answers เคย → item 80,
    E4 = 93.333…, indicator 6 = (400 + 93.333…)/5 = 98.666… → 98.67; E8 (yes/no) two
    answer ไม่มี → 60, indicator 7 = (400 + 60)/5 = 92.00; indicator 8 = 100;
    EIT = (98.67 + 92 + 100)/3 = 96.89, points 96.89 × 30 % = 29.067 → 29.07."""
    _answer(_round(org, "EIT", population=300), [{"E4.2": 100}, {"E8": 0}, {"E8": 0}, {}, {}])


def _confirmed_review(org, failed: set[str]) -> Submission:
    submission = Submission.objects.create(
        organisation=org,
        fiscal_year=YEAR,
        status=SubmissionStatus.CONFIRMED,
        submitted_at=timezone.now(),
    )
    for item in Item.objects.filter(edition__code="nacc-2569"):
        ItemReview.objects.create(
            submission=submission,
            item=item,
            verdict=Verdict.FAIL if item.code in failed else Verdict.PASS,
            reviewed_at=timezone.now(),
        )
    return submission


@pytest.fixture
def office():
    return make_org("office")


def test_the_predicted_scores_points_total_and_level_match_the_hand_computation(office):
    _iit(office)
    _eit(office)
    # OIT from confirmed verdicts, O1 and O20 failed: 9.1 = 75, other five
    # sub-indicators of 9 = 100 → indicator 9 = 575/6 = 95.8333… → 95.83; 10.1 = 66.67,
    # 10.2 = 100 → indicator 10 = 83.333… → 83.33; OIT = 89.58, points 35.832 → 35.83.
    _confirmed_review(office, {"O1", "O20"})
    prediction = predicted_year(organisation=office, fiscal_year=YEAR, today=TODAY)
    lines = {line.instrument.code: line for line in prediction.lines}
    assert lines["IIT"].result.score == Decimal("99.33")
    assert lines["IIT"].result.points == Decimal("29.80")
    assert lines["EIT"].result.score == Decimal("96.89")
    assert lines["EIT"].result.points == Decimal("29.07")
    assert lines["OIT"].result.score == Decimal("89.58")
    assert lines["OIT"].result.points == Decimal("35.83")
    assert lines["OIT"].source == Source.REVIEW
    assert lines["IIT"].source == Source.SURVEY
    assert prediction.total == Decimal("94.70")
    assert prediction.level.code == "good"  # 94.70 < 95; every instrument ≥ 85
    assert prediction.result.decision.reason == ""
    assert prediction.missing == []
    assert prediction.official is None
    assert lines["IIT"].survey.scores.progress.minimum == 25  # NACC IIT: at least 25
    assert lines["IIT"].survey.scores.progress.missing == 20


def test_an_instrument_held_back_gives_the_reason(office):
    _iit(office)
    _eit(office)
    # O1, O2, O20, O23 failed: 9.1 = 50 → indicator 9 = 550/6 → 91.67; 10.1 = 66.67,
    # 10.2 = 75 → indicator 10 = 70.8333… → 70.83; OIT = 81.25, points 32.50;
    # total 29.80 + 29.07 + 32.50 = 91.37 ≥ 85 but OIT < 85: ผ่าน, not ผ่านดี.
    _confirmed_review(office, {"O1", "O2", "O20", "O23"})
    prediction = predicted_year(organisation=office, fiscal_year=YEAR, today=TODAY)
    assert prediction.line("OIT").result.score == Decimal("81.25")
    assert prediction.total == Decimal("91.37")
    assert prediction.level.code == "pass"
    assert "OIT 81.25" in prediction.result.decision.reason
    assert "85" in prediction.result.decision.reason


def test_without_a_confirmed_review_the_oit_is_the_pre_checks_prediction(office):
    _iit(office)
    _eit(office)
    # Nothing published: every item not ready → OIT 0; total 29.80 + 29.07 + 0 = 58.87.
    Submission.objects.create(
        organisation=office,
        fiscal_year=YEAR,
        status=SubmissionStatus.IN_REVIEW,
        submitted_at=timezone.now(),
    )
    prediction = predicted_year(organisation=office, fiscal_year=YEAR, today=TODAY)
    assert prediction.line("OIT").source == Source.SELFCHECK
    assert prediction.line("OIT").result.score == Decimal("0.00")
    assert prediction.total == Decimal("58.87")
    assert prediction.level.code == "urgent"


def test_under_five_responses_the_instrument_is_missing_and_no_total_is_claimed(office):
    _iit(office, respondents=4)
    _eit(office)
    _confirmed_review(office, set())
    prediction = predicted_year(organisation=office, fiscal_year=YEAR, today=TODAY)
    iit = prediction.line("IIT")
    assert iit.missing == Missing.TOO_FEW
    assert iit.result.score is None and iit.result.points is None
    assert iit.survey.scores.responses == 4
    assert prediction.total is None and prediction.level is None
    assert prediction.level_label == ""
    assert [line.instrument.code for line in prediction.missing] == ["IIT"]
    # No IIT indicator score leaks into what would be recorded.
    iit_indicators = {i.pk for i in iit.result.instrument.indicators.all()}
    assert not iit_indicators & set(prediction.scores)


def test_no_round_is_missing_too(office):
    _eit(office)
    prediction = predicted_year(organisation=office, fiscal_year=YEAR, today=TODAY)
    assert prediction.line("IIT").missing == Missing.NO_ROUND
    assert prediction.line("EIT").missing == ""
    assert prediction.total is None


def test_predicted_against_the_official_result(office):
    _iit(office)
    _eit(office)
    _confirmed_review(office, {"O1", "O20"})
    # Official: IIT 95.00 (28.50), EIT 97.00 (29.10), OIT 95.00 (38.00) → total 95.60.
    make_assessment(office, YEAR, ["95"] * 5 + ["97"] * 3 + ["95"] * 2)
    prediction = predicted_year(organisation=office, fiscal_year=YEAR, today=TODAY)
    assert prediction.official.total == Decimal("95.60")
    iit, eit, oit = (prediction.line(c) for c in ("IIT", "EIT", "OIT"))
    assert iit.difference == Decimal("4.33") and iit.agreement == Agreement.OVER
    assert eit.difference == Decimal("-0.11") and eit.agreement == Agreement.CLOSE
    assert oit.difference == Decimal("-5.42") and oit.agreement == Agreement.UNDER
    assert prediction.total_difference == Decimal("-0.90")
    assert prediction.total_agreement == Agreement.CLOSE


def test_the_close_margin_is_inclusive():
    assert agreement(CLOSE_MARGIN) == Agreement.CLOSE
    assert agreement(-CLOSE_MARGIN) == Agreement.CLOSE
    assert agreement(CLOSE_MARGIN + Decimal("0.01")) == Agreement.OVER
    assert agreement(-CLOSE_MARGIN - Decimal("0.01")) == Agreement.UNDER
    assert agreement(None) == ""


def test_recording_writes_a_self_assessment_that_scores_the_same(office):
    _iit(office)
    _eit(office)
    _confirmed_review(office, {"O1", "O20"})
    make_assessment(office, YEAR, ["95"] * 10)
    recorded = predicted_record(organisation=office, fiscal_year=YEAR, today=TODAY)
    assert recorded.kind == AssessmentKind.SELF
    # The default manager is official only: the official year is still the only one there.
    assert list(Assessment.objects.filter(organisation=office)) == [
        Assessment.objects.get(organisation=office, fiscal_year=YEAR)
    ]
    assert Assessment.objects.filter(pk=recorded.pk).count() == 0
    assert Assessment.all_kinds.filter(organisation=office, fiscal_year=YEAR).count() == 2
    scores = {s.indicator.number: s.score for s in recorded.scores.select_related("indicator")}
    assert scores[1] == Decimal("96.66") and scores[7] == Decimal("92.00")
    assert scores[9] == Decimal("95.83") and scores[10] == Decimal("83.33")
    again = year_result(assessment=recorded)
    assert again.total == Decimal("94.70")
    assert again.level.code == "good"
    # Recording again replaces it.
    predicted_record(organisation=office, fiscal_year=YEAR, today=TODAY)
    assert Assessment.all_kinds.filter(kind=AssessmentKind.SELF).count() == 1


def test_recording_with_the_oit_known_only_as_a_whole_writes_an_instrument_score(office):
    _iit(office)
    # Only indicator 9's items have a verdict: indicator 10 is unknown, so the OIT is
    # recorded as its instrument score (9.1 = 75 → indicator 9 = 95.8333… → 95.83).
    submission = _confirmed_review(office, {"O1"})
    submission.reviews.filter(item__sub_indicator__indicator__number=10).update(
        verdict=Verdict.PENDING
    )
    recorded = predicted_record(organisation=office, fiscal_year=YEAR, today=TODAY)
    entered = {s.instrument.code: s.score for s in recorded.instrument_scores.all()}
    assert entered == {"OIT": Decimal("95.83")}
    numbers = set(recorded.scores.values_list("indicator__number", flat=True))
    assert numbers == {1, 2, 3, 4, 5}


def test_nothing_to_record_is_refused(office):
    other = make_org("empty-office", scheme=None)
    # 2600: no framework covers it, so nothing at all is known.
    with pytest.raises(SurveyError):
        predicted_record(organisation=other, fiscal_year=2600)


# --- The staff page ----------------------------------------------------------------


def _url(org, name: str = "predicted") -> str:
    return reverse(f"disclosures_staff:{name}", args=[org.slug, YEAR])


def test_the_page_shows_the_prediction_labelled_as_self_assessed(office):
    _iit(office)
    _eit(office)
    _confirmed_review(office, {"O1", "O20"})
    make_assessment(office, YEAR, ["95"] * 5 + ["97"] * 3 + ["95"] * 2)
    client = logged_in(make_user("viewer", office, Role.VIEWER))
    response = client.get(_url(office))
    assert response.status_code == 200
    page = response.content.decode()
    assert "ผลประเมินตนเอง (คาดการณ์)" in page
    assert "94.70" in page and "ผ่านดี" in page
    assert "29.80" in page and "35.83" in page
    assert "+4.33" in page and "-5.42" in page and "-0.90" in page
    assert "/staff/office/surveys/2569/IIT/" in page or "surveys" in page
    # A viewer sees no record button.
    assert 'id="predicted-record"' not in page


def test_an_editor_records_it(office):
    _iit(office)
    _eit(office)
    _confirmed_review(office, set())
    client = logged_in(make_user("editor", office, Role.EDITOR))
    page = client.get(_url(office)).content.decode()
    assert 'id="predicted-record"' in page
    response = client.post(_url(office, "predicted-record"))
    assert response.status_code == 302
    assert Assessment.all_kinds.filter(organisation=office, kind=AssessmentKind.SELF).exists()


def test_the_page_of_another_organisation_is_404(office):
    other = make_org("other")
    client = logged_in(make_user("other-editor", other, Role.ADMINISTRATOR))
    assert client.get(_url(office)).status_code == 404
    assert client.post(_url(office, "predicted-record")).status_code == 404
    assert not Assessment.all_kinds.filter(kind=AssessmentKind.SELF).exists()


def test_a_viewer_cannot_record(office):
    _eit(office)
    client = logged_in(make_user("viewer", office, Role.VIEWER))
    assert client.post(_url(office, "predicted-record")).status_code == 404
    assert not Assessment.all_kinds.filter(kind=AssessmentKind.SELF).exists()


def test_under_five_responses_the_page_claims_no_total(office):
    _iit(office, respondents=4)
    client = logged_in(make_user("viewer", office, Role.VIEWER))
    page = client.get(_url(office)).content.decode()
    assert 'id="predicted-total"' not in page
    assert 'id="predicted-incomplete"' in page


# --- Public pages never show a self-assessed result ---------------------------------


def test_a_recorded_self_assessment_is_not_on_public_pages(office, client):
    _iit(office)
    _eit(office)
    _confirmed_review(office, {"O1", "O20"})
    make_assessment(office, 2568, ["90"] * 10)  # an official year, so the home has a result
    predicted_record(organisation=office, fiscal_year=YEAR, today=TODAY)
    home = client.get(reverse("assessments:organisation", args=[office.slug]))
    assert home.status_code == 200
    page = home.content.decode()
    assert "90.00" in page  # the official 2568 result is there …
    assert "94.70" not in page and "/office/ita/2569/" not in page  # … the prediction is not
    assert client.get(reverse("assessments:year", args=[office.slug, YEAR])).status_code == 404
    assert [r.fiscal_year for r in organisation_results(organisation=office)] == [2568]


# --- Feeding the draft measures ----------------------------------------------------


def test_draft_measures_from_the_recorded_self_assessed_result(office):
    from measures.models import Measure

    _iit(office)
    _eit(office)
    _confirmed_review(office, {"O1", "O20"})
    predicted_record(organisation=office, fiscal_year=YEAR, today=TODAY)
    client = logged_in(make_user("editor", office, Role.EDITOR))
    url = reverse("measures_staff:year", args=[office.slug, YEAR + 1])
    assert 'id="plan-from-self"' in client.get(url).content.decode()
    response = client.post(
        reverse("measures_staff:plan", args=[office.slug, YEAR + 1]), {"source": "self"}
    )
    assert response.status_code == 302
    # Below the pass mark 85: indicator 10 (83.33) only.
    measures = Measure.objects.filter(organisation=office, fiscal_year=YEAR + 1)
    assert [list(m.indicators.values_list("number", flat=True)) for m in measures] == [[10]]


def test_the_oit_board_links_to_the_prediction(office):
    client = logged_in(make_user("viewer", office, Role.VIEWER))
    page = client.get(reverse("disclosures_staff:year", args=[office.slug, YEAR])).content.decode()
    assert reverse("disclosures_staff:predicted", args=[office.slug, YEAR]) in page
