from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MAX_FISCAL_YEAR, MIN_FISCAL_YEAR, Indicator, Organisation
from .services import ScoreError, parse_score


class ScoreField(forms.CharField):
    """A score 0–100 with at most two decimals; empty gives ``None``."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {
                "inputmode": "decimal",
                "autocomplete": "off",
                "class": "score-input",
                "maxlength": "10",
            }
        )

    def to_python(self, value: object) -> Decimal | None:
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            return parse_score(text)
        except ScoreError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from None

    def prepare_value(self, value: object) -> object:
        if isinstance(value, Decimal):
            return f"{value:.2f}"
        return value


class AssessmentForm(forms.Form):
    """A year's ten indicator scores and the figures published with them."""

    official_total = ScoreField(
        label=_("Official total"),
        help_text=_("As published by the NACC; the portal checks it against its own sum."),
    )
    rank = forms.IntegerField(label=_("Rank"), required=False, min_value=1)
    ranked_out_of = forms.IntegerField(
        label=_("Number of agencies ranked"), required=False, min_value=1
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, indicators: list[Indicator], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        for indicator in indicators:
            self.fields[self.score_field_name(indicator.number)] = ScoreField(
                label=_("Indicator %(number)s %(name)s")
                % {"number": indicator.number, "name": indicator.name_th},
            )

    @staticmethod
    def score_field_name(number: int) -> str:
        return f"score_{number}"

    def score_fields(self) -> list[forms.BoundField]:
        return [self[self.score_field_name(i.number)] for i in self.indicators]

    def clean(self) -> dict:
        cleaned = super().clean()
        rank, out_of = cleaned.get("rank"), cleaned.get("ranked_out_of")
        if rank and out_of and rank > out_of:
            self.add_error(
                "rank", _("The rank cannot be greater than the number of agencies ranked.")
            )
        if rank and not out_of:
            self.add_error("ranked_out_of", _("Enter how many agencies were ranked."))
        return cleaned

    def scores(self) -> dict[int, Decimal | None]:
        return {
            i.number: self.cleaned_data.get(self.score_field_name(i.number))
            for i in self.indicators
        }


class YearForm(forms.Form):
    fiscal_year = forms.IntegerField(
        label=_("Fiscal year (BE)"),
        min_value=MIN_FISCAL_YEAR,
        max_value=MAX_FISCAL_YEAR,
        error_messages={
            "min_value": _("Enter a Buddhist Era year, e.g. 2566."),
            "max_value": _("Enter a Buddhist Era year, e.g. 2566."),
            "invalid": _("Enter a Buddhist Era year, e.g. 2566."),
        },
    )


class ThresholdForm(forms.ModelForm):
    develop_threshold = ScoreField(
        label=_("Threshold for indicators to develop"),
        help_text=_(
            "Indicators scoring below this are listed as to develop. "
            "Leave empty to use the pass mark (85); some offices use 100."
        ),
    )

    class Meta:
        model = Organisation
        fields = ["develop_threshold"]
