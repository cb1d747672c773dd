"""Forms of the organisation's administration pages (details, units, members)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ita_portal.concurrency import EditTokenField
from ita_portal.uploads import IMAGES, check_upload

from .forms import ScoreField
from .models import Organisation, OrganisationKind, Role, Unit
from .org_admin import ORGANISATION_FIELDS


class OrganisationForm(forms.ModelForm):
    edit_token = EditTokenField()
    develop_threshold = ScoreField(
        label=_("Threshold for indicators to develop"),
        help_text=_(
            "Indicators scoring below this are listed as to develop. "
            "Leave empty to use the pass mark (85); some offices use 100."
        ),
    )

    class Meta:
        model = Organisation
        fields = list(ORGANISATION_FIELDS)
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "affiliation": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(
        self, *args, parents: forms.models.QuerySet, can_set_scheme: bool = False, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parents
        self.fields["parent"].empty_label = _("(none)")
        scheme = self.fields["scheme"]
        scheme.empty_label = _("NACC (the default)")
        # Only operators choose whose item lists an organisation follows: a disabled
        # field keeps the stored value whatever is posted.
        self.can_set_scheme = can_set_scheme
        scheme.disabled = not can_set_scheme

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "content_type"):  # a new upload, not the stored file
            check_upload(logo, IMAGES)
        return logo

    def _post_clean(self) -> None:
        # The service applies the values to a locked row; the form only validates.
        pass


class OrganisationCreateForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["slug", "name_th", "name_en", "kind", "parent"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].initial = OrganisationKind.SCHOOL
        self.fields["parent"].empty_label = _("(none)")

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"].lower()
        if Organisation.objects.filter(slug=slug).exists():
            raise ValidationError(_("Another organisation already uses this short name."))
        return slug


class UnitForm(forms.Form):
    name = forms.CharField(label=_("Unit name"), max_length=255)

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise ValidationError(_("Enter the unit's name."))
        return name


class UnitMergeForm(forms.Form):
    target = forms.ModelChoiceField(
        label=_("Merge into"),
        queryset=Unit.objects.none(),
        help_text=_(
            "Every measure, OIT item and member of this unit moves to the unit chosen here; "
            "this unit is then retired."
        ),
    )

    def __init__(self, *args, source: Unit, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = (
            Unit.objects.active()
            .filter(organisation_id=source.organisation_id)
            .exclude(pk=source.pk)
        )


MEMBER_ROLE_HELP = _(
    "Administrator: the organisation's settings, units and members. Editor: results, measures "
    "and OIT items. Complaint officer: complaints, in confidence. Viewer: reads only."
)


class _RoleUnitsForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, help_text=MEMBER_ROLE_HELP)
    units = forms.ModelMultipleChoiceField(
        label=_("Limit to units"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked for the whole organisation."),
    )

    def __init__(self, *args, organisation: Organisation, keep: list[Unit] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # A retired unit a member already has stays ticked; no one is newly given one.
        self.fields["units"].queryset = Unit.objects.filter(organisation=organisation).filter(
            pk__in=[u.pk for u in keep]
        ) | Unit.objects.active().filter(organisation=organisation)


class MemberInviteForm(_RoleUnitsForm):
    email = forms.EmailField(label=_("E-mail"))
    field_order = ["email", "role", "units"]


class MemberCreateForm(_RoleUnitsForm):
    username = forms.RegexField(
        label=_("Username"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={
            "invalid": _("Use Latin letters, digits and . @ + - _ only, without spaces.")
        },
    )
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    field_order = ["username", "first_name", "last_name", "email", "role", "units"]

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise ValidationError(_("This username is taken; choose another."))
        return username


class MemberForm(_RoleUnitsForm):
    pass
