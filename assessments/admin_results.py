"""The operators' admin for yearly results: assessments, their scores and item results."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from ita_portal.spreadsheets import SafeImportExportMixin

from .admin import OrganisationScopedAdmin
from .imports import IndicatorScoreResource, InstrumentScoreResource
from .models import (
    Assessment,
    Indicator,
    IndicatorScore,
    Instrument,
    InstrumentScore,
    ItemResult,
    ResultLevel,
)


class IndicatorScoreInline(admin.TabularInline):
    model = IndicatorScore
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "indicator":
            kwargs["queryset"] = Indicator.objects.select_related("edition")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class InstrumentScoreInline(admin.TabularInline):
    model = InstrumentScore
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "instrument":
            kwargs["queryset"] = Instrument.objects.select_related("edition")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ItemResultInline(admin.TabularInline):
    model = ItemResult
    extra = 0
    autocomplete_fields = ["item"]


@admin.register(Assessment)
class AssessmentAdmin(OrganisationScopedAdmin):
    list_display = [
        "organisation",
        "fiscal_year",
        "edition",
        "official_total",
        "rank",
        "ranked_out_of",
    ]
    list_filter = ["organisation", "fiscal_year"]
    inlines = [IndicatorScoreInline, InstrumentScoreInline, ItemResultInline]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        level = form.base_fields.get("official_level")
        if level is not None:
            # A published level is one of the year's own edition's levels.
            level.queryset = (
                ResultLevel.objects.filter(edition_id=obj.edition_id)
                if obj is not None and obj.edition_id
                else ResultLevel.objects.none()
            )
        return form


@admin.register(InstrumentScore)
class InstrumentScoreAdmin(SafeImportExportMixin, OrganisationScopedAdmin):
    organisation_path = "assessment__organisation"
    resource_classes = [InstrumentScoreResource]
    list_display = ["assessment", "instrument", "score"]
    list_filter = ["assessment__organisation", "assessment__fiscal_year"]

    def has_import_permission(self, request: HttpRequest) -> bool:
        # A file may name any organisation, so only superusers import through the admin.
        return request.user.is_superuser

    def get_export_queryset(self, request: HttpRequest) -> QuerySet:
        return self.get_queryset(request).select_related("assessment__organisation", "instrument")


@admin.register(IndicatorScore)
class IndicatorScoreAdmin(SafeImportExportMixin, OrganisationScopedAdmin):
    organisation_path = "assessment__organisation"
    resource_classes = [IndicatorScoreResource]
    list_display = ["assessment", "indicator", "score"]
    list_filter = ["assessment__organisation", "assessment__fiscal_year"]

    def has_import_permission(self, request: HttpRequest) -> bool:
        # A file may name any organisation, so only superusers import through the admin.
        return request.user.is_superuser

    def get_export_queryset(self, request: HttpRequest) -> QuerySet:
        return self.get_queryset(request).select_related("assessment__organisation", "indicator")
