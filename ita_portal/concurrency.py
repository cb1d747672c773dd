"""Refusing stale edits: a form remembers what the record looked like when it
was opened, and a save is refused when the record has changed since.

The form carries a signed snapshot of the edited fields (``edit_token``). On
save, the service locks the row (``select_for_update``) and compares the
snapshot with what is stored now (``check_not_stale``); any difference raises
``StaleEdit`` with the list of changes, so the page can say what changed
while keeping what the user typed. No schema change is needed, and the
comparison is by value, so a save that changed nothing never blocks anyone.

Who passes which token: a view passes what the form posted
(``form.cleaned_data["edit_token"]``), always a string. An empty string means
the POST carried no token (a page opened before the upgrade, a script): it is
refused like a stale form, and the page re-rendered with a fresh token so a
deliberate second save goes through. ``None`` (``UNCHECKED``) means the caller
is not a form at all (imports, demo data, management commands, tests calling a
service) and asks for no check, explicitly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core import signing
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext_lazy as _

SALT = "ita_portal.concurrency"
FIELD_NAME = "edit_token"
# The token of a caller that is not a form (an import, a command): no check.
UNCHECKED = None


def _plain(value: Any) -> Any:
    """A JSON-safe form of a field value, equal for equal values."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set | frozenset):
        return sorted(_plain(v) for v in value)
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, FieldFile):
        return value.name or ""
    return str(value)


def _value(instance: models.Model, name: str) -> Any:
    """The stored value of ``name``: a field, a many-to-many (as sorted ids) or a callable."""
    if callable(name):
        return name(instance)
    field = instance._meta.get_field(name)
    if field.many_to_many:
        if instance.pk is None:
            return []
        return sorted(getattr(instance, name).values_list("pk", flat=True))
    if field.is_relation:
        return getattr(instance, field.attname)
    return getattr(instance, name)


def snapshot(instance: models.Model, fields: Sequence[str]) -> dict[str, Any]:
    return {name: _plain(_value(instance, name)) for name in fields}


def edit_token(instance: models.Model, fields: Sequence[str], extra: dict | None = None) -> str:
    """A signed snapshot of ``fields`` of ``instance`` (plus ``extra`` values) for a hidden field."""
    data = snapshot(instance, fields)
    if extra:
        data.update({f"+{k}": _plain(v) for k, v in extra.items()})
    return signing.dumps(data, salt=SALT, compress=True)


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    then: Any
    now: Any


class StaleEdit(Exception):
    """The record changed after the form was opened; ``changes`` says how."""

    def __init__(self, changes: list[Change]) -> None:
        super().__init__(", ".join(c.label for c in changes))
        self.changes = changes


def _label(instance: models.Model, name: str, labels: dict | None = None) -> str:
    if labels and name.lstrip("+") in labels:
        return str(labels[name.lstrip("+")])
    try:
        return str(instance._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:  # an extra value has no model field
        return name.lstrip("+")


def _words(instance: models.Model, name: str, value: Any) -> str:
    """A stored value as a person reads it: names for related records, "yes"/"no", dates."""
    if value is None or value == "" or value == []:
        return "–"
    try:
        field = instance._meta.get_field(name)
    except FieldDoesNotExist:
        return _extra_words(value)
    if field.is_relation:
        ids = value if isinstance(value, list) else [value]
        found = {o.pk: str(o) for o in field.related_model._default_manager.filter(pk__in=ids)}
        return ", ".join(found.get(pk, str(pk)) for pk in ids)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return str(value)


def _extra_words(value: Any) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_extra_words(v)}" for k, v in value.items() if v not in ("", None))
    if isinstance(value, list):
        return ", ".join(_extra_words(v) for v in value)
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return "–" if value is None else str(value)


def check_not_stale(
    instance: models.Model,
    token: str | None,
    fields: Sequence[str],
    extra: dict | None = None,
    *,
    describe: Callable[[str, Any], str] | None = None,
    labels: dict | None = None,
) -> None:
    """Raise ``StaleEdit`` when ``instance`` (read under a row lock) differs from the token.

    ``token`` is what the form posted. A missing (empty) or tampered token
    counts as stale with no listed change: every form the portal shows carries
    one, so the form must be opened again. ``None`` (``UNCHECKED``) is for
    callers that are not forms and skips the check. ``describe(field, value)``
    may turn stored values into words for the message; by default related
    records are named, choices shown by their label. ``labels`` names the
    ``extra`` values.
    """
    if token is UNCHECKED:
        return
    if not token:
        raise StaleEdit([])
    try:
        then = signing.loads(token, salt=SALT)
    except signing.BadSignature as error:
        raise StaleEdit([]) from error
    now = snapshot(instance, fields)
    if extra:
        now.update({f"+{k}": _plain(v) for k, v in extra.items()})
    changes = []
    for name, value in now.items():
        if name in then and then[name] != value:
            show = describe or (lambda field, v: _words(instance, field, v))
            changes.append(
                Change(
                    field=name,
                    label=_label(instance, name, labels),
                    then=show(name, then[name]),
                    now=show(name, value),
                )
            )
    if changes:
        raise StaleEdit(changes)


def stale_form(form: forms.BaseForm, token: str) -> forms.BaseForm:
    """The refused form, still holding what the user typed, with a fresh token.

    Sending it again is a deliberate save over the changes just shown.
    """
    data = form.data.copy()
    data[form.add_prefix(FIELD_NAME)] = token
    form.data = data
    return form


class EditTokenField(forms.CharField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


STALE_MESSAGE = _(
    "Someone else saved this record after you opened it, so nothing was saved. "
    "Their changes are listed below; your text is still in the form. "
    "Check it, then save again."
)


def stale_context(error: StaleEdit) -> dict[str, Any]:
    """What ``_stale_changes.html`` shows: the message and the list of changes."""
    return {"stale": error.changes, "stale_message": STALE_MESSAGE}
