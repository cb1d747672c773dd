"""The analysis in the office's words: the drafts of a year's texts, edited by its editors."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.access import organisation_access
from ita_portal.concurrency import EditTokenField, StaleEdit, stale_context, stale_form

from ..analysis_text import (
    OfficeAnalysis,
    Topic,
    analysis_for,
    analysis_text_save,
    analysis_texts_edit_token,
)
from .common import context, fiscal_year_or_404, not_saved, require_edit

MAX_TEXT = 20_000


class AnalysisTextsForm(forms.Form):
    """One box per topic; the "use the draft" button of a topic posts its key as ``regenerate``."""

    edit_token = EditTokenField()
    regenerate = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    def __init__(self, *args, topics: list[Topic], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.topics = topics
        for topic in topics:
            self.fields[self.field_name(topic)] = forms.CharField(
                label=topic.label,
                required=False,
                max_length=MAX_TEXT,
                initial=topic.text,
                widget=forms.Textarea(attrs={"rows": 6}),
            )

    @staticmethod
    def field_name(topic: Topic) -> str:
        return f"text-{topic.key}"

    def clean_regenerate(self) -> str:
        key = self.cleaned_data["regenerate"]
        if key and key not in {t.key for t in self.topics}:
            raise forms.ValidationError(gettext_lazy("This text is no longer in the analysis."))
        return key

    def texts(self) -> dict[str, str | None]:
        """The texts to save by key; ``None`` for the one going back to its draft.

        A box the POST did not carry is left as it is (a browser sends every box,
        emptied ones too; an empty box means "print nothing").
        """
        regenerate = self.cleaned_data.get("regenerate")
        texts: dict[str, str | None] = {}
        for topic in self.topics:
            name = self.add_prefix(self.field_name(topic))
            if topic.key == regenerate:
                texts[topic.key] = None
            elif name in self.data:
                texts[topic.key] = self.cleaned_data[self.field_name(topic)]
        return texts

    def rows(self) -> list[tuple[Topic, forms.BoundField]]:
        return [(t, self[self.field_name(t)]) for t in self.topics]


def _form(analysis: OfficeAnalysis, data=None) -> AnalysisTextsForm:
    topics = list(analysis.topics.values())
    if data is not None:
        return AnalysisTextsForm(data, topics=topics)
    return AnalysisTextsForm(
        topics=topics, initial={"edit_token": analysis_texts_edit_token(analysis)}
    )


@login_required
def analysis_texts(request: HttpRequest, org: str, year: int) -> HttpResponse:
    access = organisation_access(request.user, org)
    organisation = access.organisation
    year = fiscal_year_or_404(year)
    analysis = analysis_for(organisation=organisation, fiscal_year=year)
    status, stale = 200, {}
    if request.method == "POST":
        require_edit(access)
        form = _form(analysis, request.POST)
        if form.is_valid():
            try:
                analysis_text_save(
                    organisation=organisation,
                    fiscal_year=year,
                    texts=form.texts(),
                    token=form.cleaned_data["edit_token"],
                )
            except StaleEdit as error:
                analysis = analysis_for(organisation=organisation, fiscal_year=year)
                form = stale_form(form, analysis_texts_edit_token(analysis))
                stale = stale_context(error)
            else:
                if form.cleaned_data["regenerate"]:
                    messages.success(request, _("The text is back to the draft from the figures."))
                else:
                    messages.success(request, _("The analysis texts were saved."))
                return redirect("measures_staff:analysis-texts", org=org, year=year)
        if not stale:
            not_saved(request)
        status = 409 if stale else 400
    else:
        form = _form(analysis)
    return render(
        request,
        "measures/staff_analysis.html",
        context(access, year=year, analysis=analysis, form=form, **stale),
        status=status,
    )
