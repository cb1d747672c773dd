"""The steps of a measure in the staff form: one row per step, each with its level.

The rows post ``steps-depth`` and ``steps-text`` once per row, in order; a
plain ``steps`` text (one step per line, as the form had before levels, and
as scripts still post) is read too, a line's own number giving its level.
"""

from __future__ import annotations

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from .steps import MAX_DEPTH, step_split, steps_from_lines

# Rows offered beyond the saved steps; saving offers more.
BLANK_ROWS = 3
LEVEL_LABELS = (
    (0, _("Step (1)")),
    (1, _("Sub-step (1.1)")),
    (2, _("Sub-sub-step (1.1.1)")),
)

Rows = list[tuple[str | int, str]]


def _rows(value: object) -> Rows:
    if not value:
        return []
    if isinstance(value, str):
        return list(steps_from_lines(value))
    return [(depth, text) for depth, text in value]


class StepsWidget(forms.Widget):
    def value_from_datadict(self, data, files, name: str) -> Rows | str | None:
        if name in data:
            return data.get(name)
        texts = data.getlist(f"{name}-text") if hasattr(data, "getlist") else []
        depths = data.getlist(f"{name}-depth") if hasattr(data, "getlist") else []
        depths += ["0"] * (len(texts) - len(depths))
        return list(zip(depths, texts, strict=False))

    def value_omitted_from_data(self, data, files, name: str) -> bool:
        return False

    def render(self, name: str, value: object, attrs=None, renderer=None) -> str:
        rows = _rows(value)
        rows += [(0, "")] * max(BLANK_ROWS, 5 - len(rows))
        first_id = (attrs or {}).get("id") or f"id_{name}"

        def row(index: int, depth: str | int, text: str):
            number = index + 1
            options = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    (level, " selected" if str(level) == str(depth) else "", label)
                    for level, label in LEVEL_LABELS
                ),
            )
            text_id = first_id if index == 0 else f"{first_id}_{index}"
            return (
                format_html(
                    '<li class="step-row"><select name="{}-depth" aria-label="{}">{}</select>'
                    '<input type="text" name="{}-text" id="{}" value="{}" aria-label="{}"></li>',
                    name,
                    _("Level of step %(number)s") % {"number": number},
                    options,
                    name,
                    text_id,
                    text,
                    _("Step %(number)s") % {"number": number},
                ),
            )

        items = format_html_join("", "{}", (row(i, d, t) for i, (d, t) in enumerate(rows)))
        return format_html('<ol class="step-rows">{}</ol>', items)


class StepsField(forms.Field):
    """Cleans to [(level, text)]: empty rows dropped, a typed number stripped."""

    widget = StepsWidget

    def to_python(self, value: object) -> list[tuple[int, str]]:
        if isinstance(value, str):
            return steps_from_lines(value)
        steps = []
        for depth_value, text in _rows(value):
            if not str(text).strip():
                continue
            try:
                depth = int(depth_value)
            except (TypeError, ValueError):
                depth = -1
            if not 0 <= depth <= MAX_DEPTH:
                raise forms.ValidationError(_("Choose a level for every step."))
            # "1.1 …" typed in a row left at the first level is a sub-step all the same.
            own_depth, text = step_split(str(text))
            if depth == 0 and own_depth is not None:
                depth = own_depth
            steps.append((depth, text))
        return steps
