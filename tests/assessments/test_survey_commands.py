"""``import_responses`` and ``survey_scores``: scores checked against answers worked by hand."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command

from assessments.models import Response, SurveyRound
from assessments.surveys.services import responses_import, round_bank, round_create


def _base(bank) -> dict[str, int]:
    """Every scale4 sub-item "มาก" (67), every yes/no sub-item "ไม่มี" (0)."""
    return {
        item.code: (67 if q.scale == "scale4" else 0)
        for q in bank.questions
        for item in q.items.all()
    }


def _write_csv(path, rows: list[dict]) -> str:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return str(path)


def _run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def iit(org):
    return round_create(
        organisation=org,
        fiscal_year=2565,
        instrument_code="IIT",
        opens_on=dt.date(2021, 10, 1),
        closes_on=dt.date(2022, 9, 30),
        population=40,
    )


@pytest.mark.django_db
def test_import_responses_creates_the_round(org, tmp_path):
    bank = round_bank(SurveyRound(organisation=org, fiscal_year=2565, instrument_code="IIT"))
    rows = [{"Timestamp": "2022/05/31 10:15:02", **_base(bank)} for _ in range(3)]
    path = _write_csv(tmp_path / "answers.csv", rows)
    output = _run("import_responses", "office", "2565", "iit", path)
    survey_round = SurveyRound.objects.get(organisation=org, fiscal_year=2565)
    assert survey_round.instrument_code == "IIT"
    assert (survey_round.opens_on, survey_round.closes_on) == (
        dt.date(2021, 10, 1),
        dt.date(2022, 9, 30),
    )
    assert survey_round.responses.count() == 3
    assert "stored 3 responses" in output
    assert "ignored columns: Timestamp" in output
    # A second file goes into the same round.
    _run("import_responses", "office", "2565", "IIT", path)
    assert SurveyRound.objects.count() == 1
    assert survey_round.responses.count() == 6


@pytest.mark.django_db
def test_import_responses_refuses_a_bad_file_and_creates_nothing(org, tmp_path):
    bank = round_bank(SurveyRound(organisation=org, fiscal_year=2565, instrument_code="IIT"))
    rows = [_base(bank), {**_base(bank), "I2": "maybe"}]
    path = _write_csv(tmp_path / "answers.csv", rows)
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was stored"):
        call_command("import_responses", "office", "2565", "IIT", path, stderr=err)
    assert "แถวที่ 3" in err.getvalue() and "I2" in err.getvalue()
    assert not SurveyRound.objects.exists()
    assert not Response.objects.exists()


@pytest.mark.django_db
def test_import_responses_dry_run(org, tmp_path):
    bank = round_bank(SurveyRound(organisation=org, fiscal_year=2565, instrument_code="IIT"))
    path = _write_csv(tmp_path / "answers.csv", [_base(bank)] * 2)
    output = _run("import_responses", "office", "2565", "IIT", path, "--dry-run")
    assert "2 responses would be stored" in output
    assert not SurveyRound.objects.exists()


@pytest.mark.django_db
def test_import_responses_unknown_organisation(tmp_path):
    with pytest.raises(CommandError, match="no organisation"):
        call_command("import_responses", "nobody", "2565", "IIT", str(tmp_path / "x.csv"))


def _five_worked_responses(survey_round) -> None:
    """Five respondents; everything "มาก"/"ไม่มี" except:

    I1.1 (scale4): 100, 100, 67, 33, 0 → mean 60; I1.2 67 → I1 = 63.50
    I4.1 (yes/no, reverse): มี, มี, ไม่มี, ไม่มี, ไม่มี → stored 100,100,0,0,0 → 100 − 40 = 60;
    I4.2, I4.3 ไม่มี → 100 each → I4 = (60 + 100 + 100) / 3 = 86.67
    I2, I3 = 67; I5, I6 (yes/no, reverse, ไม่มี) = 100
    indicator 1 = (63.5 + 67 + 67 + 86.666… + 100 + 100) / 6 = 80.694… → 80.69
    I11.2 (scale4, reverse) "มาก" 67 → 33.00; I11.1 67 → I11 = 50.00
    """
    bank = round_bank(survey_round)
    rows = []
    for i1, i4 in zip((100, 100, 67, 33, 0), (100, 100, 0, 0, 0), strict=True):
        rows.append({**_base(bank), "I1.1": i1, "I4.1": i4})
    responses_import(survey_round=survey_round, rows=rows, day=dt.date(2022, 6, 1), bank=bank)


@pytest.mark.django_db
def test_survey_scores_json_against_hand_computed_figures(iit):
    _five_worked_responses(iit)
    data = json.loads(_run("survey_scores", "office", "2565", "--json"))
    assert data["organisation"] == "office" and data["fiscal_year"] == 2565
    (found,) = data["rounds"]
    assert found["instrument"] == "IIT"
    assert found["responses"] == 5
    assert found["minimum_sample"] == 25  # at least 25 of a population of 40
    assert found["missing_to_minimum"] == 20
    indicator = found["indicators"][0]
    assert indicator["number"] == 1
    assert indicator["score"] == "80.69"
    questions = {q["code"]: q for ind in found["indicators"] for q in ind["questions"]}
    assert questions["I1"]["score"] == "63.50"
    items = {i["code"]: i for q in questions.values() for i in q["items"]}
    assert items["I1.1"]["score"] == "60.00"
    assert items["I4.1"] == {"code": "I4.1", "reverse": True, "score": "60.00"}
    assert questions["I4"]["score"] == "86.67"
    assert items["I11.2"]["score"] == "33.00"
    assert questions["I11"]["score"] == "50.00"
    # A question without sub-items is its own single item.
    assert [i["code"] for i in questions["I2"]["items"]] == ["I2"]
    assert len(items) == 51
    # The instrument: the mean of its five indicator scores, rounded half-up.
    scores = [ind["score"] for ind in found["indicators"]]
    assert len(scores) == 5 and all(scores)
    from decimal import ROUND_HALF_UP, Decimal

    expected = (sum(Decimal(s) for s in scores) / 5).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert found["score"] == str(expected)
    # The prediction takes the IIT from this round; without an EIT round there is no total.
    predicted = {line["code"]: line for line in data["predicted"]["instruments"]}
    assert predicted["IIT"]["score"] == found["score"]
    assert predicted["IIT"]["source"] == "survey"
    assert predicted["EIT"]["score"] is None and predicted["EIT"]["missing"]
    assert data["predicted"]["total"] is None


@pytest.mark.django_db
def test_survey_scores_text_output(iit):
    _five_worked_responses(iit)
    output = _run("survey_scores", "office", "2565")
    assert "IIT" in output and "5 responses, minimum sample 25" in output
    assert "indicator 1: 80.69" in output
    assert "I4.1: 60.00 (reverse)" in output
    assert "predicted total" in output


@pytest.mark.django_db
def test_survey_scores_below_five_responses_shows_no_figures(iit):
    bank = round_bank(iit)
    rows = [{**_base(bank), "I1.1": 100}] * 4
    responses_import(survey_round=iit, rows=rows, day=dt.date(2022, 6, 1), bank=bank)
    data = json.loads(_run("survey_scores", "office", "2565", "--json"))
    (found,) = data["rounds"]
    assert found["responses"] == 4 and found["shown"] is False
    assert "indicators" not in found and "score" not in found
    output = _run("survey_scores", "office", "2565")
    assert "no scores are shown" in output
    assert "100" not in output.split("minimum sample")[1].split("predicted")[0]
    assert "indicator" not in output
