"""Staff pages to import a round's answers collected on paper or in another form.

Two steps, like the edition import: upload and check (nothing stored: the dry
run), then confirm (stored, all or nothing). The checked rows travel to the
confirmation signed, so the file is read once and what is stored is exactly
what was previewed. Administrators and editors of the whole organisation; a
round of another organisation, or an unknown one, is a 404.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from assessments.access import OrganisationAccess, organisation_access
from assessments.models import EDITING_ROLES, SCALE_CHOICES, AnswerScale, SurveyRound
from ita_portal.once import once_claim, once_seen
from ita_portal.spreadsheets import XLSX_CONTENT_TYPE, check_import_size

from .bank import Bank
from .imports import import_template_xlsx, responses_check, responses_store
from .services import round_bank

SALT = "assessments.surveys.import"
# A checked file waits at most this long for its confirmation.
MAX_AGE_SECONDS = 60 * 60


class ResponsesUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Answers (.csv or .xlsx)"),
        help_text=gettext_lazy(
            "One row per respondent, one column per sub-item code. Nothing is stored until "
            "you have seen the check and confirmed."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Only .csv and .xlsx files can be imported."))
        check_import_size(upload.size or 0)
        return upload


def _round(request: HttpRequest, org: str, year: int, instrument: str, *, change: bool):
    """The round for a member (``change``: an administrator or editor of the whole
    organisation); 404 otherwise."""
    access: OrganisationAccess = organisation_access(
        request.user, org, roles=EDITING_ROLES if change else None
    )
    if change and access.is_unit_limited:
        raise Http404  # a round is the whole organisation's
    survey_round = (
        SurveyRound.objects.filter(
            organisation=access.organisation,
            fiscal_year=year,
            instrument_code=instrument.upper(),
        )
        .select_related("organisation__scheme")
        .first()
    )
    if survey_round is None:
        raise Http404
    return access, survey_round


def _import_url(survey_round: SurveyRound) -> str:
    return reverse(
        "surveys_staff:import",
        args=[
            survey_round.organisation.slug,
            survey_round.fiscal_year,
            survey_round.instrument_code,
        ],
    )


def _round_url(survey_round: SurveyRound) -> str:
    args = [survey_round.organisation.slug, survey_round.fiscal_year, survey_round.instrument_code]
    try:
        return reverse("surveys_staff:round", args=args)
    except NoReverseMatch:  # the round's page is another part's; the import page stands alone
        return _import_url(survey_round)


def _scales(bank: Bank) -> list[dict]:
    """The answer scales the bank uses, with their labels and numbers, for the page."""
    used = {q.scale for q in bank.questions}
    return [
        {"name": AnswerScale(scale).label, "choices": SCALE_CHOICES[scale]}
        for scale in AnswerScale.values
        if scale in used
    ]


@login_required
def import_view(request: HttpRequest, org: str, year: int, instrument: str) -> HttpResponse:
    access, survey_round = _round(request, org, year, instrument, change=True)
    bank = round_bank(survey_round)
    here = _import_url(survey_round)
    if request.method == "POST" and "payload" in request.POST:
        return _confirm(request, survey_round, bank, here)
    form = ResponsesUploadForm(request.POST or None, request.FILES or None)
    context = {
        "access": access,
        "organisation": survey_round.organisation,
        "round": survey_round,
        "bank": bank,
        "scales": _scales(bank),
        "reverse_items": [item.code for item in bank.items if item.reverse],
        "form": form,
        "round_url": _round_url(survey_round),
        "responses": survey_round.responses.count(),
    }
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            checked = responses_check(bank=bank, content=upload.read(), file_name=upload.name)
            context["checked"] = checked
            if checked.ok:
                status = 200
                codes = list(bank.items_by_code)
                context["payload"] = signing.dumps(
                    {
                        "round": survey_round.pk,
                        "codes": codes,
                        "rows": [[row[c] for c in codes] for row in checked.rows],
                    },
                    salt=SALT,
                    compress=True,
                )
                context["file_name"] = upload.name
                context["total_after"] = context["responses"] + len(checked.rows)
    return render(request, "assessments/surveys/staff_import.html", context, status=status)


def _confirm(
    request: HttpRequest, survey_round: SurveyRound, bank: Bank, here: str
) -> HttpResponse:
    done = _round_url(survey_round)
    if seen := once_seen(request, fallback=done):
        return seen
    try:
        signed = signing.loads(request.POST["payload"], salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        messages.error(request, _("The checked file has expired; upload it again."))
        return HttpResponseRedirect(here)
    codes = signed.get("codes", [])
    if signed.get("round") != survey_round.pk or codes != list(bank.items_by_code):
        # Another round's check, or the bank changed since: check the file again.
        messages.error(
            request, _("The questions changed since the file was checked; upload it again.")
        )
        return HttpResponseRedirect(here)
    rows = [dict(zip(codes, values, strict=True)) for values in signed["rows"]]
    with once_claim(request, fallback=done) as claim:
        if claim.repeated:
            return claim.redirect_repeated()
        stored = responses_store(
            survey_round=survey_round, rows=rows, today=timezone.localdate(), bank=bank
        )
        messages.success(
            request,
            _("%(count)s responses were imported into the round.") % {"count": stored},
        )
        return claim.redirect(done)


@login_required
@require_GET
def import_template(request: HttpRequest, org: str, year: int, instrument: str) -> HttpResponse:
    _access, survey_round = _round(request, org, year, instrument, change=False)
    content = import_template_xlsx(round_bank(survey_round))
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    name = f"{survey_round.instrument_code}-{survey_round.fiscal_year}-answers.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
