"""Complaint officers' forms: the queue filters, recording a complaint received by
another channel, and the steps of a case.

Forms validate and normalise; the steps themselves (and their refusals) are
in ``complaints.services``.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import Organisation, Role
from ita_portal.fields import MultipleFileField, ThaiDateField

from .models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    IDENTITY_FIELDS,
    Category,
    Channel,
    Complaint,
    RejectionReason,
    Status,
)
from .services import tracking_code_normalise

# What an officer may record: everything but the web form, which the public fills in.
RECORDED_CHANNELS = [(value, label) for value, label in Channel.choices if value != Channel.WEB]


def _any(label: str) -> list[tuple[str, str]]:
    return [("", label)]


def _labelled(label: str) -> forms.Select:
    # The filters sit in one row without visible labels; a screen reader still reads one.
    return forms.Select(attrs={"aria-label": label})


class QueueFilterForm(forms.Form):
    """GET filters of the queue; a value that is not a choice is simply not applied."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=_any(_("All statuses")) + Status.choices,
        widget=_labelled(_("Status")),
    )
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=_any(_("All categories")) + Category.choices,
        widget=_labelled(_("Category")),
    )
    channel = forms.ChoiceField(
        label=_("Channel"),
        required=False,
        choices=_any(_("All channels")) + Channel.choices,
        widget=_labelled(_("Channel")),
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def filters(self) -> dict:
        """The filters that were given and are valid (the rest are ignored, not an error)."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}


class CodeSearchForm(forms.Form):
    """Find a case by its tracking code, as typed or read out (dashes, spaces, lower
    case and Thai digits forgiven)."""

    code = forms.CharField(
        label=_("Find by tracking code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        help_text=_("12 letters and digits, e.g. ACDE-FGHJ-KMNP."),
    )

    def clean_code(self) -> str:
        code = tracking_code_normalise(self.cleaned_data["code"])
        if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
            raise forms.ValidationError(
                _("A tracking code has 12 letters and digits, e.g. ACDE-FGHJ-KMNP."),
                code="bad_code",
            )
        return code


# --- Recording a complaint received by walk-in, telephone, post … -------------------


def thai_id_valid(number: str) -> bool:
    """13 digits whose last is the check digit of the Thai national ID card."""
    if len(number) != 13 or not number.isascii() or not number.isdigit():
        return False
    total = sum(int(digit) * (13 - index) for index, digit in enumerate(number[:12]))
    return (11 - total % 11) % 10 == int(number[12])


class RecordForm(forms.ModelForm):
    """A complaint an officer received in person, by telephone, post, e-mail, Facebook,
    the hotline or the complaint box, typed in on the complainant's behalf.

    The model gives the fields and their checks; the form is never saved:
    ``services.complaint_file`` records the complaint.
    """

    channel = forms.ChoiceField(label=_("Received by"), choices=RECORDED_CHANNELS)
    received_on = ThaiDateField(label=_("Date received"))
    incident_date = ThaiDateField(
        label=_("Date of the incident"),
        required=False,
        help_text=_("If known. Pick the date, or type it as day/month/year."),
    )
    files = MultipleFileField(
        required=False,
        label=_("Documents or photos received"),
        help_text=_("Photos, PDF or Office documents. You can choose several files at once."),
    )

    class Meta:
        model = Complaint
        fields = [
            "category",
            "accused",
            "facts",
            "request",
            "witnesses",
            "anonymous",
            *IDENTITY_FIELDS,
        ]
        widgets = {
            "accused": forms.TextInput(),
            "facts": forms.Textarea(attrs={"rows": 6}),
            "request": forms.Textarea(attrs={"rows": 3}),
            "witnesses": forms.Textarea(attrs={"rows": 3}),
            "complainant_address": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "anonymous": _(
                "Tick when the complainant does not give their name (e.g. a letter without "
                "a sender); no identity is kept then."
            ),
        }

    field_order = [
        "channel",
        "received_on",
        "category",
        "accused",
        "facts",
        "request",
        "incident_date",
        "witnesses",
        "files",
        "anonymous",
        *IDENTITY_FIELDS,
    ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate()
        field = self.fields["anonymous"]
        anonymous = self.is_bound and field.to_python(
            field.widget.value_from_datadict(self.data, self.files, self.add_prefix("anonymous"))
        )
        if anonymous:
            # Whatever was typed about the complainant is dropped before any check,
            # so it is neither validated, shown again nor kept.
            data = self.data.copy()
            for name in IDENTITY_FIELDS:
                data[self.add_prefix(name)] = ""
            self.data = data

    def clean_received_on(self) -> dt.date:
        received = self.cleaned_data["received_on"]
        if received > timezone.localdate():
            raise forms.ValidationError(_("The date received cannot be in the future."))
        return received

    def clean_incident_date(self) -> dt.date | None:
        incident = self.cleaned_data["incident_date"]
        if incident and incident > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."), code="future")
        return incident

    def clean_complainant_phone(self) -> str:
        phone = self.cleaned_data["complainant_phone"].strip()
        if phone and sum(ch.isdigit() for ch in phone) < 6:
            raise forms.ValidationError(
                _("Enter a telephone number the office can call."), code="phone"
            )
        return phone

    def clean_complainant_id_number(self) -> str:
        number = "".join(
            ch
            for ch in self.cleaned_data["complainant_id_number"]
            if not ch.isspace() and ch != "-"
        )
        if number and not thai_id_valid(number):
            raise forms.ValidationError(
                _("Enter the 13 digits of a Thai ID card number, or leave it empty."),
                code="id_number",
            )
        return number

    def clean(self) -> dict:
        cleaned = super().clean()
        if (
            not cleaned.get("anonymous")
            and not any(
                cleaned.get(name)
                for name in ("complainant_name", "complainant_phone", "complainant_email")
            )
            and not any(name in self.errors for name in IDENTITY_FIELDS)
        ):
            self.add_error(
                "complainant_name",
                _("Give the complainant's name or a contact, or tick “anonymous”."),
            )
        return cleaned

    def received_at(self) -> dt.datetime:
        """Now for a complaint received today; midday of an earlier day otherwise."""
        received = self.cleaned_data["received_on"]
        if received == timezone.localdate():
            return timezone.now()
        return timezone.make_aware(dt.datetime.combine(received, dt.time(12, 0)))

    def identity(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name, "") for name in IDENTITY_FIELDS}


# --- The steps of a case --------------------------------------------------------------


class StepForm(forms.Form):
    """A step's form on the case page: several share the page, so ids carry the step name."""

    step = ""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", f"{self.step}_%s")
        super().__init__(*args, **kwargs)


def officers_of(organisation: Organisation) -> QuerySet:
    return (
        get_user_model()
        .objects.filter(
            memberships__organisation=organisation,
            memberships__role=Role.COMPLAINT_OFFICER,
            is_active=True,
        )
        .order_by("first_name", "last_name", "username")
    )


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.get_username()


class AssignForm(StepForm):
    step = "assign"
    officer = OfficerChoiceField(
        label=_("Officer in charge"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("Nobody"),
    )

    def __init__(self, *args, organisation: Organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The organisation's complaint officers only: anyone else is not a valid choice.
        self.fields["officer"].queryset = officers_of(organisation)


class MessageOptionalForm(StepForm):
    message = forms.CharField(
        label=_("Message to the complainant (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AcceptForm(MessageOptionalForm):
    step = "accept"


class InvestigateForm(MessageOptionalForm):
    step = "investigate"


class RejectForm(MessageOptionalForm):
    step = "reject"
    reason = forms.ChoiceField(
        label=_("Reason for not taking it up"),
        choices=_any("—") + RejectionReason.choices,
    )
    field_order = ["reason", "message"]


class ConcludeForm(StepForm):
    step = "conclude"
    outcome = forms.CharField(
        label=_("Outcome for the complainant"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The complainant reads this on the tracking page."),
    )


class ForwardForm(MessageOptionalForm):
    step = "forward"
    agency = forms.CharField(label=_("Forward to (agency)"), max_length=500)
    field_order = ["agency", "message"]


class ComplainantMessageForm(StepForm):
    step = "message"
    text = forms.CharField(
        label=_("Message to the complainant"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The complainant reads this on the tracking page."),
    )


class NoteForm(StepForm):
    step = "note"
    text = forms.CharField(
        label=_("Internal note"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Seen by complaint officers only, never by the complainant."),
    )
