"""What every staff page for measures shares: fetching within the user's organisation."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from assessments.access import OrganisationAccess
from assessments.models import MAX_FISCAL_YEAR, MIN_FISCAL_YEAR, Organisation, Role, Unit

from ..models import Announcement, Evidence, FollowUp, Measure

ADMINISTRATORS = frozenset({Role.ADMINISTRATOR})


def not_saved(request: HttpRequest) -> None:
    messages.error(request, _("Nothing was saved. Please correct the fields marked below."))


# --- Fetching, always within the user's organisation -------------------------


def fiscal_year_or_404(year: int) -> int:
    # The database refuses other years; an address with one is simply not a page.
    if not MIN_FISCAL_YEAR <= year <= MAX_FISCAL_YEAR:
        raise Http404
    return year


def require_edit(access: OrganisationAccess) -> None:
    if not access.can_edit:
        raise Http404


def require_whole_organisation(access: OrganisationAccess) -> None:
    """Year-wide actions (planning, copying a year) are not for a member limited to units."""
    require_edit(access)
    if access.is_unit_limited:
        raise Http404


def can_change_measure(access: OrganisationAccess, measure: Measure) -> bool:
    """Editors may change a measure; a member limited to units only those of their units."""
    if not access.can_edit:
        return False
    if not access.is_unit_limited:
        return True
    return access.can_edit_units(measure.responsible_units.values_list("pk", flat=True))


def require_change_measure(access: OrganisationAccess, measure: Measure) -> None:
    # Another unit's measure is read-only: its POSTs are a 404, like a viewer's.
    if not can_change_measure(access, measure):
        raise Http404


def measure_or_404(access: OrganisationAccess, pk: int) -> Measure:
    return get_object_or_404(
        Measure.objects.select_related("organisation"), organisation=access.organisation, pk=pk
    )


def follow_up_or_404(access: OrganisationAccess, pk: int) -> FollowUp:
    return get_object_or_404(
        FollowUp.objects.select_related("measure"),
        measure__organisation=access.organisation,
        pk=pk,
    )


def evidence_or_404(access: OrganisationAccess, pk: int) -> Evidence:
    return get_object_or_404(
        Evidence.objects.select_related("follow_up"),
        follow_up__measure__organisation=access.organisation,
        pk=pk,
    )


def announcement_or_404(access: OrganisationAccess, pk: int) -> Announcement:
    return get_object_or_404(
        Announcement.objects.select_related("organisation"),
        organisation=access.organisation,
        pk=pk,
    )


def user_units(user, organisation: Organisation) -> list[Unit]:
    """The units a member is limited to: their measures are listed first."""
    return list(Unit.objects.filter(organisation=organisation, membership__user=user))


def context(access: OrganisationAccess, **extra: object) -> dict:
    return {"access": access, "organisation": access.organisation, **extra}
