from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from ita_portal.spreadsheets import SafeImportExportMixin

from .imports import IndicatorScoreResource
from .models import (
    Assessment,
    Edition,
    Indicator,
    IndicatorScore,
    Instrument,
    Item,
    ItemResult,
    Membership,
    Organisation,
    ResultLevel,
    Scheme,
    SubIndicator,
    Unit,
)


class HistoryAdmin(SimpleHistoryAdmin):
    """simple-history's admin, answering 404 to a history address with ids of the wrong type.

    Its URL patterns take any text for the object and the version
    (``^([^/]+)/history/([^/]+)/$``), and the lookups then raised ValueError:
    an error 500 for ``…/abc/history/`` or ``…/1/history/abc/``.
    """

    def _ids_or_404(self, object_id: str, version_id: str = "0") -> None:
        try:
            self.model._meta.pk.to_python(unquote(object_id))
            int(version_id)
        except (ValidationError, ValueError) as error:
            raise Http404 from error

    def history_view(self, request, object_id, extra_context=None):
        self._ids_or_404(object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._ids_or_404(object_id, version_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


class OrganisationScopedAdmin(HistoryAdmin):
    """Staff who are not superusers see only their own organisations' records."""

    organisation_path = "organisation"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        allowed = Organisation.objects.for_user(request.user)
        return queryset.filter(**{f"{self.organisation_path}__in": allowed})

    # Choices in forms are scoped too: a staff member must not be able to
    # attach a record to another organisation (or its units and years).
    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if not request.user.is_superuser:
            allowed = Organisation.objects.for_user(request.user)
            if db_field.name == "organisation":
                kwargs["queryset"] = allowed
            elif db_field.related_model in (Assessment, Unit):
                kwargs["queryset"] = db_field.related_model.objects.filter(organisation__in=allowed)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request: HttpRequest, **kwargs):
        if not request.user.is_superuser and db_field.related_model is Unit:
            allowed = Organisation.objects.for_user(request.user)
            kwargs["queryset"] = Unit.objects.filter(organisation__in=allowed)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class FrameworkAdmin(HistoryAdmin):
    """Framework editions are shared by every organisation: only superusers change them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(OrganisationScopedAdmin):
    organisation_path = "pk"
    list_display = ["name_th", "slug", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name_th", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}
    inlines = [UnitInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = SimpleHistoryAdmin.get_queryset(self, request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(pk__in=Organisation.objects.for_user(request.user).values("pk"))


@admin.register(Unit)
class UnitAdmin(OrganisationScopedAdmin):
    list_display = ["name", "organisation", "order"]
    list_filter = ["organisation"]
    search_fields = ["name"]


@admin.register(Membership)
class MembershipAdmin(OrganisationScopedAdmin):
    list_display = ["user", "organisation", "role"]
    list_filter = ["organisation", "role"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    filter_horizontal = ["units"]
    autocomplete_fields = ["user"]


class InstrumentInline(admin.TabularInline):
    model = Instrument
    extra = 0


class ResultLevelInline(admin.TabularInline):
    model = ResultLevel
    extra = 0


@admin.register(Scheme)
class SchemeAdmin(FrameworkAdmin):
    list_display = ["name_th", "code"]


@admin.register(Edition)
class EditionAdmin(FrameworkAdmin):
    list_display = ["name_th", "code", "scheme", "first_year", "last_year", "provisional"]
    list_filter = ["scheme", "provisional"]
    inlines = [InstrumentInline, ResultLevelInline]


@admin.register(Indicator)
class IndicatorAdmin(FrameworkAdmin):
    list_display = ["number", "name_th", "instrument", "edition"]
    list_filter = ["edition"]


@admin.register(SubIndicator)
class SubIndicatorAdmin(FrameworkAdmin):
    list_display = ["code", "name_th", "indicator"]
    list_filter = ["indicator__edition"]


@admin.register(Item)
class ItemAdmin(FrameworkAdmin):
    list_display = ["code", "title_th", "sub_indicator", "heading", "role", "verify", "edition"]
    list_filter = ["edition", "verify", "sub_indicator__code", "role"]
    search_fields = ["code", "title_th", "requirement"]


class IndicatorScoreInline(admin.TabularInline):
    model = IndicatorScore
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "indicator":
            kwargs["queryset"] = Indicator.objects.select_related("edition")
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
    inlines = [IndicatorScoreInline, ItemResultInline]


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
