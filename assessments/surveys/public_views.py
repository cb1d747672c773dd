"""The respondent's pages: a round's form at its short permanent address, and thanks.

Nobody logs in, and nothing about the respondent is kept: not the user (even a
logged-in staff member), not the address (it only feeds rate-limit counters in
the cache), not the browser, not the time (the service stores the day). Answers
are never logged. A round with one-time codes uses the code up, without
linking it to the answers; an open round (EIT, or IIT without codes) is
protected like the complaint form: a robot trap, generous per-address limits
(many respondents share one mobile or office address) and a signed cookie
that tells a browser it has already answered.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import caches
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from assessments.models import (
    MIN_RESPONSES_SHOWN,
    Instrument,
    OneTimeCode,
    Organisation,
    SurveyRound,
)
from assessments.public_cache import (
    CSRF_HOLE,
    ONCE_HOLE,
    fetch_one,
    serve,
    sessionless,
    stored_only,
    wants_holes,
)
from ita_portal.once import once_claim, once_seen
from ita_portal.ratelimits import count, wait_minutes

from .bank import Bank
from .forms import SurveyForm
from .services import SurveyError, normalise_code, response_submit, round_bank

# Rate-limit counters per client address (ita_portal/ratelimits.py).
SUBMIT_GROUP = "surveys.submit"
SUBMIT_DAY_GROUP = "surveys.submit-day"
CODE_GROUP = "surveys.code"
# A signed cookie per open round: its value says nothing but "answered".
COOKIE_PREFIX = "survey_answered_"
COOKIE_SALT = "assessments.surveys.answered"
COOKIE_VALUE = "1"
COOKIE_MAX_AGE = 400 * 24 * 3600  # a round lasts at most a fiscal year


def _round(round_code: str) -> SurveyRound:
    # Lower case: a code typed from a poster may come in capitals.
    return get_object_or_404(
        SurveyRound.objects.select_related("organisation", "organisation__parent"),
        code=round_code.lower(),
    )


def _submit_rates() -> list[tuple[str, str]]:
    return [
        (SUBMIT_GROUP, settings.SURVEY_SUBMIT_RATE),
        (SUBMIT_DAY_GROUP, settings.SURVEY_SUBMIT_DAY_RATE),
    ]


def _submit_wait(request: HttpRequest) -> int | None:
    waits = [wait_minutes(request, group=g, rate=r) for g, r in _submit_rates()]
    return max((w for w in waits if w is not None), default=None)


def _submit_count(request: HttpRequest) -> None:
    for group, rate in _submit_rates():
        count(request, group=group, rate=rate)


def _cookie_name(round_code: str) -> str:
    return f"{COOKIE_PREFIX}{round_code}"


def _answered_here(request: HttpRequest, survey_round: SurveyRound) -> bool:
    """This browser already answered the open round (a code round relies on its codes:
    colleagues may answer one after another on a shared office computer)."""
    return _answered(request, survey_round.code, uses_codes=survey_round.uses_codes)


def _answered(request: HttpRequest, round_code: str, *, uses_codes: bool) -> bool:
    name = _cookie_name(round_code)
    if uses_codes or name not in request.COOKIES:
        return False
    value = request.get_signed_cookie(name, default=None, salt=COOKIE_SALT, max_age=COOKIE_MAX_AGE)
    return value == COOKIE_VALUE


# A round's row as the open link needs it, remembered in this process's memory with
# its organisation's version: while that version holds, so does the row (every change
# to a round moves it), and checking it is a lookup by key instead of the join.
_OPEN_LINK_PREFIX = "open-link:1:"


def _open_link_row(round_code: str) -> tuple | None:
    code = round_code.lower()
    memory = caches["public-pages"]
    known = memory.get(_OPEN_LINK_PREFIX + code)
    if known is not None:
        current = fetch_one(
            f"SELECT content_version FROM {Organisation._meta.db_table} WHERE id = %s",  # noqa: S608
            [known[5]],
        )
        if current is not None and current[0] == known[6]:
            return known
    row = fetch_one(
        f"""SELECT r.id, r.code, r.opens_on, r.closes_on, r.uses_codes, o.id, o.content_version
            FROM {SurveyRound._meta.db_table} r
            JOIN {Organisation._meta.db_table} o ON o.id = r.organisation_id
            WHERE r.code = %s""",  # noqa: S608 (table names from the models)
        [code],
    )
    if row is not None:
        memory.set(_OPEN_LINK_PREFIX + code, tuple(row), settings.PUBLIC_PAGE_SECONDS)
    return row


def _open_link_version(request: HttpRequest, round_code: str) -> str | None:
    """The cache version of the open link's page (as printed on the poster: one page for
    every respondent), in one query by key (the page a whole office opens at once).
    None: the full path answers (an unknown round, closed, already answered here)."""
    row = _open_link_row(round_code)
    if row is None:
        return None
    pk, code, opens_on, closes_on, uses_codes, organisation_pk, content_version = row
    # SQLite gives dates as ISO text, PostgreSQL as dates: compared as ISO text.
    today = timezone.localdate().isoformat()
    if not str(opens_on) <= today <= str(closes_on):
        return None
    if _answered(request, code, uses_codes=bool(uses_codes)):
        return None
    return f"{organisation_pk}.{content_version}.{pk}"


def _open_link_fast_path(
    request: HttpRequest, round_code: str, code: str = ""
) -> HttpResponse | None:
    """The stored open-link page, before most middleware (public_cache)."""
    if code or not sessionless(request):
        return None
    version = _open_link_version(request, round_code)
    request._open_link_version = version  # a miss: the view does not read it again
    return stored_only(request, version)


def _mark_answered(response: HttpResponse, survey_round: SurveyRound) -> None:
    response.set_signed_cookie(
        _cookie_name(survey_round.code),
        COOKIE_VALUE,
        salt=COOKIE_SALT,
        max_age=COOKIE_MAX_AGE,
        path=reverse("surveys:form", args=[survey_round.code]),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def _instrument(survey_round: SurveyRound, bank: Bank) -> Instrument | None:
    if not bank:
        return None
    return Instrument.objects.filter(indicators=bank.indicators[0].indicator).first()


def _closed_page(request: HttpRequest, survey_round: SurveyRound, today) -> HttpResponse:
    # 200, not 410: the address stays the round's for good (it is on posters) and
    # the office may move the closing date; the page explains, in Thai, when.
    context = {
        "survey_round": survey_round,
        "organisation": survey_round.organisation,
        "not_yet": today < survey_round.opens_on,
    }
    return render(request, "assessments/surveys/closed.html", context)


def _form_page(
    request: HttpRequest,
    survey_round: SurveyRound,
    form: SurveyForm,
    *,
    wait: int | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "survey_round": survey_round,
        "organisation": survey_round.organisation,
        "instrument": _instrument(survey_round, form.bank),
        "form": form,
        "wait_minutes": wait,
        "min_shown": MIN_RESPONSES_SHOWN,
    }
    if wants_holes(request):
        # Kept in the public cache: each visitor gets their own tokens (public_cache.serve).
        context.update(csrf_token=CSRF_HOLE, once_token=ONCE_HOLE)
    return render(request, "assessments/surveys/form.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def survey_form(request: HttpRequest, round_code: str, code: str = "") -> HttpResponse:
    if request.method == "GET" and not code and sessionless(request):
        version = getattr(request, "_open_link_version", "")
        if version == "":
            version = _open_link_version(request, round_code)
        if version is not None:
            return serve(request, version, lambda: _blank_form(request, _round(round_code)))
    survey_round = _round(round_code)
    today = timezone.localdate()
    if not survey_round.is_open(today):
        return _closed_page(request, survey_round, today)
    if _answered_here(request, survey_round):
        return render(
            request,
            "assessments/surveys/thanks.html",
            {
                "survey_round": survey_round,
                "organisation": survey_round.organisation,
                "already": True,
            },
        )
    bank = round_bank(survey_round)
    if not bank:
        # The year's edition lost its questions (replaced by one without a bank):
        # there is nothing to answer, and an empty response must not be stored.
        raise Http404("no question bank")
    if request.method == "POST":
        return _submit(request, survey_round, bank, today)
    initial = {}
    if code and survey_round.uses_codes:
        initial["code"] = normalise_code(code)
    form = SurveyForm(initial=initial, bank=bank, survey_round=survey_round)
    if initial.get("code"):
        # Said before the answers are given, not after; a failed code counts
        # like a failed submission, so the link cannot be used to try codes.
        form.code_warning = not _code_usable(request, survey_round, initial["code"])
    return _form_page(request, survey_round, form)


def _blank_form(request: HttpRequest, survey_round: SurveyRound) -> HttpResponse:
    bank = round_bank(survey_round)
    if not bank:
        raise Http404("no question bank")
    return _form_page(request, survey_round, SurveyForm(bank=bank, survey_round=survey_round))


survey_form.public_fast_path = _open_link_fast_path


def _code_usable(request: HttpRequest, survey_round: SurveyRound, code: str) -> bool:
    rate = settings.SURVEY_CODE_RATE
    if wait_minutes(request, group=CODE_GROUP, rate=rate) is not None:
        return True  # not checked now: the submission will be refused anyway
    usable = OneTimeCode.objects.filter(round=survey_round, code=code, used=False).exists()
    if not usable:
        count(request, group=CODE_GROUP, rate=rate)
    return usable


def _submit(request: HttpRequest, survey_round: SurveyRound, bank: Bank, today) -> HttpResponse:
    thanks_url = reverse("surveys:thanks", args=[survey_round.code])
    if seen := once_seen(request, fallback=thanks_url):
        return seen
    form = SurveyForm(request.POST, bank=bank, survey_round=survey_round)
    if survey_round.uses_codes:
        # The code is the limit; only failed codes are counted, against guessing.
        wait = wait_minutes(request, group=CODE_GROUP, rate=settings.SURVEY_CODE_RATE)
    else:
        wait = _submit_wait(request)
    if wait is not None:
        form.is_valid()  # the answers stay on the page; nothing is stored
        return _form_page(request, survey_round, form, wait=wait, status=429)
    if form.caught_in_honeypot:
        # Answer as if it worked: a robot learns nothing, and nothing is saved.
        _submit_count(request)
        return redirect(thanks_url)
    if form.is_valid():
        with once_claim(request, fallback=thanks_url) as claim:
            if claim.repeated:
                return claim.redirect_repeated()
            try:
                response_submit(
                    survey_round=survey_round,
                    values=form.values(),
                    today=today,
                    code=form.cleaned_data.get("code", ""),
                    bank=bank,
                )
            except SurveyError as error:
                # Form checks passed, so this is a code used a moment ago, or the
                # round closed meanwhile.
                form.add_error("code" if survey_round.uses_codes else None, str(error))
            else:
                response = claim.redirect(thanks_url)
                if survey_round.uses_codes:
                    return response
                _submit_count(request)
                _mark_answered(response, survey_round)
                return response
    if survey_round.uses_codes and "code" in form.errors:
        count(request, group=CODE_GROUP, rate=settings.SURVEY_CODE_RATE)
    return _form_page(request, survey_round, form, status=400)


@never_cache
@require_GET
def survey_thanks(request: HttpRequest, round_code: str) -> HttpResponse:
    survey_round = _round(round_code)
    context = {
        "survey_round": survey_round,
        "organisation": survey_round.organisation,
        "already": False,
    }
    return render(request, "assessments/surveys/thanks.html", context)
