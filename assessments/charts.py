"""Geometry of the server-rendered SVG charts (the templates draw them).

Computed here rather than in templates so the HTML page and the PDF share
one drawing, and so it can be tested without a browser.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .scoring import YearResult

WIDTH = 640
HEIGHT = 300
LEFT = 40
RIGHT = 10
TOP = 20
BOTTOM = 40


def _y(score: Decimal) -> float:
    plot = HEIGHT - TOP - BOTTOM
    return round(TOP + plot * (1 - float(score) / 100), 1)


@dataclass(frozen=True)
class Bar:
    label: str
    title: str
    score: Decimal | None
    x: float
    y: float
    width: float
    height: float
    passed: bool | None


@dataclass(frozen=True)
class Point:
    label: str
    score: Decimal
    x: float
    y: float


def _frame() -> dict:
    """What both charts draw around their data: size, axis and gridlines."""
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "baseline": HEIGHT - BOTTOM,
        "grid": [{"value": v, "y": _y(Decimal(v))} for v in (0, 25, 50, 75, 100)],
        "label_y": HEIGHT - BOTTOM + 18,
    }


def indicator_bars(result: YearResult) -> dict:
    """A bar per indicator of the edition (however many), with the pass mark as a line."""
    count = len(result.indicators) or 1
    slot = (WIDTH - LEFT - RIGHT) / count
    bars = []
    for index, item in enumerate(result.indicators):
        score = item.score
        y = _y(score) if score is not None else HEIGHT - BOTTOM
        bars.append(
            Bar(
                label=str(item.indicator.number),
                title=item.indicator.name_th,
                score=score,
                x=round(LEFT + index * slot + slot * 0.15, 1),
                y=y,
                width=round(slot * 0.7, 1),
                height=round(HEIGHT - BOTTOM - y, 1),
                passed=item.passed,
            )
        )
    pass_mark = result.edition.pass_mark if result.edition else None
    return {
        **_frame(),
        "bars": bars,
        "pass_mark": pass_mark,
        "pass_y": _y(pass_mark) if pass_mark is not None else None,
    }


def history_line(results: list[YearResult]) -> dict | None:
    """A line through each year's total; None when fewer than one year has a total."""
    shown = [r for r in results if r.shown_total is not None]
    if not shown:
        return None
    count = len(shown)
    slot = (WIDTH - LEFT - RIGHT) / count
    points = [
        Point(
            label=str(r.fiscal_year),
            score=r.shown_total,
            x=round(LEFT + slot * (index + 0.5), 1),
            y=_y(r.shown_total),
        )
        for index, r in enumerate(shown)
    ]
    return {**_frame(), "points": points, "polyline": " ".join(f"{p.x},{p.y}" for p in points)}
