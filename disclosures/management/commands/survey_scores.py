"""Print an organisation's survey scores for a year and the predicted total and level.

It lives in ``disclosures`` because the predicted total needs the OIT
self-check, and ``assessments`` never imports ``disclosures``.
"""

from __future__ import annotations

import json
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError

from assessments.models import MIN_RESPONSES_SHOWN, Organisation, SurveyRound
from assessments.surveys.scores import RoundScores, round_scores


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def round_data(scores: RoundScores) -> dict:
    """One round as plain data; below the anonymity floor, counts only."""
    survey_round = scores.round
    data: dict = {
        "instrument": survey_round.instrument_code,
        "code": survey_round.code,
        "responses": scores.responses,
        "minimum_sample": scores.progress.minimum,
        "missing_to_minimum": scores.progress.missing,
        "shown": scores.shown,
    }
    if not scores.shown:
        return data
    data["score"] = _text(scores.score)
    data["indicators"] = [
        {
            "number": ind.indicator.number,
            "name": ind.indicator.name_th,
            "score": _text(ind.score),
            "questions": [
                {
                    "code": q.question.code,
                    "score": _text(q.score),
                    "items": [
                        {"code": i.item.code, "reverse": i.item.reverse, "score": _text(i.score)}
                        for i in q.items
                    ],
                }
                for q in ind.questions
            ],
        }
        for ind in scores.indicators
    ]
    return data


def predicted_data(organisation: Organisation, year: int) -> dict:
    """The predicted total and level (``disclosures.predicted``), per instrument with
    where its score came from, and the official figures beside it when there are any."""
    from disclosures.predicted import predicted_year  # lazily: it reads the OIT self-check

    prediction = predicted_year(organisation=organisation, fiscal_year=year)
    official = prediction.official
    return {
        "total": _text(prediction.total),
        "level": prediction.level.code if prediction.total is not None else None,
        "level_label": prediction.level_label or None,
        "instruments": [
            {
                "code": line.instrument.code,
                "score": _text(line.result.score),
                "points": _text(line.result.points),
                "source": line.source,
                "missing": line.missing_label or None,
                "official": _text(line.official.score if line.official else None),
                "difference": _text(line.difference),
            }
            for line in prediction.lines
        ],
        "official_total": _text(official.shown_total if official else None),
        "total_difference": _text(prediction.total_difference),
    }


class Command(BaseCommand):
    help = (
        "Print an organisation's IIT and EIT scores for a year (per sub-item, question, "
        "indicator and instrument), the responses against the minimum sample, and the "
        f"predicted total and level. Nothing is shown below {MIN_RESPONSES_SHOWN} responses."
    )

    def add_arguments(self, parser):
        parser.add_argument("org", help="organisation slug")
        parser.add_argument("year", type=int, help="fiscal year (BE)")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args, org, year, json=False, **options):
        organisation = Organisation.objects.filter(slug=org).first()
        if organisation is None:
            raise CommandError(f"no organisation {org!r}")
        rounds = SurveyRound.objects.filter(
            organisation=organisation, fiscal_year=year
        ).select_related("organisation__scheme")
        data = {
            "organisation": organisation.slug,
            "fiscal_year": year,
            "rounds": [round_data(round_scores(r)) for r in rounds.order_by("instrument_code")],
            "predicted": predicted_data(organisation, year),
        }
        if json:
            self.stdout.write(_dumps(data))
            return
        self._print(data)

    def _print(self, data: dict) -> None:
        if not data["rounds"]:
            self.stdout.write(f"no survey rounds in {data['fiscal_year']}")
        for r in data["rounds"]:
            minimum = r["minimum_sample"] if r["minimum_sample"] is not None else "?"
            self.stdout.write(
                f"{r['instrument']} ({r['code']}): {r['responses']} responses, "
                f"minimum sample {minimum}"
            )
            if not r["shown"]:
                self.stdout.write(
                    f"  fewer than {MIN_RESPONSES_SHOWN} responses: no scores are shown (anonymity)"
                )
                continue
            self.stdout.write(f"  {r['instrument']} score: {r['score']}")
            for ind in r["indicators"]:
                self.stdout.write(f"  indicator {ind['number']}: {ind['score']}  {ind['name']}")
                for q in ind["questions"]:
                    self.stdout.write(f"    {q['code']}: {q['score']}")
                    if len(q["items"]) > 1 or q["items"][0]["code"] != q["code"]:
                        for i in q["items"]:
                            mark = " (reverse)" if i["reverse"] else ""
                            self.stdout.write(f"      {i['code']}: {i['score']}{mark}")
        predicted = data["predicted"]
        for line in predicted["instruments"]:
            why = f" ({line['missing']})" if line["missing"] else ""
            official = f", official {line['official']}" if line["official"] else ""
            self.stdout.write(f"predicted {line['code']}: {line['score'] or '–'}{why}{official}")
        if predicted["total"] is None:
            self.stdout.write("predicted total: not available until every instrument has a score")
        else:
            self.stdout.write(
                f"predicted total: {predicted['total']}  level: {predicted['level_label']}"
            )


def _dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
