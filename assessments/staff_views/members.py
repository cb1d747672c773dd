"""The organisation's members: invite, create, role and units, remove, unlock (administrators)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ita_portal.once import once_claim, once_seen

from ..access import OrganisationAccess
from ..members import (
    invitation_send,
    lockouts,
    member_create,
    member_invite,
    member_remove,
    member_unlock,
    member_update,
    password_setup_path,
)
from ..models import Membership
from ..org_forms import MemberCreateForm, MemberForm, MemberInviteForm
from .common import add_service_errors, admin_access


def _membership(access: OrganisationAccess, pk: int) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("user", "organisation"),
        organisation=access.organisation,
        pk=pk,
    )


@login_required
def members(request: HttpRequest, org: str) -> HttpResponse:
    access = admin_access(request.user, org)
    memberships = list(
        Membership.objects.filter(organisation=access.organisation)
        .select_related("user")
        .prefetch_related("units")
        .order_by("user__username")
    )
    locked = lockouts(usernames=[m.user.username for m in memberships])
    return render(
        request,
        "assessments/staff_members.html",
        {
            "access": access,
            "organisation": access.organisation,
            "memberships": memberships,
            "locked": locked,
        },
    )


@login_required
def member_invite_view(request: HttpRequest, org: str) -> HttpResponse:
    access = admin_access(request.user, org)
    organisation = access.organisation
    if request.method == "POST":
        done = reverse("assessments_staff:members", kwargs={"org": org})
        # A double-click must not invite twice (the second would read "already a member").
        if seen := once_seen(request, fallback=done):
            return seen
        form = MemberInviteForm(request.POST, organisation=organisation)
        if form.is_valid():
            with once_claim(request, fallback=done) as claim:
                if claim.repeated:
                    return claim.redirect_repeated()
                try:
                    invitation = member_invite(
                        organisation=organisation,
                        actor=request.user,
                        email=form.cleaned_data["email"],
                        role=form.cleaned_data["role"],
                        units=form.cleaned_data["units"],
                    )
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    link = request.build_absolute_uri(
                        password_setup_path(user=invitation.user)
                        if invitation.new_user
                        else "/staff/"
                    )
                    sent = invitation_send(
                        invitation=invitation, organisation=organisation, link=link
                    )
                    # Either way a repeat of this form goes to the members' list.
                    claim.redirect(done)
                    if sent:
                        messages.success(
                            request,
                            _("%(email)s was added and an e-mail with the next step was sent.")
                            % {"email": invitation.user.email},
                        )
                        return redirect(done)
                    # The member exists either way; the administrator passes the link on.
                    return render(
                        request,
                        "assessments/staff_members_added.html",
                        {
                            "access": access,
                            "organisation": organisation,
                            "member": invitation.user,
                            "link": link,
                            "mail_failed": True,
                        },
                    )
    else:
        form = MemberInviteForm(organisation=organisation)
    return render(
        request,
        "assessments/staff_members_form.html",
        {"access": access, "organisation": organisation, "form": form, "invite": True},
    )


@login_required
def member_create_view(request: HttpRequest, org: str) -> HttpResponse:
    access = admin_access(request.user, org)
    organisation = access.organisation
    if request.method == "POST":
        form = MemberCreateForm(request.POST, organisation=organisation)
        if form.is_valid():
            data = form.cleaned_data
            try:
                membership, password = member_create(
                    organisation=organisation,
                    actor=request.user,
                    username=data["username"],
                    email=data["email"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    role=data["role"],
                    units=data["units"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                # Shown on this response only: never stored in clear, never in a redirect.
                return render(
                    request,
                    "assessments/staff_members_added.html",
                    {
                        "access": access,
                        "organisation": organisation,
                        "member": membership.user,
                        "password": password,
                    },
                )
    else:
        form = MemberCreateForm(organisation=organisation)
    return render(
        request,
        "assessments/staff_members_form.html",
        {"access": access, "organisation": organisation, "form": form, "invite": False},
    )


@login_required
def member_edit(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    access = admin_access(request.user, org)
    membership = _membership(access, pk)
    current_units = list(membership.units.all())
    if request.method == "POST":
        form = MemberForm(request.POST, organisation=access.organisation, keep=current_units)
        if form.is_valid():
            try:
                member_update(
                    membership=membership,
                    actor=request.user,
                    role=form.cleaned_data["role"],
                    units=form.cleaned_data["units"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The member's role was saved."))
                return redirect("assessments_staff:members", org=org)
    else:
        form = MemberForm(
            organisation=access.organisation,
            keep=current_units,
            initial={"role": membership.role, "units": current_units},
        )
    return render(
        request,
        "assessments/staff_members_edit.html",
        {
            "access": access,
            "organisation": access.organisation,
            "membership": membership,
            "form": form,
        },
    )


@login_required
@require_POST
def member_remove_view(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    access = admin_access(request.user, org)
    membership = _membership(access, pk)
    try:
        member_remove(membership=membership, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("assessments_staff:member", org=org, pk=pk)
    messages.success(
        request,
        _("%(name)s is no longer a member of the organisation.")
        % {"name": membership.user.get_full_name() or membership.user.username},
    )
    return redirect("assessments_staff:members", org=org)


@login_required
@require_POST
def member_unlock_view(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    access = admin_access(request.user, org)
    membership = _membership(access, pk)
    member_unlock(username=membership.user.username)
    messages.success(request, _("%(name)s may log in again.") % {"name": membership.user.username})
    return redirect("assessments_staff:members", org=org)
