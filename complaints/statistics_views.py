"""Published complaint statistics of a fiscal year: aggregates only, never a case.

The tables are in ``templates/complaints/_statistics.html`` so that the OIT
item that publishes them (O31) shows the same thing: build its context with
``statistics_tables(selectors.statistics(...))`` and include the partial with
``tables=…``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from assessments.models import Organisation
from assessments.public_cache import public_page
from ita_portal.thai import THAI_MONTHS, THAI_MONTHS_SHORT, be_year, fiscal_year_of

from . import selectors, services
from .models import Category, Channel, Status

# Buddhist Era years an address may name; anything else is not a page.
MIN_YEAR, MAX_YEAR = 2500, 2700
PUBLIC_MAX_AGE = 300


@dataclass(frozen=True)
class Row:
    label: str
    count: int
    percent: Decimal | None  # share of the year's complaints


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    centre: float
    top: float  # where the count is written, above the bar
    label: str
    count: int


@dataclass
class StatisticsTables:
    """A year's statistics, labelled and ready for the tables and the chart."""

    stats: selectors.Statistics
    days: int
    months: list[Row] = field(default_factory=list)
    categories: list[Row] = field(default_factory=list)
    channels: list[Row] = field(default_factory=list)
    statuses: list[Row] = field(default_factory=list)
    chart: dict = field(default_factory=dict)

    @property
    def fiscal_year(self) -> int:
        return self.stats.fiscal_year

    @property
    def groups(self) -> list[dict]:
        """The tables by category, channel and status, in the language of the request."""
        return [
            {
                "id": "stat-categories",
                "title": _("By category"),
                "column": _("Category"),
                "rows": self.categories,
            },
            {
                "id": "stat-channels",
                "title": _("By channel"),
                "column": _("Channel"),
                "rows": self.channels,
            },
            {
                "id": "stat-statuses",
                "title": _("By status"),
                "column": _("Status"),
                "rows": self.statuses,
            },
        ]


def _share(count: int, total: int) -> Decimal | None:
    if not total:
        return None
    return (Decimal(100) * count / total).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# The bar chart's drawing box (SVG user units).
CHART_WIDTH, CHART_HEIGHT = 640, 230
CHART_LEFT, CHART_RIGHT, CHART_TOP, CHART_BASELINE = 16, 624, 24, 190


def _chart(by_month: list) -> dict:
    highest = max((count for _month, count in by_month), default=0) or 1
    slot = (CHART_RIGHT - CHART_LEFT) / max(len(by_month), 1)
    bars = []
    for index, (month, count) in enumerate(by_month):
        height = round((CHART_BASELINE - CHART_TOP) * count / highest, 1)
        x = CHART_LEFT + slot * index + slot * 0.2
        bars.append(
            Bar(
                x=round(x, 1),
                y=round(CHART_BASELINE - height, 1),
                width=round(slot * 0.6, 1),
                height=height,
                centre=round(x + slot * 0.3, 1),
                top=round(CHART_BASELINE - height - 6, 1),
                label=THAI_MONTHS_SHORT[month.month - 1],
                count=count,
            )
        )
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": CHART_LEFT,
        "right": CHART_RIGHT,
        "baseline": CHART_BASELINE,
        "label_y": CHART_BASELINE + 18,
        "bars": bars,
    }


def statistics_tables(stats: selectors.Statistics) -> StatisticsTables:
    total = stats.received
    return StatisticsTables(
        stats=stats,
        days=services.acknowledge_days(),
        months=[
            Row(f"{THAI_MONTHS[month.month - 1]} {be_year(month)}", count, _share(count, total))
            for month, count in stats.by_month
        ],
        categories=[
            Row(str(Category(value).label), count, _share(count, total))
            for value, count in stats.by_category
        ],
        channels=[
            Row(str(Channel(value).label), count, _share(count, total))
            for value, count in stats.by_channel
        ],
        statuses=[
            Row(str(Status(value).label), count, _share(count, total))
            for value, count in stats.by_status
        ],
        chart=_chart(stats.by_month),
    )


@require_safe
@public_page
def statistics(request: HttpRequest, org: str, year: int) -> HttpResponse:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404("not a Buddhist Era fiscal year")
    organisation = get_object_or_404(Organisation.objects.select_related("parent"), slug=org)
    tables = statistics_tables(selectors.statistics(organisation=organisation, fiscal_year=year))
    current = fiscal_year_of(timezone.localdate())
    years = [y for y in range(year - 2, year + 3) if MIN_YEAR <= y <= max(current, year)]
    response = render(
        request,
        "complaints/statistics.html",
        {"organisation": organisation, "year": year, "years": years, "tables": tables},
    )
    # Staff see the site's header with their session: such a page is never stored.
    response["Cache-Control"] = (
        "private, no-store"
        if request.user.is_authenticated
        else f"public, max-age={PUBLIC_MAX_AGE}"
    )
    return response
