"""The minimum sample of a survey round, from its scheme's rule (``SampleRule``)."""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from assessments.framework import EDITIONS_DIR
from assessments.models import NACC_SCHEME, Organisation, SampleRule, Scheme

RULES_FILE = EDITIONS_DIR / "schemes" / "sample-rules.toml"


def minimum_sample(rule: SampleRule | None, population: int | None) -> int | None:
    """The smallest number of responses the rule asks for; None when unknown.

    All of the population when it is smaller than the rule's floor; the share
    rounded up otherwise, never under the floor, never over the cap.
    """
    if rule is None or population is None:
        return None
    share = math.ceil(Decimal(population) * rule.percent / 100)
    wanted = max(rule.at_least, share)
    if rule.at_most is not None:
        wanted = min(wanted, rule.at_most)
    return min(population, wanted)


def rule_for(organisation: Organisation, instrument_code: str) -> SampleRule | None:
    """The organisation's scheme's rule for the instrument, else the NACC's."""
    codes = [NACC_SCHEME]
    if organisation.scheme_id is not None:
        codes.insert(0, organisation.scheme.code)
    rules = {
        r.scheme.code: r
        for r in SampleRule.objects.filter(
            scheme__code__in=codes, instrument_code=instrument_code
        ).select_related("scheme")
    }
    return next((rules[c] for c in codes if c in rules), None)


@dataclass
class SampleProgress:
    responses: int
    minimum: int | None

    @property
    def missing(self) -> int | None:
        """How many more responses the minimum needs (0 when reached)."""
        return None if self.minimum is None else max(0, self.minimum - self.responses)

    @property
    def reached(self) -> bool:
        return self.minimum is not None and self.responses >= self.minimum

    @property
    def percent(self) -> int | None:
        if not self.minimum:
            return None
        return min(100, self.responses * 100 // self.minimum)


@transaction.atomic
def sample_rules_load(path: Path = RULES_FILE) -> int:
    """Create the shipped schemes and rules that are missing; returns how many rules
    were created. Existing rules are an operator's to change and are left alone."""
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    for scheme in data.get("schemes", []):
        Scheme.objects.get_or_create(
            code=scheme["code"],
            defaults={"name_th": scheme["name_th"], "name_en": scheme.get("name_en", "")},
        )
    created = 0
    for row in data.get("rules", []):
        scheme = (
            Scheme.nacc()
            if row["scheme"] == NACC_SCHEME
            else Scheme.objects.get(code=row["scheme"])
        )
        _rule, was_created = SampleRule.objects.get_or_create(
            scheme=scheme,
            instrument_code=row["instrument"],
            defaults={
                "percent": Decimal(str(row.get("percent", "0"))),
                "at_least": int(row.get("at_least", 0)),
                "at_most": row.get("at_most"),
                "population_note": row.get("population_note", ""),
                "verify": bool(row.get("verify", False)),
            },
        )
        created += was_created
    return created
