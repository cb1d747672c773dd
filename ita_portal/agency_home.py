"""What an agency's public home links to: everything a citizen looks for, in one place.

Assembled here, in the project package, from each app's data (as what-is-due
is): the home page's view lives in ``assessments``, which never imports
``measures``, ``disclosures`` or ``complaints``; this module may.

Only what the public may open is listed: published documents, OIT years
with something published, a published self-assessment summary, and open
survey rounds answered on an open link (never a round that needs a one-time
code: those are the staff's IIT). Every one of these changes through a
service that calls ``content_changed`` (publishing, a round's dates), and a
round opens or closes with the day, which is part of the cached page's key.
A fixed number of queries, whatever the number of years or documents.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.urls import reverse

from assessments.models import Organisation, SurveyRound
from assessments.surveys.rounds import CODES_INSTRUMENTS
from disclosures.selectors import latest_framework_year, public_years
from disclosures.selfassessment_models import Submission
from measures.documents import SPECS, document_addresses
from measures.models import DocumentKind, ReportSettings

from .thai import fiscal_year_of

# Newest first, as an office lists them: the annual report sums up the rest.
DOCUMENT_ORDER = [
    DocumentKind.ANNUAL,
    DocumentKind.RESULTS,
    DocumentKind.PLAN,
    DocumentKind.ANNOUNCEMENT,
]


@dataclass
class Document:
    label: str
    page_url: str
    pdf_url: str


@dataclass
class DocumentYear:
    fiscal_year: int
    documents: list[Document] = field(default_factory=list)


@dataclass
class OpenSurvey:
    instrument_code: str
    fiscal_year: int
    closes_on: dt.date
    url: str


@dataclass
class AgencyHome:
    current_year: int
    # The OIT index of the current year (None when no framework covers any year).
    oit_year: int | None
    oit_years: list[int]  # years with published items, newest first
    document_years: list[DocumentYear]
    self_assessment_years: list[int]
    surveys: list[OpenSurvey]
    statistics_years: list[int]


def _documents(organisation: Organisation) -> list[DocumentYear]:
    rows = ReportSettings.objects.filter(organisation=organisation, published=True).values_list(
        "fiscal_year", "kind"
    )
    by_year: dict[int, set[str]] = {}
    for year, kind in rows:
        if kind in SPECS:
            by_year.setdefault(year, set()).add(kind)
    years = []
    for year in sorted(by_year, reverse=True):
        entry = DocumentYear(fiscal_year=year)
        for kind in DOCUMENT_ORDER:
            if kind in by_year[year]:
                page, pdf = document_addresses(organisation.slug, year, kind)
                entry.documents.append(Document(str(DocumentKind(kind).label), page, pdf))
        years.append(entry)
    return years


def _open_surveys(organisation: Organisation, today: dt.date) -> list[OpenSurvey]:
    rounds = (
        SurveyRound.objects.filter(
            organisation=organisation,
            opens_on__lte=today,
            closes_on__gte=today,
            uses_codes=False,
        )
        .exclude(instrument_code__in=CODES_INSTRUMENTS)
        .order_by("-fiscal_year", "instrument_code")
    )
    return [
        OpenSurvey(
            instrument_code=r.instrument_code,
            fiscal_year=r.fiscal_year,
            closes_on=r.closes_on,
            url=reverse("surveys:form", args=[r.code]),
        )
        for r in rounds
    ]


def agency_home(*, organisation: Organisation, today: dt.date) -> AgencyHome:
    current = fiscal_year_of(today)
    published = public_years(organisation)
    summaries = list(
        Submission.objects.filter(
            organisation=organisation, summary_published=True, snapshots__isnull=False
        )
        .values_list("fiscal_year", flat=True)
        .distinct()
        .order_by("-fiscal_year")
    )
    return AgencyHome(
        current_year=current,
        oit_year=latest_framework_year(current, organisation=organisation),
        oit_years=published,
        document_years=_documents(organisation),
        self_assessment_years=summaries,
        surveys=_open_surveys(organisation, today),
        # This year's and last year's: an office reports on the year just ended.
        statistics_years=[current, current - 1],
    )
