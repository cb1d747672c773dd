"""One case: its page with the timeline, its files, revealing the identity, and its steps.

Each step is a small POST view that calls one service and redirects back
with a message; a step the case's state does not allow is refused by the
service (``ComplaintError``) and nothing changes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from assessments.access import OrganisationAccess
from ita_portal.uploads import FileType

from .. import services
from ..models import IDENTITY_FIELDS, Attachment, Complaint, Status
from ..staff_forms import (
    AcceptForm,
    AssignForm,
    ComplainantMessageForm,
    ConcludeForm,
    ForwardForm,
    InvestigateForm,
    NoteForm,
    RejectForm,
    StepForm,
)
from .common import complaint_or_404, context, not_saved, officer_access

logger = logging.getLogger(__name__)

# The session remembers, for one page view, which case's identity was just revealed.
REVEALED = "complaints:revealed"

STEP_FORMS: dict[str, type[StepForm]] = {
    form.step: form
    for form in (
        AssignForm,
        AcceptForm,
        RejectForm,
        InvestigateForm,
        ConcludeForm,
        ForwardForm,
        ComplainantMessageForm,
        NoteForm,
    )
}
# The status a step moves the case to: offered only when TRANSITIONS allows it.
STEP_STATUS = {
    "accept": Status.ACCEPTED,
    "reject": Status.REJECTED,
    "investigate": Status.INVESTIGATING,
    "conclude": Status.CONCLUDED,
    "forward": Status.FORWARDED,
}


def _step_form(step: str, access: OrganisationAccess, data: dict | None = None) -> StepForm:
    if step == "assign":
        return AssignForm(data, organisation=access.organisation)
    return STEP_FORMS[step](data)


def _case_url(org: str, complaint: Complaint, anchor: str = "") -> str:
    url = reverse("complaints_staff:case", args=[org, complaint.pk])
    return f"{url}#{anchor}" if anchor else url


def _case_page(
    request: HttpRequest,
    access: OrganisationAccess,
    complaint: Complaint,
    *,
    bound: StepForm | None = None,
    identity: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The case with the forms of the steps its state allows; a failed one comes back bound."""
    allowed = services.TRANSITIONS[complaint.status]
    forms = {
        step: _step_form(step, access)
        for step in STEP_FORMS
        if step not in STEP_STATUS or STEP_STATUS[step] in allowed
    }
    if bound is not None:
        forms[bound.step] = bound
    identity_rows = None
    if identity is not None:
        labels = {name: Complaint._meta.get_field(name).verbose_name for name in IDENTITY_FIELDS}
        identity_rows = [(labels[name], value) for name, value in identity.items()]
    return render(
        request,
        "complaints/staff_case.html",
        context(
            access,
            complaint=complaint,
            code=services.tracking_code_display(complaint.tracking_code),
            overdue=services.is_overdue(complaint),
            attachments=list(complaint.attachments.all()),
            events=list(complaint.events.select_related("actor", "attachment")),
            forms=forms,
            identity=identity_rows,
        ),
        status=status,
    )


@login_required
@never_cache
@require_safe
def case(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    access = officer_access(request.user, org)
    # One page view after "show the identity": the flag is used up here.
    revealed = request.session.pop(REVEALED, None) == pk
    complaint = complaint_or_404(access, pk, identity=revealed)
    identity = None
    if revealed and not complaint.anonymous and complaint.identity_purged_at is None:
        identity = {name: getattr(complaint, name) for name in IDENTITY_FIELDS}
    return _case_page(request, access, complaint, identity=identity)


@login_required
@never_cache
@require_POST
def reveal(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    """Show the complainant's identity: a deliberate step the timeline records (who, when)."""
    access = officer_access(request.user, org)
    complaint = complaint_or_404(access, pk, identity=True)
    if complaint.anonymous or complaint.identity_purged_at is not None:
        messages.error(request, _("This complaint holds no identity to show."))
        return redirect(_case_url(org, complaint))
    services.identity_reveal(complaint=complaint, user=request.user)
    # Numbers only: never the identity, nor the tracking code, in a log line.
    logger.info("complaint %s: identity shown to user %s", complaint.pk, request.user.pk)
    request.session[REVEALED] = complaint.pk
    return redirect(_case_url(org, complaint, "identity"))


@login_required
@never_cache
@require_safe
def attachment(request: HttpRequest, org: str, pk: int, key) -> FileResponse:
    """A file of the case, for officers only: downloaded, never shown inline or cached."""
    access = officer_access(request.user, org)
    item = get_object_or_404(
        Attachment.objects.select_related("complaint"),
        key=key,
        complaint__pk=pk,
        complaint__organisation=access.organisation,
    )
    content_type = next(
        (t.content_type for t in FileType if t.extension == item.file_type),
        "application/octet-stream",
    )
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as error:
        raise Http404("file missing") from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"complaint-{pk}-{item.key.hex[:8]}.{item.file_type}",
        content_type=content_type,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- The steps -------------------------------------------------------------------------


def _run_step(
    request: HttpRequest,
    org: str,
    pk: int,
    step: str,
    run: Callable[[Complaint, dict, object], object],
    done: str,
) -> HttpResponse:
    access = officer_access(request.user, org)
    complaint = complaint_or_404(access, pk)
    form = _step_form(step, access, request.POST)
    if not form.is_valid():
        not_saved(request)
        return _case_page(request, access, complaint, bound=form, status=400)
    try:
        with transaction.atomic():
            # Locked, so that two officers acting at once cannot both move the case.
            locked = complaint_or_404(access, pk, for_update=True)
            run(locked, form.cleaned_data, request.user)
    except services.ComplaintError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect(_case_url(org, complaint, "timeline"))


def _step_view(
    step: str, run: Callable[[Complaint, dict, object], object], done: str
) -> Callable[..., HttpResponse]:
    """The POST view of one step: check its form, run it, say ``done``."""

    @login_required
    @never_cache
    @require_POST
    def view(request: HttpRequest, org: str, pk: int) -> HttpResponse:
        return _run_step(request, org, pk, step, run, done)

    view.__name__ = view.__qualname__ = step
    return view


assign = _step_view(
    "assign",
    lambda c, data, user: services.complaint_assign(
        complaint=c, officer=data["officer"], user=user
    ),
    gettext_lazy("The officer in charge was saved."),
)
accept = _step_view(
    "accept",
    lambda c, data, user: services.complaint_accept(
        complaint=c, user=user, message=data["message"]
    ),
    gettext_lazy("The complaint was accepted."),
)
reject = _step_view(
    "reject",
    lambda c, data, user: services.complaint_reject(
        complaint=c, user=user, reason=data["reason"], message=data["message"]
    ),
    gettext_lazy("The complaint was not taken up."),
)
investigate = _step_view(
    "investigate",
    lambda c, data, user: services.complaint_investigate(
        complaint=c, user=user, message=data["message"]
    ),
    gettext_lazy("The investigation has started."),
)
conclude = _step_view(
    "conclude",
    lambda c, data, user: services.complaint_conclude(
        complaint=c, user=user, outcome=data["outcome"]
    ),
    gettext_lazy("The case was concluded."),
)
forward = _step_view(
    "forward",
    lambda c, data, user: services.complaint_forward(
        complaint=c, user=user, agency=data["agency"], message=data["message"]
    ),
    gettext_lazy("The complaint was forwarded."),
)
message = _step_view(
    "message",
    lambda c, data, user: services.complaint_message(complaint=c, user=user, text=data["text"]),
    gettext_lazy("The message was sent; the complainant reads it on the tracking page."),
)
note = _step_view(
    "note",
    lambda c, data, user: services.complaint_note(complaint=c, user=user, text=data["text"]),
    gettext_lazy("The note was added."),
)
