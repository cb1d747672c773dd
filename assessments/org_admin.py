"""An organisation's own administration: its details and its units.

Every write locks the rows it changes and runs in one transaction. Units
are never deleted while a record refers to them: they are merged into
another unit or retired, so old measures and OIT items keep the unit they
were filed under.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ita_portal.concurrency import check_not_stale

from .models import Organisation, Scheme, Unit
from .public_cache import content_changed

# What an organisation's administrator may change; the slug is not among them
# because public addresses (submitted to ITAS) must never break.
ORGANISATION_FIELDS = (
    "name_th",
    "name_en",
    "kind",
    "parent",
    "affiliation",
    "address",
    "phone",
    "email",
    "website",
    "logo",
    "head_name",
    "head_position",
    "develop_threshold",
    # Only an operator (superuser) may change it; the form disables it for everyone else.
    "scheme",
)


# The logo is compared by its stored name as an extra value: the snapshot helper
# cannot read an empty file field (ita_portal.concurrency asks it for a URL).
TOKEN_FIELDS = tuple(name for name in ORGANISATION_FIELDS if name != "logo")


def organisation_token_extra(organisation: Organisation) -> dict[str, str]:
    return {"logo": organisation.logo.name or ""}


def descendant_ids(*, organisation: Organisation) -> set[int]:
    """The organisation and every organisation below it (one query, whatever the depth)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Organisation.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found, todo = set(), [organisation.pk]
    while todo:
        pk = todo.pop()
        if pk in found:
            continue
        found.add(pk)
        todo.extend(children.get(pk, []))
    return found


def _describe_organisation(field: str, value: Any) -> str:
    if value in (None, ""):
        return "–"
    if field == "parent":
        parent = Organisation.objects.filter(pk=value).first()
        return parent.name_th if parent else str(value)
    if field == "scheme":
        scheme = Scheme.objects.filter(pk=value).first()
        return scheme.name_th if scheme else str(value)
    return str(value)


@transaction.atomic
def organisation_update(
    *, organisation: Organisation, token: str | None, values: dict[str, Any]
) -> Organisation:
    """Save the administrator's form; ``StaleEdit`` when someone saved in between.

    ``values`` holds the form's cleaned data: ``logo`` is a new upload,
    ``False`` to remove the logo, or the stored file when unchanged.
    """
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    check_not_stale(
        locked,
        token,
        TOKEN_FIELDS,
        organisation_token_extra(locked),
        describe=_describe_organisation,
    )
    previous_parent = locked.parent_id
    parent = values.get("parent")
    if parent is not None and parent.pk in descendant_ids(organisation=locked):
        raise ValidationError(
            {"parent": _("An organisation cannot be placed under itself or one of its own.")}
        )
    for name in ORGANISATION_FIELDS:
        if name not in values:
            continue
        value = values[name]
        if name == "logo" and value is False:
            value = ""
        setattr(locked, name, value)
    locked.full_clean(exclude=["logo", "slug"])
    locked.save()
    # After save(): it writes the version it read. The former parent lists it no more.
    content_changed(locked, previous_parent)
    return locked


@transaction.atomic
def organisation_create(
    *, slug: str, name_th: str, name_en: str, kind: str, parent: Organisation | None
) -> Organisation:
    organisation = Organisation(
        slug=slug, name_th=name_th, name_en=name_en, kind=kind, parent=parent
    )
    organisation.full_clean()
    organisation.save()
    content_changed(organisation)  # its parent lists it
    return organisation


# --- Units --------------------------------------------------------------------


def _check_name_free(*, organisation: Organisation, name: str, exclude: int | None = None) -> None:
    taken = Unit.objects.filter(organisation=organisation, name=name).exclude(pk=exclude)
    if taken.exists():
        raise ValidationError(
            {"name": _("The organisation already has a unit named “%(name)s”.") % {"name": name}}
        )


@transaction.atomic
def unit_create(*, organisation: Organisation, name: str) -> Unit:
    Organisation.objects.select_for_update().get(pk=organisation.pk)  # one numbering at a time
    _check_name_free(organisation=organisation, name=name)
    last = Unit.objects.filter(organisation=organisation).aggregate(last=Max("order"))["last"]
    content_changed(organisation)  # units are shown on OIT pages and in documents
    return Unit.objects.create(organisation=organisation, name=name, order=(last or 0) + 1)


@transaction.atomic
def unit_rename(*, unit: Unit, name: str) -> Unit:
    locked = Unit.objects.select_for_update().get(pk=unit.pk)
    if locked.name != name:
        _check_name_free(organisation=locked.organisation, name=name, exclude=locked.pk)
        locked.name = name
        locked.save(update_fields=["name"])
        content_changed(locked.organisation_id)
    return locked


@transaction.atomic
def unit_move(*, unit: Unit, step: int) -> None:
    """Move a unit one place up (``step=-1``) or down (``+1``); orders become 1, 2, 3 …"""
    units = list(
        Unit.objects.select_for_update()
        .filter(organisation_id=unit.organisation_id)
        .order_by("order", "name", "pk")
    )
    index = next(i for i, u in enumerate(units) if u.pk == unit.pk)
    other = index + step
    if 0 <= other < len(units):
        units[index], units[other] = units[other], units[index]
    for number, each in enumerate(units, start=1):
        if each.order != number:
            each.order = number
            each.save(update_fields=["order"])
    content_changed(unit.organisation_id)  # units are listed in this order


def _references(unit: Unit) -> Iterable[tuple[Any, list]]:
    """Every relation that points at ``unit`` (found from the models, so new ones are covered)."""
    for relation in Unit._meta.related_objects:
        accessor = relation.get_accessor_name()
        records = list(getattr(unit, accessor).all())
        if records:
            yield relation, records


def unit_in_use(*, unit: Unit) -> bool:
    return any(True for _relation in _references(unit))


@transaction.atomic
def unit_merge(*, source: Unit, target: Unit) -> Unit:
    """Move every record of ``source`` to ``target`` and retire ``source``.

    Records are changed one by one through the ORM (not ``update()``) so
    each keeps its change history.
    """
    if source.pk == target.pk or source.organisation_id != target.organisation_id:
        raise ValidationError(_("Choose another unit of the same organisation to merge into."))
    source, target = (
        Unit.objects.select_for_update().get(pk=source.pk),
        Unit.objects.select_for_update().get(pk=target.pk),
    )
    if target.retired_at is not None:
        raise ValidationError(_("A retired unit cannot receive records; reactivate it first."))
    for relation, records in _references(source):
        field = relation.field
        for record in records:
            if relation.many_to_many:
                manager = getattr(record, field.name)
                manager.add(target)
                manager.remove(source)
            else:
                setattr(record, field.name, target)
                record.save(update_fields=[field.name])
    if source.retired_at is None:
        source.retired_at = timezone.now()
        source.save(update_fields=["retired_at"])
    content_changed(target.organisation_id)
    return target


@transaction.atomic
def unit_retire(*, unit: Unit) -> Unit:
    locked = Unit.objects.select_for_update().get(pk=unit.pk)
    if locked.retired_at is None:
        locked.retired_at = timezone.now()
        locked.save(update_fields=["retired_at"])
        content_changed(locked.organisation_id)
    return locked


@transaction.atomic
def unit_reactivate(*, unit: Unit) -> Unit:
    locked = Unit.objects.select_for_update().get(pk=unit.pk)
    if locked.retired_at is not None:
        locked.retired_at = None
        locked.save(update_fields=["retired_at"])
        content_changed(locked.organisation_id)
    return locked


@transaction.atomic
def unit_delete(*, unit: Unit) -> None:
    """Delete a unit added by mistake; refused once any record refers to it."""
    locked = Unit.objects.select_for_update().get(pk=unit.pk)
    if unit_in_use(unit=locked):
        raise ValidationError(
            _(
                "Records still refer to this unit, so it cannot be deleted. "
                "Merge it into another unit or retire it instead."
            )
        )
    locked.delete()
    content_changed(locked.organisation_id)
