"""What is due: the work each staff user has to do this fiscal year, with its dates.

Assembled here from each app's records (DESIGN: "What-is-due for a user is
assembled in ``ita_portal/``"), in a fixed number of queries whatever the
number of organisations or items, for the staff home and the weekly digest.

The dates follow the ITAS calendar of the NACC (frameworks-2566-2570.md §6):
the agency enters its OIT answers and addresses in March–April, files
clarifications 1–15 June; measures report at 6 months (31 March) and 12
months (30 September). An item's own due date (set on the disclosure) wins.
A line never carries complaint content or a complainant's identity: only a
count and the queue's address.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.access import OrganisationAccess
from assessments.models import (
    EDITING_ROLES,
    NACC_SCHEME,
    Edition,
    Item,
    Membership,
    Organisation,
    Role,
    SurveyRound,
)
from complaints.models import Complaint, Status
from disclosures.models import Disclosure, DisclosureStatus
from disclosures.selfassessment_models import Submission, SubmissionStatus
from measures.models import DocumentKind, FollowUp, Measure, ReportSettings, Round

from .thai import ce_year, fiscal_year_of

# Lines due within this many days are "due soon"; later ones "later this year".
SOON_DAYS = 30
# Item codes listed by name in a summary line before "…".
CODES_SHOWN = 8


class DueState:
    OVERDUE = "overdue"
    SOON = "soon"
    LATER = "later"


@dataclass(frozen=True)
class DueLine:
    kind: str  # oit, self_assessment, follow_up, survey, document, complaints
    text: str
    due: dt.date | None
    state: str
    url: str

    @property
    def overdue(self) -> bool:
        return self.state == DueState.OVERDUE


@dataclass
class OrganisationDue:
    access: OrganisationAccess
    lines: list[DueLine] = field(default_factory=list)

    @property
    def organisation(self) -> Organisation:
        return self.access.organisation

    @property
    def overdue_count(self) -> int:
        return sum(1 for line in self.lines if line.overdue)


@dataclass(frozen=True)
class Calendar:
    """The dates of one fiscal year's work (BE ``fiscal_year``), as Common Era dates."""

    fiscal_year: int

    def _on(self, month: int, day: int) -> dt.date:
        # October–December belong to the CE year before the fiscal year ends.
        year = ce_year(self.fiscal_year) - (1 if month >= 10 else 0)
        return dt.date(year, month, day)

    @property
    def plan_documents(self) -> dt.date:  # announcement and plan: the first quarter
        return self._on(12, 31)

    @property
    def six_months(self) -> dt.date:
        return self._on(3, 31)

    @property
    def oit_evidence(self) -> dt.date:  # ITAS: OIT answers and addresses, March–April
        return self._on(4, 30)

    @property
    def clarification(self) -> dt.date:  # ITAS: clarifications 1–15 June
        return self._on(6, 15)

    @property
    def twelve_months(self) -> dt.date:
        return self._on(9, 30)


def _state(due: dt.date | None, today: dt.date) -> str:
    if due is not None and due < today:
        return DueState.OVERDUE
    if due is not None and (due - today).days <= SOON_DAYS:
        return DueState.SOON
    return DueState.LATER


def _accesses(user) -> list[OrganisationAccess]:
    """The user's organisations with their roles and units (two queries)."""
    if user.is_superuser:
        return [
            OrganisationAccess(o, Role.ADMINISTRATOR)
            for o in Organisation.objects.select_related("scheme")
        ]
    memberships = (
        Membership.objects.filter(user=user)
        .select_related("organisation__scheme")
        .prefetch_related("units")
        .order_by("organisation__name_th")
    )
    return [
        OrganisationAccess(
            m.organisation,
            Role(m.role),
            frozenset(u.pk for u in m.units.all()) or None,
        )
        for m in memberships
    ]


def _editions(organisations: list[Organisation], fiscal_year: int) -> dict[int, Edition]:
    """Each organisation's edition for the year, ranked as ``edition_for`` does, in one query."""
    editions = list(
        Edition.objects.filter(first_year__lte=fiscal_year, last_year__gte=fiscal_year)
        .select_related("scheme")
        .order_by("pk")
    )
    chosen = {}
    for organisation in organisations:
        wanted = organisation.scheme.code if organisation.scheme_id else NACC_SCHEME
        fitting = [e for e in editions if e.scheme.code in {wanted, NACC_SCHEME}]
        fitting.sort(
            key=lambda e: (e.scheme.code != wanted, not e.provisional, -e.first_year, e.code)
        )
        if fitting:
            chosen[organisation.pk] = fitting[0]
    return chosen


def _codes(codes: list[str]) -> str:
    shown = ", ".join(codes[:CODES_SHOWN])
    return shown + (" …" if len(codes) > CODES_SHOWN else "")


def _oit_lines(access, edition, items, disclosures, year, calendar, today) -> list[DueLine]:
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
                    state=_state(disclosure.due_date, today),
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
                state=_state(due, today),
                url=reverse("disclosures_staff:year", args=[org.slug, year]),
            )
        )
    return lines


def _self_assessment_line(access, submission, year, calendar, today) -> DueLine | None:
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
    return DueLine(kind="self_assessment", text=text, due=due, state=_state(due, today), url=url)


def _follow_up_lines(access, measures, reported, units, year, today) -> list[DueLine]:
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
                state=_state(due, today),
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


def _document_lines(access, measure_years, published, year, calendar, today) -> list[DueLine]:
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
                state=_state(due, today),
                url=url,
            )
        )
    return lines


def _survey_lines(access, rounds, today) -> list[DueLine]:
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
        lines.append(DueLine(kind="survey", text=text, due=due, state=_state(due, today), url=url))
    return lines


def _complaints_line(access, counts, today) -> DueLine | None:
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
        state=_state(due, today),
        url=reverse("complaints_staff:queue", args=[org.slug]) + f"?status={Status.RECEIVED}",
    )


def _sort_key(line: DueLine):
    order = {DueState.OVERDUE: 0, DueState.SOON: 1, DueState.LATER: 2}
    return (order[line.state], line.due or dt.date.max, line.text)


def due_work(
    *, user, fiscal_year: int | None = None, today: dt.date | None = None
) -> list[OrganisationDue]:
    """What ``user`` has to do in ``fiscal_year`` (BE, default: today's), per organisation,
    overdue first. Done work is not listed; organisations with nothing due are kept
    (with no lines) so the page can say so."""
    today = today or timezone.localdate()
    year = fiscal_year or fiscal_year_of(today)
    calendar = Calendar(year)
    accesses = _accesses(user)
    editors = [a for a in accesses if a.role in EDITING_ROLES]
    officers = [a for a in accesses if a.role == Role.COMPLAINT_OFFICER]
    editor_orgs = [a.organisation.pk for a in editors]

    editions = _editions([a.organisation for a in editors], year) if editors else {}
    items: dict[int, list[Item]] = defaultdict(list)
    disclosures: dict[int, list[Disclosure]] = defaultdict(list)
    submissions: dict[int, Submission] = {}
    measures: dict[int, list[Measure]] = defaultdict(list)
    reported: set[tuple[int, str]] = set()
    measure_units: dict[int, set[int]] = defaultdict(set)
    published_docs: dict[int, set[tuple[int, str]]] = defaultdict(set)
    rounds: dict[int, list[SurveyRound]] = defaultdict(list)
    complaints: dict[int, dict] = {}

    if editions:
        for item in Item.objects.filter(edition__in=set(editions.values())).order_by("number"):
            items[item.edition_id].append(item)
    if editors:
        for disclosure in Disclosure.objects.filter(
            organisation__in=editor_orgs, fiscal_year=year
        ).only("organisation_id", "item_id", "status", "due_date", "unit_id"):
            disclosures[disclosure.organisation_id].append(disclosure)
        for submission in Submission.objects.filter(
            organisation__in=editor_orgs, fiscal_year=year
        ).only("organisation_id", "status", "clarification_deadline"):
            submissions[submission.organisation_id] = submission
        year_measures = list(
            Measure.objects.filter(
                organisation__in=editor_orgs, fiscal_year__in=[year, year - 1]
            ).only("organisation_id", "fiscal_year")
        )
        for measure in year_measures:
            measures[measure.organisation_id].append(measure)
        reported = set(
            FollowUp.objects.filter(measure__in=year_measures)
            .exclude(round=Round.DATED)
            .values_list("measure_id", "round")
        )
        if any(a.unit_ids is not None for a in editors):
            links = Measure.responsible_units.through.objects.filter(measure__in=year_measures)
            for measure_id, unit_id in links.values_list("measure_id", "unit_id"):
                measure_units[measure_id].add(unit_id)
        for org_id, doc_year, kind in ReportSettings.objects.filter(
            organisation__in=editor_orgs, fiscal_year__in=[year, year - 1], published=True
        ).values_list("organisation_id", "fiscal_year", "kind"):
            published_docs[org_id].add((doc_year, kind))
        for survey_round in SurveyRound.objects.filter(
            organisation__in=editor_orgs, fiscal_year=year
        ).order_by("opens_on"):
            rounds[survey_round.organisation_id].append(survey_round)
    if officers:
        complaints = {
            row["organisation_id"]: row
            for row in Complaint.objects.filter(
                organisation__in=[a.organisation.pk for a in officers],
                status=Status.RECEIVED,
                acknowledged_at__isnull=True,
            )
            .values("organisation_id")
            .annotate(
                waiting=Count("pk"),
                late=Count("pk", filter=Q(acknowledge_by__lt=today)),
                first_due=Min("acknowledge_by"),
            )
        }

    result = []
    for access in accesses:
        org_id = access.organisation.pk
        lines: list[DueLine] = []
        if access.role in EDITING_ROLES:
            edition = editions.get(org_id)
            if edition is not None:
                lines += _oit_lines(
                    access, edition, items[edition.pk], disclosures[org_id], year, calendar, today
                )
                if access.unit_ids is None:
                    line = _self_assessment_line(
                        access, submissions.get(org_id), year, calendar, today
                    )
                    lines += [line] if line else []
            lines += _follow_up_lines(
                access, measures[org_id], reported, measure_units, year, today
            )
            if access.unit_ids is None:
                measure_years = {m.fiscal_year for m in measures[org_id]}
                lines += _document_lines(
                    access, measure_years, published_docs[org_id], year, calendar, today
                )
                lines += _survey_lines(access, rounds[org_id], today)
        elif access.role == Role.COMPLAINT_OFFICER:
            line = _complaints_line(access, complaints.get(org_id), today)
            lines += [line] if line else []
        else:
            continue  # viewers and assessors have no work of their own here
        result.append(OrganisationDue(access=access, lines=sorted(lines, key=_sort_key)))
    return result


def due_lines_count(work: list[OrganisationDue]) -> int:
    return sum(len(o.lines) for o in work)
