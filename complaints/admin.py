"""Complaints in the Django admin: case metadata for superusers, read-only.

The admin never shows a complaint's identity fields, nor its content (facts,
the accused, the request, witnesses, outcome, messages): those are for the
organisation's complaint officers, in the staff workspace, where every view of
the identity is recorded. Here a superuser can see that a case exists, where it
stands and whether its identity was erased, and nothing can be changed or
deleted.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from ita_portal.fields import BEDateAdminMixin

from .models import Complaint

METADATA = (
    "tracking_code",
    "organisation",
    "channel",
    "category",
    "status",
    "anonymous",
    "received_at",
    "acknowledge_by",
    "acknowledged_at",
    "rejection_reason",
    "closed_at",
    "identity_purged_at",
    "assigned_to",
    "created_by",
    "updated_at",
)


@admin.register(Complaint)
class ComplaintAdmin(BEDateAdminMixin, admin.ModelAdmin):
    fields = METADATA
    readonly_fields = METADATA
    list_display = ("tracking_code", "organisation", "channel", "category", "status", "received_at")
    list_filter = ("organisation", "status", "channel", "category")
    date_hierarchy = "received_at"
    list_select_related = ("organisation",)
    # No search: searching would run over fields this page does not show.
    actions = None

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).only(*METADATA, "organisation__name_th")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
