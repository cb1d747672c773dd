"""Schools in bulk under an ESA (the ESA's administrators): upload a sheet, all or nothing."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ita_portal.once import once_claim, once_seen

from ..members import invitation_send, password_setup_path
from ..schools import COLUMNS, schools_import
from .common import admin_access


class SchoolsImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Sheet of schools (.csv or .xlsx)"),
        help_text=gettext_lazy(
            "First row: name, code, kind, admin_email. One school per row after it."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise ValidationError(_("Only .csv and .xlsx files can be imported."))
        return upload


@login_required
def schools_import_view(request: HttpRequest, org: str) -> HttpResponse:
    access = admin_access(request.user, org)
    parent = access.organisation
    done = reverse("assessments_staff:schools-import", args=[org])
    context = {"access": access, "organisation": parent, "columns": list(COLUMNS)}
    status = 200
    if request.method == "POST":
        if seen := once_seen(request, fallback=done):
            return seen
        form = SchoolsImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            with once_claim(request, fallback=done) as claim:
                if claim.repeated:
                    return claim.redirect_repeated()
                try:
                    created = schools_import(
                        parent=parent,
                        actor=request.user,
                        content=upload.read(),
                        file_name=upload.name,
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    claim.redirect(done)  # a resent form comes back here, creating nothing
                    results = []
                    for school in created:
                        invitation = school.invitation
                        link = request.build_absolute_uri(
                            password_setup_path(user=invitation.user)
                            if invitation.new_user
                            else reverse("staff:dashboard")
                        )
                        sent = invitation_send(
                            invitation=invitation, organisation=school.organisation, link=link
                        )
                        results.append({"school": school, "sent": sent, "link": link})
                    messages.success(
                        request,
                        _("%(count)s schools were created under %(name)s.")
                        % {"count": len(created), "name": parent.name_th},
                    )
                    return render(
                        request,
                        "assessments/staff_schools_done.html",
                        {
                            **context,
                            "results": results,
                            "mail_failed": any(not r["sent"] for r in results),
                        },
                    )
        status = 400
    else:
        form = SchoolsImportForm()
    return render(
        request, "assessments/staff_schools.html", {**context, "form": form}, status=status
    )
