"""Template helpers for ITA data in the visitor's language."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

register = template.Library()


def _english() -> bool:
    return (get_language() or "th").startswith("en")


@register.filter
def local_name(obj: object) -> str:
    """``name_en`` for English visitors when there is one, else ``name_th``."""
    if obj is None:
        return ""
    if _english() and getattr(obj, "name_en", ""):
        return obj.name_en
    return getattr(obj, "name_th", str(obj))


@register.filter
def level_name(level: object) -> str:
    """A result level's words in the visitor's language (ดีเยี่ยม, ผ่านดี …)."""
    if level is None:
        return ""
    if _english() and level.label_en:
        return level.label_en
    return level.label_th


@register.filter
def level_label(level: object) -> str:
    """How a level is printed: its letter when it has one (AA), else its words."""
    if level is None:
        return ""
    return level.grade or level_name(level)
