"""The years and a year's completeness board, and copying a year forward."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from assessments.access import organisation_access
from assessments.edition_data import FrameworkError
from assessments.forms import YearForm
from assessments.framework import edition_for, latest_edition
from assessments.models import EDITING_ROLES, NACC_SCHEME, Edition, Organisation, Unit
from assessments.provisional import edition_start_provisional
from assessments.scoring import organisation_results
from ita_portal.once import once_claim, once_seen
from ita_portal.thai import fiscal_year_of
from measures.staff_views.common import (
    context,
    fiscal_year_or_404,
    user_units,
)

from .. import selectors, services
from ..copy_plan import copy_plan
from ..models import Disclosure, DisclosureStatus
from ..selfcheck import YearSelfCheck, year_selfcheck


def _scheme_code(organisation: Organisation) -> str:
    return organisation.scheme.code if organisation.scheme_id else NACC_SCHEME


def _year_rows(organisation: Organisation) -> list[dict]:
    """Each year with an edition, with disclosures, or the current one, newest first.

    The editions are those ``edition_for`` chooses from: the organisation's
    scheme's, else the NACC's; the item counts are each edition's own.
    """
    scheme = _scheme_code(organisation)
    editions = list(
        Edition.objects.filter(scheme__code__in={scheme, NACC_SCHEME})
        .select_related("scheme")
        .annotate(item_count=Count("items"))
    )

    def edition_of(year: int) -> Edition | None:
        covering = [e for e in editions if e.covers(year)]
        # The same preference as edition_for: the organisation's scheme first.
        covering.sort(key=lambda e: e.scheme.code != scheme)
        return covering[0] if covering else None

    has_content = (
        ~Q(explanation="") | Q(item__role__in=selectors.GENERATED_ROLES) | Q(entries__isnull=False)
    )
    published = Q(status=DisclosureStatus.PUBLISHED)
    # distinct: the join on entries repeats a disclosure once per entry.
    counts = {
        row["fiscal_year"]: row
        for row in Disclosure.objects.filter(organisation=organisation)
        .values("fiscal_year")
        .annotate(
            started=Count("id", distinct=True),
            published=Count("id", filter=published, distinct=True),
            complete=Count("id", filter=published & has_content, distinct=True),
            to_review=Count("id", filter=Q(to_review=True), distinct=True),
        )
    }
    current = fiscal_year_of(timezone.localdate())
    # The current year always: without an edition it is where a provisional one is started.
    years = set(counts) | {current}
    for edition in editions:
        years.update(range(edition.first_year, edition.last_year + 1))
    rows = []
    for year in sorted(years, reverse=True):
        edition = edition_of(year)
        stats = counts.get(year, {})
        items = edition.item_count if edition else 0
        rows.append(
            {
                "year": year,
                "edition": edition,
                "items": items,
                "started": stats.get("started", 0),
                "published": stats.get("published", 0),
                "to_review": stats.get("to_review", 0),
                "complete": selectors.Completeness("", items, stats.get("complete", 0)),
                "current": year == current,
            }
        )
    return rows


@login_required
def years(request: HttpRequest, org: str) -> HttpResponse:
    access = organisation_access(request.user, org)
    year_form = YearForm(request.GET) if "fiscal_year" in request.GET else YearForm()
    if year_form.is_valid():
        return redirect(
            "disclosures_staff:year", org=org, year=year_form.cleaned_data["fiscal_year"]
        )
    return render(
        request,
        "disclosures/staff_years.html",
        context(access, rows=_year_rows(access.organisation), year_form=year_form),
        status=400 if year_form.is_bound else 200,
    )


# --- A year's completeness board -------------------------------------------------


def _unit_filter(request: HttpRequest, organisation: Organisation) -> Unit | None:
    value = request.GET.get("unit", "")
    if not value:
        return None
    if not value.isdigit():
        raise Http404
    # Another organisation's unit is not a filter of this board.
    return get_object_or_404(Unit, organisation=organisation, pk=int(value))


@login_required
def year(request: HttpRequest, org: str, year: int) -> HttpResponse:
    access = organisation_access(request.user, org)
    organisation = access.organisation
    fiscal_year_or_404(year)
    unit = _unit_filter(request, organisation)
    mine_only = request.GET.get("mine") == "1"
    my_units = user_units(request.user, organisation)
    board = selectors.year_board(
        organisation=organisation,
        fiscal_year=year,
        my_units=my_units,
        unit=unit,
        mine_only=mine_only,
    )
    rows = board.rows
    selfcheck = None
    if board.edition is not None:
        # Recomputed on every view (never stored), so the board follows the evidence.
        selfcheck = year_selfcheck(organisation=organisation, fiscal_year=year)
        checks = {c.item.pk: c for c in selfcheck.items}
        for row in rows:
            row.check = checks.get(row.item.pk)
    return render(
        request,
        "disclosures/staff_year.html",
        context(
            access,
            year=year,
            board=board,
            units=list(Unit.objects.filter(organisation=organisation)),
            unit=unit,
            mine_only=mine_only,
            my_units=my_units,
            filtered=unit is not None or mine_only,
            shown_count=sum(len(shown) for _stats, shown in board.groups),
            overdue_count=sum(1 for row in rows if row.overdue),
            empty_count=sum(1 for row in rows if row.empty),
            review_count=sum(1 for row in rows if row.to_review),
            published_count=sum(1 for row in rows if row.published),
            next_year_has_framework=edition_for(organisation, year + 1) is not None,
            provisional_source=(None if board.edition else _provisional_source(organisation, year)),
            selfcheck=selfcheck,
            official_oit=_official_oit(organisation, selfcheck),
            top_costs=selfcheck.predicted.costs[:5] if selfcheck else [],
        ),
    )


def _official_oit(organisation: Organisation, selfcheck: YearSelfCheck | None) -> dict | None:
    """The last official result with a score for the instrument the prediction is about."""
    instrument = selfcheck.predicted.instrument if selfcheck else None
    if instrument is None:
        return None
    for result in reversed(organisation_results(organisation=organisation)):
        for own in result.instruments:
            if own.instrument.code == instrument.code and own.score is not None:
                return {"year": result.fiscal_year, "score": own.score}
    return None


# --- A year without an edition: a provisional one ------------------------------------


def _provisional_source(organisation: Organisation, year: int) -> Edition | None:
    """The edition a provisional one for the year would copy; None when none may be started.

    Only up to next fiscal year: a framework far ahead would only be a guess
    everyone has to replace.
    """
    if year > fiscal_year_of(timezone.localdate()) + 1:
        return None
    return latest_edition(_scheme_code(organisation), before=year) or latest_edition(
        NACC_SCHEME, before=year
    )


@login_required
@require_POST
def start_provisional(request: HttpRequest, org: str, year: int) -> HttpResponse:
    """Start a provisional edition for a year no edition covers, then open its board."""
    access = organisation_access(request.user, org, roles=EDITING_ROLES)
    organisation = access.organisation
    fiscal_year_or_404(year)
    url = reverse("disclosures_staff:year", args=[org, year])
    if seen := once_seen(request, fallback=url):
        return seen
    if edition_for(organisation, year) is not None:
        messages.info(request, _("Fiscal year %(year)s already has a framework.") % {"year": year})
        return redirect(url)
    source = _provisional_source(organisation, year)
    if source is None:
        messages.error(
            request,
            _(
                "A provisional framework can only be started for a year up to next fiscal "
                "year, copied from an earlier edition. Choose another year."
            ),
        )
        return redirect(url)
    with once_claim(request, fallback=url) as claim:
        if claim.repeated:
            return claim.redirect_repeated()
        try:
            edition = edition_start_provisional(fiscal_year=year, organisation=organisation)
        except FrameworkError as error:
            messages.error(request, str(error))
            return redirect(url)
        messages.success(
            request,
            _(
                "Fiscal year %(year)s now uses a provisional framework copied from "
                "%(source)s. Its items may change when the NACC publishes the framework "
                "for %(year)s."
            )
            % {"year": year, "source": edition.based_on or source},
        )
        return claim.redirect(url)


# --- An item's page -------------------------------------------------------------


def _copy_message(request: HttpRequest, report: services.CopyReport, next_year: int) -> None:
    if report.copied:
        messages.success(
            request,
            ngettext(
                "%(count)s item was copied to %(year)s as a draft marked “to review”.",
                "%(count)s items were copied to %(year)s as drafts marked “to review”.",
                len(report.copied),
            )
            % {"count": len(report.copied), "year": next_year},
        )
    else:
        messages.info(request, _("Nothing was copied to %(year)s.") % {"year": next_year})
    if report.skipped:
        messages.info(
            request,
            ngettext(
                "%(count)s item already had content in %(year)s and was left alone: %(codes)s.",
                "%(count)s items already had content in %(year)s and were left alone: %(codes)s.",
                len(report.skipped),
            )
            % {"count": len(report.skipped), "year": next_year, "codes": ", ".join(report.skipped)},
        )
    if report.unmatched:
        messages.warning(
            request,
            ngettext(
                "%(count)s item has no counterpart in the framework of %(year)s "
                "and was not copied: %(codes)s.",
                "%(count)s items have no counterpart in the framework of %(year)s "
                "and were not copied: %(codes)s.",
                len(report.unmatched),
            )
            % {
                "count": len(report.unmatched),
                "year": next_year,
                "codes": ", ".join(report.unmatched),
            },
        )


@login_required
def copy_forward(request: HttpRequest, org: str, year: int) -> HttpResponse:
    """A confirmation page, then the copy: it fills a whole year at once."""
    access = organisation_access(request.user, org, roles=EDITING_ROLES)
    if access.is_unit_limited:  # it fills every unit's items
        raise Http404
    organisation = access.organisation
    fiscal_year_or_404(year)
    if request.method == "POST":
        try:
            report = services.disclosures_copy_forward(
                organisation=organisation, fiscal_year=year, user=request.user
            )
        except services.DisclosureError as error:
            messages.error(request, str(error))
            return redirect("disclosures_staff:year", org=org, year=year)
        _copy_message(request, report, year + 1)
        return redirect("disclosures_staff:year", org=org, year=year + 1)
    plan = copy_plan(organisation=organisation, fiscal_year=year)
    return render(
        request,
        "disclosures/staff_copy.html",
        context(
            access,
            year=year,
            next_year=year + 1,
            plan=plan,
            sources=plan.sources,
            filled=plan.filled,
            target_edition=plan.target_edition,
            same_edition=plan.same_edition,
        ),
    )


# --- The link sheet ------------------------------------------------------------------
