"""Forms of the staff pages of survey rounds; each cleans to typed values with Thai messages."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import Instrument
from ita_portal.fields import ThaiDateField, add_date_error, check_in_fiscal_year

from .rounds import CODES_INSTRUMENTS, MAX_EMAILS
from .services import MAX_CODES_PER_BATCH


class _DatesForm(forms.Form):
    """A round's dates; with ``fiscal_year``, both near that year (a round of 2570
    closing in 2575 is a slip)."""

    opens_on = ThaiDateField(label=gettext_lazy("Opens on"))
    closes_on = ThaiDateField(label=gettext_lazy("Closes on"))

    def __init__(self, *args, fiscal_year: int | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fiscal_year = fiscal_year

    def clean(self):
        data = super().clean()
        if self.fiscal_year:
            for name in ("opens_on", "closes_on"):
                add_date_error(self, name, check_in_fiscal_year, fiscal_year=self.fiscal_year)
        opens_on: dt.date | None = data.get("opens_on")
        closes_on: dt.date | None = data.get("closes_on")
        if opens_on and closes_on and closes_on < opens_on:
            self.add_error("closes_on", _("The closing date is before the opening date."))
        return data


class RoundEditForm(_DatesForm):
    population = forms.IntegerField(
        label=gettext_lazy("Population"),
        required=False,
        min_value=0,
        max_value=10_000_000,
        help_text=gettext_lazy(
            "IIT: staff with at least one year of service. EIT: people who used the "
            "agency's services in the year. Leave empty if not known yet."
        ),
        error_messages={"min_value": gettext_lazy("Enter a number of people (0 or more).")},
    )
    uses_codes = forms.BooleanField(
        label=gettext_lazy("One-time codes (each staff member answers once)"),
        required=False,
        help_text=gettext_lazy("For the IIT: print slips or e-mail links, one code per person."),
    )


class RoundCreateForm(RoundEditForm):
    """Opening a round of ``fiscal_year``; the instruments offered are the year's
    edition's that have questions."""

    instrument = forms.ChoiceField(label=gettext_lazy("Survey"))
    field_order = ["instrument", "opens_on", "closes_on", "population", "uses_codes"]

    def __init__(self, *args, instruments: list[Instrument], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instrument"].choices = [
            (i.code, f"{i.code} – {i.name_th}") for i in instruments
        ]

    def clean(self):
        data = super().clean()
        if data.get("uses_codes") and data.get("instrument") not in CODES_INSTRUMENTS:
            # The public answers the EIT on an open link; codes are for staff.
            data["uses_codes"] = False
        return data


class CodesGenerateForm(forms.Form):
    count = forms.IntegerField(
        label=gettext_lazy("How many new codes"),
        min_value=1,
        max_value=MAX_CODES_PER_BATCH,
        error_messages={
            "min_value": gettext_lazy("Ask for between 1 and %(limit_value)s codes at a time."),
            "max_value": gettext_lazy("Ask for between 1 and %(limit_value)s codes at a time."),
        },
    )


class CodesEmailForm(forms.Form):
    addresses = forms.CharField(
        label=gettext_lazy("E-mail addresses, one per line"),
        widget=forms.Textarea(attrs={"rows": 8, "autocomplete": "off", "spellcheck": "false"}),
        help_text=gettext_lazy(
            "Each address gets its own link with a fresh one-time code. The addresses "
            "are used to send and are not kept anywhere."
        ),
    )

    def clean_addresses(self) -> list[str]:
        seen: dict[str, str] = {}
        bad: list[str] = []
        for line in self.cleaned_data["addresses"].replace(",", "\n").splitlines():
            address = line.strip()
            if not address:
                continue
            try:
                validate_email(address)
            except ValidationError:
                bad.append(address)
                continue
            seen.setdefault(address.lower(), address)
        if bad:
            raise ValidationError(
                _("These are not e-mail addresses: %(bad)s") % {"bad": ", ".join(bad[:10])}
            )
        if not seen:
            raise ValidationError(_("Give at least one e-mail address."))
        if len(seen) > MAX_EMAILS:
            raise ValidationError(
                _("At most %(max)s addresses at a time (%(count)s given).")
                % {"max": MAX_EMAILS, "count": len(seen)}
            )
        return list(seen.values())


class ChildrenRoundsForm(_DatesForm):
    instruments = forms.MultipleChoiceField(
        label=gettext_lazy("Surveys"), widget=forms.CheckboxSelectMultiple
    )
    uses_codes = forms.BooleanField(
        label=gettext_lazy("IIT with one-time codes"),
        required=False,
    )
    field_order = ["instruments", "opens_on", "closes_on", "uses_codes"]

    def __init__(self, *args, instruments: list[Instrument], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instruments"].choices = [
            (i.code, f"{i.code} – {i.name_th}") for i in instruments
        ]
