"""Staff forms for an OIT item: its page settings, uploads, links and entries.

Forms validate and normalise; the rules they feed (cleaning the explanation,
checking each upload's content, "last updated") are in ``disclosures.services``.
"""

from __future__ import annotations

import re
from html import unescape

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import Organisation, Unit
from ita_portal.concurrency import EditTokenField
from ita_portal.fields import (
    MultipleFileField,
    ThaiDateField,
    check_in_fiscal_year,
    check_not_future,
)

from .models import Disclosure, Entry

# What the file chooser offers first; the server checks the content anyway.
DOCUMENT_ACCEPT = (
    ".pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,"
    "application/pdf,image/jpeg,image/png,image/webp,"
    "application/msword,application/vnd.ms-excel,application/vnd.ms-powerpoint,"
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document,"
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,"
    "application/vnd.openxmlformats-officedocument.presentationml.presentation"
)


_PLAIN_PARAGRAPHS = re.compile(r"(?:<p>(?:[^<]|<br>)*</p>)+")


def explanation_as_text(html: str) -> str:
    """The stored explanation as the form shows it for editing.

    Text typed without markup is stored as ``<p>`` paragraphs; it goes back
    as the plain text it was, so staff who never typed HTML never see any.
    Anything else is shown as the HTML it is.
    """
    if not _PLAIN_PARAGRAPHS.fullmatch(html or ""):
        return html
    paragraphs = re.findall(r"<p>(.*?)</p>", html, re.DOTALL)
    text = "\n\n".join(unescape(p.replace("<br>", "\n")) for p in paragraphs)
    # Text with a "<" in it could read as markup when saved again: keep the HTML.
    return html if "<" in text else text


class DisclosureForm(forms.Form):
    """The item's page: explanation, responsible unit, due date, the review mark."""

    explanation = forms.CharField(
        label=_("Explanation shown on the page"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Plain text: leave an empty line between paragraphs. Simple HTML also works "
            "(paragraphs, bold, lists, tables, links); anything else, such as scripts "
            "or styles, is removed when saved."
        ),
    )
    unit = forms.ModelChoiceField(
        label=_("Responsible unit"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("— not assigned —"),
    )
    due_date = ThaiDateField(label=_("Due date"), required=False)
    reviewed = forms.BooleanField(
        label=_("I have checked this item: clear the “to review” mark"),
        required=False,
        help_text=_("It was copied from the year before. Publishing it also clears the mark."),
    )
    edit_token = EditTokenField()

    def __init__(
        self,
        *args,
        organisation: Organisation,
        disclosure: Disclosure | None = None,
        unit_ids: frozenset[int] | None = None,
        fiscal_year: int | None = None,
        **kwargs,
    ) -> None:
        self.fiscal_year = disclosure.fiscal_year if disclosure is not None else fiscal_year
        if disclosure is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "explanation": explanation_as_text(disclosure.explanation),
                "unit": disclosure.unit_id,
                "due_date": disclosure.due_date,
            }
        super().__init__(*args, **kwargs)
        # Only this organisation's units: another's unit is "not a valid choice".
        self.fields["unit"].queryset = Unit.objects.offered(
            organisation, keep=[disclosure.unit_id] if disclosure and disclosure.unit_id else ()
        )
        if unit_ids is not None:
            # A member limited to units keeps the item with one of their own units.
            self.fields["unit"].queryset = self.fields["unit"].queryset.filter(pk__in=unit_ids)
            self.fields["unit"].required = True
        if disclosure is None or not disclosure.to_review:
            del self.fields["reviewed"]

    def clean_due_date(self):
        due_date = self.cleaned_data["due_date"]
        if self.fiscal_year:
            check_in_fiscal_year(due_date, fiscal_year=self.fiscal_year)
        return due_date


def _clean_document_date(form: forms.Form):
    """A document's date: the document exists, so its date is not after today."""
    date = form.cleaned_data["date"]
    check_not_future(date)
    return date


class EntryFilesForm(forms.Form):
    files = MultipleFileField(
        label=_("Files"),
        accept=DOCUMENT_ACCEPT,
        help_text=_(
            "PDF, Word, Excel or PowerPoint documents, or photos (JPEG, PNG, WebP). "
            "You can choose several files at once."
        ),
    )
    title = forms.CharField(
        label=_("Title"),
        required=False,
        max_length=500,
        help_text=_(
            "For a single file. With several files, each is titled after its file name; "
            "you can change the titles afterwards."
        ),
    )
    date = ThaiDateField(label=_("Document date"), required=False)
    clean_date = _clean_document_date

    def __init__(self, *args, **kwargs) -> None:
        # Shares the page with two other forms: its own element ids.
        kwargs.setdefault("auto_id", "upload_%s")
        super().__init__(*args, **kwargs)

    def titles(self) -> list[str]:
        files = self.cleaned_data["files"]
        return [self.cleaned_data["title"]] if len(files) == 1 else []


class EntryLinkForm(forms.Form):
    url = forms.URLField(
        label=_("Link"),
        max_length=1000,
        help_text=_("The full address, e.g. a page of the agency's website or a shared drive."),
    )
    title = forms.CharField(label=_("Title"), max_length=500)
    date = ThaiDateField(label=_("Date"), required=False)
    clean_date = _clean_document_date

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "link_%s")
        super().__init__(*args, **kwargs)


class EntryForm(forms.Form):
    """An entry's title and date, and the address of a link."""

    title = forms.CharField(label=_("Title"), max_length=500)
    date = ThaiDateField(label=_("Date"), required=False)
    url = forms.URLField(label=_("Link"), max_length=1000)
    edit_token = EditTokenField()
    clean_date = _clean_document_date

    def __init__(self, *args, entry: Entry, **kwargs) -> None:
        kwargs.setdefault("initial", {"title": entry.title, "date": entry.date, "url": entry.url})
        super().__init__(*args, **kwargs)
        if entry.is_document:
            # A document's file is replaced by deleting it and uploading the new one.
            del self.fields["url"]
