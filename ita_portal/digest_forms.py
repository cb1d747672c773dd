"""The staff user's e-mail notification form (the weekly digest of what is due)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class DigestPreferenceForm(forms.Form):
    weekly_digest = forms.BooleanField(
        label=_("Send me a weekly e-mail of the work due and overdue"),
        required=False,
        help_text=_(
            "Sent on Mondays, only when something is due. You can stop it here at any time."
        ),
    )
