"""Who reviews an organisation's OIT self-assessment.

An assessor is a member with the assessor role of the organisation's PARENT
(the education service area office reviewing its schools: its verdicts are the
school's official result) or of the organisation itself (an internal
committee: its verdicts sit beside the official result). Superusers may review
any organisation, acting for the parent when there is one. Everybody else gets
a 404, so an organisation's existence is not revealed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from assessments.models import Membership, Organisation, Role


@dataclass(frozen=True)
class ReviewerAccess:
    organisation: Organisation
    # True when the reviewer acts for the parent organisation: confirmed verdicts
    # then become the organisation's official OIT item results.
    for_parent: bool


def reviewer_access_or_none(user, organisation: Organisation) -> ReviewerAccess | None:
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return ReviewerAccess(organisation, for_parent=organisation.parent_id is not None)
    where = [organisation.pk] + ([organisation.parent_id] if organisation.parent_id else [])
    found = set(
        Membership.objects.filter(
            user=user, role=Role.ASSESSOR, organisation_id__in=where
        ).values_list("organisation_id", flat=True)
    )
    if organisation.parent_id and organisation.parent_id in found:
        return ReviewerAccess(organisation, for_parent=True)
    if organisation.pk in found:
        return ReviewerAccess(organisation, for_parent=False)
    return None


def reviewer_access(user, slug: str) -> ReviewerAccess:
    """The user's right to review the organisation ``slug``; a 404 when they have none."""
    organisation = Organisation.objects.filter(slug=slug).first()
    access = reviewer_access_or_none(user, organisation) if organisation else None
    if access is None:
        raise Http404
    return access


def reviewable_organisations(user) -> QuerySet[Organisation]:
    """Every organisation the user may review (for the "reviews waiting" list)."""
    if user.is_superuser:
        return Organisation.objects.all()
    mine = Membership.objects.filter(user=user, role=Role.ASSESSOR).values("organisation_id")
    return Organisation.objects.filter(Q(pk__in=mine) | Q(parent_id__in=mine))
