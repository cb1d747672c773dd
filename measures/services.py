"""Business rules for measures: numbering, planning, copying, follow-up and evidence, publishing.

Views, management commands, imports and tests all go through these functions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.framework import edition_for
from assessments.models import Assessment, AssessmentKind, Edition, Indicator, Organisation, Unit
from assessments.public_cache import content_changed
from assessments.scoring import year_result
from ita_portal.concurrency import check_not_stale, edit_token
from ita_portal.thai import fiscal_year_end
from ita_portal.uploads import IMAGES_AND_PDF, FileType, check_upload, check_uploads, image_preview

from .models import (
    EXPECTED_ROUNDS,
    DocumentKind,
    Evidence,
    EvidenceKind,
    FollowUp,
    Measure,
    MeasureStatus,
    ReportSettings,
    Round,
)
from .steps import measure_steps_set, normalise_newlines


class PlanningError(Exception):
    """A planning action that cannot be done; the message is for the user."""


def measures_edition(fiscal_year: int, organisation: Organisation | None = None) -> Edition | None:
    """The framework a year's measures refer to.

    A year's measures answer the ITA result of the year before (planning
    starts from its indicators to develop), so their indicators are that
    result's edition (2569's for the measures of 2570), in the organisation's
    scheme; the year's own edition when there is none before.
    """
    return edition_for(organisation, fiscal_year - 1) or edition_for(organisation, fiscal_year)


def organisation_lock(organisation: Organisation) -> None:
    """Take the organisation's row lock until the transaction ends.

    Whatever allocates a number (a measure's) or an order (evidence) does
    it under this lock, so two simultaneous adds never read the same Max.
    SQLite has no row locks; there the whole database is locked for writing
    from the first statement (``transaction_mode`` IMMEDIATE in the settings).
    """
    list(Organisation.objects.select_for_update().filter(pk=organisation.pk).values_list("pk"))


def measure_next_number(*, organisation: Organisation, fiscal_year: int) -> int:
    """The next free number; call it under ``organisation_lock`` inside a transaction."""
    top = Measure.objects.filter(organisation=organisation, fiscal_year=fiscal_year).aggregate(
        top=Max("number")
    )["top"]
    return (top or 0) + 1


# The fields of the staff form; a save is refused when one of them (or the
# steps) changed after the form was opened.
MEASURE_FIELDS = (
    *("title", "indicators", "approach", "responsible_units", "responsible_text"),
    *("monitoring", "due_date", "due_month_only"),
)


def _measure_extra(measure: Measure) -> dict:
    # A step moved to another level is a change too.
    return {"steps": "\n".join(f"{step.depth} {step.text}" for step in measure.steps.all())}


def measure_edit_token(measure: Measure) -> str:
    return edit_token(measure, MEASURE_FIELDS, _measure_extra(measure))


def _measure_set(
    measure: Measure,
    *,
    title: str,
    indicators: Iterable[Indicator] = (),
    approach: str = "",
    steps: Sequence[str | tuple[int, str]] = (),
    responsible_units: Iterable[Unit] = (),
    responsible_text: str = "",
    monitoring: str = "",
    due_date: dt.date | None = None,
    due_month_only: bool = False,
) -> Measure:
    # Browsers send CRLF; stored "\n" only, so an export imported back is unchanged.
    measure.title = normalise_newlines(title)
    measure.approach = normalise_newlines(approach)
    measure.responsible_text = normalise_newlines(responsible_text)
    measure.monitoring = normalise_newlines(monitoring)
    measure.due_date = due_date
    measure.due_month_only = due_month_only
    measure.save()
    measure.indicators.set(indicators)
    measure.responsible_units.set(responsible_units)
    measure_steps_set(measure=measure, steps=steps)
    content_changed(measure.organisation_id)
    return measure


@transaction.atomic
def measure_create(*, organisation: Organisation, fiscal_year: int, **values) -> Measure:
    """Add a measure with the next number; simultaneous adds each get their own."""
    organisation_lock(organisation)
    measure = Measure(
        organisation=organisation,
        fiscal_year=fiscal_year,
        number=measure_next_number(organisation=organisation, fiscal_year=fiscal_year),
    )
    return _measure_set(measure, **values)


@transaction.atomic
def measure_update(*, measure: Measure, token: str | None, **values) -> Measure:
    """Save the staff form; raises ``StaleEdit`` when someone saved it after ``token`` was made."""
    locked = Measure.objects.select_for_update().get(pk=measure.pk)
    check_not_stale(
        locked, token, MEASURE_FIELDS, _measure_extra(locked), labels={"steps": _("Steps")}
    )
    return _measure_set(locked, **values)


@transaction.atomic
def measure_delete(*, measure: Measure) -> None:
    """Delete and close the gap, so numbers stay 1, 2, 3 … as printed."""
    organisation_lock(measure.organisation)
    measure = Measure.objects.filter(pk=measure.pk).first()
    if measure is None:  # deleted meanwhile: a second click
        return
    organisation, year, number = measure.organisation, measure.fiscal_year, measure.number
    measure.delete()
    for later in Measure.objects.filter(
        organisation=organisation, fiscal_year=year, number__gt=number
    ).order_by("number"):
        later.number -= 1
        later.save(update_fields=["number", "updated_at"])
    content_changed(organisation)


@transaction.atomic
def measure_move(*, measure: Measure, offset: int) -> None:
    """Swap with the neighbour ``offset`` places away (-1 up, +1 down); no-op at either end."""
    organisation_lock(measure.organisation)
    siblings = list(
        Measure.objects.select_for_update()
        .filter(organisation_id=measure.organisation_id, fiscal_year=measure.fiscal_year)
        .order_by("number")
    )
    index = next(i for i, m in enumerate(siblings) if m.pk == measure.pk)
    target = index + offset
    if not 0 <= target < len(siblings):
        return
    siblings[index], siblings[target] = siblings[target], siblings[index]
    # Two passes: the unique (organisation, year, number) would refuse a direct swap.
    top = max(m.number for m in siblings)
    for position, item in enumerate(siblings, start=1):
        item.number = top + position
        item.save(update_fields=["number"])
    for position, item in enumerate(siblings, start=1):
        item.number = position
        item.save(update_fields=["number", "updated_at"])
    content_changed(measure.organisation_id)


def previous_result(
    *, organisation: Organisation, fiscal_year: int, kind: str = AssessmentKind.OFFICIAL
):
    """The ITA result a year's measures answer: the one of the year before (official,
    or with ``kind=SELF`` the office's recorded self-assessed one)."""
    assessment = (
        Assessment.all_kinds.filter(
            organisation=organisation, fiscal_year=fiscal_year - 1, kind=kind
        )
        .select_related("edition")
        .first()
    )
    return year_result(assessment=assessment) if assessment else None


@transaction.atomic
def measures_plan_from_analysis(
    *, organisation: Organisation, fiscal_year: int, kind: str = AssessmentKind.OFFICIAL
) -> list[Measure]:
    """One draft measure per indicator to develop in the previous year's result
    (the official one, or the self-assessed one with ``kind=SELF``).

    Indicators that already have a measure this year are skipped, so running
    it twice adds nothing.
    """
    result = previous_result(organisation=organisation, fiscal_year=fiscal_year, kind=kind)
    if result is None or not result.indicators:
        if kind == AssessmentKind.SELF:
            raise PlanningError(
                _("There is no self-assessed result for %(year)s to plan from. Record it first.")
                % {"year": fiscal_year - 1}
            )
        raise PlanningError(
            _("There is no ITA result for %(year)s to plan from. Enter it first.")
            % {"year": fiscal_year - 1}
        )
    # Under the lock, so running it twice at once still adds each measure once.
    organisation_lock(organisation)
    covered = set(
        Measure.indicators.through.objects.filter(
            measure__organisation=organisation, measure__fiscal_year=fiscal_year
        ).values_list("indicator_id", flat=True)
    )
    created = []
    number = measure_next_number(organisation=organisation, fiscal_year=fiscal_year)
    for indicator_result in result.to_develop:
        indicator = indicator_result.indicator
        if indicator.pk in covered:
            continue
        measure = Measure.objects.create(
            organisation=organisation,
            fiscal_year=fiscal_year,
            number=number,
            title=_("Measures to improve %(indicator)s") % {"indicator": indicator.name_th},
            due_date=fiscal_year_end(fiscal_year),
        )
        measure.indicators.add(indicator)
        created.append(measure)
        number += 1
    content_changed(organisation)
    return created


def _shift_year(value: dt.date | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return value.replace(year=value.year + 1)
    except ValueError:  # 29 February
        return value.replace(year=value.year + 1, day=28)


@transaction.atomic
def measures_copy_to_next_year(*, organisation: Organisation, fiscal_year: int) -> list[Measure]:
    """Copy a year's measures (steps, indicators, units, texts) to the next year.

    Follow-ups stay behind: they belong to the year they report on. A measure
    whose title already exists in the next year is not copied again.
    """
    target = fiscal_year + 1
    organisation_lock(organisation)
    existing = set(
        Measure.objects.filter(organisation=organisation, fiscal_year=target).values_list(
            "title", flat=True
        )
    )
    sources = (
        Measure.objects.filter(organisation=organisation, fiscal_year=fiscal_year)
        .prefetch_related("steps", "indicators", "responsible_units")
        .order_by("number")
    )
    number = measure_next_number(organisation=organisation, fiscal_year=target)
    copies = []
    for source in sources:
        if source.title in existing:
            continue
        copy = Measure.objects.create(
            organisation=organisation,
            fiscal_year=target,
            number=number,
            title=source.title,
            approach=source.approach,
            responsible_text=source.responsible_text,
            monitoring=source.monitoring,
            due_date=_shift_year(source.due_date),
            due_month_only=source.due_month_only,
        )
        # The next year may use another framework edition: carry the indicators
        # over by number, as far as the new edition has them.
        numbers = [indicator.number for indicator in source.indicators.all()]
        edition = measures_edition(target, organisation)
        if edition is not None and numbers:
            copy.indicators.set(Indicator.objects.filter(edition=edition, number__in=numbers))
        copy.responsible_units.set(source.responsible_units.all())
        measure_steps_set(
            measure=copy, steps=[(step.depth, step.text) for step in source.steps.all()]
        )
        copies.append(copy)
        number += 1
    if not sources:
        raise PlanningError(_("There are no measures in %(year)s to copy.") % {"year": fiscal_year})
    content_changed(organisation)
    return copies


def round_due(*, round: str, fiscal_year: int) -> dt.date | None:
    """When a round's report is due: the end of the first half, or of the year."""
    if round == Round.SIX_MONTHS:
        return fiscal_year_end(fiscal_year).replace(month=3, day=31)
    if round == Round.TWELVE_MONTHS:
        return fiscal_year_end(fiscal_year)
    return None


@dataclass
class MeasureRow:
    """One line of the staff year view."""

    measure: Measure
    follow_ups: list[FollowUp]
    missing_rounds: list[str]
    overdue_rounds: list[str]
    mine: bool
    today: dt.date = field(repr=False)

    @property
    def latest(self) -> FollowUp | None:
        return max(self.follow_ups, key=lambda f: f.sort_key) if self.follow_ups else None

    @property
    def status(self) -> str:
        return self.latest.status if self.latest else MeasureStatus.NOT_STARTED

    @property
    def status_label(self) -> str:
        return MeasureStatus(self.status).label

    @property
    def overdue(self) -> bool:
        """Past its due date and not done."""
        due = self.measure.due_date
        return bool(due and due < self.today and self.status != MeasureStatus.DONE)


def measures_for_year(*, organisation: Organisation, fiscal_year: int):
    """A year's measures with everything the pages and the report show, in a fixed number of queries."""
    return (
        Measure.objects.filter(organisation=organisation, fiscal_year=fiscal_year)
        .order_by("number")
        .prefetch_related(
            "indicators",
            "responsible_units",
            "steps",
            Prefetch(
                "follow_ups",
                queryset=FollowUp.objects.prefetch_related(
                    Prefetch("evidence", queryset=Evidence.objects.order_by("order", "id"))
                ),
            ),
        )
    )


def year_overview(
    *,
    organisation: Organisation,
    fiscal_year: int,
    units: Iterable[Unit] = (),
    today: dt.date | None = None,
) -> list[MeasureRow]:
    """Per measure: follow-ups, rounds without a result (and which of them are late).

    Measures of the given units (the user's own) come first.
    """
    today = today or timezone.localdate()
    unit_ids = {unit.pk for unit in units}
    rows = []
    for measure in measures_for_year(organisation=organisation, fiscal_year=fiscal_year):
        follow_ups = sorted(measure.follow_ups.all(), key=lambda f: f.sort_key)
        reported = {f.round for f in follow_ups}
        missing = [r for r in EXPECTED_ROUNDS if r not in reported]
        overdue = [
            r
            for r in missing
            if (due := round_due(round=r, fiscal_year=fiscal_year)) is not None and due < today
        ]
        mine = bool(unit_ids & {u.pk for u in measure.responsible_units.all()})
        rows.append(MeasureRow(measure, follow_ups, missing, overdue, mine, today))
    rows.sort(key=lambda row: (not row.mine, row.measure.number))
    return rows


def _follow_up_lock(follow_up: FollowUp) -> None:
    # Evidence added at the same moment gets consecutive places, not the same one.
    list(FollowUp.objects.select_for_update().filter(pk=follow_up.pk).values_list("pk"))


def _evidence_next_order(follow_up: FollowUp) -> int:
    top = follow_up.evidence.aggregate(top=Max("order"))["top"]
    return (top or 0) + 1


def evidence_add_files(
    *, follow_up: FollowUp, files: Sequence, captions: Sequence[str] = ()
) -> list[Evidence]:
    """Check every file first; save them all, or none when one is refused.

    Raises ValidationError naming each refused file.
    """
    checked = check_uploads(files, IMAGES_AND_PDF)
    saved = []
    with transaction.atomic():
        _follow_up_lock(follow_up)
        order = _evidence_next_order(follow_up)
        for index, (upload, info) in enumerate(checked):
            evidence = Evidence(
                follow_up=follow_up,
                order=order + index,
                kind=EvidenceKind.IMAGE if info.type.kind == "image" else EvidenceKind.PDF,
                caption=(captions[index] if index < len(captions) else "").strip(),
                size=info.size,
            )
            evidence._upload_extension = info.type.extension
            evidence.file.save("upload", upload, save=False)
            if info.type.kind == "image":
                evidence._upload_extension = "jpg"
                evidence.preview.save("preview", image_preview(upload), save=False)
            evidence.save()
            saved.append(evidence)
        content_changed(follow_up.measure.organisation_id)
    return saved


@transaction.atomic
def evidence_add_link(*, follow_up: FollowUp, url: str, caption: str = "") -> Evidence:
    _follow_up_lock(follow_up)
    evidence = Evidence(
        follow_up=follow_up,
        order=_evidence_next_order(follow_up),
        kind=EvidenceKind.LINK,
        url=url,
        caption=caption.strip(),
    )
    evidence.full_clean()
    evidence.save()
    content_changed(follow_up.measure.organisation_id)
    return evidence


@transaction.atomic
def evidence_delete(*, evidence: Evidence) -> None:
    """Delete the record; its files follow once committed (``signals.py``)."""
    evidence.delete()
    content_changed(evidence.follow_up.measure.organisation_id)


def announcement_attachment_set(*, announcement, upload) -> None:
    """Attach a signed PDF, checked by content."""
    check_upload(upload, frozenset({FileType.PDF}))
    announcement._upload_extension = "pdf"
    old = announcement.attachment.name if announcement.attachment else None
    announcement.attachment.save("upload", upload, save=True)
    content_changed(announcement.organisation_id)
    if old:
        announcement.attachment.storage.delete(old)


def report_settings_for(
    *, organisation: Organisation, fiscal_year: int, kind: str = DocumentKind.ANNUAL
) -> ReportSettings:
    """A document's saved settings, or unsaved defaults (so a year with none still renders)."""
    settings = ReportSettings.objects.filter(
        organisation=organisation, fiscal_year=fiscal_year, kind=kind
    ).first()
    return settings or ReportSettings(organisation=organisation, fiscal_year=fiscal_year, kind=kind)


def report_publish(
    *,
    organisation: Organisation,
    fiscal_year: int,
    user,
    published: bool,
    kind: str = DocumentKind.ANNUAL,
) -> ReportSettings:
    settings, _created = ReportSettings.objects.get_or_create(
        organisation=organisation, fiscal_year=fiscal_year, kind=kind
    )
    settings.published = published
    settings.published_at = timezone.now() if published else None
    settings.published_by = user if published else None
    with transaction.atomic():
        settings.save()
        content_changed(organisation)
    return settings
