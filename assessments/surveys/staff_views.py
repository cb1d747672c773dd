"""Staff pages of survey rounds: the list, opening and changing a round, its page
with the sample progress and scores, the poster and the scores download.

Members of the organisation (any role) see; administrators and editors of the
whole organisation change. Another organisation's round, an unknown year or
instrument: 404. Staff see aggregates only, and none below five responses.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.access import OrganisationAccess, organisation_access
from assessments.framework import edition_for
from assessments.models import MIN_RESPONSES_SHOWN, SurveyRound
from ita_portal.once import once_claim, once_seen
from ita_portal.pdf_store import stored_pdf_response
from ita_portal.spreadsheets import XLSX_CONTENT_TYPE, csv_bytes, xlsx_bytes

from .bank import survey_bank
from .poster import poster_key, poster_version, qr_data_uri
from .rounds import round_update
from .sampling import rule_for
from .scores import RoundScores, round_scores
from .selectors import (
    code_counts,
    current_fiscal_year,
    fiscal_year_or_404,
    instrument_of,
    organisation_rounds,
    round_address,
    round_or_404,
    rule_text,
    survey_instruments,
)
from .services import SurveyError, round_create
from .staff_forms import RoundCreateForm, RoundEditForm


def can_change(access: OrganisationAccess) -> bool:
    # A round is the whole organisation's: not for a member limited to some units.
    return access.can_edit and not access.is_unit_limited


def require_change(access: OrganisationAccess) -> None:
    if not can_change(access):
        raise Http404


def round_url(survey_round: SurveyRound, name: str = "round") -> str:
    return reverse(
        f"surveys_staff:{name}",
        args=[
            survey_round.organisation.slug,
            survey_round.fiscal_year,
            survey_round.instrument_code,
        ],
    )


# --- The list and opening a round -------------------------------------------------


def _form_year(request: HttpRequest) -> int:
    try:
        year = int(request.POST.get("fiscal_year") or request.GET.get("year") or 0)
    except ValueError:
        year = 0
    try:
        return fiscal_year_or_404(year)
    except Http404:
        return current_fiscal_year()


@login_required
def surveys(request: HttpRequest, org: str) -> HttpResponse:
    access = organisation_access(request.user, org)
    organisation = access.organisation
    year = _form_year(request)
    instruments = survey_instruments(edition_for(organisation, year))
    here = f"{reverse('surveys_staff:surveys', args=[org])}?year={year}"
    form = RoundCreateForm(instruments=instruments)
    status = 200
    if request.method == "POST":
        require_change(access)
        if seen := once_seen(request, fallback=here):
            return seen
        form = RoundCreateForm(request.POST, instruments=instruments, fiscal_year=year)
        if form.is_valid():
            with once_claim(request, fallback=here) as claim:
                if claim.repeated:
                    return claim.redirect_repeated()
                data = form.cleaned_data
                try:
                    survey_round = round_create(
                        organisation=organisation,
                        fiscal_year=year,
                        instrument_code=data["instrument"],
                        opens_on=data["opens_on"],
                        closes_on=data["closes_on"],
                        population=data["population"],
                        uses_codes=data["uses_codes"],
                    )
                except SurveyError as error:
                    form.add_error(None, str(error))
                else:
                    messages.success(
                        request,
                        _("The %(instrument)s round of %(year)s is open for answers.")
                        % {"instrument": survey_round.instrument_code, "year": year},
                    )
                    return claim.redirect(round_url(survey_round))
        messages.error(request, _("Nothing was saved. Please correct the fields marked below."))
        status = 400
    return render(
        request,
        "assessments/surveys/staff_surveys.html",
        {
            "access": access,
            "organisation": organisation,
            "can_change": can_change(access),
            "years": organisation_rounds(organisation),
            "form_year": year,
            "instruments": instruments,
            "form": form,
        },
        status=status,
    )


# --- One round ----------------------------------------------------------------------


@login_required
def round_view(request: HttpRequest, org: str, year: int, instrument: str) -> HttpResponse:
    access = organisation_access(request.user, org)
    survey_round = round_or_404(access.organisation, year, instrument)
    edition = edition_for(survey_round.organisation, survey_round.fiscal_year)
    scores = round_scores(survey_round, bank=survey_bank(edition, survey_round.instrument_code))
    rule = rule_for(survey_round.organisation, survey_round.instrument_code)
    address = round_address(survey_round)
    return render(
        request,
        "assessments/surveys/staff_round.html",
        {
            "access": access,
            "organisation": access.organisation,
            "can_change": can_change(access),
            "round": survey_round,
            "instrument": instrument_of(survey_round, edition),
            "is_open": survey_round.is_open(timezone.localdate()),
            "scores": scores,
            "weakest": scores.weakest if scores.shown else [],
            "min_shown": MIN_RESPONSES_SHOWN,
            "rule": rule,
            "rule_text": rule_text(rule),
            "address": address,
            "qr": qr_data_uri(address, scale=5),
            "codes": code_counts(survey_round) if survey_round.uses_codes else None,
        },
    )


@login_required
def round_edit(request: HttpRequest, org: str, year: int, instrument: str) -> HttpResponse:
    access = organisation_access(request.user, org)
    require_change(access)
    survey_round = round_or_404(access.organisation, year, instrument)
    if request.method == "POST":
        form = RoundEditForm(request.POST, fiscal_year=year)
        if form.is_valid():
            try:
                round_update(survey_round=survey_round, **form.cleaned_data)
            except SurveyError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The round was saved."))
                return redirect(round_url(survey_round))
        messages.error(request, _("Nothing was saved. Please correct the fields marked below."))
    else:
        form = RoundEditForm(
            initial={
                "opens_on": survey_round.opens_on,
                "closes_on": survey_round.closes_on,
                "population": survey_round.population,
                "uses_codes": survey_round.uses_codes,
            }
        )
    return render(
        request,
        "assessments/surveys/staff_round_edit.html",
        {
            "access": access,
            "organisation": access.organisation,
            "round": survey_round,
            "form": form,
        },
        status=400 if form.is_bound else 200,
    )


@login_required
def poster(request: HttpRequest, org: str, year: int, instrument: str) -> HttpResponse:
    """The round's stored poster PDF, made by the task queue (``ita_portal.pdf_store``)."""
    access = organisation_access(request.user, org)
    survey_round = round_or_404(access.organisation, year, instrument)
    response = stored_pdf_response(
        request,
        key=poster_key(survey_round),
        version=poster_version(access.organisation),
        file_name=f"poster-{survey_round.instrument_code}-{survey_round.fiscal_year}.pdf",
        page_url=round_url(survey_round),
        title=_("Poster"),
    )
    # Staff pages: never kept by a shared cache.
    response["Cache-Control"] = "private, no-store"
    return response


# --- Scores download (aggregates only) ---------------------------------------------------


def _score(value: Decimal | None) -> Decimal | str:
    return "" if value is None else value


def scores_rows(scores: RoundScores) -> list[list]:
    """The instrument, each indicator, question and sub-item with its mean; the number
    of responses on every row (there is nothing per respondent to export)."""
    n = scores.responses
    rows: list[list] = [
        [_("Instrument"), scores.round.instrument_code, "", _score(scores.score), n]
    ]
    for indicator in scores.indicators:
        rows.append(
            [
                _("Indicator"),
                str(indicator.indicator.number),
                indicator.indicator.name_th,
                _score(indicator.score),
                n,
            ]
        )
        for question in indicator.questions:
            rows.append(
                [
                    _("Question"),
                    question.question.code,
                    question.question.text_th,
                    _score(question.score),
                    n,
                ]
            )
            if len(question.items) > 1 or question.items[0].item.code != question.question.code:
                for item in question.items:
                    rows.append(
                        [_("Sub-item"), item.item.code, item.item.text_th, _score(item.score), n]
                    )
    return rows


@login_required
def scores_download(
    request: HttpRequest, org: str, year: int, instrument: str, fmt: str
) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    access = organisation_access(request.user, org)
    survey_round = round_or_404(access.organisation, year, instrument)
    scores = round_scores(survey_round)
    if not scores.shown:
        messages.error(request, _("Results are shown once at least 5 people have answered."))
        return redirect(round_url(survey_round))
    headers = [_("Level"), _("Code"), _("Text"), _("Score"), _("Responses")]
    rows = scores_rows(scores)
    if fmt == "csv":
        content, content_type = csv_bytes(headers, rows), "text/csv; charset=utf-8"
    else:
        content = xlsx_bytes(headers, rows, title=f"{instrument} {year}")
        content_type = XLSX_CONTENT_TYPE
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="survey-{org}-{instrument}-{year}.{fmt}"'
    )
    return response
