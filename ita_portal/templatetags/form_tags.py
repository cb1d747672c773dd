"""Forms people can use: the error summary at the top of a page and the legend of
the required-field marker.

base.html calls both tags without arguments: they look through the page's
context for forms and formsets, so every form page gets them without its
template knowing. A template may also pass its forms explicitly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template
from django.forms import BaseForm, BaseFormSet
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.html import format_html

register = template.Library()


@dataclass(frozen=True)
class SummaryLine:
    """One message of the summary: ``anchor`` is the field's id ("" for a
    message about the whole form), ``label`` the field's label."""

    anchor: str
    label: str
    message: str


def _lines_of_form(form: BaseForm) -> list[SummaryLine]:
    if not form.is_bound or not form.errors:
        return []
    lines = [SummaryLine("", "", str(m)) for m in form.non_field_errors()]
    for name in form.fields:
        if name not in form.errors:
            continue
        bound = form[name]
        # A hidden field has no place on the page to go to.
        # A group of radios or checkboxes has no label target: go to its first.
        anchor = "" if bound.is_hidden else bound.id_for_label or _first_choice(bound)
        # A hidden field's label ("edit token") means nothing to the reader.
        label = "" if bound.is_hidden else str(bound.label or "")
        lines += [SummaryLine(anchor, label, str(m)) for m in bound.errors]
    return lines


def _first_choice(bound: Any) -> str:
    return f"{bound.auto_id}_0" if bound.auto_id and bound.field.widget.use_fieldset else ""


def _forms_of(values: list[Any]) -> list[BaseForm]:
    """The forms among ``values``, a formset's rows included, each once."""
    forms: dict[int, BaseForm] = {}
    for value in values:
        rows = value.forms if isinstance(value, BaseFormSet) else [value]
        forms.update((id(form), form) for form in rows if isinstance(form, BaseForm))
    return list(forms.values())


def summary_lines(*, forms: list[Any]) -> list[SummaryLine]:
    """The messages of the given bound forms and formsets, in page order."""
    lines: list[SummaryLine] = []
    for value in forms:
        # A formset's own messages (too many rows, a tampered page) first.
        if isinstance(value, BaseFormSet) and value.is_bound:
            lines += [SummaryLine("", "", str(m)) for m in value.non_form_errors()]
    for form in _forms_of(forms):
        lines += _lines_of_form(form)
    return lines


def _context_forms(context: template.Context) -> list[Any]:
    # type(), not isinstance(): isinstance() on a lazy object (request.user)
    # would load it, and with it the session: a query and a "Vary: Cookie" on
    # public pages that are otherwise the same for everyone.
    return [
        value
        for value in context.flatten().values()
        if issubclass(type(value), BaseForm | BaseFormSet)
    ]


@register.simple_tag(takes_context=True)
def error_summary(context: template.Context, *forms: Any) -> str:
    """``{% error_summary %}`` (the page's forms) or ``{% error_summary form formset %}``."""
    lines = summary_lines(forms=list(forms) or _context_forms(context))
    if not lines:
        return ""
    return render_to_string("_error_summary.html", {"lines": lines, "count": len(lines)})


@register.simple_tag(takes_context=True)
def required_legend(context: template.Context, *forms: Any) -> str:
    """The "* required" legend, when a form on the page has a required field."""
    for form in _forms_of(list(forms) or _context_forms(context)):
        if any(
            field.required and not field.widget.is_hidden and not field.disabled
            for field in form.fields.values()
        ):
            return render_to_string("_required_legend.html")
    return ""


@register.simple_tag
def widget_labelled_by(bound: Any, *ids: str) -> str:
    """A field's widget named by other elements, for a grid of inputs whose label
    is its row and column headers: ``{% widget_labelled_by row.comment "col-comment" row_id %}``.
    """
    return bound.as_widget(attrs={"aria-labelledby": " ".join(i for i in ids if i)})


@register.simple_tag(takes_context=True)
def forms_script(context: template.Context) -> str:
    """static/js/forms.js and the BE calendar (bedate.js, bedate.css), on the pages
    that need them: the staff workspace and any page with a form. Public reading
    pages stay without script."""
    request = context.get("request")
    path = getattr(request, "path", "")
    if not (path.startswith(("/staff/", "/admin/")) or _context_forms(context)):
        return ""
    return format_html(
        '<link rel="stylesheet" href="{}">\n  <script src="{}" defer></script>'
        '\n  <script src="{}" defer></script>',
        static("css/bedate.css"),
        static("js/forms.js"),
        static("js/bedate.js"),
    )
