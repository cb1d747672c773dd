"""The queue of an organisation's complaints, and recording one received by another channel."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ita_portal.thai import fiscal_year_of

from .. import services
from ..models import CLOSED_STATUSES, IDENTITY_FIELDS, Complaint
from ..selectors import complaint_id_by_code
from ..staff_forms import CodeSearchForm, QueueFilterForm, RecordForm
from .common import context, not_saved, officer_access

PER_PAGE = 50


@login_required
@never_cache
def queue(request: HttpRequest, org: str) -> HttpResponse:
    access = officer_access(request.user, org)
    search = CodeSearchForm(request.GET if "code" in request.GET else None)
    if search.is_valid():
        found = complaint_id_by_code(
            organisation=access.organisation, code=search.cleaned_data["code"]
        )
        if found is not None:
            return redirect("complaints_staff:case", access.organisation.slug, found)
        # Another organisation's code is "not found" too: nothing says it exists.
        search.add_error(
            "code",
            ValidationError(
                _("No complaint of this office has this tracking code."), code="not_found"
            ),
        )
    today = timezone.localdate()
    form = QueueFilterForm(request.GET)
    filters = form.filters()
    cases = (
        Complaint.objects.filter(organisation=access.organisation)
        .select_related("assigned_to")
        .defer(*IDENTITY_FIELDS, "facts", "request", "witnesses", "outcome")
        .order_by("-received_at", "-pk")
    )
    for name in ("status", "category", "channel"):
        if name in filters:
            cases = cases.filter(**{name: filters[name]})
    if filters.get("overdue"):
        cases = cases.filter(services.overdue_q(today))
    page = Paginator(cases, PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        {
            "complaint": complaint,
            "code": services.tracking_code_display(complaint.tracking_code),
            "overdue": services.is_overdue(complaint, today),
        }
        for complaint in page
    ]
    overdue_count = (
        Complaint.objects.filter(organisation=access.organisation)
        .filter(services.overdue_q(today))
        .count()
    )
    open_count = (
        Complaint.objects.filter(organisation=access.organisation)
        .exclude(status__in=CLOSED_STATUSES)
        .count()
    )
    return render(
        request,
        "complaints/staff_queue.html",
        context(
            access,
            form=form,
            search=search,
            filtered=bool(filters),
            page=page,
            rows=rows,
            overdue_count=overdue_count,
            open_count=open_count,
            days=services.acknowledge_days(),
            statistics_year=fiscal_year_of(today),
        ),
    )


@login_required
@never_cache
def record(request: HttpRequest, org: str) -> HttpResponse:
    """An officer types in a complaint received in person, by telephone, post …

    The code and PIN are shown once, on the answer to the POST, so that the
    officer can hand them to the complainant; the PIN is stored nowhere else
    (not even in the session), only its hash.
    """
    access = officer_access(request.user, org)
    if request.method == "POST":
        form = RecordForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                filed = services.complaint_file(
                    organisation=access.organisation,
                    channel=data["channel"],
                    category=data["category"],
                    accused=data["accused"],
                    facts=data["facts"],
                    request=data["request"],
                    incident_date=data["incident_date"],
                    witnesses=data["witnesses"],
                    anonymous=data["anonymous"],
                    identity=form.identity(),
                    files=data["files"],
                    recorded_by=request.user,
                    received_at=form.received_at(),
                )
            except ValidationError as error:
                form.add_error("files", error)
            else:
                return render(
                    request,
                    "complaints/staff_recorded.html",
                    context(
                        access,
                        filed=filed,
                        complaint=filed.complaint,
                        track_url=services.track_url(),
                        acknowledge_days=services.acknowledge_days(),
                    ),
                )
        not_saved(request)
        status = 400
    else:
        form = RecordForm()
        status = 200
    return render(
        request, "complaints/staff_record.html", context(access, form=form), status=status
    )
