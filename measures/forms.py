"""Staff forms for measures, follow-ups, evidence, announcements and report settings.

Forms validate and normalise; the business rules they feed (numbering,
steps, checking uploads) are in ``measures.services``.
"""

from __future__ import annotations

from django import forms
from django.forms import BaseModelFormSet, modelformset_factory
from django.utils.translation import gettext_lazy as _

from assessments.models import Edition, Indicator, Organisation, Unit
from ita_portal.concurrency import EditTokenField
from ita_portal.fields import (
    MultipleFileField,
    ThaiDateField,
    add_date_error,
    check_in_fiscal_year,
    check_not_future,
)

from .models import (
    Announcement,
    ChapterWord,
    Evidence,
    FollowUp,
    Measure,
    ReportSettings,
    Round,
)
from .step_fields import StepsField
from .steps import normalise_newlines


class IndicatorChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Indicator) -> str:
        return _("Indicator %(number)s %(name)s") % {"number": obj.number, "name": obj.name_th}


def _checkboxes() -> forms.CheckboxSelectMultiple:
    return forms.CheckboxSelectMultiple(attrs={"class": "checkbox-list"})


def form_values(form: forms.BaseForm, *, exclude: tuple[str, ...] = ()) -> dict:
    """The cleaned values a service takes, without the edit token (passed on its own)."""
    return {
        name: value
        for name, value in form.cleaned_data.items()
        if name != "edit_token" and name not in exclude
    }


class MeasureForm(forms.ModelForm):
    """A measure, with its steps typed one per line."""

    indicators = IndicatorChoiceField(
        label=_("Indicators addressed"),
        queryset=Indicator.objects.none(),
        required=False,
        widget=_checkboxes(),
        help_text=_("Leave all unticked for a stand-alone measure such as anti-bribery."),
    )
    steps = StepsField(
        label=_("Steps"),
        required=False,
        help_text=_(
            "One step per row, in the order they are carried out; choose “Sub-step” for "
            "1.1, 1.2 … under the step above. The numbers are printed for you. Save to "
            "get more empty rows."
        ),
    )
    responsible_units = forms.ModelMultipleChoiceField(
        label=_("Responsible units"),
        queryset=Unit.objects.none(),
        required=False,
        widget=_checkboxes(),
    )
    due_date = ThaiDateField(label=_("Due date"), required=False, month_allowed=True)
    edit_token = EditTokenField()

    class Meta:
        model = Measure
        fields = [
            "title",
            "indicators",
            "approach",
            "steps",
            "responsible_units",
            "responsible_text",
            "monitoring",
            "due_date",
            "due_month_only",
        ]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "responsible_text": forms.Textarea(attrs={"rows": 3}),
            "approach": forms.Textarea(attrs={"rows": 4}),
            "monitoring": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(
        self,
        *args,
        organisation: Organisation,
        edition: Edition | None,
        unit_ids: frozenset[int] | None = None,
        fiscal_year: int | None = None,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        # The year the due date must be near: the edited measure's, or the one
        # the new measure is added to (``edition`` covers several years).
        self.fiscal_year = self.instance.fiscal_year or fiscal_year
        # A member limited to units (``unit_ids``) adds measures of their own units
        # only, and keeps at least one of them on a measure they edit.
        self.unit_ids = unit_ids
        # Only the indicators of the year's edition, and only this organisation's units.
        self.fields["indicators"].queryset = (
            Indicator.objects.filter(edition=edition).order_by("number")
            if edition
            else Indicator.objects.none()
        )
        units = Unit.objects.offered(
            organisation,
            keep=self.instance.responsible_units.all() if self.instance.pk else (),
        )
        if unit_ids is not None and self.instance.pk is None:
            units = units.filter(pk__in=unit_ids)
        self.fields["responsible_units"].queryset = units
        if unit_ids is not None:
            self.fields["responsible_units"].required = True
        if self.instance.pk and "steps" not in self.initial:
            self.initial["steps"] = [(s.depth, s.text) for s in self.instance.steps.all()]

    def clean_responsible_units(self):
        units = self.cleaned_data["responsible_units"]
        if self.unit_ids is not None and not self.unit_ids & {unit.pk for unit in units}:
            raise forms.ValidationError(
                _("Tick at least one of your own units: you may change only their measures.")
            )
        return units

    def clean_responsible_text(self) -> str:
        return normalise_newlines(self.cleaned_data["responsible_text"])

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.fields["due_date"].typed_month_only:
            # "09/2569" typed: due by the end of that month, printed as the month.
            cleaned["due_month_only"] = True
        if self.fiscal_year:
            add_date_error(self, "due_date", check_in_fiscal_year, fiscal_year=self.fiscal_year)
        return cleaned


class FollowUpForm(forms.ModelForm):
    report_date = ThaiDateField(
        label=_("Report date"), required=False, help_text=_("Required for a dated report.")
    )
    completed_on = ThaiDateField(
        label=_("Completion date"), required=False, month_allowed=True, month_day="first"
    )
    edit_token = EditTokenField()

    class Meta:
        model = FollowUp
        fields = [
            "round",
            "report_date",
            "summary",
            "outcome",
            "status",
            "completed_on",
            "completed_month_only",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 6}),
            "outcome": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, measure: Measure, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The database refuses duplicates too, but the measure is not a form
        # field, so Django's own check would skip it; clean() asks instead.
        self.measure = measure

    def clean_summary(self) -> str:
        return normalise_newlines(self.cleaned_data["summary"])

    def clean_outcome(self) -> str:
        return normalise_newlines(self.cleaned_data["outcome"])

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.fields["completed_on"].typed_month_only:
            cleaned["completed_month_only"] = True
        # Something done or reported has happened, and belongs near the measure's year.
        for name in ("report_date", "completed_on"):
            add_date_error(self, name, check_not_future)
            add_date_error(self, name, check_in_fiscal_year, fiscal_year=self.measure.fiscal_year)
        round_, report_date = cleaned.get("round"), cleaned.get("report_date")
        if round_ == Round.DATED and report_date is None:
            if "report_date" not in self.errors:
                self.add_error("report_date", _("Enter the date of a dated report."))
            return cleaned
        others = FollowUp.objects.filter(measure=self.measure).exclude(pk=self.instance.pk)
        if round_ == Round.DATED:
            if others.filter(round=Round.DATED, report_date=report_date).exists():
                self.add_error(
                    "report_date", _("This measure already has a dated report on this date.")
                )
        elif round_ and others.filter(round=round_).exists():
            self.add_error(
                "round",
                _("This measure already has a %(round)s. Edit that one instead.")
                % {"round": Round(round_).label},
            )
        return cleaned


class EvidenceFilesForm(forms.Form):
    files = MultipleFileField(
        accept="image/jpeg,image/png,image/webp,.pdf",
        label=_("Files"),
        help_text=_(
            "Photos (JPEG, PNG or WebP) or PDF documents. You can choose several files at once."
        ),
    )
    caption = forms.CharField(
        label=_("Caption"),
        required=False,
        max_length=500,
        help_text=_("Given to every file of this upload; you can change each one afterwards."),
    )

    def __init__(self, *args, **kwargs) -> None:
        # Shares the page with the link form: its own element ids.
        kwargs.setdefault("auto_id", "upload_%s")
        super().__init__(*args, **kwargs)

    def captions(self) -> list[str]:
        return [self.cleaned_data["caption"]] * len(self.cleaned_data["files"])


class EvidenceLinkForm(forms.Form):
    url = forms.URLField(
        label=_("Link"),
        max_length=1000,
        help_text=_("For example a video, an album or a page on the agency's website."),
    )
    caption = forms.CharField(label=_("Caption"), required=False, max_length=500)

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "link_%s")
        super().__init__(*args, **kwargs)


class BaseEvidenceFormSet(BaseModelFormSet):
    def clean(self) -> None:
        super().clean()
        # A form whose id is not among this follow-up's evidence (deleted meanwhile,
        # or another follow-up's) would otherwise be skipped without a word.
        if any(form.instance.pk is None for form in self.initial_forms):
            raise forms.ValidationError(
                _("Some of this evidence was changed or deleted meanwhile. Reload the page.")
            )


# Captions and order of existing evidence only: new evidence comes through the
# upload and link forms, which check it.
EvidenceFormSet = modelformset_factory(
    Evidence,
    formset=BaseEvidenceFormSet,
    fields=["caption", "order"],
    extra=0,
    edit_only=True,
    widgets={"order": forms.NumberInput(attrs={"min": 0, "class": "order-input"})},
)


class AnnouncementForm(forms.ModelForm):
    date = ThaiDateField(label=_("Date"))
    measures = forms.ModelMultipleChoiceField(
        label=_("Measures"),
        queryset=Measure.objects.none(),
        required=False,
        widget=_checkboxes(),
        help_text=_("The measures of this year that this announcement or order puts in place."),
    )
    attachment_file = forms.FileField(
        label=_("Signed PDF"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ".pdf,application/pdf"}),
        help_text=_("Optional: the signed document as a PDF. A new file replaces the old one."),
    )
    edit_token = EditTokenField()

    class Meta:
        model = Announcement
        fields = [
            "kind",
            "number",
            "title",
            "body",
            "date",
            "signatory_name",
            "signatory_position",
            "measures",
        ]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "body": forms.Textarea(attrs={"rows": 12}),
            "signatory_position": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, organisation: Organisation, fiscal_year: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["measures"].queryset = Measure.objects.filter(
            organisation=organisation, fiscal_year=fiscal_year
        ).order_by("number")
        self.fiscal_year = fiscal_year

    def clean_date(self):
        date = self.cleaned_data["date"]
        check_in_fiscal_year(date, fiscal_year=self.fiscal_year)
        return date


class ReportSettingsForm(forms.ModelForm):
    """A document's settings; the fields shown are the kind's (``DocumentSpec.form_fields``)."""

    edit_token = EditTokenField()
    hidden_parts = forms.MultipleChoiceField(
        label=_("Leave out these parts"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    document_date = ThaiDateField(label=_("Date of the document"), required=False)

    class Meta:
        model = ReportSettings
        fields = [
            "title",
            "hidden_parts",
            "chapter_word",
            "document_date",
            "body",
            "strengths_threshold",
            "preface",
            "background",
            "thai_digits",
            "signatory_name",
            "signatory_position",
        ]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 8}),
            "preface": forms.Textarea(attrs={"rows": 8}),
            "background": forms.Textarea(attrs={"rows": 10}),
            "signatory_position": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "preface": _("Separate paragraphs with an empty line."),
            "background": _("Separate paragraphs with an empty line."),
            "thai_digits": _(
                "Print every number as Thai digits (๑ ๒ ๓) in this document, page numbers included."
            ),
        }

    def __init__(self, *args, spec, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        keep = {*spec.form_fields, "edit_token"}
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if "title" in self.fields:
            self.fields["title"].label = _("Title of the document")
        if "chapter_word" in self.fields:
            # Forms that do not send it (older pages, scripts) keep the usual word.
            self.fields["chapter_word"].required = False
        if "hidden_parts" in self.fields:
            self.fields["hidden_parts"].choices = spec.parts
            if not spec.parts:
                del self.fields["hidden_parts"]

    def clean_document_date(self):
        date = self.cleaned_data["document_date"]
        if self.instance.fiscal_year:
            check_in_fiscal_year(date, fiscal_year=self.instance.fiscal_year)
        return date

    def clean_chapter_word(self) -> str:
        return self.cleaned_data["chapter_word"] or ChapterWord.CHAPTER

    def clean_body(self) -> str:
        return self.cleaned_data["body"].replace("\r\n", "\n")

    def clean_preface(self) -> str:
        return self.cleaned_data["preface"].replace("\r\n", "\n")

    def clean_background(self) -> str:
        return self.cleaned_data["background"].replace("\r\n", "\n")
