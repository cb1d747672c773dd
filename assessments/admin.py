from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpRequest
from django.urls import path
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from ita_portal.fields import BEDateAdminMixin

from .edition_io import admin_views as edition_admin_views
from .models import (
    Assessment,
    Edition,
    Indicator,
    Instrument,
    Item,
    Membership,
    Organisation,
    ResultLevel,
    Scheme,
    SubIndicator,
    Unit,
)


class HistoryAdmin(BEDateAdminMixin, SimpleHistoryAdmin):
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


class VerifyWarning:
    """A column and a change-page warning for parts whose wording is not yet confirmed."""

    change_form_template = "admin/assessments/verify_change_form.html"

    @admin.display(description=_("Wording"), ordering="verify")
    def verify_warning(self, obj) -> str:
        return VERIFY_TEXT if obj.verify else ""


VERIFY_TEXT = _("⚠ Wording to check against the NACC manual")


class InstrumentFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        weights = [f.cleaned_data.get("weight") for f in kept]
        if kept and all(w is not None for w in weights) and sum(weights) != 100:
            raise ValidationError(
                _("The instruments' weights add up to %(sum)s; they must add up to 100.")
                % {"sum": sum(weights)}
            )


class ResultLevelFormSet(BaseInlineFormSet):
    """The rules every edition's levels must keep (as ``edition_data.canonical`` checks)."""

    def clean(self) -> None:
        super().clean()
        kept = [
            f.cleaned_data
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        if not kept:
            return
        errors = []
        if not any(level.get("passed") for level in kept):
            errors.append(_("No level passes; tick “passes” on at least one."))
        if not any(
            level.get("min_total") == 0 and level.get("min_instrument") is None for level in kept
        ):
            errors.append(
                _(
                    "The lowest level must have a lowest total of 0 and no instrument "
                    "condition, so that every result has a level."
                )
            )
        rules = [(level.get("min_total"), level.get("min_instrument")) for level in kept]
        if len(rules) != len(set(rules)):
            errors.append(_("Two levels have the same rule; change one of them."))
        if errors:
            raise ValidationError(errors)


class InstrumentInline(admin.TabularInline):
    model = Instrument
    formset = InstrumentFormSet
    extra = 0
    fields = ["code", "name_th", "name_en", "weight", "order", "verify", "verify_warning"]
    readonly_fields = ["verify_warning"]

    @admin.display(description=_("Wording"))
    def verify_warning(self, obj) -> str:
        return VERIFY_TEXT if obj and obj.verify else ""


class ResultLevelInline(admin.TabularInline):
    model = ResultLevel
    formset = ResultLevelFormSet
    extra = 0
    fields = [
        "code",
        "grade",
        "label_th",
        "label_en",
        "min_total",
        "min_instrument",
        "passed",
        "verify",
        "verify_warning",
    ]
    readonly_fields = ["verify_warning"]

    @admin.display(description=_("Wording"))
    def verify_warning(self, obj) -> str:
        return VERIFY_TEXT if obj and obj.verify else ""


@admin.register(Scheme)
class SchemeAdmin(FrameworkAdmin):
    list_display = ["name_th", "code"]


def _flagged(edition: Edition) -> list[str]:
    """What in an edition is marked to check, named for the warning on its page."""
    parts = [f"{i.code}" for i in edition.instruments.filter(verify=True)]
    parts += [
        _("indicator %(number)s") % {"number": i.number}
        for i in edition.indicators.filter(verify=True)
    ]
    parts += [s.code for s in SubIndicator.objects.filter(indicator__edition=edition, verify=True)]
    parts += list(edition.items.filter(verify=True).values_list("code", flat=True))
    parts += [level.label_th for level in edition.levels.filter(verify=True)]
    return parts


class EditionForm(forms.ModelForm):
    """An edition's years may not overlap another edition of the same scheme."""

    class Meta:
        model = Edition
        fields = [
            "scheme",
            "code",
            "name_th",
            "name_en",
            "first_year",
            "last_year",
            "provisional",
            "based_on",
            "pass_mark",
            "indicator_levels",
            "keeps_codes",
            "source",
        ]

    def clean(self) -> dict:
        cleaned = super().clean()
        scheme, first, last = (cleaned.get(k) for k in ("scheme", "first_year", "last_year"))
        if scheme and first and last:
            other = (
                Edition.objects.filter(scheme=scheme, first_year__lte=last, last_year__gte=first)
                .exclude(pk=self.instance.pk)
                .first()
            )
            if other:
                raise ValidationError(
                    _("The years overlap the edition %(code)s (%(years)s) of the same scheme.")
                    % {"code": other.code, "years": other.years_label}
                )
        return cleaned


@admin.register(Edition)
class EditionAdmin(FrameworkAdmin):
    form = EditionForm
    list_display = ["name_th", "code", "scheme", "first_year", "last_year", "provisional"]
    list_filter = ["scheme", "provisional"]
    inlines = [InstrumentInline, ResultLevelInline]
    actions = ["export_xlsx"]
    change_form_template = "admin/assessments/edition/change_form.html"
    change_list_template = "admin/assessments/edition/change_list.html"

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "import-xlsx/",
                wrap(self.import_xlsx_view),
                name="assessments_edition_import_xlsx",
            ),
            path(
                "<path:object_id>/export-xlsx/",
                wrap(edition_admin_views.export_view),
                name="assessments_edition_export_xlsx",
            ),
            *super().get_urls(),
        ]

    def import_xlsx_view(self, request: HttpRequest):
        if not self.has_add_permission(request):
            raise PermissionDenied
        context = {**self.admin_site.each_context(request), "opts": self.model._meta}
        return edition_admin_views.import_view(request, context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        edition = self.get_object(request, unquote(object_id))
        extra = {"verify_parts": _flagged(edition) if edition else []}
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    @admin.action(description=_("Export the selected editions as XLSX"))
    def export_xlsx(self, request: HttpRequest, queryset: QuerySet):
        return edition_admin_views.editions_response(queryset.select_related("scheme"))


@admin.register(Indicator)
class IndicatorAdmin(VerifyWarning, FrameworkAdmin):
    list_display = ["number", "name_th", "instrument", "edition", "verify_warning"]
    list_filter = ["edition", "verify"]


@admin.register(SubIndicator)
class SubIndicatorAdmin(VerifyWarning, FrameworkAdmin):
    list_display = ["code", "name_th", "indicator", "verify_warning"]
    list_filter = ["indicator__edition", "verify"]


@admin.register(ResultLevel)
class ResultLevelAdmin(VerifyWarning, FrameworkAdmin):
    list_display = [
        "label_th",
        "grade",
        "min_total",
        "min_instrument",
        "passed",
        "edition",
        "verify_warning",
    ]
    list_filter = ["edition", "verify", "passed"]


class ItemForm(forms.ModelForm):
    """An item's sub-indicator must belong to the item's own edition."""

    class Meta:
        model = Item
        fields = [
            "edition",
            "sub_indicator",
            "code",
            "number",
            "verify",
            "title_th",
            "title_en",
            "heading",
            "requirement",
            "period",
            "signed_by_head",
            "contents",
            "role",
            "continues",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and "sub_indicator" in self.fields:
            self.fields["sub_indicator"].queryset = SubIndicator.objects.filter(
                indicator__edition=self.instance.edition_id
            ).select_related("indicator")

    def clean(self) -> dict:
        cleaned = super().clean()
        edition, sub = cleaned.get("edition"), cleaned.get("sub_indicator")
        if edition and sub and sub.indicator.edition_id != edition.pk:
            self.add_error("sub_indicator", _("Choose a sub-indicator of the item's own edition."))
        return cleaned


@admin.register(Item)
class ItemAdmin(VerifyWarning, FrameworkAdmin):
    form = ItemForm
    list_display = [
        "code",
        "title_th",
        "sub_indicator",
        "period",
        "signed_by_head",
        "role",
        "edition",
        "verify_warning",
    ]
    list_filter = ["edition", "verify", "role", "period", "signed_by_head", "sub_indicator__code"]
    list_select_related = ["edition", "sub_indicator"]
    search_fields = ["code", "title_th", "requirement"]
    fieldsets = [
        (None, {"fields": ["edition", "sub_indicator", "code", "number", "verify"]}),
        (_("Wording"), {"fields": ["title_th", "title_en", "heading", "requirement"]}),
        (
            _("What the evidence must be"),
            {"fields": ["period", "signed_by_head", "contents"]},
        ),
        (_("Portal and earlier editions"), {"fields": ["role", "continues"]}),
    ]


# The results admin and the survey banks' admin (no responses: anonymity) live in
# their own modules; importing them registers them.
from . import admin_results, admin_surveys  # noqa: E402, F401
