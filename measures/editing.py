"""Saving what staff edit by hand: follow-ups, evidence captions, announcements and
report settings.

Each save locks its row and refuses a form opened before someone else's
save (``ita_portal.concurrency``); the views only call these functions.
Numbering and the measures themselves are in ``services.py``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from assessments.models import Organisation
from assessments.public_cache import content_changed
from ita_portal.concurrency import check_not_stale, edit_token

from .models import Announcement, DocumentKind, FollowUp, Measure, ReportSettings
from .services import announcement_attachment_set, organisation_lock
from .steps import normalise_newlines

FOLLOW_UP_FIELDS = (
    "round",
    "report_date",
    "summary",
    "outcome",
    "status",
    "completed_on",
    "completed_month_only",
)
ANNOUNCEMENT_FIELDS = (
    "kind",
    "number",
    "title",
    "body",
    "date",
    "signatory_name",
    "signatory_position",
    "measures",
    "attachment",
)
REPORT_SETTINGS_FIELDS = (
    "title",
    "hidden_parts",
    "chapter_word",
    "document_date",
    "body",
    "strengths_threshold",
    "preface",
    "background",
    "thai_digits",
    "signatory_name",
    "signatory_position",
)


def follow_up_edit_token(follow_up: FollowUp) -> str:
    return edit_token(follow_up, FOLLOW_UP_FIELDS)


def _follow_up_save(follow_up: FollowUp, values: dict) -> FollowUp:
    for name in FOLLOW_UP_FIELDS:
        setattr(follow_up, name, values.get(name, getattr(follow_up, name)))
    # Browsers send CRLF; stored "\n" only, so an export imported back is unchanged.
    follow_up.summary = normalise_newlines(follow_up.summary)
    follow_up.outcome = normalise_newlines(follow_up.outcome)
    try:
        with transaction.atomic():
            follow_up.save()
    except IntegrityError:
        # The form checks for duplicates; this covers two people saving the same round at once.
        raise ValidationError(
            {"round": _("This measure already has a report for this round.")}
        ) from None
    content_changed(follow_up.measure.organisation_id)
    return follow_up


@transaction.atomic
def follow_up_create(*, measure: Measure, **values) -> FollowUp:
    """Add a round's result; raises ValidationError when the round exists already."""
    return _follow_up_save(FollowUp(measure=measure), values)


@transaction.atomic
def follow_up_update(*, follow_up: FollowUp, token: str | None, **values) -> FollowUp:
    """Raises ``StaleEdit`` when someone saved the follow-up after ``token`` was made."""
    locked = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    check_not_stale(locked, token, FOLLOW_UP_FIELDS)
    return _follow_up_save(locked, values)


@transaction.atomic
def evidence_captions_save(*, follow_up: FollowUp, formset) -> None:
    """Save the captions and order of a follow-up's evidence (a valid ``EvidenceFormSet``)."""
    formset.save()
    content_changed(follow_up.measure.organisation_id)


def announcement_edit_token(announcement: Announcement) -> str:
    return edit_token(announcement, ANNOUNCEMENT_FIELDS)


def _announcement_save(
    announcement: Announcement, values: dict, measures: Iterable[Measure], upload
) -> Announcement:
    for name in ANNOUNCEMENT_FIELDS:
        if name in values:
            setattr(announcement, name, values[name])
    announcement.save()
    announcement.measures.set(measures)
    if upload:
        # A refused PDF raises ValidationError and the whole save is rolled back.
        announcement_attachment_set(announcement=announcement, upload=upload)
    content_changed(announcement.organisation_id)
    return announcement


@transaction.atomic
def announcement_create(
    *,
    organisation: Organisation,
    fiscal_year: int,
    measures: Iterable[Measure] = (),
    upload=None,
    **values,
) -> Announcement:
    announcement = Announcement(organisation=organisation, fiscal_year=fiscal_year)
    return _announcement_save(announcement, values, measures, upload)


@transaction.atomic
def announcement_update(
    *,
    announcement: Announcement,
    token: str | None,
    measures: Iterable[Measure] = (),
    upload=None,
    **values,
) -> Announcement:
    """Raises ``StaleEdit`` when someone saved it after ``token`` was made."""
    locked = Announcement.objects.select_for_update().get(pk=announcement.pk)
    check_not_stale(locked, token, ANNOUNCEMENT_FIELDS)
    return _announcement_save(locked, values, measures, upload)


@transaction.atomic
def announcement_delete(*, announcement: Announcement) -> None:
    """Delete it; its signed PDF leaves storage once this commits (``signals.py``)."""
    announcement.delete()
    content_changed(announcement.organisation_id)


def report_settings_edit_token(settings: ReportSettings) -> str:
    return edit_token(settings, REPORT_SETTINGS_FIELDS)


@transaction.atomic
def report_settings_update(
    *,
    organisation: Organisation,
    fiscal_year: int,
    token: str | None,
    kind: str = DocumentKind.ANNUAL,
    **values,
) -> ReportSettings:
    """Save a document's settings (created on the first save); only the fields given
    change, so each kind's form saves what it shows.

    The organisation's lock covers the first save too, when there is no row
    to lock yet. Raises ``StaleEdit`` when someone saved after ``token``.
    """
    unknown = set(values) - set(REPORT_SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"not report settings: {sorted(unknown)}")
    organisation_lock(organisation)
    settings = ReportSettings.objects.filter(
        organisation=organisation, fiscal_year=fiscal_year, kind=kind
    ).first() or ReportSettings(organisation=organisation, fiscal_year=fiscal_year, kind=kind)
    check_not_stale(settings, token, REPORT_SETTINGS_FIELDS)
    for name, value in values.items():
        setattr(settings, name, value)
    settings.save()
    content_changed(organisation)
    return settings
