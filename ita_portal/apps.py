from __future__ import annotations

from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class ItaPortalConfig(AppConfig):
    """The project package is an app too, for its template filters and base templates."""

    name = "ita_portal"
    verbose_name = "ITA Portal"


class OperatorAdminConfig(AdminConfig):
    """django.contrib.admin with the operators-only site as the default ``admin.site``."""

    default_site = "ita_portal.admin_site.OperatorAdminSite"
