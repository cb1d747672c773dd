"""What every page of the organisation's administration shares."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.forms import Form

from ..access import OrganisationAccess, organisation_access
from ..models import Role

ADMINISTRATORS = frozenset({Role.ADMINISTRATOR})


def admin_access(user, slug: str) -> OrganisationAccess:
    """The organisation ``slug`` for one of its administrators (or a superuser); 404 otherwise."""
    return organisation_access(user, slug, roles=ADMINISTRATORS)


def add_service_errors(form: Form, error: ValidationError) -> None:
    """Show a service's refusal on the form, on the field it names when the form has it."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)
