"""The Django admin, closed to everyone but the site's operators (superusers).

Organisations run their own records in the staff workspace (/staff/), which
scopes every query to the user's organisations. The admin cannot: its model
pages, django-simple-history's history and revert pages and import-export's
pages reach every organisation's rows. So the whole admin site, login
included, refuses any user who is not an active superuser; every
``admin.site.register`` keeps working because this site is installed as the
default one (``ita_portal.apps.OperatorAdminConfig``).
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


def is_operator(user: object) -> bool:
    return bool(getattr(user, "is_active", False) and getattr(user, "is_superuser", False))


class OperatorAuthenticationForm(AdminAuthenticationForm):
    """Django's admin login form, refusing valid credentials of non-superusers."""

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "operators_only": _(
            "This administration site is for the portal's operators only. "
            "Agency staff log in to the staff workspace instead."
        ),
    }

    def confirm_login_allowed(self, user: AbstractBaseUser) -> None:
        super().confirm_login_allowed(user)
        if not is_operator(user):
            raise ValidationError(self.error_messages["operators_only"], code="operators_only")


class OperatorAdminSite(admin.AdminSite):
    site_header = _("ITA Portal administration (operators)")
    site_title = _("ITA Portal administration")
    login_form = OperatorAuthenticationForm
    login_template = "admin/operator_login.html"

    def has_permission(self, request: HttpRequest) -> bool:
        return is_operator(request.user)

    def admin_view(self, view, cacheable=False):
        # Every admin page (models, imports, history reverts) is wrapped here.
        from assessments.public_cache import moves_everything_after_post

        return super().admin_view(moves_everything_after_post(view), cacheable)
