"""Public forms of the complaint channel: filing, tracking and replying.

Forms validate and normalise; the rules they feed (codes, PINs, checking
uploads by their content) are in ``complaints.services``. No message here
repeats what the visitor typed, so an error can never carry an identity
anywhere but back to the same page.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from ita_portal.fields import MultipleFileField, ThaiDateField

from .models import IDENTITY_FIELDS, Category

# Enough for a case file; more belongs in a letter or a visit.
MAX_FILES = 10
ACCEPTED_FILES = "image/jpeg,image/png,image/webp,.pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx"
FILES_HELP = lazy(
    lambda: (
        _(
            "Photos, PDF, Word, Excel or PowerPoint files, up to %(count)s at once. "
            "If the form shows an error, choose the files again."
        )
        % {"count": MAX_FILES}
    ),
    str,
)()


class LimitedFileField(MultipleFileField):
    """Several files, not required, at most MAX_FILES of them."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("accept", ACCEPTED_FILES)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data: object, initial: object = None) -> list:
        files = super().clean(data, initial)
        if len(files) > MAX_FILES:
            raise forms.ValidationError(
                _("Choose at most %(count)s files at once."),
                code="too_many_files",
                params={"count": MAX_FILES},
            )
        return files


def _textarea(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _thai_id_valid(digits: str) -> bool:
    """The 13th digit of a Thai ID card number checks the first twelve."""
    total = sum(int(d) * (13 - i) for i, d in enumerate(digits[:12]))
    return (11 - total % 11) % 10 == int(digits[12])


class ComplaintForm(forms.Form):
    """A complaint from the public web form (reference 003, measure 4, 1.3–1.4)."""

    category = forms.ChoiceField(
        label=_("What is the complaint about?"),
        choices=Category.choices,
        widget=forms.RadioSelect,
    )
    accused = forms.CharField(
        label=_("Who or which unit is the complaint about?"),
        max_length=500,
        help_text=_("The name and position of the officer, or the name of the unit."),
    )
    facts = forms.CharField(
        label=_("What happened?"),
        max_length=20000,
        widget=_textarea(8),
        help_text=_(
            "The acts complained of and the facts around them: what was done, where, "
            "and how you know it."
        ),
    )
    request = forms.CharField(
        label=_("What do you ask the office to do?"),
        max_length=5000,
        required=False,
        widget=_textarea(3),
    )
    incident_date = ThaiDateField(
        label=_("When did it happen?"),
        required=False,
        help_text=_("The date, if you know it: pick it or type it as day/month/year."),
    )
    witnesses = forms.CharField(
        label=_("Evidence and witnesses"),
        max_length=5000,
        required=False,
        widget=_textarea(4),
        help_text=_(
            "Documents, photos or other evidence you have, and people who saw what happened."
        ),
    )
    files = LimitedFileField(label=_("Evidence files"), help_text=FILES_HELP)

    anonymous = forms.BooleanField(
        label=_("I want to stay anonymous"),
        required=False,
        help_text=_(
            "If you tick this box, the fields about you below are ignored and nothing about "
            "you is kept. An anonymous complaint is taken up only if it states clear "
            "evidence or names witnesses, and the office cannot contact you: follow the "
            "case with the tracking code and PIN."
        ),
    )
    complainant_name = forms.CharField(label=_("Your name"), max_length=255, required=False)
    complainant_phone = forms.CharField(
        label=_("Telephone"),
        max_length=50,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    complainant_email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    complainant_address = forms.CharField(
        label=_("Address"), max_length=1000, required=False, widget=_textarea(3)
    )
    notify_by_email = forms.BooleanField(
        label=_("E-mail me when the office answers"),
        required=False,
        help_text=_(
            "To the e-mail address above. The e-mail only says that there is news and "
            "gives the address of the tracking page: never what the office wrote, and "
            "never your PIN. Not for anonymous complaints."
        ),
    )
    complainant_id_number = forms.CharField(
        label=_("ID card number (if you wish)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    consent = forms.BooleanField(
        label=_(
            "I confirm that what I state is true to the best of my knowledge, and I have "
            "read how the office uses and keeps my information."
        ),
        error_messages={"required": _("Please confirm this to send the complaint.")},
    )
    # A one-time key, drawn when the form is shown: sending the same form twice
    # (a double click, a resent POST) files one complaint, not two.
    submission_key = forms.UUIDField(required=False, widget=forms.HiddenInput)
    # A trap for robots: hidden from people and screen readers, so only a
    # program that fills every box fills it.
    website = forms.CharField(
        label=_("Website"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["anonymous"]
        self.anonymous_chosen = self.is_bound and field.to_python(
            field.widget.value_from_datadict(self.data, self.files, self.add_prefix("anonymous"))
        )
        if self.anonymous_chosen:
            # Whatever was typed about the complainant is dropped before any
            # check, so it is neither validated, echoed nor kept.
            data = self.data.copy()
            for name in IDENTITY_FIELDS:
                data[self.add_prefix(name)] = ""
            self.data = data

    @property
    def caught_in_honeypot(self) -> bool:
        return self.is_bound and bool(str(self.data.get(self.add_prefix("website")) or "").strip())

    def clean_incident_date(self) -> dt.date | None:
        value = self.cleaned_data["incident_date"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."), code="future")
        return value

    def clean_complainant_phone(self) -> str:
        value = self.cleaned_data["complainant_phone"].strip()
        if value and sum(ch.isdigit() for ch in value) < 6:
            raise forms.ValidationError(
                _("Enter a telephone number the office can call."), code="phone"
            )
        return value

    def clean_complainant_id_number(self) -> str:
        value = self.cleaned_data["complainant_id_number"]
        digits = "".join(ch for ch in value if not ch.isspace() and ch != "-")
        if not digits:
            return ""
        if (
            len(digits) != 13
            or not digits.isascii()
            or not digits.isdigit()
            or not _thai_id_valid(digits)
        ):
            raise forms.ValidationError(
                _("Enter the 13 digits of a Thai ID card number, or leave it empty."),
                code="id_number",
            )
        return digits

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.anonymous_chosen:
            # Reference 003, 1.4: an anonymous letter is taken up only with clear
            # evidence or named witnesses, so ask for them now rather than reject later.
            given = cleaned.get("witnesses") or cleaned.get("files")
            if not given and "witnesses" not in self.errors and "files" not in self.errors:
                self.add_error(
                    "witnesses",
                    forms.ValidationError(
                        _(
                            "An anonymous complaint is taken up only if it states clear evidence "
                            "or witnesses: describe them here or attach evidence files."
                        ),
                        code="anonymous_without_evidence",
                    ),
                )
            if cleaned.get("notify_by_email"):
                self.add_error(
                    "notify_by_email",
                    forms.ValidationError(
                        _(
                            "An anonymous complaint gets no e-mails, as the office keeps no "
                            "address: untick one of the two boxes. You can follow the case "
                            "with the tracking code and PIN."
                        ),
                        code="anonymous_no_email",
                    ),
                )
            return cleaned
        if (
            cleaned.get("notify_by_email")
            and not cleaned.get("complainant_email")
            and "complainant_email" not in self.errors
        ):
            self.add_error(
                "complainant_email",
                forms.ValidationError(
                    _("Give the e-mail address to be told at when the office answers."),
                    code="email_for_notice",
                ),
            )
        if not cleaned.get("complainant_name") and "complainant_name" not in self.errors:
            self.add_error(
                "complainant_name",
                forms.ValidationError(
                    _("Give your name, or choose to stay anonymous."), code="name_required"
                ),
            )
        contacts = ("complainant_phone", "complainant_email", "complainant_address")
        if not any(cleaned.get(name) for name in contacts) and not any(
            name in self.errors for name in contacts
        ):
            self.add_error(
                "complainant_phone",
                forms.ValidationError(
                    _("Give at least one way to reach you: telephone, e-mail or address."),
                    code="contact_required",
                ),
            )
        return cleaned

    def complaint_fields(self) -> dict:
        """The keyword arguments of ``services.complaint_file`` (channel and organisation aside)."""
        data = self.cleaned_data
        return {
            "category": data["category"],
            "accused": data["accused"],
            "facts": data["facts"],
            "request": data["request"],
            "incident_date": data["incident_date"],
            "witnesses": data["witnesses"],
            "anonymous": bool(data["anonymous"]),
            "identity": {} if data["anonymous"] else {name: data[name] for name in IDENTITY_FIELDS},
            "notify_by_email": bool(data["notify_by_email"]) and not data["anonymous"],
            "files": data["files"],
            "submission_key": data["submission_key"],
        }


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        help_text=_("As it was shown when you filed the complaint, e.g. ACDE-FGHJ-KMNP."),
    )
    pin = forms.CharField(
        label=_("PIN"),
        max_length=20,
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Your message to the office"), max_length=10000, required=False, widget=_textarea(5)
    )
    files = LimitedFileField(label=_("Files"), help_text=FILES_HELP)

    def clean_text(self) -> str:
        return self.cleaned_data["text"].strip()

    def clean(self) -> dict:
        cleaned = super().clean()
        if not self.errors and not cleaned.get("text") and not cleaned.get("files"):
            raise forms.ValidationError(_("Write a message or choose a file."), code="empty")
        return cleaned
