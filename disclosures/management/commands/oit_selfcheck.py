"""Print an organisation's OIT pre-check for a year and the predicted OIT score."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from assessments.models import Organisation
from assessments.scoring import round_half_up
from disclosures.selfcheck import YearSelfCheck, year_selfcheck


def selfcheck_data(check: YearSelfCheck) -> dict:
    """The pre-check as plain data; scores as strings rounded half-up to 2 places."""
    predicted = check.predicted

    def score(value):
        return None if value is None else str(round_half_up(value))

    return {
        "organisation": check.organisation.slug,
        "fiscal_year": check.fiscal_year,
        "edition": check.edition.code if check.edition else None,
        "ready": check.ready_count,
        "total": check.total,
        "readiness": score(check.readiness),
        "warnings": check.warnings,
        "items": [
            {"code": c.item.code, "ready": c.ready, "findings": c.findings} for c in check.items
        ],
        "predicted_oit": {
            "instrument": predicted.instrument.code if predicted.instrument else None,
            "score": score(predicted.score),
            "indicators": {str(k): score(v) for k, v in predicted.indicators.items()},
            "sub_indicators": {k: score(v) for k, v in predicted.sub_indicators.items()},
            "costs": [{"code": c.item.code, "points": score(w)} for c, w in predicted.costs],
        },
    }


class Command(BaseCommand):
    help = "Print every OIT item's pre-check of an organisation's year and the predicted OIT score."

    def add_arguments(self, parser):
        parser.add_argument("org", help="organisation slug")
        parser.add_argument("year", type=int, help="fiscal year (BE)")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args, org, year, json=False, **options):
        organisation = Organisation.objects.filter(slug=org).first()
        if organisation is None:
            raise CommandError(f"no organisation {org!r}")
        check = year_selfcheck(organisation=organisation, fiscal_year=year)
        if check.edition is None:
            raise CommandError(f"no framework edition covers {year}")
        data = selfcheck_data(check)
        if json:
            self.stdout.write(_dumps(data))
            return
        for item in data["items"]:
            self.stdout.write(f"{item['code']}\t{'ready' if item['ready'] else 'NOT READY'}")
            for finding in item["findings"]:
                self.stdout.write(f"\t- {finding}")
        for warning in data["warnings"]:
            self.stdout.write(f"! {warning}")
        oit = data["predicted_oit"]
        self.stdout.write(
            f"ready {data['ready']}/{data['total']} ({data['readiness']}%)\n"
            f"predicted {oit['instrument']}: {oit['score']}"
        )
        for number, value in oit["indicators"].items():
            self.stdout.write(f"  indicator {number}: {value}")
        for code, value in oit["sub_indicators"].items():
            self.stdout.write(f"    sub-indicator {code}: {value}")


def _dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
