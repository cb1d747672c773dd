"""Organisations, their units and people; ITA framework editions; yearly results.

One module per subject; everything is importable from ``assessments.models``
as before (migrations name validators by this path).
"""

from .framework import (
    NACC_SCHEME,
    Edition,
    Indicator,
    IndicatorLevelStyle,
    Instrument,
    Item,
    ItemPeriod,
    ItemRole,
    ResultLevel,
    Scheme,
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
from .results import (
    Assessment,
    AssessmentQuerySet,
    IndicatorScore,
    InstrumentScore,
    ItemResult,
)

__all__ = [
    "EDITING_ROLES",
    "MAX_FISCAL_YEAR",
    "MIN_FISCAL_YEAR",
    "NACC_SCHEME",
    "RESERVED_SLUGS",
    "SCORE_VALIDATORS",
    "Assessment",
    "AssessmentQuerySet",
    "Edition",
    "Indicator",
    "IndicatorLevelStyle",
    "IndicatorScore",
    "Instrument",
    "InstrumentScore",
    "Item",
    "ItemPeriod",
    "ItemResult",
    "ItemRole",
    "Membership",
    "MembershipChange",
    "OneTimePassword",
    "Organisation",
    "OrganisationKind",
    "OrganisationQuerySet",
    "ResultLevel",
    "Role",
    "Scheme",
    "SubIndicator",
    "Unit",
    "UnitQuerySet",
    "validate_slug_not_reserved",
]
