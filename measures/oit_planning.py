"""Draft measures from the OIT items the assessors did not pass.

A year's measures answer the result of the year before, so the drafts come
from that year's OIT item results (``ItemResult``: passed, the assessor's
comment, the improvement needed), whether the NACC entered them or they are
the confirmed verdicts of the organisation's own assessors.

One draft per sub-indicator with failed items, not one per item: that is
how offices write this part of their plan (reference 003 §1.7 lists the
weaknesses by sub-indicator, each with its items and what to improve), a
sub-indicator usually has one responsible unit (procurement, personnel),
and one measure per item would fill the plan and its two follow-up rounds
with a dozen one-line measures. Each failed item becomes a step of its
sub-indicator's draft, beginning with its code, so the office can report
on it item by item.

It lives beside ``services.py`` (which it builds on) only to keep that
module under the house limit of 500 lines.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction
from django.utils.translation import gettext as _

from assessments.models import Assessment, ItemResult, Organisation, SubIndicator
from assessments.public_cache import content_changed
from ita_portal.thai import fiscal_year_end

from .models import Measure, MeasureStep
from .services import PlanningError, measure_next_number, measure_steps_set, organisation_lock


class NothingToImprove(PlanningError):
    """The previous year's OIT items all passed: good news, not a failure."""


def oit_draft_title(sub_indicator: SubIndicator) -> str:
    return _("Measures to improve the published information of sub-indicator %(code)s %(name)s") % {
        "code": sub_indicator.code,
        "name": sub_indicator.name_th,
    }


def oit_draft_step(item_result: ItemResult) -> str:
    """The item's code first: it is how an item already in a measure is recognised."""
    item = item_result.item
    todo = (
        item_result.improvement.strip()
        or item_result.comment.strip()
        or _("publish it as the framework requires")
    )
    return f"{item.code} {item.title_th}: {todo}"


def _step_codes(organisation: Organisation, fiscal_year: int) -> set[str]:
    texts = MeasureStep.objects.filter(
        measure__organisation=organisation, measure__fiscal_year=fiscal_year
    ).values_list("text", flat=True)
    return {text.split(" ", 1)[0] for text in texts}


@transaction.atomic
def measures_plan_from_oit_items(*, organisation: Organisation, fiscal_year: int) -> list[Measure]:
    """One draft measure per sub-indicator with OIT items not passed the year before.

    Each failed item is a step with the improvement the assessor asked for.
    A sub-indicator whose draft title already exists this year is skipped,
    and so is an item already named at the start of a step of this year's
    measures, so running it twice (or after renaming a draft) adds nothing.
    """
    previous = fiscal_year - 1
    assessment = Assessment.objects.filter(organisation=organisation, fiscal_year=previous).first()
    results = (
        list(
            ItemResult.objects.filter(assessment=assessment)
            .select_related("item__sub_indicator__indicator")
            .order_by("item__number")
        )
        if assessment
        else []
    )
    if not results:
        raise PlanningError(
            _(
                "The OIT item results of %(year)s have not been entered, so there are no "
                "items to plan from. Enter them on the ITA result page of %(year)s first."
            )
            % {"year": previous}
        )
    failed = [r for r in results if not r.passed]
    if not failed:
        raise NothingToImprove(
            _("Every OIT item of %(year)s passed: there is no item to improve.")
            % {"year": previous}
        )
    by_sub: dict[int, list[ItemResult]] = defaultdict(list)
    subs: dict[int, SubIndicator] = {}
    for result in failed:
        sub = result.item.sub_indicator
        subs[sub.pk] = sub
        by_sub[sub.pk].append(result)
    # Under the lock, so pressing it twice at once still adds each draft once.
    organisation_lock(organisation)
    titles = set(
        Measure.objects.filter(organisation=organisation, fiscal_year=fiscal_year).values_list(
            "title", flat=True
        )
    )
    named = _step_codes(organisation, fiscal_year)
    number = measure_next_number(organisation=organisation, fiscal_year=fiscal_year)
    created = []
    for sub in sorted(subs.values(), key=lambda s: (s.indicator.number, s.order, s.code)):
        title = oit_draft_title(sub)
        items = [r for r in by_sub[sub.pk] if r.item.code not in named]
        if title in titles or not items:
            continue
        measure = Measure.objects.create(
            organisation=organisation,
            fiscal_year=fiscal_year,
            number=number,
            title=title,
            due_date=fiscal_year_end(fiscal_year),
        )
        measure.indicators.add(sub.indicator)
        measure_steps_set(measure=measure, steps=[oit_draft_step(r) for r in items])
        created.append(measure)
        number += 1
    content_changed(organisation)
    return created
