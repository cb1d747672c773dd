"""The organisation's details, edited by its administrators; new organisations, by superusers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ita_portal.concurrency import STALE_MESSAGE, StaleEdit, edit_token
from ita_portal.once import once_claim, once_seen

from ..access import user_organisations
from ..models import Organisation, Role
from ..org_admin import (
    ORGANISATION_FIELDS,
    TOKEN_FIELDS,
    descendant_ids,
    organisation_create,
    organisation_token_extra,
    organisation_update,
)
from ..org_forms import OrganisationCreateForm, OrganisationForm
from .common import add_service_errors, admin_access


def _parents(user, organisation: Organisation):
    """Organisations the user administers, less this one and those below it (no cycles)."""
    administered = [
        a.organisation.pk for a in user_organisations(user) if a.role == Role.ADMINISTRATOR
    ]
    return Organisation.objects.filter(pk__in=administered).exclude(
        pk__in=descendant_ids(organisation=organisation)
    )


def _token(organisation: Organisation) -> str:
    return edit_token(organisation, TOKEN_FIELDS, organisation_token_extra(organisation))


def _shown(changes: list) -> list[dict]:
    """The changes for the page, the logo named like the other fields."""
    logo = str(Organisation._meta.get_field("logo").verbose_name)
    return [
        {"label": logo if c.label == "logo" else c.label, "then": c.then, "now": c.now}
        for c in changes
    ]


@login_required
def organisation_edit(request: HttpRequest, org: str) -> HttpResponse:
    access = admin_access(request.user, org)
    organisation = access.organisation
    parents = _parents(request.user, organisation)
    # Which scheme's item lists an organisation follows is the operators' call.
    operator = request.user.is_superuser
    changes, stale = [], False
    if request.method == "POST":
        form = OrganisationForm(
            request.POST,
            request.FILES,
            instance=organisation,
            parents=parents,
            can_set_scheme=operator,
        )
        if form.is_valid():
            try:
                organisation_update(
                    organisation=organisation,
                    token=form.cleaned_data["edit_token"],
                    values={name: form.cleaned_data[name] for name in ORGANISATION_FIELDS},
                )
            except StaleEdit as error:
                stale = True
                changes = _shown(error.changes)
                organisation.refresh_from_db()
                data = request.POST.copy()
                data["edit_token"] = _token(organisation)
                form = OrganisationForm(
                    data, instance=organisation, parents=parents, can_set_scheme=operator
                )
                messages.error(request, STALE_MESSAGE)
            except ValidationError as error:
                add_service_errors(form, error)
                messages.error(
                    request, _("Nothing was saved. Please correct the fields marked below.")
                )
            else:
                messages.success(request, _("The organisation's details were saved."))
                return redirect("assessments_staff:organisation", org=org)
        else:
            messages.error(request, _("Nothing was saved. Please correct the fields marked below."))
    else:
        form = OrganisationForm(
            instance=organisation,
            parents=parents,
            can_set_scheme=operator,
            initial={"edit_token": _token(organisation)},
        )
    return render(
        request,
        "assessments/staff_org_edit.html",
        {"access": access, "organisation": organisation, "form": form, "changes": changes},
        status=409 if stale else 200,
    )


@login_required
def organisation_new(request: HttpRequest) -> HttpResponse:
    if not request.user.is_superuser:
        raise Http404
    if request.method == "POST":
        fallback = reverse("staff:dashboard")
        if seen := once_seen(request, fallback=fallback):
            return seen
        form = OrganisationCreateForm(request.POST)
        if form.is_valid():
            with once_claim(request, fallback=fallback) as claim:
                if claim.repeated:
                    return claim.redirect_repeated()
                try:
                    organisation = organisation_create(
                        **{n: form.cleaned_data[n] for n in OrganisationCreateForm.Meta.fields}
                    )
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    messages.success(
                        request,
                        _("%(name)s was created. Now add its first administrator.")
                        % {"name": organisation.name_th},
                    )
                    return claim.redirect(
                        reverse("assessments_staff:members", kwargs={"org": organisation.slug})
                    )
        messages.error(request, _("Nothing was saved. Please correct the fields marked below."))
    else:
        form = OrganisationCreateForm()
    return render(request, "assessments/staff_org_new.html", {"form": form})
