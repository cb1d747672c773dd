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
One query, whatever the number of years or documents. The OIT button links
``/<org>/oit/``, which picks the year (the latest published, else the
framework's): no query here for that.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import CharField, DateField, F, Value
from django.db.models.functions import Cast
from django.urls import reverse

from assessments.models import Organisation, SurveyRound
from assessments.surveys.rounds import CODES_INSTRUMENTS
from disclosures.models import Disclosure, DisclosureStatus
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
    oit_years: list[int]  # years with published items, newest first
    document_years: list[DocumentYear]
    self_assessment_years: list[int]
    surveys: list[OpenSurvey]
    statistics_years: list[int]


# What each row of the one query below is.
OIT, DOCUMENT, SUMMARY, SURVEY = "oit", "document", "summary", "survey"


def _rows(organisation: Organisation, today: dt.date) -> list[tuple]:
    """(what, fiscal year, kind or instrument, survey code, closing date) of everything
    the home links, in one query (a UNION): the page is built for every new version."""

    def columns(what: str, kind=None, code=None, closes=None) -> tuple:
        # The same five columns in every part of the UNION; constants where a table has none.
        text = CharField()
        return (
            Value(what, output_field=text),
            # An expression, not a field name: Django puts field names before expressions
            # in the SELECT, and the parts of a UNION must list their columns alike.
            F("fiscal_year"),
            kind if kind is not None else Value("", output_field=text),
            code if code is not None else Value("", output_field=text),
            # A typed NULL: PostgreSQL reads a bare NULL as text, which no date column matches.
            closes if closes is not None else Cast(Value(None), DateField()),
        )

    oit = Disclosure.objects.filter(
        organisation=organisation, status=DisclosureStatus.PUBLISHED
    ).values_list(*columns(OIT))
    documents = ReportSettings.objects.filter(
        organisation=organisation, published=True
    ).values_list(*columns(DOCUMENT, kind=F("kind")))
    summaries = Submission.objects.filter(
        organisation=organisation, summary_published=True, snapshots__isnull=False
    ).values_list(*columns(SUMMARY))
    surveys = (
        SurveyRound.objects.filter(
            organisation=organisation, opens_on__lte=today, closes_on__gte=today, uses_codes=False
        )
        .exclude(instrument_code__in=CODES_INSTRUMENTS)
        .values_list(
            *columns(SURVEY, kind=F("instrument_code"), code=F("code"), closes=F("closes_on"))
        )
    )
    # Model orderings cleared: a part of a UNION may not have one (SQLite).
    parts = [q.order_by() for q in (oit, documents, summaries, surveys)]
    return list(parts[0].union(*parts[1:]))


def agency_home(*, organisation: Organisation, today: dt.date) -> AgencyHome:
    rows = _rows(organisation, today)
    documents: dict[int, set[str]] = {}
    for what, year, kind, _code, _closes in rows:
        if what == DOCUMENT and kind in SPECS:
            documents.setdefault(year, set()).add(kind)
    document_years = []
    for year in sorted(documents, reverse=True):
        entry = DocumentYear(fiscal_year=year)
        for kind in DOCUMENT_ORDER:
            if kind in documents[year]:
                page, pdf = document_addresses(organisation.slug, year, kind)
                entry.documents.append(Document(str(DocumentKind(kind).label), page, pdf))
        document_years.append(entry)
    surveys = sorted(
        (
            OpenSurvey(
                instrument_code=kind,
                fiscal_year=year,
                closes_on=closes,
                url=reverse("surveys:form", args=[code]),
            )
            for what, year, kind, code, closes in rows
            if what == SURVEY
        ),
        key=lambda s: (-s.fiscal_year, s.instrument_code),
    )
    current = fiscal_year_of(today)
    return AgencyHome(
        oit_years=sorted({r[1] for r in rows if r[0] == OIT}, reverse=True),
        document_years=document_years,
        self_assessment_years=sorted({r[1] for r in rows if r[0] == SUMMARY}, reverse=True),
        surveys=surveys,
        # This year's and last year's: an office reports on the year just ended.
        statistics_years=[current, current - 1],
    )
