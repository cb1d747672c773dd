"""Staff pages of one-time codes (counts, more codes, printable slips, e-mailed links)
and an ESA's rounds for its schools.

Codes pages exist only for rounds that use codes. They show counts, never which
code was used or when. E-mail addresses typed into the form are used to send and
forgotten (see ``rounds.codes_email_send``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.access import organisation_access
from assessments.framework import edition_for
from assessments.models import SurveyRound
from assessments.staff_views.common import admin_access
from ita_portal.once import once_claim, once_seen

from .poster import slips_context
from .rounds import codes_email_send, rounds_create_for_children
from .selectors import (
    children_rounds,
    code_address,
    code_counts,
    fiscal_year_or_404,
    instrument_of,
    round_address,
    round_or_404,
    survey_instruments,
    unused_codes,
)
from .services import SurveyError, codes_generate
from .staff_forms import ChildrenRoundsForm, CodesEmailForm, CodesGenerateForm
from .staff_views import can_change, require_change, round_url


def _codes_round(request: HttpRequest, org: str, year: int, instrument: str):
    access = organisation_access(request.user, org)
    survey_round = round_or_404(access.organisation, year, instrument)
    if not survey_round.uses_codes:
        raise Http404
    return access, survey_round


def _codes_page(request, access, survey_round, *, generate_form, email_form, status=200):
    return render(
        request,
        "assessments/surveys/staff_codes.html",
        {
            "access": access,
            "organisation": access.organisation,
            "can_change": can_change(access),
            "round": survey_round,
            "counts": code_counts(survey_round),
            "generate_form": generate_form,
            "email_form": email_form,
        },
        status=status,
    )


@login_required
def codes(request: HttpRequest, org: str, year: int, instrument: str) -> HttpResponse:
    access, survey_round = _codes_round(request, org, year, instrument)
    here = round_url(survey_round, "codes")
    form = CodesGenerateForm()
    if request.method == "POST":
        require_change(access)
        if seen := once_seen(request, fallback=here):
            return seen
        form = CodesGenerateForm(request.POST)
        if form.is_valid():
            with once_claim(request, fallback=here) as claim:
                if claim.repeated:
                    return claim.redirect_repeated()
                made = codes_generate(survey_round=survey_round, count=form.cleaned_data["count"])
                messages.success(
                    request,
                    ngettext(
                        "%(count)s new code was made.",
                        "%(count)s new codes were made.",
                        len(made),
                    )
                    % {"count": len(made)},
                )
                return claim.redirect(here)
        return _codes_page(
            request,
            access,
            survey_round,
            generate_form=form,
            email_form=CodesEmailForm(),
            status=400,
        )
    return _codes_page(
        request, access, survey_round, generate_form=form, email_form=CodesEmailForm()
    )


@login_required
def codes_slips(request: HttpRequest, org: str, year: int, instrument: str) -> HttpResponse:
    """The unused codes as a page of slips the browser prints (or saves as PDF): the
    codes are secrets, so the server keeps no file of them."""
    _access, survey_round = _codes_round(request, org, year, instrument)
    codes_left = unused_codes(survey_round)
    if not codes_left:
        messages.error(request, _("There are no unused codes to print. Make some first."))
        return redirect(round_url(survey_round, "codes"))
    context = slips_context(survey_round, instrument_of(survey_round), codes_left)
    context.update(count=len(codes_left), back_url=round_url(survey_round, "codes"))
    # Respondents read Thai, whatever the staff member's interface language.
    with translation.override("th"):
        return render(request, "assessments/surveys/slips.html", context)


def _message_for(survey_round: SurveyRound, survey_name: str):
    def message(code: str) -> tuple[str, str]:
        # Respondents read Thai, whatever the sending staff member's language.
        with translation.override("th"):
            subject = _("%(survey)s – %(organisation)s") % {
                "survey": survey_name,
                "organisation": survey_round.organisation.name_th,
            }
            body = render_to_string(
                "assessments/surveys/codes_email.txt",
                {
                    "round": survey_round,
                    "organisation": survey_round.organisation,
                    "survey_name": survey_name,
                    "link": code_address(survey_round, code),
                    "address": round_address(survey_round),
                    "code": code,
                },
            )
        return subject, body

    return message


@login_required
def codes_email(request: HttpRequest, org: str, year: int, instrument: str) -> HttpResponse:
    access, survey_round = _codes_round(request, org, year, instrument)
    require_change(access)
    here = round_url(survey_round, "codes")
    if request.method != "POST":
        return redirect(here)
    if seen := once_seen(request, fallback=here):
        return seen
    form = CodesEmailForm(request.POST)
    if not form.is_valid():
        return _codes_page(
            request,
            access,
            survey_round,
            generate_form=CodesGenerateForm(),
            email_form=form,
            status=400,
        )
    with once_claim(request, fallback=here) as claim:
        if claim.repeated:
            return claim.redirect_repeated()
        instrument_row = instrument_of(survey_round)
        survey_name = instrument_row.name_th if instrument_row else survey_round.instrument_code
        try:
            outcome = codes_email_send(
                survey_round=survey_round,
                addresses=form.cleaned_data["addresses"],
                message_for=_message_for(survey_round, survey_name),
            )
        except SurveyError as error:
            form.add_error("addresses", str(error))
            return _codes_page(
                request,
                access,
                survey_round,
                generate_form=CodesGenerateForm(),
                email_form=form,
                status=400,
            )
        # Sent is sent: a resent form must not mail the same people again.
        response = claim.redirect(here)
        if outcome.sent:
            messages.success(
                request,
                ngettext(
                    "%(count)s link was e-mailed.", "%(count)s links were e-mailed.", outcome.sent
                )
                % {"count": outcome.sent},
            )
        if not outcome.failed:
            return response
        messages.error(
            request,
            ngettext(
                "The mail server did not accept %(count)s message. No code was kept for it: "
                "the address is back in the box below, try again later.",
                "The mail server did not accept %(count)s messages. No code was kept for them: "
                "the addresses are back in the box below, try again later.",
                len(outcome.failed),
            )
            % {"count": len(outcome.failed)},
        )
        return _codes_page(
            request,
            access,
            survey_round,
            generate_form=CodesGenerateForm(),
            email_form=CodesEmailForm(initial={"addresses": "\n".join(outcome.failed)}),
        )


# --- An ESA's schools -------------------------------------------------------------------


@login_required
def schools(request: HttpRequest, org: str, year: int) -> HttpResponse:
    access = admin_access(request.user, org)
    parent = access.organisation
    year = fiscal_year_or_404(year)
    instruments = survey_instruments(edition_for(parent, year))
    here = reverse("surveys_staff:schools", args=[org, year])
    form = ChildrenRoundsForm(instruments=instruments)
    status = 200
    if request.method == "POST":
        if seen := once_seen(request, fallback=here):
            return seen
        form = ChildrenRoundsForm(request.POST, instruments=instruments, fiscal_year=year)
        if form.is_valid():
            with once_claim(request, fallback=here) as claim:
                if claim.repeated:
                    return claim.redirect_repeated()
                data = form.cleaned_data
                try:
                    result = rounds_create_for_children(
                        parent=parent,
                        fiscal_year=year,
                        instrument_codes=data["instruments"],
                        opens_on=data["opens_on"],
                        closes_on=data["closes_on"],
                        uses_codes=data["uses_codes"],
                    )
                except SurveyError as error:
                    form.add_error(None, str(error))
                else:
                    messages.success(
                        request,
                        _("%(created)s rounds were opened; %(existing)s were already there.")
                        % {"created": len(result.created), "existing": len(result.existing)},
                    )
                    if result.no_questions:
                        messages.warning(
                            request,
                            _("No questions in the framework of %(count)s schools' year: %(names)s")
                            % {
                                "count": len(result.no_questions),
                                "names": ", ".join(
                                    f"{o.name_th} ({code})" for o, code in result.no_questions[:20]
                                ),
                            },
                        )
                    return claim.redirect(here)
        messages.error(request, _("Nothing was saved. Please correct the fields marked below."))
        status = 400
    return render(
        request,
        "assessments/surveys/staff_schools.html",
        {
            "access": access,
            "organisation": parent,
            "year": year,
            "children": children_rounds(parent, year),
            "instruments": instruments,
            "form": form,
        },
        status=status,
    )
