from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from assessments.admin import OrganisationScopedAdmin
from assessments.models import Organisation
from ita_portal.spreadsheets import SafeImportExportMixin
from ita_portal.uploads import FileType, check_upload

from .imports import FollowUpResource, MeasureResource
from .models import Announcement, Evidence, FollowUp, Measure, MeasureStep, ReportSettings
from .services import (
    announcement_attachment_set,
    evidence_delete,
    measure_delete,
    measures_edition,
    report_publish,
)


class MeasuresScopedAdmin(OrganisationScopedAdmin):
    """Staff who are not superusers see, and may choose, only their own organisations' records."""

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if not request.user.is_superuser and db_field.name == "measure":
            allowed = Organisation.objects.for_user(request.user)
            kwargs["queryset"] = Measure.objects.filter(organisation__in=allowed)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request: HttpRequest, **kwargs):
        if not request.user.is_superuser and db_field.name == "measures":
            allowed = Organisation.objects.for_user(request.user)
            kwargs["queryset"] = Measure.objects.filter(organisation__in=allowed)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class SheetImportExportMixin(SafeImportExportMixin):
    def has_import_permission(self, request: HttpRequest) -> bool:
        # A file may name any organisation, so only superusers import through the admin.
        return request.user.is_superuser


class MeasureStepInline(admin.TabularInline):
    model = MeasureStep
    extra = 0


class MeasureAdminForm(forms.ModelForm):
    """Units of the measure's organisation and indicators of its year's framework only."""

    def clean(self) -> dict:
        cleaned = super().clean()
        organisation = cleaned.get("organisation")
        units = cleaned.get("responsible_units")
        if organisation is not None and units:
            foreign = [unit.name for unit in units if unit.organisation_id != organisation.pk]
            if foreign:
                self.add_error(
                    "responsible_units",
                    _("Not units of %(organisation)s: %(units)s.")
                    % {"organisation": organisation, "units": ", ".join(foreign)},
                )
        year = cleaned.get("fiscal_year")
        indicators = cleaned.get("indicators")
        if year and indicators:
            edition = measures_edition(year, organisation)
            wrong = [str(i) for i in indicators if edition is None or i.edition_id != edition.pk]
            if wrong:
                self.add_error(
                    "indicators",
                    _("Not indicators of the framework for %(year)s: %(indicators)s.")
                    % {"year": year, "indicators": ", ".join(wrong)},
                )
        return cleaned


@admin.register(Measure)
class MeasureAdmin(SheetImportExportMixin, MeasuresScopedAdmin):
    form = MeasureAdminForm
    resource_classes = [MeasureResource]
    list_display = ["number", "title", "organisation", "fiscal_year", "due_date"]
    list_display_links = ["number", "title"]
    list_filter = ["fiscal_year", "organisation"]
    search_fields = ["title"]
    filter_horizontal = ["indicators", "responsible_units"]
    inlines = [MeasureStepInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("organisation")

    def get_export_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            self.get_queryset(request)
            .prefetch_related("indicators", "responsible_units", "steps")
            .order_by("organisation__slug", "fiscal_year", "number")
        )

    def delete_model(self, request: HttpRequest, obj: Measure) -> None:
        measure_delete(measure=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        # One at a time: each deletion renumbers the measures after it.
        for pk in list(queryset.values_list("pk", flat=True)):
            measure = Measure.objects.filter(pk=pk).first()
            if measure is not None:
                measure_delete(measure=measure)


class EvidenceInline(admin.TabularInline):
    """Files are checked by their content when staff upload them, so none are added here."""

    model = Evidence
    extra = 0
    fields = ["order", "kind", "caption", "file", "url", "size"]
    readonly_fields = ["kind", "file", "url", "size"]

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(FollowUp)
class FollowUpAdmin(SheetImportExportMixin, MeasuresScopedAdmin):
    organisation_path = "measure__organisation"
    resource_classes = [FollowUpResource]
    list_display = ["measure", "round", "report_date", "status", "completed_on"]
    list_filter = ["measure__fiscal_year", "measure__organisation", "round", "status"]
    search_fields = ["measure__title", "summary"]
    inlines = [EvidenceInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("measure__organisation")

    def get_export_queryset(self, request: HttpRequest) -> QuerySet:
        return self.get_queryset(request).order_by(
            "measure__organisation__slug", "measure__fiscal_year", "measure__number", "round"
        )

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        if formset.model is not Evidence:
            return super().save_formset(request, form, formset, change)
        changed = formset.save(commit=False)
        for evidence in formset.deleted_objects:
            evidence_delete(evidence=evidence)
        for evidence in changed:
            evidence.save()
        return None

    def delete_model(self, request: HttpRequest, obj: FollowUp) -> None:
        for evidence in obj.evidence.all():
            evidence_delete(evidence=evidence)
        obj.delete()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for follow_up in queryset:
            self.delete_model(request, follow_up)


class AnnouncementAdminForm(forms.ModelForm):
    """The signed PDF is checked by its content, as on the staff pages."""

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if isinstance(upload, UploadedFile):
            check_upload(upload, frozenset({FileType.PDF}))
        return upload


@admin.register(Announcement)
class AnnouncementAdmin(MeasuresScopedAdmin):
    form = AnnouncementAdminForm
    list_display = ["title", "kind", "number", "date", "organisation", "fiscal_year"]
    list_filter = ["fiscal_year", "organisation", "kind"]
    search_fields = ["title", "number", "body"]
    filter_horizontal = ["measures"]

    def save_model(self, request: HttpRequest, obj: Announcement, form, change: bool) -> None:
        upload = form.cleaned_data.get("attachment")
        if "attachment" in form.changed_data and isinstance(upload, UploadedFile):
            # The service names the file and removes the one it replaces.
            previous = form.initial.get("attachment")
            obj.attachment = previous.name if previous else ""
            super().save_model(request, obj, form, change)
            announcement_attachment_set(announcement=obj, upload=upload)
        else:
            super().save_model(request, obj, form, change)


@admin.register(ReportSettings)
class ReportSettingsAdmin(MeasuresScopedAdmin):
    list_display = ["organisation", "fiscal_year", "published", "published_at"]
    list_filter = ["fiscal_year", "organisation", "published"]
    readonly_fields = ["published_at", "published_by"]

    def save_model(self, request: HttpRequest, obj: ReportSettings, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if "published" in form.changed_data:
            report_publish(
                organisation=obj.organisation,
                fiscal_year=obj.fiscal_year,
                user=request.user,
                published=obj.published,
            )
