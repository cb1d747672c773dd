"""An organisation's members: invitations, one-time passwords, roles and removal.

Every change to who holds which role is written to ``MembershipChange``
by the same transaction, so the organisation's history always shows it.
Changes to an organisation's members are serialised by locking all its
memberships, which is what keeps at least one administrator when two
administrators demote each other at the same moment.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.crypto import get_random_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from .models import Membership, MembershipChange, OneTimePassword, Organisation, Role, Unit

logger = logging.getLogger(__name__)

# No 0/O or 1/l/I: the administrator reads the password out or copies it by hand.
PASSWORD_CHARS = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # noqa: S105 (an alphabet, not a password)
PASSWORD_LENGTH = 14


@dataclass(frozen=True)
class Invitation:
    user: object
    membership: Membership
    new_user: bool


def _units_text(units: Iterable[Unit]) -> str:
    return ", ".join(sorted(u.name for u in units))


def _locked_memberships(organisation: Organisation) -> list[Membership]:
    return list(
        Membership.objects.select_for_update().filter(organisation=organisation).order_by("pk")
    )


def _refuse_losing_last_administrator(
    memberships: list[Membership], membership: Membership, new_role: str | None
) -> None:
    if membership.role != Role.ADMINISTRATOR or new_role == Role.ADMINISTRATOR:
        return
    others = [m for m in memberships if m.role == Role.ADMINISTRATOR and m.pk != membership.pk]
    if not others:
        raise ValidationError(
            _(
                "This is the organisation's last administrator. "
                "Make another member an administrator first."
            )
        )


def username_from_email(email: str) -> str:
    """A free username made from the e-mail's local part (somchai, somchai2 …)."""
    User = get_user_model()
    base = re.sub(r"[^\w.@+-]", "", email.split("@")[0])[:140] or "member"
    name, number = base, 1
    while User.objects.filter(username__iexact=name).exists():
        number += 1
        name = f"{base}{number}"
    return name


def _add_membership(
    *, organisation: Organisation, actor, user, role: str, units: Iterable[Unit]
) -> Membership:
    units = list(units)
    _locked_memberships(organisation)
    if Membership.objects.filter(organisation=organisation, user=user).exists():
        raise ValidationError(_("This person is already a member of the organisation."))
    membership = Membership.objects.create(organisation=organisation, user=user, role=role)
    membership.units.set(units)
    MembershipChange.objects.create(
        organisation=organisation,
        member=user,
        actor=actor,
        new_role=role,
        new_units=_units_text(units),
    )
    return membership


@transaction.atomic
def member_invite(
    *, organisation: Organisation, actor, email: str, role: str, units: Iterable[Unit]
) -> Invitation:
    """Add the person with ``email``, creating their account (no usable password) if new."""
    User = get_user_model()
    email = User.objects.normalize_email(email).strip()
    user = User.objects.filter(email__iexact=email).order_by("pk").first()
    new_user = user is None
    if new_user:
        user = User(username=username_from_email(email), email=email)
        user.set_unusable_password()
        user.save()
    elif not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    membership = _add_membership(
        organisation=organisation, actor=actor, user=user, role=role, units=units
    )
    return Invitation(user=user, membership=membership, new_user=new_user)


@transaction.atomic
def member_create(
    *,
    organisation: Organisation,
    actor,
    username: str,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    units: Iterable[Unit],
) -> tuple[Membership, str]:
    """Create an account with a one-time password, returned once so it can be shown once."""
    User = get_user_model()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is taken; choose another.")})
    password = get_random_string(PASSWORD_LENGTH, PASSWORD_CHARS)
    user = User(username=username, email=email, first_name=first_name, last_name=last_name)
    user.set_password(password)
    user.save()
    OneTimePassword.objects.create(user=user, password_hash=user.password)
    membership = _add_membership(
        organisation=organisation, actor=actor, user=user, role=role, units=units
    )
    return membership, password


@transaction.atomic
def member_update(*, membership: Membership, actor, role: str, units: Iterable[Unit]) -> Membership:
    units = list(units)
    memberships = _locked_memberships(membership.organisation)
    locked = next((m for m in memberships if m.pk == membership.pk), None)
    if locked is None:
        raise ValidationError(_("This person is no longer a member of the organisation."))
    _refuse_losing_last_administrator(memberships, locked, role)
    old_role, old_units = locked.role, _units_text(locked.units.all())
    new_units = _units_text(units)
    if (old_role, old_units) == (role, new_units):
        return locked
    locked.role = role
    locked.save(update_fields=["role"])
    locked.units.set(units)
    MembershipChange.objects.create(
        organisation_id=locked.organisation_id,
        member_id=locked.user_id,
        actor=actor,
        old_role=old_role,
        new_role=role,
        old_units=old_units,
        new_units=new_units,
    )
    return locked


@transaction.atomic
def member_remove(*, membership: Membership, actor) -> None:
    """End the membership; an account left with no organisation can no longer log in."""
    memberships = _locked_memberships(membership.organisation)
    locked = next((m for m in memberships if m.pk == membership.pk), None)
    if locked is None:
        return
    _refuse_losing_last_administrator(memberships, locked, None)
    MembershipChange.objects.create(
        organisation_id=locked.organisation_id,
        member_id=locked.user_id,
        actor=actor,
        old_role=locked.role,
        old_units=_units_text(locked.units.all()),
    )
    user = locked.user
    locked.delete()
    if not user.is_superuser and not Membership.objects.filter(user=user).exists():
        user.is_active = False
        user.save(update_fields=["is_active"])


def password_setup_path(*, user) -> str:
    """The address (path) where ``user`` sets a password; valid until they use it or it expires."""
    from django.urls import reverse

    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("staff:password-reset-confirm", args=[uidb64, token])


def invitation_send(*, invitation: Invitation, organisation: Organisation, link: str) -> bool:
    """E-mail the invitation; False (and a log line without personal data) when it cannot go.

    Called after the membership is committed: a mail server that is down
    must never undo the invitation or break the page.
    """
    context = {
        "organisation": organisation,
        "user": invitation.user,
        "link": link,
        "new_user": invitation.new_user,
    }
    # In Thai whatever the inviting administrator's page language: the invitee reads Thai.
    with translation.override("th"):
        subject = _("Your account on the ITA portal of %(name)s") % {"name": organisation.name_th}
        body = render_to_string("assessments/staff_members_invitation.txt", context)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.user.email])
    except (smtplib.SMTPException, OSError) as error:
        logger.warning(
            "Invitation e-mail for membership %s not sent: %s",
            invitation.membership.pk,
            type(error).__name__,
        )
        return False
    return True


def lockouts(*, usernames: Iterable[str]) -> set[str]:
    """The usernames django-axes has locked out (empty when axes is not installed)."""
    if "axes" not in settings.INSTALLED_APPS:
        return set()
    from axes.models import AccessAttempt

    limit = getattr(settings, "AXES_FAILURE_LIMIT", 3)
    if not isinstance(limit, int):
        return set()
    attempts = AccessAttempt.objects.filter(
        username__in=list(usernames), failures_since_start__gte=limit
    )
    cooloff = getattr(settings, "AXES_COOLOFF_TIME", None)
    if isinstance(cooloff, dt.timedelta):  # a lock-out that has run out is not shown
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cooloff)
    return set(attempts.values_list("username", flat=True))


def member_unlock(*, username: str) -> int:
    """Clear django-axes' failed attempts for ``username``; how many were cleared."""
    if "axes" not in settings.INSTALLED_APPS:
        return 0
    from axes.utils import reset

    return reset(username=username)
