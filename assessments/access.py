"""Fetching an organisation for the current user; 404 when it is not theirs."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from .models import EDITING_ROLES, Membership, Organisation, Role


@dataclass(frozen=True)
class OrganisationAccess:
    organisation: Organisation
    role: Role
    # The units a member is limited to; None means the whole organisation.
    unit_ids: frozenset[int] | None = None

    @property
    def can_edit(self) -> bool:
        return self.role in EDITING_ROLES

    @property
    def is_administrator(self) -> bool:
        return self.role == Role.ADMINISTRATOR

    @property
    def is_unit_limited(self) -> bool:
        return self.unit_ids is not None

    def can_edit_units(self, unit_ids) -> bool:
        """May this member change a record that belongs to ``unit_ids``?

        A member limited to units may change only records of at least one of
        their units; a record with no unit belongs to the whole organisation
        and is theirs only when they are not limited.
        """
        if not self.can_edit:
            return False
        if self.unit_ids is None:
            return True
        return bool(self.unit_ids & set(unit_ids))


def _limited_units(membership: Membership) -> frozenset[int] | None:
    ids = frozenset(membership.units.values_list("pk", flat=True))
    return ids or None


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
            organisation=membership.organisation,
            role=Role(membership.role),
            unit_ids=_limited_units(membership),
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
    return OrganisationAccess(
        organisation=organisation, role=Role(membership.role), unit_ids=_limited_units(membership)
    )
