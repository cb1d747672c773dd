"""Small filters for the OIT pages."""

from __future__ import annotations

from urllib.parse import urlsplit

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def file_size(size: int | None) -> str:
    """1 234 567 → "1.2 MB": what a visitor on a phone wants to know before opening."""
    size = size or 0
    if size < 1024:
        return _("%(size)s bytes") % {"size": size}
    if size < 1024 * 1024:
        return _("%(size)s KB") % {"size": round(size / 1024)}
    return _("%(size)s MB") % {"size": f"{size / (1024 * 1024):.1f}"}


@register.filter
def link_host(url: str) -> str:
    """The site a link leads to, so a visitor sees where they are going."""
    return urlsplit(url or "").hostname or url
