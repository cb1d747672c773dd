"""Template helpers the measures documents share: numbered steps, month dates, lines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django import template

from ita_portal import thai
from measures.steps import NumberedStep, StepLike, normalise_newlines, numbered

register = template.Library()


@register.filter
def numbered_steps(steps: Iterable[StepLike] | None) -> list[NumberedStep]:
    """``{% for label, text in measure.steps.all|numbered_steps %}``: 1, 1.1, 1.2, 2 …

    A step typed with its own number ("1.1 …", "๑.๑ …") has it stripped, so the
    number is never printed twice.
    """
    return numbered(steps or [])


@register.filter
def month_or_date(value: dt.date | None, month_only: bool = False) -> str:
    """ "กันยายน 2566" when only the month is known, else the usual Thai date."""
    if not value:
        return ""
    if month_only:
        return f"{thai.THAI_MONTHS[value.month - 1]} {thai.be_year(value)}"
    return thai.thai_date(value)


@register.filter
def lines(text: str | None) -> list[str]:
    """Free text (a measure's responsible) as its non-empty lines."""
    return [line.strip() for line in normalise_newlines(text).split("\n") if line.strip()]


@register.filter
def fiscal_year_start(year: int) -> dt.date:
    return thai.fiscal_year_start(int(year))


@register.filter
def fiscal_year_end(year: int) -> dt.date:
    return thai.fiscal_year_end(int(year))


# The annual report's chapters, in their order; the other parts are not numbered.
ANNUAL_CHAPTERS = ("background", "analysis", "plan", "results")


@dataclass(frozen=True)
class AnnualParts:
    """Which parts of the annual report are printed, and each chapter's number.

    A part is printed when the office has not left it out and it has something
    to say: a report without announcements has no appendix, rather than an
    empty one, and its contents do not list it. Chapters are numbered among
    those printed, so a report without a background starts with chapter 1.
    """

    shown: dict[str, bool]
    chapter: dict[str, int]


def annual_parts_of(report) -> AnnualParts:
    settings = report.settings
    has_content = {
        "cover": True,
        "preface": True,
        "toc": True,
        "background": bool(settings.background.strip()) or report.framework is not None,
        "analysis": report.analysis is not None or bool(report.history),
        "plan": bool(report.measures),
        "results": any(item.follow_ups for item in report.results),
        "announcements": bool(report.announcements),
    }
    shown = {key: content and settings.shows(key) for key, content in has_content.items()}
    numbered = [key for key in ANNUAL_CHAPTERS if shown[key]]
    return AnnualParts(
        shown=shown, chapter={key: number for number, key in enumerate(numbered, start=1)}
    )


@register.filter
def annual_parts(report) -> AnnualParts:
    """``{% with parts=report|annual_parts %}``: ``parts.shown.plan``, ``parts.chapter.plan``."""
    # Every partial asks; the answer is worked out once per rendering.
    cached = getattr(report, "_annual_parts", None)
    if cached is None:
        cached = annual_parts_of(report)
        report._annual_parts = cached
    return cached
