"""The review's forms: they validate and normalise; the services decide the rules."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ita_portal.concurrency import EditTokenField
from ita_portal.fields import ThaiDateField

from ..forms import DOCUMENT_ACCEPT
from ..models import ItemReview, Verdict

VERDICT_CHOICES = [(Verdict.PASS, Verdict.PASS.label), (Verdict.FAIL, Verdict.FAIL.label)]


class SubmitForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "I have checked the items: the assessor will review them as they are now, and later "
            "changes will not be seen."
        ),
        error_messages={"required": _("Tick the box to confirm that you want to submit.")},
    )


class ReviewForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("Verdict"),
        choices=VERDICT_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose passed or not passed.")},
    )
    score = forms.DecimalField(
        label=_("Score (0–100)"),
        required=False,
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        help_text=_("Only when the framework scores items other than 100 or 0."),
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea({"rows": 2})
    )
    improvement = forms.CharField(
        label=_("Improvement needed"), required=False, widget=forms.Textarea({"rows": 2})
    )
    edit_token = EditTokenField()

    def __init__(self, *args, review: ItemReview, **kwargs) -> None:
        # One form per item on the page: element ids and names carry the item code.
        kwargs.setdefault("prefix", f"item-{review.item.code}")
        kwargs.setdefault(
            "initial",
            {
                "verdict": review.verdict or None,
                "score": review.score,
                "comment": review.comment,
                "improvement": review.improvement,
            },
        )
        super().__init__(*args, **kwargs)


class DeadlineForm(forms.Form):
    deadline = ThaiDateField(label=_("Clarifications until"))


class ClarificationForm(forms.Form):
    text = forms.CharField(label=_("Clarification"), widget=forms.Textarea({"rows": 3}))
    url = forms.URLField(
        label=_("New evidence (link)"),
        required=False,
        max_length=1000,
        help_text=_("The full address of the page or file that shows the item."),
    )
    file = forms.FileField(
        label=_("New evidence (file)"),
        required=False,
        widget=forms.ClearableFileInput({"accept": DOCUMENT_ACCEPT}),
        help_text=_(
            "A PDF, Word, Excel or PowerPoint document, or a photo. Text alone is fine when "
            "the evidence is already on the page."
        ),
    )

    def __init__(self, *args, code: str, **kwargs) -> None:
        kwargs.setdefault("prefix", f"clarify-{code}")
        super().__init__(*args, **kwargs)

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise ValidationError(_("Write what you clarify."))
        return text
