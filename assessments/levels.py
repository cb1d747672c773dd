"""Result levels as rules: the one function that decides a level.

A level holds when the total reaches its minimum and, if it sets one, every
instrument's own score (0–100, before weighting) reaches its instrument
minimum. Levels are tried best first. When the total reached a better level
that an instrument held back, the decision says which instrument and by how
much, e.g. "EIT 84.50 ต่ำกว่า 85 จึงได้ระดับผ่าน".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .models import ResultLevel


def format_score(value: Decimal) -> str:
    return f"{value:,.2f}"


def format_mark(value: Decimal) -> str:
    """A minimum as the NACC writes it: 85, not 85.00; 84.5 stays 84.50."""
    return f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"


def level_label(level: ResultLevel | None, *, english: bool = False) -> str:
    """How a level is printed: its letter (AA … F) when it has one, else its words."""
    if level is None:
        return ""
    if level.grade:
        return level.grade
    if english and level.label_en:
        return level.label_en
    return level.label_th


@dataclass(frozen=True)
class Shortfall:
    """One instrument below the minimum a better level asked for."""

    instrument: str
    score: Decimal | None  # None: the instrument's score is not known
    minimum: Decimal


@dataclass(frozen=True)
class HeldBack:
    """A better level whose total was reached but whose instrument condition was not."""

    level: ResultLevel
    shortfalls: tuple[Shortfall, ...]


@dataclass(frozen=True)
class LevelDecision:
    level: ResultLevel | None
    held_back: tuple[HeldBack, ...] = field(default_factory=tuple)

    @property
    def passed(self) -> bool | None:
        return None if self.level is None else self.level.passed

    @property
    def reasons(self) -> list[str]:
        """Why the result is not a better level, the nearest level first, in the
        user's language."""
        if self.level is None:
            return []
        result = level_label(self.level)
        lines = []
        for held in reversed(self.held_back):
            parts = []
            for s in held.shortfalls:
                if s.score is None:
                    parts.append(
                        _("the %(instrument)s score is not known (it must be at least %(minimum)s)")
                        % {"instrument": s.instrument, "minimum": format_mark(s.minimum)}
                    )
                else:
                    parts.append(
                        _("%(instrument)s %(score)s is below %(minimum)s")
                        % {
                            "instrument": s.instrument,
                            "score": format_score(s.score),
                            "minimum": format_mark(s.minimum),
                        }
                    )
            lines.append(
                _("%(shortfalls)s, so the level is %(level)s")
                % {"shortfalls": pgettext("between shortfalls", ", ").join(parts), "level": result}
            )
        return lines

    @property
    def reason(self) -> str:
        """The nearest better level's reason, or empty."""
        reasons = self.reasons
        return reasons[0] if reasons else ""


def ordered_levels(levels: Sequence[ResultLevel]) -> list[ResultLevel]:
    return sorted(levels, key=lambda lv: lv.sort_key())


def decide_level(
    levels: Sequence[ResultLevel],
    *,
    total: Decimal | None,
    instruments: dict[str, Decimal | None],
) -> LevelDecision:
    """The level a total and the instruments' own scores earn.

    ``instruments`` maps each instrument code of the edition to its score, or
    ``None`` when that score is unknown (only the published total was kept):
    a level that needs it then cannot be confirmed and is not given.
    """
    if total is None:
        return LevelDecision(level=None)
    held: list[HeldBack] = []
    for level in ordered_levels(levels):
        if total < level.min_total:
            continue
        if level.min_instrument is not None:
            shortfalls = tuple(
                Shortfall(instrument=code, score=score, minimum=level.min_instrument)
                for code, score in instruments.items()
                if score is None or score < level.min_instrument
            )
            if shortfalls:
                held.append(HeldBack(level=level, shortfalls=shortfalls))
                continue
        return LevelDecision(level=level, held_back=tuple(held))
    return LevelDecision(level=None, held_back=tuple(held))


def indicator_passed(score: Decimal | None, pass_mark: Decimal) -> bool | None:
    return None if score is None else score >= pass_mark
