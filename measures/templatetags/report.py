"""Template helpers for measures pages and the report."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from measures.models import Evidence, EvidenceKind, FollowUp

register = template.Library()


@register.filter
def paragraphs(text: str | None) -> list[str]:
    """Plain text split into paragraphs at empty lines (users type text, never HTML)."""
    if not text:
        return []
    return [p.strip() for p in str(text).replace("\r\n", "\n").split("\n\n") if p.strip()]


@register.filter
def evidence_links(follow_ups: Iterable[FollowUp]) -> list[Evidence]:
    """Evidence shown as links rather than pictures: web links and PDF documents."""
    return [e for f in follow_ups for e in f.evidence.all() if e.kind != EvidenceKind.IMAGE]
