from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from ita_portal.concurrency import EditTokenField

from .levels import level_label, ordered_levels
from .models import (
    MAX_FISCAL_YEAR,
    MIN_FISCAL_YEAR,
    Indicator,
    Instrument,
    Item,
    ItemResult,
    Organisation,
    ResultLevel,
)
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
    """A year's scores in whatever form the office has them, built from the edition:
    every indicator's score, or only each instrument's own score, or only the
    published total and level."""

    official_total = ScoreField(
        label=_("Official total"),
        help_text=_("As published by the NACC; the portal checks it against its own sum."),
    )
    official_level = forms.ModelChoiceField(
        label=_("Published level"),
        queryset=ResultLevel.objects.none(),
        required=False,
        empty_label=_("Not known"),
        help_text=_(
            "Only when the scores behind it are not known: with the scores, the portal "
            "decides the level itself."
        ),
    )
    rank = forms.IntegerField(label=_("Rank"), required=False, min_value=1)
    ranked_out_of = forms.IntegerField(
        label=_("Number of agencies ranked"), required=False, min_value=1
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    edit_token = EditTokenField()

    def __init__(
        self,
        *args,
        indicators: list[Indicator],
        instruments: list[Instrument] | None = None,
        levels: list[ResultLevel] | None = None,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        self.instruments = instruments or []
        for indicator in indicators:
            self.fields[self.score_field_name(indicator.number)] = ScoreField(
                label=_("Indicator %(number)s %(name)s")
                % {"number": indicator.number, "name": indicator.name_th},
            )
        for instrument in self.instruments:
            self.fields[self.instrument_field_name(instrument.code)] = ScoreField(
                label=_("%(code)s %(name)s")
                % {"code": instrument.code, "name": instrument.name_th},
            )
        levels = ordered_levels(levels or [])
        field = self.fields["official_level"]
        field.queryset = ResultLevel.objects.filter(pk__in=[lv.pk for lv in levels])
        field.label_from_instance = _level_choice_label
        if not levels:
            del self.fields["official_level"]

    @staticmethod
    def score_field_name(number: int) -> str:
        return f"score_{number}"

    @staticmethod
    def instrument_field_name(code: str) -> str:
        return f"instrument_{code}"

    def score_fields(self) -> list[forms.BoundField]:
        return [self[self.score_field_name(i.number)] for i in self.indicators]

    def instrument_fields(self) -> list[forms.BoundField]:
        return [self[self.instrument_field_name(i.code)] for i in self.instruments]

    def clean(self) -> dict:
        cleaned = super().clean()
        rank, out_of = cleaned.get("rank"), cleaned.get("ranked_out_of")
        if rank and out_of and rank > out_of:
            self.add_error(
                "rank", _("The rank cannot be greater than the number of agencies ranked.")
            )
        if rank and not out_of:
            self.add_error("ranked_out_of", _("Enter how many agencies were ranked."))
        for instrument in self.instruments:
            # Two figures for one instrument could disagree: refuse rather than pick one silently.
            name = self.instrument_field_name(instrument.code)
            own = [i for i in self.indicators if i.instrument_id == instrument.pk]
            complete = bool(own) and all(
                cleaned.get(self.score_field_name(i.number)) is not None for i in own
            )
            if complete and cleaned.get(name) is not None:
                self.add_error(
                    name,
                    _(
                        "Every indicator of %(code)s has a score, so the portal computes the "
                        "%(code)s score from them. Leave this field empty."
                    )
                    % {"code": instrument.code},
                )
        return cleaned

    def scores(self) -> dict[int, Decimal | None]:
        return {
            i.number: self.cleaned_data.get(self.score_field_name(i.number))
            for i in self.indicators
        }

    def instrument_scores(self) -> dict[str, Decimal | None]:
        return {
            i.code: self.cleaned_data.get(self.instrument_field_name(i.code))
            for i in self.instruments
        }


def _level_choice_label(level: ResultLevel) -> str:
    label = level_label(level)
    return f"{label} ({level.label_th})" if level.grade else label


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


class ItemResultsForm(forms.Form):
    """The assessor's finding on each OIT item of the year's edition."""

    PASSED_CHOICES = [("", _("Not entered")), ("1", _("Passed")), ("0", _("Not passed"))]
    edit_token = EditTokenField()

    def __init__(self, *args, items: list[Item], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"passed_{item.pk}"] = forms.TypedChoiceField(
                label=_("Result"),
                choices=self.PASSED_CHOICES,
                required=False,
                coerce=lambda value: value == "1",
                empty_value=None,
            )
            self.fields[f"comment_{item.pk}"] = forms.CharField(
                label=_("Assessor's comment"), required=False, max_length=2000
            )
            self.fields[f"improvement_{item.pk}"] = forms.CharField(
                label=_("Improvement needed"), required=False, max_length=2000
            )

    def rows(self) -> list[dict]:
        return [
            {
                "item": item,
                "passed": self[f"passed_{item.pk}"],
                "comment": self[f"comment_{item.pk}"],
                "improvement": self[f"improvement_{item.pk}"],
            }
            for item in self.items
        ]

    def results(self) -> dict[int, tuple[bool | None, str, str]]:
        data = self.cleaned_data
        return {
            item.pk: (
                data.get(f"passed_{item.pk}"),
                data.get(f"comment_{item.pk}", "").strip(),
                data.get(f"improvement_{item.pk}", "").strip(),
            )
            for item in self.items
        }

    @staticmethod
    def initial_for(results: list[ItemResult]) -> dict:
        initial = {}
        for r in results:
            initial[f"passed_{r.item_id}"] = "1" if r.passed else "0"
            initial[f"comment_{r.item_id}"] = r.comment
            initial[f"improvement_{r.item_id}"] = r.improvement
        return initial
