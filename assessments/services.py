"""Writes to ITA results, shared by the staff pages, the admin and the commands."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from ita_portal.concurrency import check_not_stale, edit_token

from .framework import edition_for
from .models import (
    MAX_FISCAL_YEAR,
    MIN_FISCAL_YEAR,
    Assessment,
    Indicator,
    IndicatorScore,
    Instrument,
    InstrumentScore,
    Item,
    ItemResult,
    Organisation,
    ResultLevel,
)
from .public_cache import content_changed


class ScoreError(ValueError):
    """A score that cannot be accepted; the message is for the user, in their language."""


def parse_score(value: object) -> Decimal:
    """A score 0–100 with at most two decimals, from text or a number.

    Spreadsheets hand over floats: 91.5 stays 91.5, but a float that needs
    more than two decimals (91.505) is refused rather than silently rounded.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ScoreError(_("the score is empty"))
    if isinstance(value, bool):
        raise ScoreError(_("“%(value)s” is not a number") % {"value": value})
    text = str(value).strip().replace(",", "")
    try:
        score = Decimal(text)
    except InvalidOperation:
        raise ScoreError(_("“%(value)s” is not a number") % {"value": value}) from None
    if not score.is_finite():
        raise ScoreError(_("“%(value)s” is not a number") % {"value": value})
    if score < 0 or score > 100:
        raise ScoreError(_("the score %(value)s is outside 0–100") % {"value": text})
    if score != score.quantize(Decimal("0.01")):
        raise ScoreError(_("the score %(value)s has more than two decimals") % {"value": text})
    return score.quantize(Decimal("0.01"))


def assessment_get_or_create(*, organisation: Organisation, fiscal_year: int) -> Assessment:
    """The organisation's result record for a year, created with the edition its
    scheme uses for that year (else the NACC's)."""
    if not MIN_FISCAL_YEAR <= fiscal_year <= MAX_FISCAL_YEAR:
        raise ValueError(f"fiscal year {fiscal_year} is out of range")
    assessment, created = Assessment.objects.get_or_create(
        organisation=organisation,
        fiscal_year=fiscal_year,
        defaults={"edition": edition_for(organisation, fiscal_year)},
    )
    if not created and assessment.edition_id is None:
        # An edition loaded (or started as provisional) after the year was recorded now covers it.
        edition = edition_for(organisation, fiscal_year)
        if edition is not None:
            assessment.edition = edition
            assessment.save(update_fields=["edition", "updated_at"])
            content_changed(organisation)
    elif created:
        # A new year is listed on the agency's home page (even before its scores).
        content_changed(organisation)
    return assessment


ASSESSMENT_FIELDS = ("official_total", "rank", "ranked_out_of", "notes")


def _scores_extra(assessment: Assessment) -> tuple[dict, dict]:
    """The indicator scores, instrument scores and published level as extra snapshot
    values, with their labels: a stale form is refused whichever of them changed."""
    values: dict = {}
    labels: dict = {}
    for score in assessment.scores.select_related("indicator"):
        key = f"indicator_{score.indicator.number}"
        values[key] = f"{score.score:.2f}"
        labels[key] = _("Indicator %(number)s") % {"number": score.indicator.number}
    for score in assessment.instrument_scores.select_related("instrument"):
        key = f"instrument_{score.instrument.code}"
        values[key] = f"{score.score:.2f}"
        labels[key] = _("%(instrument)s score") % {"instrument": score.instrument.code}
    if assessment.edition_id:
        for number in Indicator.objects.filter(edition_id=assessment.edition_id).values_list(
            "number", flat=True
        ):
            key = f"indicator_{number}"
            values.setdefault(key, None)
            labels.setdefault(key, _("Indicator %(number)s") % {"number": number})
        for code in Instrument.objects.filter(edition_id=assessment.edition_id).values_list(
            "code", flat=True
        ):
            key = f"instrument_{code}"
            values.setdefault(key, None)
            labels.setdefault(key, _("%(instrument)s score") % {"instrument": code})
    level = assessment.official_level
    values["official_level"] = None if level is None else (level.grade or level.label_th)
    labels["official_level"] = _("Published level")
    return values, labels


def assessment_edit_token(assessment: Assessment) -> str:
    return edit_token(assessment, ASSESSMENT_FIELDS, _scores_extra(assessment)[0])


@transaction.atomic
def assessment_update(
    *,
    assessment: Assessment,
    scores: dict[int, Decimal | None],
    official_total: Decimal | None,
    rank: int | None,
    ranked_out_of: int | None,
    notes: str,
    instrument_scores: dict[str, Decimal | None] | None = None,
    official_level: ResultLevel | None = None,
    token: str | None = None,
) -> Assessment:
    """Save a year's scores and its published figures.

    ``scores`` are indicator scores by indicator number, ``instrument_scores``
    an instrument's own score by instrument code (for years whose indicator
    scores are not known; when an instrument's indicators are all scored,
    those win and the instrument score is not used). A ``None`` score removes
    that score. ``official_level`` is the level as published, one of the
    edition's levels; it is only used when the scores give no total.
    With the ``token`` a staff form posted, raises ``StaleEdit`` when someone saved
    the year after the form was opened, or when the form posted no token at all.
    Imports and commands pass none (``None``): no check.
    """
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if token is not None:
        extra, labels = _scores_extra(assessment)
        check_not_stale(assessment, token, ASSESSMENT_FIELDS, extra, labels=labels)
    if official_level is not None and official_level.edition_id != assessment.edition_id:
        raise ValueError("the published level belongs to another edition")
    assessment.official_total = official_total
    assessment.official_level = official_level
    assessment.rank = rank
    assessment.ranked_out_of = ranked_out_of
    assessment.notes = notes
    assessment.save()
    content_changed(assessment.organisation_id)
    if assessment.edition_id is None:
        return assessment
    indicators = {i.number: i for i in Indicator.objects.filter(edition_id=assessment.edition_id)}
    existing = {s.indicator.number: s for s in assessment.scores.select_related("indicator")}
    for number, value in scores.items():
        _put_score(
            existing.get(number), value, IndicatorScore, assessment, indicator=indicators[number]
        )
    if instrument_scores is not None:
        instruments = {
            i.code: i for i in Instrument.objects.filter(edition_id=assessment.edition_id)
        }
        entered = {
            s.instrument.code: s for s in assessment.instrument_scores.select_related("instrument")
        }
        for code, value in instrument_scores.items():
            _put_score(
                entered.get(code), value, InstrumentScore, assessment, instrument=instruments[code]
            )
    return assessment


def _put_score(current, value: Decimal | None, model, assessment: Assessment, **target) -> None:
    """Create, change or remove one stored score (``None`` removes it)."""
    if value is None:
        if current is not None:
            current.delete()
    elif current is None:
        model.objects.create(assessment=assessment, score=value, **target)
    elif current.score != value:
        current.score = value
        current.save(update_fields=["score"])


def _item_results_extra(assessment: Assessment) -> tuple[dict, dict]:
    """The OIT findings as extra snapshot values (one readable line per item), with labels."""
    values, labels = {}, {}
    for result in assessment.item_results.select_related("item"):
        key = f"item_{result.item_id}"
        verdict = _("Passed") if result.passed else _("Not passed")
        values[key] = " / ".join(v for v in (verdict, result.comment, result.improvement) if v)
        labels[key] = result.item.code
    if assessment.edition_id:
        for item_id, code in Item.objects.filter(edition_id=assessment.edition_id).values_list(
            "pk", "code"
        ):
            values.setdefault(f"item_{item_id}", None)
            labels.setdefault(f"item_{item_id}", code)
    return values, labels


def item_results_edit_token(assessment: Assessment) -> str:
    return edit_token(assessment, (), _item_results_extra(assessment)[0])


@transaction.atomic
def assessment_item_results_update(
    *,
    assessment: Assessment,
    results: dict[int, tuple[bool | None, str, str]],
    token: str | None = None,
) -> None:
    """Save the assessor's OIT findings, by item id: (passed, comment, improvement).

    ``passed`` of ``None`` means no finding was entered, and removes one.
    With the ``token`` a staff form posted, raises ``StaleEdit`` when someone saved
    findings after the form was opened, or when the form posted no token at all.
    ``None`` (imports, commands) means no check.
    """
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if token is not None:
        extra, labels = _item_results_extra(assessment)
        check_not_stale(assessment, token, (), extra, labels=labels)
    content_changed(assessment.organisation_id)
    existing = {r.item_id: r for r in assessment.item_results.all()}
    for item_id, (passed, comment, improvement) in results.items():
        current = existing.get(item_id)
        if passed is None:
            if current is not None:
                current.delete()
            continue
        if current is None:
            ItemResult.objects.create(
                assessment=assessment,
                item_id=item_id,
                passed=passed,
                comment=comment,
                improvement=improvement,
            )
        elif (current.passed, current.comment, current.improvement) != (
            passed,
            comment,
            improvement,
        ):
            current.passed, current.comment, current.improvement = passed, comment, improvement
            current.save(update_fields=["passed", "comment", "improvement"])
