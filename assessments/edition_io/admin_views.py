"""The admin's pages for an edition's workbook: export, and import in two steps
(upload and check → confirm). The admin site wraps them (operators only)."""

from __future__ import annotations

import io
import zipfile

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ita_portal.once import once_claim, once_seen
from ita_portal.spreadsheets import XLSX_CONTENT_TYPE
from ita_portal.uploads import FileType, check_upload

from ..models import Edition
from .errors import EditionImportError
from .services import edition_import, edition_import_preview
from .workbook import edition_to_xlsx

SALT = "assessments.edition_io.import"
# A checked import waits at most this long for its confirmation.
MAX_AGE_SECONDS = 60 * 60


class EditionUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Edition workbook (XLSX)"),
        help_text=gettext_lazy(
            "A workbook exported from an edition's page, with your changes. Nothing is saved "
            "until you have seen the differences and confirmed."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # The same checks as every upload: size, and that it really is an XLSX.
        check_upload(upload, frozenset({FileType.XLSX}))
        return upload


def xlsx_response(edition: Edition) -> HttpResponse:
    response = HttpResponse(edition_to_xlsx(edition), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{edition.code}.xlsx"'
    return response


def editions_response(editions: QuerySet[Edition]) -> HttpResponse:
    """One workbook, or a zip of one workbook per edition."""
    editions = list(editions)
    if len(editions) == 1:
        return xlsx_response(editions[0])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for edition in editions:
            archive.writestr(f"{edition.code}.xlsx", edition_to_xlsx(edition))
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="editions.zip"'
    return response


def export_view(request: HttpRequest, object_id: str) -> HttpResponse:
    try:
        edition = Edition.objects.select_related("scheme").get(pk=int(object_id))
    except (ValueError, Edition.DoesNotExist) as exc:
        raise Http404 from exc
    return xlsx_response(edition)


def _page(request: HttpRequest, context: dict, admin_context: dict) -> TemplateResponse:
    return TemplateResponse(
        request,
        "admin/assessments/edition/import_xlsx.html",
        {**admin_context, "title": _("Import edition from XLSX"), **context},
    )


def import_view(request: HttpRequest, admin_context: dict) -> HttpResponse:
    """Step 1: upload and check (shows the differences); step 2: confirm (writes)."""
    changelist = reverse("admin:assessments_edition_changelist")
    if request.method == "POST" and "payload" in request.POST:
        return _confirm(request, admin_context, changelist)
    form = EditionUploadForm(request.POST or None, request.FILES or None)
    context: dict = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        upload.seek(0)
        try:
            preview = edition_import_preview(upload.read())
        except EditionImportError as exc:
            context["errors"] = exc.errors
        else:
            context.update(
                preview=preview,
                payload=signing.dumps(
                    {"data": preview.data, "base": preview.base}, salt=SALT, compress=True
                ),
                file_name=upload.name,
            )
    return _page(request, context, admin_context)


def _confirm(request: HttpRequest, admin_context: dict, changelist: str) -> HttpResponse:
    if seen := once_seen(request, fallback=changelist):
        return seen
    try:
        signed = signing.loads(request.POST["payload"], salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        messages.error(request, _("The checked file has expired; upload it again."))
        return HttpResponseRedirect(reverse("admin:assessments_edition_import_xlsx"))
    with once_claim(request, fallback=changelist) as claim:
        if claim.repeated:
            return claim.redirect_repeated()
        try:
            outcome = edition_import(data=signed["data"], base=signed["base"])
        except (EditionImportError, ValidationError) as exc:
            errors = exc.errors if isinstance(exc, EditionImportError) else exc.messages
            return _page(request, {"form": EditionUploadForm(), "errors": errors}, admin_context)
        edition = outcome.edition
        if outcome.unchanged:
            text = _("The edition %(code)s already holds this file's content; nothing changed.")
        elif outcome.is_new:
            text = _("The edition %(code)s was created from the file.")
        else:
            text = _("The edition %(code)s was updated from the file.")
        messages.success(request, text % {"code": edition.code})
        return claim.redirect(reverse("admin:assessments_edition_change", args=[edition.pk]))
