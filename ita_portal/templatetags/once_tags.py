"""``{% once_input %}``: the hidden one-time token of a form that adds a record."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from ita_portal.once import FIELD_NAME, once_token

register = template.Library()


@register.simple_tag(takes_context=True)
def once_input(context) -> str:
    # A fresh token every time the form is shown, also after a refused POST:
    # several forms share some pages, and each needs a token of its own. A page
    # kept in the public cache holds a placeholder, filled in for each visitor.
    token = context.get("once_token") or once_token()
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD_NAME, token)
