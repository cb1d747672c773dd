"""What every page of the officers' workspace shares: access and fetching a case."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from assessments.access import OrganisationAccess, organisation_access
from assessments.models import Membership, Role

from ..models import IDENTITY_FIELDS, Complaint

OFFICERS = frozenset({Role.COMPLAINT_OFFICER})


def officer_access(user, org: str) -> OrganisationAccess:
    """The user's access as a complaint officer of ``org``; 404 for everyone else.

    Administrators, editors and viewers of the organisation get a 404 like a
    stranger, and so do superusers unless they also hold a complaint-officer
    membership of it: a complaint is read only by the officers who handle it.
    (``organisation_access`` counts every superuser as an administrator, so a
    superuser's membership is looked up here.)
    """
    if user.is_authenticated and user.is_superuser:
        membership = (
            Membership.objects.select_related("organisation")
            .filter(user=user, organisation__slug=org, role=Role.COMPLAINT_OFFICER)
            .first()
        )
        if membership is None:
            raise Http404
        return OrganisationAccess(organisation=membership.organisation, role=Role.COMPLAINT_OFFICER)
    return organisation_access(user, org, roles=OFFICERS)


def complaint_or_404(
    access: OrganisationAccess, pk: int, *, for_update: bool = False, identity: bool = False
) -> Complaint:
    """The organisation's complaint ``pk``; its identity fields are loaded only when asked for."""
    queryset = Complaint.objects.select_related("assigned_to", "created_by")
    if for_update:
        queryset = Complaint.objects.select_for_update(of=("self",))
    elif not identity:
        queryset = queryset.defer(*IDENTITY_FIELDS)
    return get_object_or_404(queryset, organisation=access.organisation, pk=pk)


def not_saved(request: HttpRequest) -> None:
    messages.error(request, _("Nothing was saved. Please correct the fields marked below."))


def context(access: OrganisationAccess, **extra: object) -> dict:
    return {"access": access, "organisation": access.organisation, **extra}
