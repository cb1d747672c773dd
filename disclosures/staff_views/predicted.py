"""The predicted (self-assessed) total and level of a year, and recording it.

Every member of the organisation may read it; editors and administrators of the
whole organisation record it as the year's self-assessed result. Another
organisation's page is a 404, as everywhere in the staff workspace.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from assessments.access import organisation_access
from assessments.models import EDITING_ROLES, Assessment, AssessmentKind
from assessments.surveys.services import SurveyError
from ita_portal.once import once_claim, once_seen
from measures.staff_views.common import fiscal_year_or_404, require_whole_organisation

from ..predicted import CLOSE_MARGIN, predicted_record, predicted_year


def round_url(org: str, year: int, instrument_code: str) -> str:
    """The staff page of a survey round: by its URL name when the survey pages are
    installed, else at the address they use."""
    try:
        return reverse("surveys_staff:round", args=[org, year, instrument_code])
    except NoReverseMatch:
        return f"/staff/{org}/surveys/{year}/{instrument_code}/"


@login_required
@require_safe
def predicted(request: HttpRequest, org: str, year: int) -> HttpResponse:
    access = organisation_access(request.user, org)
    year = fiscal_year_or_404(year)
    prediction = predicted_year(organisation=access.organisation, fiscal_year=year)
    recorded = (
        Assessment.all_kinds.filter(
            organisation=access.organisation, fiscal_year=year, kind=AssessmentKind.SELF
        )
        .only("updated_at")
        .first()
    )
    rows = [
        {
            "line": line,
            "round_url": round_url(org, year, line.instrument.code)
            if line.survey is not None and line.survey.bank
            else "",
        }
        for line in prediction.lines
    ]
    return render(
        request,
        "disclosures/predicted.html",
        {
            "access": access,
            "organisation": access.organisation,
            "year": year,
            "prediction": prediction,
            "result": prediction.result,
            "rows": rows,
            "recorded": recorded,
            "can_record": access.can_edit and not access.is_unit_limited,
            "close_margin": CLOSE_MARGIN,
        },
    )


@login_required
@require_POST
def predicted_save(request: HttpRequest, org: str, year: int) -> HttpResponse:
    access = organisation_access(request.user, org, roles=EDITING_ROLES)
    # The year's whole result at once: not for a member limited to some units.
    require_whole_organisation(access)
    year = fiscal_year_or_404(year)
    url = reverse("disclosures_staff:predicted", args=[org, year])
    if seen := once_seen(request, fallback=url):
        return seen
    with once_claim(request, fallback=url) as claim:
        if claim.repeated:
            return claim.redirect_repeated()
        try:
            predicted_record(organisation=access.organisation, fiscal_year=year)
        except SurveyError as error:
            messages.error(request, str(error))
            return redirect(url)
        messages.success(
            request,
            _(
                "The prediction was recorded as the self-assessed result of %(year)s. "
                "It is never shown to the public."
            )
            % {"year": year},
        )
        return claim.redirect(url)
