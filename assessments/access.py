"""Fetching an organisation for the current user; 404 when it is not theirs."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from .models import EDITING_ROLES, Membership, Organisation, Role


@dataclass(frozen=True)
class OrganisationAccess:
    organisation: Organisation
    role: Role

    @property
    def can_edit(self) -> bool:
        return self.role in EDITING_ROLES

    @property
    def is_administrator(self) -> bool:
        return self.role == Role.ADMINISTRATOR


def organisation_access(
    user, slug: str, *, roles: frozenset[str] | None = None
) -> OrganisationAccess:
    """The user's access to the organisation ``slug``; 404 when not a member or the role does not fit.

    A superuser counts as the administrator of every organisation. Another
    organisation's page is a 404, not a 403, so its existence is not revealed.
    """
    if user.is_superuser:
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            raise Http404
        access = OrganisationAccess(organisation=organisation, role=Role.ADMINISTRATOR)
    else:
        membership = (
            Membership.objects.select_related("organisation")
            .filter(user=user, organisation__slug=slug)
            .first()
            if user.is_authenticated
            else None
        )
        if membership is None:
            raise Http404
        access = OrganisationAccess(
            organisation=membership.organisation, role=Role(membership.role)
        )
    if roles is not None and access.role not in roles:
        raise Http404
    return access


def user_organisations(user) -> list[OrganisationAccess]:
    if user.is_superuser:
        return [OrganisationAccess(o, Role.ADMINISTRATOR) for o in Organisation.objects.all()]
    memberships = Membership.objects.filter(user=user).select_related("organisation")
    return [OrganisationAccess(m.organisation, Role(m.role)) for m in memberships]


def organisation_member(user, organisation: Organisation) -> OrganisationAccess | None:
    """The user's access to ``organisation``, or None for the public and other organisations' staff."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return OrganisationAccess(organisation=organisation, role=Role.ADMINISTRATOR)
    membership = Membership.objects.filter(user=user, organisation=organisation).first()
    if membership is None:
        return None
    return OrganisationAccess(organisation=organisation, role=Role(membership.role))
