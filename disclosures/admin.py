"""Disclosures in the admin: for administrators correcting a record; the staff
workspace is where offices do their daily work."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone

from assessments.admin import OrganisationScopedAdmin

from .models import Disclosure, DisclosureStatus, Entry
from .services import explanation_clean


class EntryInline(admin.TabularInline):
    model = Entry
    extra = 0
    fields = ["order", "kind", "title", "date", "file", "url", "file_type", "size"]
    # Files are checked by content on upload in the staff workspace; here they are only shown.
    readonly_fields = ["kind", "file", "url", "file_type", "size"]

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Disclosure)
class DisclosureAdmin(OrganisationScopedAdmin):
    list_display = [
        "item",
        "organisation",
        "fiscal_year",
        "status",
        "to_review",
        "content_updated_at",
    ]
    list_filter = ["fiscal_year", "status", "to_review", "organisation"]
    search_fields = ["item__code", "item__title_th", "explanation"]
    list_select_related = ["item", "organisation"]
    readonly_fields = ["first_published_at", "content_updated_at"]
    inlines = [EntryInline]

    def save_model(self, request: HttpRequest, obj: Disclosure, form, change: bool) -> None:
        # The same rules as the workspace: clean HTML, and a published page has a date.
        obj.explanation = explanation_clean(obj.explanation)
        if obj.status == DisclosureStatus.PUBLISHED and obj.first_published_at is None:
            obj.first_published_at = timezone.now()
        if form.changed_data:
            obj.content_updated_at = timezone.now()
        super().save_model(request, obj, form, change)
