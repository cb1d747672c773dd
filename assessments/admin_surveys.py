"""The survey question banks, sample rules and rounds in the Django admin (operators).

A bank is edition data: questions with their sub-items inline, edited like the
rest of an edition (and in its XLSX round-trip). A sub-item that recorded
answers name cannot be removed or recoded here, as in the workbook import.

There is deliberately NO admin for ``Response``, ``Answer`` or ``OneTimeCode``:
single responses are never shown to anyone (anonymity), and a list of codes
next to the order they were used in could tie a person to an answer. Rounds
are listed with their counts only; operators may fix their dates and
population, nothing else.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import Count, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .admin import FrameworkAdmin, HistoryAdmin, VerifyWarning
from .edition_data import used_by_results
from .models import Question, QuestionItem, SampleRule, SurveyRound


class QuestionItemFormSet(BaseInlineFormSet):
    """Refuse to remove or recode a sub-item that recorded answers use."""

    def clean(self) -> None:
        super().clean()
        question = self.instance
        if question.pk is None or question.edition_id is None:
            return
        used = used_by_results(question.edition)["question_items"]
        problems = []
        for form in self.forms:
            item = form.instance
            if item.pk is None or not hasattr(form, "cleaned_data"):
                continue
            original = form.initial.get("code", item.code)
            if original not in used:
                continue
            removed = form.cleaned_data.get("DELETE")
            if removed or form.cleaned_data.get("code", original) != original:
                problems.append(original)
        if problems:
            raise forms.ValidationError(
                _(
                    "Recorded answers use the sub-items %(codes)s: they cannot be removed "
                    "or given another code."
                )
                % {"codes": ", ".join(problems)}
            )


class QuestionItemInline(admin.TabularInline):
    model = QuestionItem
    formset = QuestionItemFormSet
    extra = 0
    fields = ["number", "code", "text_th", "text_en", "reverse"]


class InstrumentFilter(admin.SimpleListFilter):
    title = _("instrument")
    parameter_name = "instrument"

    def lookups(self, request: HttpRequest, model_admin):
        codes = (
            Question.objects.order_by()
            .values_list("indicator__instrument__code", flat=True)
            .distinct()
        )
        return [(code, code) for code in sorted(set(codes))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value():
            return queryset.filter(indicator__instrument__code=self.value())
        return queryset


@admin.register(Question)
class QuestionAdmin(VerifyWarning, FrameworkAdmin):
    inlines = [QuestionItemInline]
    list_display = [
        "code",
        "short_text",
        "indicator_number",
        "scale",
        "reverse",
        "item_count",
        "edition",
        "verify_warning",
    ]
    list_filter = ["edition", InstrumentFilter, "scale", "reverse", "verify"]
    list_select_related = ["edition", "indicator"]
    search_fields = ["code", "text_th", "text_en", "items__code", "items__text_th"]
    ordering = ["edition", "number"]
    fieldsets = [
        (None, {"fields": ["edition", "indicator", "code", "number", "verify"]}),
        (_("Wording"), {"fields": ["text_th", "text_en", "notes"]}),
        (_("Answers"), {"fields": ["scale", "reverse"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(item_total=Count("items"))

    @admin.display(description=_("question (Thai)"))
    def short_text(self, obj: Question) -> str:
        return obj.text_th if len(obj.text_th) <= 80 else obj.text_th[:79] + "…"

    @admin.display(description=_("indicator"), ordering="indicator__number")
    def indicator_number(self, obj: Question) -> int:
        return obj.indicator.number

    @admin.display(description=_("answer fields"), ordering="item_total")
    def item_count(self, obj: Question) -> int:
        return obj.item_total

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "indicator":
            kwargs["queryset"] = db_field.related_model.objects.select_related(
                "edition", "instrument"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(SampleRule)
class SampleRuleAdmin(VerifyWarning, FrameworkAdmin):
    list_display = [
        "scheme",
        "instrument_code",
        "percent",
        "at_least",
        "at_most",
        "population_note",
        "verify_warning",
    ]
    list_filter = ["scheme", "instrument_code", "verify"]
    list_select_related = ["scheme"]


@admin.register(SurveyRound)
class SurveyRoundAdmin(HistoryAdmin):
    """Rounds are opened by offices in the staff workspace; operators only fix dates."""

    list_display = [
        "organisation",
        "fiscal_year",
        "instrument_code",
        "code",
        "opens_on",
        "closes_on",
        "population",
        "uses_codes",
        "response_count",
    ]
    list_filter = ["fiscal_year", "instrument_code", "uses_codes"]
    list_select_related = ["organisation"]
    search_fields = ["organisation__slug", "organisation__name_th", "code"]
    fields = [
        "organisation",
        "fiscal_year",
        "instrument_code",
        "code",
        "uses_codes",
        "opens_on",
        "closes_on",
        "population",
    ]
    readonly_fields = ["organisation", "fiscal_year", "instrument_code", "code", "uses_codes"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # The number of responses only: never a single response.
        return super().get_queryset(request).annotate(response_total=Count("responses"))

    @admin.display(description=_("responses"), ordering="response_total")
    def response_count(self, obj: SurveyRound) -> int:
        return obj.response_total

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser
