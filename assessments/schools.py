"""Creating an ESA's schools in bulk from a CSV or XLSX sheet.

Columns: name, code (the school's short name in addresses), kind and the
e-mail of the school's administrator. The import is all-or-nothing: every
bad row is named with what to correct, and nothing is created until the
whole sheet is right. Each school is created under the ESA (``parent``) and
its administrator invited with ``members.member_invite``; the e-mails are
sent by the caller after the commit, so a mail server that is down never
undoes an import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ita_portal.spreadsheets import read_import_file

from .members import Invitation, member_invite
from .models import RESERVED_SLUGS, Organisation, OrganisationKind, Role
from .public_cache import content_changed

# Accepted headers for each column: the English names of the template, and Thai ones.
COLUMNS = {
    "name": ("name", "ชื่อ", "ชื่อโรงเรียน", "ชื่อหน่วยงาน"),
    "code": ("code", "slug", "รหัส", "ชื่อย่อ"),
    "kind": ("kind", "ประเภท"),
    "admin_email": ("admin_email", "email", "อีเมล", "อีเมลผู้ดูแล"),
}
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX = 50
NAME_MAX = 255


@dataclass(frozen=True)
class SchoolLine:
    line: int  # the row number as the spreadsheet shows it (the header is row 1)
    name: str
    slug: str
    kind: str
    email: str


@dataclass(frozen=True)
class SchoolCreated:
    organisation: Organisation
    invitation: Invitation


def _kind(value: str) -> str | None:
    """The kind from its code or its label (Thai or English); empty means a school."""
    text = value.strip().casefold()
    if not text:
        return OrganisationKind.SCHOOL
    for choice in OrganisationKind:
        if text in {choice.value, str(choice.label).casefold()}:
            return choice.value
    return None


def _headers(headers: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    names = [str(h or "").strip().casefold() for h in headers]
    for column, aliases in COLUMNS.items():
        for index, name in enumerate(names):
            if name in aliases:
                found[column] = index
                break
    missing = [c for c in COLUMNS if c not in found and c != "kind"]
    if missing:
        raise ValidationError(
            _("The first row must name the columns %(columns)s; missing: %(missing)s.")
            % {"columns": ", ".join(COLUMNS), "missing": ", ".join(missing)}
        )
    return found


def _cell(row, index: int | None) -> str:
    if index is None or index >= len(row) or row[index] is None:
        return ""
    return str(row[index]).strip()


def schools_parse(*, content: bytes, file_name: str) -> list[SchoolLine]:
    """The sheet's rows, every problem named by row; raises ValidationError with all of them."""
    dataset = read_import_file(content=content, file_name=file_name)
    columns = _headers(list(dataset.headers or []))
    errors: list[str] = []
    lines: list[SchoolLine] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(dataset, start=2):
        name = _cell(row, columns["name"])
        slug = _cell(row, columns["code"]).lower()
        kind_text = _cell(row, columns.get("kind"))
        email = _cell(row, columns["admin_email"])
        where = _("Row %(line)s") % {"line": number}
        if not name:
            errors.append(_("%(row)s: the school's name is empty.") % {"row": where})
        elif len(name) > NAME_MAX:
            errors.append(
                _("%(row)s: the name is longer than %(max)s characters.")
                % {"row": where, "max": NAME_MAX}
            )
        if not slug:
            errors.append(_("%(row)s: the code is empty.") % {"row": where})
        elif len(slug) > SLUG_MAX or not SLUG_RE.match(slug):
            errors.append(
                _(
                    "%(row)s: the code “%(code)s” may contain only Latin letters, digits and "
                    "hyphens (at most %(max)s), for example kks-school-1."
                )
                % {"row": where, "code": slug, "max": SLUG_MAX}
            )
        elif slug in RESERVED_SLUGS:
            errors.append(
                _("%(row)s: the code “%(code)s” is used by the portal itself; choose another.")
                % {"row": where, "code": slug}
            )
        elif slug in seen:
            errors.append(
                _("%(row)s: the code “%(code)s” is already used in row %(other)s of the file.")
                % {"row": where, "code": slug, "other": seen[slug]}
            )
        else:
            seen[slug] = number
        kind = _kind(kind_text)
        if kind is None:
            errors.append(
                _("%(row)s: the kind “%(kind)s” is unknown; use one of: %(kinds)s.")
                % {
                    "row": where,
                    "kind": kind_text,
                    "kinds": ", ".join(OrganisationKind.values),
                }
            )
        try:
            validate_email(email)
        except ValidationError:
            errors.append(
                _(
                    "%(row)s: “%(email)s” is not an e-mail address; check the administrator's e-mail."
                )
                % {"row": where, "email": email}
            )
        lines.append(SchoolLine(number, name, slug, kind or "", email))
    if not lines and not errors:
        errors.append(_("The file has no rows of schools under its header row."))
    taken = set(Organisation.objects.filter(slug__in=list(seen)).values_list("slug", flat=True))
    for line in lines:
        if line.slug in taken:
            errors.append(
                _(
                    "Row %(line)s: an organisation with the code “%(code)s” already exists in the "
                    "portal; choose another code or remove the row."
                )
                % {"line": line.line, "code": line.slug}
            )
    if errors:
        raise ValidationError(errors)
    return lines


def schools_import(
    *, parent: Organisation, actor, content: bytes, file_name: str
) -> list[SchoolCreated]:
    """Create every school of the sheet under ``parent`` and invite its administrator, or nothing."""
    lines = schools_parse(content=content, file_name=file_name)
    created: list[SchoolCreated] = []
    try:
        with transaction.atomic():
            for line in lines:
                organisation = Organisation.objects.create(
                    slug=line.slug, name_th=line.name, kind=line.kind, parent=parent
                )
                invitation = member_invite(
                    organisation=organisation,
                    actor=actor,
                    email=line.email,
                    role=Role.ADMINISTRATOR,
                    units=[],
                )
                created.append(SchoolCreated(organisation=organisation, invitation=invitation))
            if created:
                content_changed(parent)  # the parent's pages list its schools
    except IntegrityError as error:
        # Someone created one of these codes between the check and the save.
        raise ValidationError(
            _(
                "One of these codes was taken while the file was being imported; nothing was saved. Send the file again."
            )
        ) from error
    return created
