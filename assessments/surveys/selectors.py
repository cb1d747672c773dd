"""Reads for the staff pages of survey rounds: the list, one round, its codes, its address.

Every function takes an organisation the caller has already checked the user's
access to (``assessments.access``); nothing here looks at another one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.framework import edition_for
from assessments.models import (
    MAX_FISCAL_YEAR,
    MIN_FISCAL_YEAR,
    NACC_SCHEME,
    Edition,
    Instrument,
    OneTimeCode,
    Organisation,
    SampleRule,
    SurveyRound,
)
from ita_portal.thai import fiscal_year_of

from .sampling import SampleProgress, minimum_sample


def current_fiscal_year() -> int:
    return fiscal_year_of(timezone.localdate())


def fiscal_year_or_404(year: int) -> int:
    if not MIN_FISCAL_YEAR <= year <= MAX_FISCAL_YEAR:
        raise Http404
    return year


def survey_instruments(edition: Edition | None) -> list[Instrument]:
    """The edition's instruments that have a question bank (IIT, EIT; never OIT), in order."""
    if edition is None:
        return []
    return list(
        Instrument.objects.filter(edition=edition, indicators__questions__isnull=False)
        .distinct()
        .order_by("order", "code")
    )


def instrument_of(survey_round: SurveyRound, edition: Edition | None = None) -> Instrument | None:
    """The round's instrument in the year's edition (for its Thai name)."""
    if edition is None:
        edition = edition_for(survey_round.organisation, survey_round.fiscal_year)
    if edition is None:
        return None
    return Instrument.objects.filter(edition=edition, code=survey_round.instrument_code).first()


def round_or_404(organisation: Organisation, year: int, instrument: str) -> SurveyRound:
    """The organisation's round of the year and instrument; 404 for any other."""
    survey_round = (
        SurveyRound.objects.filter(
            organisation=organisation,
            fiscal_year=fiscal_year_or_404(year),
            instrument_code=instrument,
        )
        .select_related("organisation", "organisation__scheme")
        .first()
    )
    if survey_round is None:
        raise Http404
    return survey_round


# --- Addresses ---------------------------------------------------------------------


def _public_path(name: str, args: list[str], fallback: str) -> str:
    # The public form's URLs are named in assessments/surveys/urls.py; the address
    # itself (/s/<round>/, /s/<round>/<code>/) is the contract printed on posters.
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return fallback


def round_address(survey_round: SurveyRound) -> str:
    """The round's permanent public address, absolute (printed and encoded in QR codes)."""
    path = _public_path("surveys:form", [survey_round.code], f"/s/{survey_round.code}/")
    return f"{settings.SITE_URL}{path}"


def code_address(survey_round: SurveyRound, code: str) -> str:
    """The address that opens the round's form with a one-time code filled in."""
    path = _public_path(
        "surveys:form-code", [survey_round.code, code], f"/s/{survey_round.code}/{code}/"
    )
    return f"{settings.SITE_URL}{path}"


# --- The list of rounds ----------------------------------------------------------


@dataclass
class RoundRow:
    round: SurveyRound
    progress: SampleProgress
    open: bool


@dataclass
class YearRounds:
    fiscal_year: int
    current: bool
    rows: list[RoundRow] = field(default_factory=list)


def rules_for(organisation: Organisation, instrument_codes: set[str]) -> dict[str, SampleRule]:
    """``sampling.rule_for`` for several instruments in one query: the organisation's
    scheme's rule for each, else the NACC's."""
    schemes = [NACC_SCHEME]
    if organisation.scheme_id is not None:
        schemes.insert(0, organisation.scheme.code)
    found = {
        (r.scheme.code, r.instrument_code): r
        for r in SampleRule.objects.filter(
            scheme__code__in=schemes, instrument_code__in=instrument_codes
        ).select_related("scheme")
    }
    rules = {}
    for code in instrument_codes:
        rule = next((found[(s, code)] for s in schemes if (s, code) in found), None)
        if rule is not None:
            rules[code] = rule
    return rules


def organisation_rounds(organisation: Organisation, *, today=None) -> list[YearRounds]:
    """The organisation's rounds grouped by fiscal year, the current year first, then
    the later and the earlier ones newest first; each with its number of responses
    and its minimum sample. A fixed number of queries, however many rounds."""
    today = today or timezone.localdate()
    current = fiscal_year_of(today)
    rounds = list(
        SurveyRound.objects.filter(organisation=organisation)
        .annotate(response_count=Count("responses"))
        .order_by("-fiscal_year", "instrument_code")
    )
    rules = rules_for(organisation, {r.instrument_code for r in rounds})
    years: dict[int, YearRounds] = {current: YearRounds(current, True)}
    for survey_round in rounds:
        year = years.setdefault(
            survey_round.fiscal_year, YearRounds(survey_round.fiscal_year, False)
        )
        year.rows.append(
            RoundRow(
                round=survey_round,
                progress=SampleProgress(
                    responses=survey_round.response_count,
                    minimum=minimum_sample(
                        rules.get(survey_round.instrument_code), survey_round.population
                    ),
                ),
                open=survey_round.is_open(today),
            )
        )
    return sorted(years.values(), key=lambda y: (not y.current, -y.fiscal_year))


def rule_text(rule: SampleRule | None) -> str:
    """The minimum-sample rule in words, for staff ("10 % of the population, at least 30 …")."""
    if rule is None:
        return _("No minimum sample rule is set for this survey.")
    parts = []
    if rule.percent:
        parts.append(
            _("%(percent)s %% of the population") % {"percent": f"{rule.percent.normalize():f}"}
        )
    if rule.at_least:
        parts.append(
            _("at least %(count)s, or everyone when there are fewer") % {"count": rule.at_least}
        )
    if rule.at_most is not None:
        parts.append(_("at most %(count)s") % {"count": rule.at_most})
    text = ", ".join(parts) or _("everyone")
    return _("Rule of %(scheme)s: %(rule)s.") % {"scheme": rule.scheme.name_th, "rule": text}


# --- One-time codes ------------------------------------------------------------------


@dataclass(frozen=True)
class CodeCounts:
    total: int
    used: int

    @property
    def unused(self) -> int:
        return self.total - self.used


def code_counts(survey_round: SurveyRound) -> CodeCounts:
    """How many codes exist and how many are used; never which were used, or when."""
    counts = OneTimeCode.objects.filter(round=survey_round).aggregate(
        total=Count("id"), used=Count("id", filter=Q(used=True))
    )
    return CodeCounts(total=counts["total"], used=counts["used"])


def unused_codes(survey_round: SurveyRound) -> list[str]:
    return list(
        OneTimeCode.objects.filter(round=survey_round, used=False)
        .order_by("code")
        .values_list("code", flat=True)
    )


# --- Schools of an ESA ----------------------------------------------------------


def children_rounds(parent: Organisation, fiscal_year: int) -> list[dict]:
    """The parent's child organisations with the instruments they have a round of
    for the year (two queries)."""
    children = list(parent.children.order_by("name_th"))
    have: dict[int, list[str]] = {}
    for org_id, code in SurveyRound.objects.filter(
        organisation__in=children, fiscal_year=fiscal_year
    ).values_list("organisation_id", "instrument_code"):
        have.setdefault(org_id, []).append(code)
    return [{"organisation": c, "instruments": sorted(have.get(c.pk, []))} for c in children]
