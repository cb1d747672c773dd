"""Refusing stale edits: a form remembers what the record looked like when it
was opened, and a save is refused when the record has changed since.

The form carries a signed snapshot of the edited fields (``edit_token``). On
save, the service locks the row (``select_for_update``) and compares the
snapshot with what is stored now (``check_not_stale``); any difference raises
``StaleEdit`` with the list of changes, so the page can say what changed
while keeping what the user typed. No schema change is needed, and the
comparison is by value, so a save that changed nothing never blocks anyone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core import signing
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _

SALT = "ita_portal.concurrency"
FIELD_NAME = "edit_token"


def _plain(value: Any) -> Any:
    """A JSON-safe form of a field value, equal for equal values."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set | frozenset):
        return sorted(_plain(v) for v in value)
    if value is None or isinstance(value, bool | int | str):
        return value
    if hasattr(value, "name") and hasattr(value, "url"):  # FieldFile
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


def _label(instance: models.Model, name: str) -> str:
    try:
        return str(instance._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:  # an extra value has no model field
        return name.lstrip("+")


def check_not_stale(
    instance: models.Model,
    token: str | None,
    fields: Sequence[str],
    extra: dict | None = None,
    *,
    describe: Callable[[str, Any], str] | None = None,
) -> None:
    """Raise ``StaleEdit`` when ``instance`` (read under a row lock) differs from the token.

    A missing or tampered token counts as stale with no listed change: the
    form must be opened again. ``describe(field, value)`` may turn stored
    values into words for the message (a unit's name instead of its id).
    """
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
            show = describe or (lambda _field, v: "" if v is None else str(v))
            changes.append(
                Change(
                    field=name,
                    label=_label(instance, name),
                    then=show(name, then[name]),
                    now=show(name, value),
                )
            )
    if changes:
        raise StaleEdit(changes)


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
