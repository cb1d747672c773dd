"""The respondent's form, built from a round's question bank.

One radio group per answer field (a sub-item, or a question without
sub-items), named by its code as in imports (``I1.1``, ``I2``). The choices
are the bank's scale (``SCALE_CHOICES``) and nothing else; the service checks
the answers once more before storing them (``answers_check``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django import forms
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assessments.models import SCALE_CHOICES, Indicator, OneTimeCode, Question, SurveyRound

from .bank import Bank
from .services import normalise_code

REQUIRED_MESSAGE = _("Please choose an answer.")
INVALID_MESSAGE = _("Choose one of the answers shown.")


@dataclass
class ItemBlock:
    label: str  # "1.1 <text>", or "" for a question without sub-items
    field: forms.BoundField


@dataclass
class QuestionBlock:
    question: Question
    items: list[ItemBlock]

    @property
    def anchor(self) -> str:
        return f"q-{self.question.code}"

    @property
    def single(self) -> bool:
        """A question without sub-items: its own fieldset is the radio group."""
        return len(self.items) == 1 and not self.items[0].label

    @property
    def has_errors(self) -> bool:
        return any(item.field.errors for item in self.items)


@dataclass
class Section:
    indicator: Indicator
    questions: list[QuestionBlock] = field(default_factory=list)
    answered: int = 0

    @property
    def total(self) -> int:
        return sum(len(q.items) for q in self.questions)

    @property
    def progress(self) -> SafeString:
        """ "Indicator 1: 4 of 9 answered", the count in a span the script updates."""
        text = conditional_escape(
            gettext("Indicator %(number)s: %(answered)s of %(total)s answered")
        )
        answered = format_html('<span class="answered">{}</span>', self.answered)
        # Safe: the escaped translation, two numbers and our own span.
        return mark_safe(
            str(text) % {"number": self.indicator.number, "answered": answered, "total": self.total}
        )


class SurveyForm(forms.Form):
    """Every answer field of the bank, required (as on the official form); the
    one-time code when the round asks for one, a robot trap otherwise."""

    # Set by the view when the code of an e-mailed or printed link is already used.
    code_warning = False

    def __init__(self, *args, bank: Bank, survey_round: SurveyRound, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.bank = bank
        self.survey_round = survey_round
        for question in bank.questions:
            choices = [(str(c.value), c.label) for c in SCALE_CHOICES[question.scale]]
            for item in question.items.all():
                self.fields[item.code] = forms.ChoiceField(
                    label=item.text_th or question.text_th,
                    choices=choices,
                    widget=forms.RadioSelect,
                    error_messages={
                        "required": REQUIRED_MESSAGE,
                        "invalid_choice": INVALID_MESSAGE,
                    },
                )
        if survey_round.uses_codes:
            self.fields["code"] = forms.CharField(
                label=_("Your one-time code"),
                max_length=40,
                help_text=_("As printed on your slip or in the link you received, e.g. ABCD2345."),
                error_messages={"required": _("Enter the code from your slip.")},
                widget=forms.TextInput(
                    attrs={
                        "autocomplete": "off",
                        "autocapitalize": "characters",
                        "spellcheck": "false",
                    }
                ),
            )
        else:
            # A trap for robots: hidden from people and screen readers, so only a
            # program that fills every box fills it.
            self.fields["website"] = forms.CharField(
                label=_("Website"),
                required=False,
                widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
            )

    @property
    def caught_in_honeypot(self) -> bool:
        return (
            self.is_bound
            and "website" in self.fields
            and bool(str(self.data.get(self.add_prefix("website")) or "").strip())
        )

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        known = OneTimeCode.objects.filter(round=self.survey_round, code=code, used=False)
        if not code or not known.exists():
            raise forms.ValidationError(
                _(
                    "This code is not valid or has already been used. Check the code on your "
                    "slip; each code can be used once."
                ),
                code="code",
            )
        return code

    def values(self) -> dict[str, int]:
        """The answers as the service takes them: {item code: choice value}."""
        return {item.code: int(self.cleaned_data[item.code]) for item in self.bank.items}

    @cached_property
    def sections(self) -> list[Section]:
        """The fields grouped as on the page: indicator → question → sub-item, with
        how many are answered (right on a re-rendered page, without the script)."""
        sections = []
        for group in self.bank.indicators:
            section = Section(group.indicator)
            for question in group.questions:
                block = QuestionBlock(question, [])
                for item in question.items.all():
                    bound = self[item.code]
                    label = (
                        f"{question.number}.{item.number} {item.text_th}" if item.text_th else ""
                    )
                    block.items.append(ItemBlock(label, bound))
                    allowed = {value for value, _label in self.fields[item.code].choices}
                    if self.is_bound and bound.value() in allowed:
                        section.answered += 1
                section.questions.append(block)
            sections.append(section)
        return sections

    @property
    def unanswered(self) -> list[QuestionBlock]:
        """Questions with a missing or refused answer, in the order of the form."""
        return [q for s in self.sections for q in s.questions if q.has_errors]
