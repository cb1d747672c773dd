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
def band_label(band: object) -> str:
    if band is None:
        return ""
    if _english() or not band.label_th:
        return band.label_en
    return band.label_th
