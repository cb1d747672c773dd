"""Template helpers of the measures plan (measures/doc_plan.html)."""

from __future__ import annotations

from django import template

from measures.documents.plan import chapter_numbers

register = template.Library()


@register.simple_tag
def plan_chapters(report) -> dict[str, int]:
    """``{% plan_chapters report as chapters %}`` → ``chapters.analysis`` is 2 (or 1 …)."""
    return chapter_numbers(report)
