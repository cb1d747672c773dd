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

from django.db.models import Count, Min, Q
from django.utils import timezone

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
from disclosures.models import Disclosure
from disclosures.selfassessment_models import Submission, SubmissionStatus
from measures.models import FollowUp, Measure, ReportSettings, Round

from ..thai import fiscal_year_of
from .calendar import Calendar, DueLine, DueState, OrganisationDue
from .lines import (
    complaints_line,
    document_lines,
    follow_up_lines,
    oit_lines,
    review_line,
    self_assessment_line,
    survey_lines,
)

__all__ = ["Calendar", "DueLine", "DueState", "OrganisationDue", "due_lines_count", "due_work"]


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


def _waiting_reviews(assessor_orgs: list[int], year: int) -> dict[int, int]:
    """Submissions of ``year`` waiting for verdicts, counted for the organisation whose
    assessors review them: the school's parent (an ESA), or the organisation itself
    (its internal committee). One query."""
    waiting: dict[int, int] = defaultdict(int)
    rows = (
        Submission.objects.filter(
            Q(organisation__in=assessor_orgs) | Q(organisation__parent__in=assessor_orgs),
            fiscal_year=year,
        )
        .exclude(status=SubmissionStatus.CONFIRMED)
        .annotate(items=Count("snapshots"))
        .filter(items__gt=0)  # a withdrawn submission keeps its row but no snapshot
        .values_list("organisation_id", "organisation__parent_id")
    )
    for org_id, parent_id in rows:
        for reviewer in {org_id, parent_id} & set(assessor_orgs):
            waiting[reviewer] += 1
    return waiting


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
    assessor_orgs = [a.organisation.pk for a in accesses if a.role == Role.ASSESSOR]
    reviews = _waiting_reviews(assessor_orgs, year) if assessor_orgs else {}
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
                lines += oit_lines(
                    access, edition, items[edition.pk], disclosures[org_id], year, calendar, today
                )
                if access.unit_ids is None:
                    line = self_assessment_line(
                        access, submissions.get(org_id), year, calendar, today
                    )
                    lines += [line] if line else []
            lines += follow_up_lines(access, measures[org_id], reported, measure_units, year, today)
            if access.unit_ids is None:
                measure_years = {m.fiscal_year for m in measures[org_id]}
                lines += document_lines(
                    access, measure_years, published_docs[org_id], year, calendar, today
                )
                lines += survey_lines(access, rounds[org_id], today)
        elif access.role == Role.COMPLAINT_OFFICER:
            line = complaints_line(access, complaints.get(org_id), today)
            lines += [line] if line else []
        elif access.role == Role.ASSESSOR:
            line = review_line(access, reviews.get(org_id, 0), calendar, today)
            lines += [line] if line else []
        else:
            continue  # viewers have no work of their own here
        result.append(OrganisationDue(access=access, lines=sorted(lines, key=_sort_key)))
    return result


def due_lines_count(work: list[OrganisationDue]) -> int:
    return sum(len(o.lines) for o in work)
