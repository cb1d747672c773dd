"""The OIT self-assessment's review pages.

The office's page (``self_assessment``): submit the year, see the verdicts,
file clarifications, withdraw, publish the summary. The assessor's pages
(``reviews``, ``review``): the frozen snapshot with a verdict form per item,
the clarification deadline and the confirmation. Who may review is decided by
``disclosures.review.access`` alone; everybody else gets a 404.
"""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from assessments.access import OrganisationAccess, organisation_access
from assessments.models import EDITING_ROLES, Item, Role
from ita_portal.concurrency import StaleEdit, stale_context, stale_form
from ita_portal.once import once_claim, once_seen
from measures.staff_views.common import fiscal_year_or_404, not_saved, require_whole_organisation

from ..models import Submission, SubmissionStatus, Verdict
from ..review import selectors, services
from ..review.access import ReviewerAccess, reviewer_access
from ..review.forms import ClarificationForm, DeadlineForm, ReviewForm, SubmitForm
from ..review.services import ReviewError
from .common import disclosure_or_none, item_or_404
from .items import require_change_disclosure


def _office_url(org: str, year: int) -> str:
    return reverse("disclosures_staff:self-assessment", args=[org, year])


def _review_url(org: str, year: int, anchor: str = "") -> str:
    url = reverse("disclosures_staff:review", args=[org, year])
    return f"{url}#{anchor}" if anchor else url


def _open_submission(submission: Submission | None) -> Submission | None:
    """The submission under review, or None when there is none or it was withdrawn."""
    if submission is None or not submission.snapshots.exists():
        return None
    return submission


def _submission_or_404(organisation, year: int) -> Submission:
    submission = _open_submission(selectors.submission_for(organisation, fiscal_year_or_404(year)))
    if submission is None:
        raise Http404("nothing submitted")
    return submission


def _events(submission: Submission | None) -> list:
    if submission is None:
        return []
    return list(submission.events.select_related("actor", "item").order_by("-at", "-id"))


# --- The office's side ---------------------------------------------------------------


def _office_page(
    request: HttpRequest,
    access: OrganisationAccess,
    year: int,
    *,
    submit_form: SubmitForm | None = None,
    bound: ClarificationForm | None = None,
    bound_code: str = "",
    status: int = 200,
) -> HttpResponse:
    organisation = access.organisation
    recorded = selectors.submission_for(organisation, year)
    submission = _open_submission(recorded)
    can_clarify = bool(submission and services.clarifications_open(submission))
    rows = []
    for row in selectors.review_rows(submission) if submission else []:
        form = None
        if can_clarify and row.review.verdict == Verdict.FAIL and not row.review.clarified_at:
            code = row.item.code
            form = bound if bound_code == code else ClarificationForm(code=code)
        rows.append((row, form))
    return render(
        request,
        "disclosures/review_office.html",
        {
            "access": access,
            "organisation": organisation,
            "year": year,
            "submission": submission,
            "rows": rows,
            "progress": selectors.progress(submission) if submission else None,
            "can_submit": submission is None and access.can_edit and not access.is_unit_limited,
            "can_clarify": can_clarify,
            "clarifications_closed": bool(
                submission
                and submission.clarification_deadline
                and submission.status == SubmissionStatus.CLARIFICATION
                and not can_clarify
            ),
            "can_withdraw": bool(
                submission
                and access.is_administrator
                and submission.status == SubmissionStatus.SUBMITTED
            ),
            "submit_form": submit_form or SubmitForm(),
            "events": _events(recorded),
        },
        status=status,
    )


@login_required
@require_safe
def self_assessment(request: HttpRequest, org: str, year: int) -> HttpResponse:
    access = organisation_access(request.user, org)
    return _office_page(request, access, fiscal_year_or_404(year))


@login_required
@require_POST
def submit(request: HttpRequest, org: str, year: int) -> HttpResponse:
    access = organisation_access(request.user, org, roles=EDITING_ROLES)
    # The whole year is frozen at once: not for a member limited to some units.
    require_whole_organisation(access)
    year = fiscal_year_or_404(year)
    url = _office_url(org, year)
    if seen := once_seen(request, fallback=url):
        return seen
    form = SubmitForm(request.POST)
    if form.is_valid():
        with once_claim(request, fallback=url) as claim:
            if claim.repeated:
                return claim.redirect_repeated()
            try:
                services.submission_submit(
                    organisation=access.organisation, fiscal_year=year, user=request.user
                )
            except ReviewError as error:
                messages.error(request, str(error))
                return redirect(url)
            messages.success(
                request,
                _(
                    "Fiscal year %(year)s was submitted for review. The assessor sees the items "
                    "as they are now; you can keep working on your pages."
                )
                % {"year": year},
            )
            return claim.redirect(url)
    not_saved(request)
    return _office_page(request, access, year, submit_form=form, status=400)


@login_required
@require_POST
def withdraw(request: HttpRequest, org: str, year: int) -> HttpResponse:
    access = organisation_access(request.user, org, roles=frozenset({Role.ADMINISTRATOR}))
    year = fiscal_year_or_404(year)
    submission = _open_submission(selectors.submission_for(access.organisation, year))
    if submission is None:
        messages.info(request, _("There is no submission to withdraw."))
        return redirect(_office_url(org, year))
    try:
        services.submission_withdraw(submission=submission, user=request.user)
    except ReviewError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("The submission was withdrawn. You can submit again when you are ready.")
        )
    return redirect(_office_url(org, year))


@login_required
@require_POST
def publish_summary(request: HttpRequest, org: str, year: int) -> HttpResponse:
    access = organisation_access(request.user, org, roles=frozenset({Role.ADMINISTRATOR}))
    year = fiscal_year_or_404(year)
    submission = _open_submission(selectors.submission_for(access.organisation, year))
    if submission is None:
        messages.info(
            request, _("Submit the self-assessment first; then its summary can be published.")
        )
        return redirect(_office_url(org, year))
    published = request.POST.get("published") == "1"
    services.summary_publish(submission=submission, published=published, user=request.user)
    if published:
        messages.success(request, _("The summary is now public."))
    else:
        messages.success(request, _("The summary is no longer public."))
    return redirect(_office_url(org, year))


@login_required
@require_POST
def clarify(request: HttpRequest, org: str, year: int, code: str) -> HttpResponse:
    access = organisation_access(request.user, org, roles=EDITING_ROLES)
    item = item_or_404(access.organisation, year, code)
    require_change_disclosure(access, disclosure_or_none(access.organisation, year, item))
    submission = _submission_or_404(access.organisation, year)
    url = _office_url(org, year)
    if seen := once_seen(request, fallback=url):
        return seen
    form = ClarificationForm(request.POST, request.FILES, code=item.code)
    if form.is_valid():
        with once_claim(request, fallback=url) as claim:
            if claim.repeated:
                return claim.redirect_repeated()
            try:
                services.clarification_file(
                    submission=submission,
                    item=item,
                    text=form.cleaned_data["text"],
                    url=form.cleaned_data["url"],
                    upload=form.cleaned_data["file"],
                    user=request.user,
                )
            except ValidationError as error:
                form.add_error("file", error)
            except ReviewError as error:
                messages.error(request, str(error))
                return redirect(url)
            else:
                messages.success(
                    request,
                    _("Your clarification of %(code)s was sent to the assessor.")
                    % {"code": item.code},
                )
                return claim.redirect(f"{url}#item-{item.code}")
    not_saved(request)
    return _office_page(request, access, year, bound=form, bound_code=item.code, status=400)


@login_required
@require_safe
def clarification_file(request: HttpRequest, org: str, year: int, code: str) -> FileResponse:
    """The clarification's file: for the organisation's members and its assessors only."""
    organisation = organisation_access_or_reviewer(request.user, org)
    item = item_or_404(organisation, year, code)
    submission = _submission_or_404(organisation, year)
    review = submission.reviews.filter(item=item).first()
    if review is None or not review.clarification_file:
        raise Http404("no file")
    try:
        handle = review.clarification_file.open("rb")
    except FileNotFoundError as error:
        raise Http404("file missing") from error
    content_type = mimetypes.guess_type(review.clarification_file.name)[0]
    extension = review.clarification_file.name.rsplit(".", 1)[-1]
    response = FileResponse(
        handle,
        content_type=content_type or "application/octet-stream",
        as_attachment=True,
        filename=f"{item.code}-clarification.{extension}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def organisation_access_or_reviewer(user, slug: str):
    """The organisation when the user is one of its members or may review it; else a 404."""
    try:
        return organisation_access(user, slug).organisation
    except Http404:
        return reviewer_access(user, slug).organisation


# --- The assessor's side -------------------------------------------------------------


@login_required
@require_safe
def reviews(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "disclosures/review_list.html",
        {"waiting": selectors.waiting_reviews(request.user)},
    )


def _review_page(
    request: HttpRequest,
    access: ReviewerAccess,
    year: int,
    *,
    bound: ReviewForm | None = None,
    deadline_form: DeadlineForm | None = None,
    status: int = 200,
    **extra: object,
) -> HttpResponse:
    recorded = selectors.submission_for(access.organisation, year)
    submission = _open_submission(recorded)
    rows = []
    if submission:
        confirmed = submission.status == SubmissionStatus.CONFIRMED
        for row in selectors.review_rows(submission):
            form = None
            if not confirmed:
                if bound is not None and bound.prefix == f"item-{row.item.code}":
                    form = bound
                else:
                    form = ReviewForm(review=row.review)
                    form.initial["edit_token"] = services.review_edit_token(row.review)
            rows.append((row, form))
    deadline_initial = {"deadline": submission.clarification_deadline} if submission else {}
    return render(
        request,
        "disclosures/review_assessor.html",
        {
            "organisation": access.organisation,
            "reviewer": access,
            "year": year,
            "submission": submission,
            "rows": rows,
            "progress": selectors.progress(submission) if submission else None,
            "verdict_oit": selectors.verdict_oit(r for r, _f in rows) if rows else None,
            "deadline_form": deadline_form or DeadlineForm(initial=deadline_initial),
            "confirm_blocker": services.confirm_blocker(submission) if submission else "",
            "events": _events(recorded),
            **extra,
        },
        status=status,
    )


@login_required
@require_safe
def review(request: HttpRequest, org: str, year: int) -> HttpResponse:
    access = reviewer_access(request.user, org)
    return _review_page(request, access, fiscal_year_or_404(year))


def _reviewer_item(request: HttpRequest, org: str, year: int, code: str):
    access = reviewer_access(request.user, org)
    item: Item = item_or_404(access.organisation, year, code)
    return access, item, _submission_or_404(access.organisation, year)


@login_required
@require_POST
def review_item(request: HttpRequest, org: str, year: int, code: str) -> HttpResponse:
    access, item, submission = _reviewer_item(request, org, year, code)
    the_review = submission.reviews.select_related("item").filter(item=item).first()
    if the_review is None:
        raise Http404
    form = ReviewForm(request.POST, review=the_review)
    if form.is_valid():
        try:
            services.review_save(
                submission=submission,
                item=item,
                token=form.cleaned_data["edit_token"],
                verdict=form.cleaned_data["verdict"],
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"].strip(),
                improvement=form.cleaned_data["improvement"].strip(),
                user=request.user,
            )
        except StaleEdit as error:
            the_review.refresh_from_db()
            form = stale_form(form, services.review_edit_token(the_review))
            return _review_page(
                request, access, year, bound=form, status=409, **stale_context(error)
            )
        except ReviewError as error:
            messages.error(request, str(error))
            return redirect(_review_url(org, year))
        messages.success(request, _("The verdict on %(code)s was saved.") % {"code": item.code})
        return redirect(_review_url(org, year, f"item-{item.code}"))
    not_saved(request)
    return _review_page(request, access, year, bound=form, status=400)


@login_required
@require_POST
def review_deadline(request: HttpRequest, org: str, year: int) -> HttpResponse:
    access = reviewer_access(request.user, org)
    submission = _submission_or_404(access.organisation, year)
    form = DeadlineForm(request.POST)
    if form.is_valid():
        try:
            services.clarification_deadline_set(
                submission=submission, deadline=form.cleaned_data["deadline"], user=request.user
            )
        except ReviewError as error:
            form.add_error("deadline", str(error))
        else:
            messages.success(
                request,
                _(
                    "The office can now see the verdicts and file clarifications until the deadline."
                ),
            )
            return redirect(_review_url(org, year))
    not_saved(request)
    return _review_page(request, access, year, deadline_form=form, status=400)


@login_required
@require_POST
def review_confirm(request: HttpRequest, org: str, year: int) -> HttpResponse:
    access = reviewer_access(request.user, org)
    submission = _submission_or_404(access.organisation, year)
    try:
        services.submission_confirm(
            submission=submission, user=request.user, for_parent=access.for_parent
        )
    except ReviewError as error:
        messages.error(request, str(error))
    else:
        if access.for_parent and access.organisation.parent_id:
            messages.success(
                request,
                _("The verdicts are final and are now the year's official OIT item results."),
            )
        else:
            messages.success(
                request,
                _(
                    "The verdicts are final. They are kept beside the official result for comparison."
                ),
            )
    return redirect(_review_url(org, year))
