"""Disclosures in the admin: for administrators correcting a record; the staff
workspace is where offices do their daily work."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone

from assessments.admin import OrganisationScopedAdmin
from assessments.models import Organisation
from ita_portal.fields import BEDateAdminMixin

from .models import (
    Disclosure,
    DisclosureStatus,
    Entry,
    ItemReview,
    ItemSnapshot,
    ReviewEvent,
    Submission,
)
from .services import explanation_clean


class EntryInline(BEDateAdminMixin, admin.TabularInline):
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


# --- The OIT self-assessment's review: read-only for operators --------------------------
# Submissions, verdicts and clarifications change only through the review services,
# which record every step; the admin shows them for support, never edits them.


class ReadOnlyAdmin(admin.ModelAdmin):
    """Scoped like the other admins, without simple-history (these models keep their
    own record of events)."""

    organisation_path = "organisation"

    def get_queryset(self, request: HttpRequest):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        allowed = Organisation.objects.for_user(request.user)
        return queryset.filter(**{f"{self.organisation_path}__in": allowed})

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class ItemSnapshotInline(admin.TabularInline):
    model = ItemSnapshot
    extra = 0
    fields = ["item", "address", "published", "ready", "findings"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class ItemReviewInline(admin.TabularInline):
    model = ItemReview
    extra = 0
    fields = ["item", "verdict", "score", "comment", "improvement", "clarified_at", "reviewed_by"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class ReviewEventInline(admin.TabularInline):
    model = ReviewEvent
    extra = 0
    fields = ["at", "kind", "item", "actor", "detail"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "fiscal_year", "status", "submitted_at", "predicted_oit"]
    list_filter = ["fiscal_year", "status"]
    search_fields = ["organisation__name_th", "organisation__slug"]
    list_select_related = ["organisation"]
    inlines = [ItemSnapshotInline, ItemReviewInline, ReviewEventInline]


@admin.register(ReviewEvent)
class ReviewEventAdmin(ReadOnlyAdmin):
    organisation_path = "submission__organisation"
    list_display = ["at", "submission", "kind", "item", "actor"]
    list_filter = ["kind"]
    list_select_related = ["submission__organisation", "item", "actor"]
