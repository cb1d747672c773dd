"""Organisations, their units and people; ITA framework editions; yearly results.

One module per subject; everything is importable from ``assessments.models``
as before (migrations name validators by this path).
"""

from .framework import (
    Edition,
    GradeBand,
    Indicator,
    Instrument,
    InstrumentCode,
    Item,
    ItemRole,
    SubIndicator,
)
from .organisations import (
    EDITING_ROLES,
    MAX_FISCAL_YEAR,
    MIN_FISCAL_YEAR,
    RESERVED_SLUGS,
    SCORE_VALIDATORS,
    Membership,
    MembershipChange,
    OneTimePassword,
    Organisation,
    OrganisationKind,
    OrganisationQuerySet,
    Role,
    Unit,
    UnitQuerySet,
    validate_slug_not_reserved,
)
from .results import Assessment, AssessmentQuerySet, IndicatorScore, ItemResult

__all__ = [
    "EDITING_ROLES",
    "MAX_FISCAL_YEAR",
    "MIN_FISCAL_YEAR",
    "RESERVED_SLUGS",
    "SCORE_VALIDATORS",
    "Assessment",
    "AssessmentQuerySet",
    "Edition",
    "GradeBand",
    "Indicator",
    "IndicatorScore",
    "Instrument",
    "InstrumentCode",
    "Item",
    "ItemResult",
    "ItemRole",
    "Membership",
    "MembershipChange",
    "OneTimePassword",
    "Organisation",
    "OrganisationKind",
    "OrganisationQuerySet",
    "Role",
    "SubIndicator",
    "Unit",
    "UnitQuerySet",
    "validate_slug_not_reserved",
]
