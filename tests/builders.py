"""Small builders for test data (no fixtures files)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth import get_user_model

from assessments.models import Assessment, Membership, Organisation, OrganisationKind, Role
from assessments.services import assessment_get_or_create, assessment_update

# Reference 003's indicator scores (FY 2564).
REFERENCE_003 = [
    "99.13",
    "90.34",
    "95.28",
    "95.00",
    "93.17",
    "97.93",
    "97.65",
    "96.33",
    "75.92",
    "93.75",
]
PASSWORD = "a-long-test-password"


def make_org(slug: str, **fields) -> Organisation:
    fields.setdefault("name_th", f"หน่วยงาน {slug}")
    fields.setdefault("kind", OrganisationKind.SECONDARY_ESA)
    return Organisation.objects.create(slug=slug, **fields)


def make_user(username: str, org: Organisation | None = None, role: Role = Role.EDITOR, **fields):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, **fields)
    if org is not None:
        Membership.objects.create(user=user, organisation=org, role=role)
    return user


def make_assessment(
    org: Organisation,
    year: int,
    scores: list[str | None] | None = None,
    *,
    official_total: str | None = None,
    rank: int | None = None,
    ranked_out_of: int | None = None,
) -> Assessment:
    assessment = assessment_get_or_create(organisation=org, fiscal_year=year)
    values = {
        number: (Decimal(value) if value is not None else None)
        for number, value in enumerate(scores or [], start=1)
    }
    return assessment_update(
        assessment=assessment,
        scores=values,
        official_total=Decimal(official_total) if official_total else None,
        rank=rank,
        ranked_out_of=ranked_out_of,
        notes="",
    )
