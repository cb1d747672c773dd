"""An ESA's roll-up of its schools for a fiscal year (reads only).

One row per child organisation: pre-check readiness, whether the year was
submitted for review, how far the review has gone, the predicted OIT score
(the self-check), the final OIT score (the assessor's confirmed verdicts),
the IIT and EIT of its survey rounds with the predicted total and level
(``rollup_surveys``) and the last official total and level.

Everything is loaded in a fixed number of queries whatever the number of
schools: the children once, the self-check in bulk, the submissions with
their reviews once, the official assessments with their scores once and
their editions once. Sorting, filtering and paging happen on the rows in
memory, so a page of 50 costs the same as the whole sheet.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment, Item, Organisation
from assessments.scoring import YearResult, editions_data, mean, round_half_up, year_result

from .models import ItemReview, Submission, SubmissionStatus, Verdict
from .selfcheck import organisations_selfcheck

if TYPE_CHECKING:
    from .predicted import Prediction

PER_PAGE = 50
NOT_SUBMITTED = "not_submitted"
# The status filter's choices: not submitted, then the submission's own statuses.
STATUS_CHOICES = [(NOT_SUBMITTED, _("Not submitted")), *SubmissionStatus.choices]
FULL_MARK = Decimal(100)


@dataclass
class SchoolRow:
    organisation: Organisation
    ready_count: int = 0
    total: int = 0
    readiness: Decimal | None = None
    predicted: Decimal | None = None
    submission: Submission | None = None
    reviews: list[ItemReview] = field(default_factory=list)
    final: Decimal | None = None
    official: YearResult | None = None
    # The self-assessed result of the year (``rollup_surveys``); None without an edition.
    prediction: Prediction | None = None

    @property
    def iit(self) -> Decimal | None:
        return None if self.prediction is None else self.prediction.score_of("IIT")

    @property
    def eit(self) -> Decimal | None:
        return None if self.prediction is None else self.prediction.score_of("EIT")

    @property
    def predicted_total(self) -> Decimal | None:
        return None if self.prediction is None else self.prediction.total

    @property
    def predicted_level(self) -> str:
        return "" if self.prediction is None else self.prediction.level_label

    @property
    def submitted(self) -> bool:
        return self.submission is not None

    @property
    def status(self) -> str:
        return self.submission.status if self.submission else NOT_SUBMITTED

    @property
    def status_label(self) -> str:
        return str(dict(STATUS_CHOICES)[self.status])

    @property
    def reviewed(self) -> int:
        return sum(1 for r in self.reviews if r.verdict != Verdict.PENDING)

    @property
    def progress(self) -> Decimal | None:
        """Reviewed items in percent of the items submitted; None before submitting."""
        if self.submission is None or not self.reviews:
            return None
        return round_half_up(Decimal(self.reviewed) * 100 / len(self.reviews))

    @property
    def official_total(self) -> Decimal | None:
        return None if self.official is None else self.official.shown_total

    @property
    def official_level(self) -> str:
        return "" if self.official is None else self.official.level_label

    @property
    def official_year(self) -> int | None:
        return None if self.official is None else self.official.fiscal_year


def review_value(review: ItemReview) -> Decimal | None:
    """An item's points from its verdict: the assessor's score, else 100 for a pass, 0 for a fail."""
    if review.verdict == Verdict.PENDING:
        return None
    if review.score is not None:
        return review.score
    return FULL_MARK if review.verdict == Verdict.PASS else Decimal(0)


def oit_score(values: Iterable[tuple[Item, Decimal]]) -> Decimal | None:
    """The OIT instrument's own score from item values, by the edition's rules.

    Mean of the items in each sub-indicator, mean of the sub-indicators in
    each indicator, mean of the indicators; kept exact (rounded only when
    shown), as ``assessments.scoring`` keeps instrument means. The items
    must come with ``sub_indicator`` loaded.
    """
    by_sub: dict[int, list[Decimal]] = defaultdict(list)
    indicator_of: dict[int, int] = {}
    for item, value in values:
        by_sub[item.sub_indicator_id].append(value)
        indicator_of[item.sub_indicator_id] = item.sub_indicator.indicator_id
    if not by_sub:
        return None
    by_indicator: dict[int, list[Decimal]] = defaultdict(list)
    for sub_id, sub_values in by_sub.items():
        by_indicator[indicator_of[sub_id]].append(mean(sub_values))
    return mean(mean(subs) for subs in by_indicator.values())


def final_oit(reviews: Iterable[ItemReview]) -> Decimal | None:
    """The final OIT score from confirmed verdicts (items without a verdict do not count)."""
    values = [(r.item, review_value(r)) for r in reviews]
    return oit_score((item, value) for item, value in values if value is not None)


def _official_results(children: list[Organisation], fiscal_year: int) -> dict[int, YearResult]:
    """Each child's last official result up to the year: the latest with a total or a level."""
    assessments = list(
        Assessment.objects.filter(organisation__in=children, fiscal_year__lte=fiscal_year)
        .select_related("organisation")
        .prefetch_related("scores", "instrument_scores")
        .order_by("organisation_id", "fiscal_year")
    )
    editions = editions_data(a.edition_id for a in assessments if a.edition_id)
    found: dict[int, YearResult] = {}
    for assessment in assessments:
        result = year_result(assessment=assessment, edition=editions.get(assessment.edition_id))
        if result.shown_total is not None or result.level is not None:
            found[assessment.organisation_id] = result  # later years replace earlier ones
    return found


def _submissions(children: list[Organisation], fiscal_year: int) -> dict[int, Submission]:
    reviews = ItemReview.objects.select_related("item__sub_indicator").order_by("item__number")
    submissions = Submission.objects.filter(
        organisation__in=children, fiscal_year=fiscal_year
    ).prefetch_related(Prefetch("reviews", queryset=reviews))
    return {s.organisation_id: s for s in submissions}


def rollup_rows(*, parent: Organisation, fiscal_year: int, today=None) -> list[SchoolRow]:
    """Every child organisation's row for the year, ordered by name."""
    children = list(Organisation.objects.filter(parent=parent).order_by("name_th", "slug"))
    if not children:
        return []
    checks = organisations_selfcheck(organisations=children, fiscal_year=fiscal_year, today=today)
    submissions = _submissions(children, fiscal_year)
    officials = _official_results(children, fiscal_year)
    rows = []
    for child in children:
        row = SchoolRow(organisation=child, official=officials.get(child.pk))
        check = checks.get(child.pk)
        if check is not None:
            row.ready_count, row.total = check.ready_count, check.total
            row.readiness = check.readiness if check.total else None
            row.predicted = check.predicted.score
        submission = submissions.get(child.pk)
        if submission is not None:
            row.submission = submission
            row.reviews = list(submission.reviews.all())
            if submission.status == SubmissionStatus.CONFIRMED:
                row.final = final_oit(row.reviews)
        rows.append(row)
    # Imported here: rollup_surveys builds on predicted, which reads review_value above.
    from .rollup_surveys import rows_predict

    rows_predict(rows, fiscal_year=fiscal_year, checks=checks)
    return rows


# -- the page: sorting, filtering, paging ----------------------------------------

STATUS_ORDER = {value: n for n, (value, _label) in enumerate(STATUS_CHOICES)}
SORT_KEYS = {
    "name": lambda r: r.organisation.name_th,
    "code": lambda r: r.organisation.slug,
    "readiness": lambda r: r.readiness,
    "submitted": lambda r: r.submitted,
    "status": lambda r: STATUS_ORDER[r.status],
    "progress": lambda r: r.progress,
    "predicted": lambda r: r.predicted,
    "final": lambda r: r.final,
    "iit": lambda r: r.iit,
    "eit": lambda r: r.eit,
    "predicted_total": lambda r: r.predicted_total,
    "official": lambda r: r.official_total,
}


def rows_sorted(rows: list[SchoolRow], *, key: str, descending: bool = False) -> list[SchoolRow]:
    """Rows sorted by a column; unknown values (None) always last, ties by name."""
    get = SORT_KEYS.get(key, SORT_KEYS["name"])
    by_name = sorted(rows, key=lambda r: (r.organisation.name_th, r.organisation.slug))
    known = [r for r in by_name if get(r) is not None]
    unknown = [r for r in by_name if get(r) is None]
    return sorted(known, key=get, reverse=descending) + unknown


def rows_filtered(rows: list[SchoolRow], *, status: str = "", text: str = "") -> list[SchoolRow]:
    """Rows with the status (empty: any) whose name or code contains the text (any case)."""
    text = text.strip().casefold()
    found = []
    for row in rows:
        if status and row.status != status:
            continue
        org = row.organisation
        if text and not any(
            text in (v or "").casefold() for v in (org.name_th, org.name_en, org.slug)
        ):
            continue
        found.append(row)
    return found


def rollup_page(
    rows: list[SchoolRow],
    *,
    sort: str = "name",
    descending: bool = False,
    status: str = "",
    text: str = "",
    page: object = 1,
) -> Page:
    """One page of 50 rows, filtered then sorted; a page number out of range gives the last page."""
    chosen = rows_sorted(
        rows_filtered(rows, status=status, text=text), key=sort, descending=descending
    )
    return Paginator(chosen, PER_PAGE).get_page(page)


@dataclass(frozen=True)
class RollupTotals:
    schools: int
    submitted: int
    confirmed: int
    readiness: Decimal | None


def rollup_totals(rows: list[SchoolRow]) -> RollupTotals:
    readiness = [r.readiness for r in rows if r.readiness is not None]
    return RollupTotals(
        schools=len(rows),
        submitted=sum(1 for r in rows if r.submitted),
        confirmed=sum(1 for r in rows if r.status == SubmissionStatus.CONFIRMED),
        readiness=round_half_up(mean(readiness)) if readiness else None,
    )
