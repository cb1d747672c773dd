"""The analysis of last year's ITA result in the office's own words.

Reference 000 (chapter 2) and 003 (part 2) interpret the result in
paragraphs: one on the result as a whole, one per indicator, one per
weakness found in the open data (OIT). The portal writes a first draft of
each from the figures (score, level, pass mark, change from the year
before) and the office edits it; an edited text wins over the draft, an
emptied one prints nothing, and "regenerate" goes back to the draft.

The texts belong to the documents of a measures year (``fiscal_year`` of
``AnalysisText`` is the year of the measures, like ``ReportSettings``); they
interpret the result of the year before.

The OIT weaknesses come from the item results of the official result. The
office's own OIT self-check lives in ``disclosures``, which depends on
``measures``; reading it here would turn the dependency round, so only
what the self-check's confirmed review wrote into ``assessments`` shows.

Strengths are computed here, not by ``YearResult.strengths``: that one
takes the edition's top level, while an office may list every indicator at
or above a threshold of its own (000 lists all at 85 or more).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from assessments.models import Organisation
from assessments.public_cache import content_changed
from assessments.scoring import (
    IndicatorResult,
    SubIndicatorAverage,
    YearResult,
    organisation_results,
    sub_indicator_averages,
)
from ita_portal.concurrency import check_not_stale, edit_token

from .analysis_drafts import (
    OVERALL,
    Topic,
    analysis_drafts,
    indicator_key,
    strengths,
    strengths_threshold,
    weakness_key,
)
from .models import AnalysisText, ReportSettings
from .services import organisation_lock, report_settings_for

__all__ = [
    "OVERALL",
    "OfficeAnalysis",
    "Topic",
    "analysis_drafts",
    "analysis_for",
    "analysis_text_save",
    "analysis_texts_edit_token",
    "analysis_texts_for",
    "office_analysis",
    "strengths",
    "strengths_threshold",
]


@dataclass
class OfficeAnalysis:
    """What a document prints of the analysis: the lists and each one's text."""

    organisation: Organisation
    fiscal_year: int  # the year of the measures; the result is of the year before
    result: YearResult | None
    sub_indicators: list[SubIndicatorAverage]
    strengths_threshold: Decimal | None
    topics: dict[str, Topic] = field(default_factory=dict)

    @property
    def overall(self) -> Topic | None:
        return self.topics.get(OVERALL)

    @property
    def strengths(self) -> list[IndicatorResult]:
        return strengths(self.result, self.strengths_threshold)

    @property
    def to_develop(self) -> list[IndicatorResult]:
        return self.result.to_develop if self.result else []

    @property
    def develop_threshold(self) -> Decimal | None:
        return self.result.threshold if self.result else None

    @property
    def others(self) -> list[IndicatorResult]:
        """Indicators neither strong nor to develop (between the two thresholds)."""
        if self.result is None:
            return []
        listed = {r.indicator.pk for r in (*self.strengths, *self.to_develop)}
        return [
            r
            for r in self.result.indicators
            if r.score is not None and r.indicator.pk not in listed
        ]

    def _rows(self, rows: list[IndicatorResult]) -> list[tuple[IndicatorResult, Topic | None]]:
        return [(r, self.topics.get(indicator_key(r.indicator.number))) for r in rows]

    @property
    def strength_rows(self) -> list[tuple[IndicatorResult, Topic | None]]:
        return self._rows(self.strengths)

    @property
    def develop_rows(self) -> list[tuple[IndicatorResult, Topic | None]]:
        return self._rows(self.to_develop)

    @property
    def other_rows(self) -> list[tuple[IndicatorResult, Topic | None]]:
        return self._rows(self.others)

    @property
    def weaknesses(self) -> list[SubIndicatorAverage]:
        return [sub for sub in self.sub_indicators if sub.failed]

    @property
    def weakness_rows(self) -> list[tuple[SubIndicatorAverage, Topic | None]]:
        return [(s, self.topics.get(weakness_key(s.sub_indicator.code))) for s in self.weaknesses]


# --- Reading -----------------------------------------------------------------


def office_analysis(
    *,
    organisation: Organisation,
    fiscal_year: int,
    result: YearResult | None,
    sub_indicators: list[SubIndicatorAverage],
    settings: ReportSettings | None = None,
) -> OfficeAnalysis:
    """The analysis a document of ``fiscal_year`` prints, from data already read (one query)."""
    strong = strengths_threshold(result, settings)
    drafts = analysis_drafts(
        organisation=organisation,
        fiscal_year=fiscal_year,
        result=result,
        sub_indicators=sub_indicators,
        strong=strong,
    )
    saved = (
        dict(
            AnalysisText.objects.filter(
                organisation=organisation, fiscal_year=fiscal_year
            ).values_list("key", "text")
        )
        if drafts
        else {}
    )
    topics = {t.key: Topic(t.key, t.label, t.draft, saved.get(t.key)) for t in drafts}
    return OfficeAnalysis(
        organisation=organisation,
        fiscal_year=fiscal_year,
        result=result,
        sub_indicators=sub_indicators,
        strengths_threshold=strong,
        topics=topics,
    )


def analysis_for(
    *, organisation: Organisation, fiscal_year: int, settings: ReportSettings | None = None
) -> OfficeAnalysis:
    """Reads last year's result and builds the analysis of the documents of ``fiscal_year``."""
    result = next(
        (
            r
            for r in organisation_results(organisation=organisation)
            if r.fiscal_year == fiscal_year - 1
        ),
        None,
    )
    if settings is None:
        settings = report_settings_for(organisation=organisation, fiscal_year=fiscal_year)
    return office_analysis(
        organisation=organisation,
        fiscal_year=fiscal_year,
        result=result,
        sub_indicators=sub_indicator_averages(result=result) if result else [],
        settings=settings,
    )


def analysis_texts_for(*, organisation: Organisation, fiscal_year: int) -> dict[str, str]:
    """The text of every topic by key: the office's where it wrote one, else the draft."""
    analysis = analysis_for(organisation=organisation, fiscal_year=fiscal_year)
    return {key: topic.text for key, topic in analysis.topics.items()}


# --- Writing -----------------------------------------------------------------


def _snapshot(analysis: OfficeAnalysis, saved: dict[str, str]) -> dict[str, str | None]:
    """Every topic's saved text (None: the draft), so a text someone adds is seen too."""
    return {key: saved.get(key) for key in sorted({*analysis.topics, *saved})}


def analysis_texts_edit_token(analysis: OfficeAnalysis) -> str:
    saved = {k: t.saved for k, t in analysis.topics.items() if t.saved is not None}
    return edit_token(analysis.organisation, (), _snapshot(analysis, saved))


@transaction.atomic
def analysis_text_save(
    *,
    organisation: Organisation,
    fiscal_year: int,
    texts: dict[str, str | None],
    token: str | None,
) -> list[str]:
    """Save the office's texts by key; ``None`` discards a text, back to the draft.

    A text equal to the draft it was shown with is not stored, so an untouched
    paragraph keeps following the figures; an emptied one is stored empty and
    prints nothing. Raises ``StaleEdit`` when someone saved a text of the year
    after ``token`` was made (``None``: no check). Returns the keys that changed.
    """
    organisation_lock(organisation)
    current = {
        t.key: t
        for t in AnalysisText.objects.select_for_update().filter(
            organisation=organisation, fiscal_year=fiscal_year
        )
    }
    analysis = analysis_for(organisation=organisation, fiscal_year=fiscal_year)
    check_not_stale(
        organisation,
        token,
        (),
        _snapshot(analysis, {k: t.text for k, t in current.items()}),
        labels={k: t.label for k, t in analysis.topics.items()},
    )
    changed = []
    for key, value in texts.items():
        topic = analysis.topics.get(key)
        if topic is None:
            continue  # a topic the figures no longer have
        stored = current.get(key)
        if value is None or (stored is None and _same(value, topic.draft)):
            if stored is not None:
                stored.delete()
                changed.append(key)
            continue
        value = value.replace("\r\n", "\n").strip()
        if stored is None:
            AnalysisText.objects.create(
                organisation=organisation, fiscal_year=fiscal_year, key=key, text=value
            )
            changed.append(key)
        elif stored.text != value:
            stored.text = value
            stored.save(update_fields=["text", "updated_at"])
            changed.append(key)
    if changed:
        content_changed(organisation)
    return changed


def _same(typed: str, draft: str) -> bool:
    return typed.replace("\r\n", "\n").strip() == draft.strip()
