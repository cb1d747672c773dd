"""One kind of work each: the lines of what is due, from records already fetched."""

from __future__ import annotations

from collections import defaultdict

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from complaints.models import Status
from disclosures.models import DisclosureStatus
from disclosures.selfassessment_models import SubmissionStatus
from measures.models import DocumentKind, Round

from .calendar import CODES_SHOWN, SOON_DAYS, Calendar, DueLine, due_state


def _codes(codes: list[str]) -> str:
    shown = ", ".join(codes[:CODES_SHOWN])
    return shown + (" …" if len(codes) > CODES_SHOWN else "")


def oit_lines(access, edition, items, disclosures, year, calendar, today) -> list[DueLine]:
    org = access.organisation
    by_item = {d.item_id: d for d in disclosures}
    waiting: list[str] = []
    lines = []
    for item in items:
        disclosure = by_item.get(item.pk)
        if disclosure is not None and disclosure.status == DisclosureStatus.PUBLISHED:
            continue
        # A member limited to units acts on the items given to one of their units.
        if access.unit_ids is not None and (
            disclosure is None or disclosure.unit_id not in access.unit_ids
        ):
            continue
        if disclosure is not None and disclosure.due_date is not None:
            lines.append(
                DueLine(
                    kind="oit",
                    text=_("Publish OIT item %(code)s %(title)s")
                    % {"code": item.code, "title": item.title_th},
                    due=disclosure.due_date,
                    state=due_state(disclosure.due_date, today),
                    url=reverse("disclosures_staff:item", args=[org.slug, year, item.code]),
                )
            )
        else:
            waiting.append(item.code)
    if waiting:
        due = calendar.oit_evidence
        text = ngettext(
            "Fill in and publish %(count)d OIT item of %(year)d: %(codes)s",
            "Fill in and publish %(count)d OIT items of %(year)d: %(codes)s",
            len(waiting),
        ) % {"count": len(waiting), "year": year, "codes": _codes(waiting)}
        lines.append(
            DueLine(
                kind="oit",
                text=text,
                due=due,
                state=due_state(due, today),
                url=reverse("disclosures_staff:year", args=[org.slug, year]),
            )
        )
    return lines


def self_assessment_line(access, submission, year, calendar, today) -> DueLine | None:
    org = access.organisation
    url = reverse("disclosures_staff:self-assessment", args=[org.slug, year])
    if submission is None:
        due = calendar.oit_evidence
        text = _("Check the OIT of %(year)d and submit the self-assessment") % {"year": year}
    elif submission.status == SubmissionStatus.CLARIFICATION:
        due = submission.clarification_deadline or calendar.clarification
        text = _("File clarifications on the assessor's verdicts (%(year)d)") % {"year": year}
    else:
        return None
    return DueLine(kind="self_assessment", text=text, due=due, state=due_state(due, today), url=url)


def follow_up_lines(access, measures, reported, units, year, today) -> list[DueLine]:
    """A line per year and round with measures not reported: last year's 12-month
    round is still owed after 30 September."""
    org = access.organisation
    missing: dict[tuple[int, str], int] = defaultdict(int)
    for measure in measures:
        if access.unit_ids is not None and not access.unit_ids & units.get(measure.pk, set()):
            continue
        rounds = (
            (Round.SIX_MONTHS, Round.TWELVE_MONTHS)
            if measure.fiscal_year == year
            else (Round.TWELVE_MONTHS,)
        )
        for round_ in rounds:
            if (measure.pk, round_) not in reported:
                missing[(measure.fiscal_year, round_)] += 1
    lines = []
    for (measure_year, round_), count in sorted(missing.items()):
        calendar = Calendar(measure_year)
        due = calendar.six_months if round_ == Round.SIX_MONTHS else calendar.twelve_months
        if round_ == Round.SIX_MONTHS:
            text = ngettext(
                "Report the 6-month results of %(count)d measure of %(year)d",
                "Report the 6-month results of %(count)d measures of %(year)d",
                count,
            )
        else:
            text = ngettext(
                "Report the 12-month results of %(count)d measure of %(year)d",
                "Report the 12-month results of %(count)d measures of %(year)d",
                count,
            )
        lines.append(
            DueLine(
                kind="follow_up",
                text=text % {"count": count, "year": measure_year},
                due=due,
                state=due_state(due, today),
                url=reverse("measures_staff:year", args=[org.slug, measure_year]),
            )
        )
    return lines


DOCUMENT_TEXT = {
    DocumentKind.ANNOUNCEMENT: lambda y: (
        _("Publish the announcement of the measures of %(year)d") % {"year": y}
    ),
    DocumentKind.PLAN: lambda y: _("Publish the measures plan of %(year)d") % {"year": y},
    DocumentKind.RESULTS: lambda y: (
        _("Publish the report on the results of the measures of %(year)d") % {"year": y}
    ),
    DocumentKind.ANNUAL: lambda y: (
        _("Publish the annual report on the measures of %(year)d") % {"year": y}
    ),
}


def document_lines(access, measure_years, published, year, calendar, today) -> list[DueLine]:
    """The documents about the measures, for a year that has measures: the current
    year's announcement and plan early in the year, its results report with the OIT
    evidence, and last year's annual report, which the OIT asks for too."""
    org = access.organisation
    wanted = []
    if year in measure_years:
        wanted += [
            (year, DocumentKind.ANNOUNCEMENT, calendar.plan_documents),
            (year, DocumentKind.PLAN, calendar.plan_documents),
            (year, DocumentKind.RESULTS, calendar.oit_evidence),
        ]
    if year - 1 in measure_years:
        wanted.append((year - 1, DocumentKind.ANNUAL, calendar.oit_evidence))
    lines = []
    for doc_year, kind, due in wanted:
        if (doc_year, kind) in published:
            continue
        if kind == DocumentKind.ANNUAL:  # the annual report keeps its own address
            url = reverse("measures_staff:report-settings", args=[org.slug, doc_year])
        else:
            url = reverse("measures_staff:document-settings", args=[org.slug, doc_year, kind])
        lines.append(
            DueLine(
                kind="document",
                text=DOCUMENT_TEXT[kind](doc_year),
                due=due,
                state=due_state(due, today),
                url=url,
            )
        )
    return lines


def survey_lines(access, rounds, today) -> list[DueLine]:
    org = access.organisation
    lines = []
    for survey_round in rounds:
        url = reverse("surveys_staff:surveys", args=[org.slug])
        values = {"instrument": survey_round.instrument_code, "year": survey_round.fiscal_year}
        if survey_round.opens_on > today:
            text = _("The %(instrument)s survey of %(year)d opens: send out its address") % values
            due = survey_round.opens_on
        elif 0 <= (survey_round.closes_on - today).days <= SOON_DAYS:  # closing soon
            text = _("The %(instrument)s survey of %(year)d closes: remind respondents") % values
            due = survey_round.closes_on
        else:
            continue
        lines.append(
            DueLine(kind="survey", text=text, due=due, state=due_state(due, today), url=url)
        )
    return lines


def complaints_line(access, counts, today) -> DueLine | None:
    if not counts or not counts["waiting"]:
        return None
    org = access.organisation
    waiting, late = counts["waiting"], counts["late"]
    text = ngettext(
        "Acknowledge %(count)d new complaint",
        "Acknowledge %(count)d new complaints",
        waiting,
    ) % {"count": waiting}
    if late:
        text += " " + ngettext("(%(late)d past its date)", "(%(late)d past their date)", late) % {
            "late": late
        }
    due = counts["first_due"]
    return DueLine(
        kind="complaints",
        text=text,
        due=due,
        state=due_state(due, today),
        url=reverse("complaints_staff:queue", args=[org.slug]) + f"?status={Status.RECEIVED}",
    )


def review_line(access, waiting: int, calendar, today) -> DueLine | None:
    if not waiting:
        return None
    due = calendar.review
    return DueLine(
        kind="review",
        text=ngettext(
            "Review %(count)d submitted OIT self-assessment",
            "Review %(count)d submitted OIT self-assessments",
            waiting,
        )
        % {"count": waiting},
        due=due,
        state=due_state(due, today),
        url=reverse("disclosures_staff:reviews"),
    )
