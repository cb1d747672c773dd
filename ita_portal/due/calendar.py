"""The dates of a fiscal year's work and the kinds of a due line."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from assessments.access import OrganisationAccess
from assessments.models import Organisation

from ..thai import ce_year

# Lines due within this many days are "due soon"; later ones "later this year".
SOON_DAYS = 30
# Item codes listed by name in a summary line before "…".
CODES_SHOWN = 8


class DueState:
    OVERDUE = "overdue"
    SOON = "soon"
    LATER = "later"


@dataclass(frozen=True)
class DueLine:
    kind: str  # oit, self_assessment, follow_up, survey, document, complaints
    text: str
    due: dt.date | None
    state: str
    url: str

    @property
    def overdue(self) -> bool:
        return self.state == DueState.OVERDUE


@dataclass
class OrganisationDue:
    access: OrganisationAccess
    lines: list[DueLine] = field(default_factory=list)

    @property
    def organisation(self) -> Organisation:
        return self.access.organisation

    @property
    def overdue_count(self) -> int:
        return sum(1 for line in self.lines if line.overdue)


@dataclass(frozen=True)
class Calendar:
    """The dates of one fiscal year's work (BE ``fiscal_year``), as Common Era dates."""

    fiscal_year: int

    def _on(self, month: int, day: int) -> dt.date:
        # October–December belong to the CE year before the fiscal year ends.
        year = ce_year(self.fiscal_year) - (1 if month >= 10 else 0)
        return dt.date(year, month, day)

    @property
    def plan_documents(self) -> dt.date:  # announcement and plan: the first quarter
        return self._on(12, 31)

    @property
    def six_months(self) -> dt.date:
        return self._on(3, 31)

    @property
    def oit_evidence(self) -> dt.date:  # ITAS: OIT answers and addresses, March–April
        return self._on(4, 30)

    @property
    def review(self) -> dt.date:  # ITAS: assessors score in May
        return self._on(5, 31)

    @property
    def clarification(self) -> dt.date:  # ITAS: clarifications 1–15 June
        return self._on(6, 15)

    @property
    def twelve_months(self) -> dt.date:
        return self._on(9, 30)


def due_state(due: dt.date | None, today: dt.date) -> str:
    if due is not None and due < today:
        return DueState.OVERDUE
    if due is not None and (due - today).days <= SOON_DAYS:
        return DueState.SOON
    return DueState.LATER
