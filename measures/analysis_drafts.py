"""First drafts of the analysis texts, phrased from the figures of last year's result.

Each draft says what the figures say (score, level, pass mark, change from
the year before, where the score comes from) and what it means for the
office (a strength to keep, a point to develop with measures). The office
edits them in ``measures.analysis_text``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _

from assessments.levels import level_label
from assessments.models import Organisation
from assessments.scoring import IndicatorResult, SubIndicatorAverage, YearResult

from .models import ReportSettings

OVERALL = "overall"


def indicator_key(number: int) -> str:
    return f"indicator-{number}"


def weakness_key(code: str) -> str:
    return f"weakness-{code}"


@dataclass(frozen=True)
class Topic:
    """One paragraph (or a few) of the analysis: what it is about, the draft, the printed text."""

    key: str
    label: str
    draft: str
    saved: str | None = None  # the office's text; None: never edited

    @property
    def text(self) -> str:
        return self.draft if self.saved is None else self.saved

    @property
    def edited(self) -> bool:
        return self.saved is not None

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.text.replace("\r\n", "\n").split("\n\n") if p.strip()]


# --- Strengths ---------------------------------------------------------------


def strengths_threshold(
    result: YearResult | None, settings: ReportSettings | None = None
) -> Decimal | None:
    """The document's own threshold, else the edition's top level (AA, ดีเยี่ยม)."""
    if settings is not None and settings.strengths_threshold is not None:
        return settings.strengths_threshold
    if result is None or result.edition is None or not result.edition.levels:
        return None
    return result.edition.top_level.min_total


def strengths(result: YearResult | None, threshold: Decimal | None) -> list[IndicatorResult]:
    """Indicators at or above ``threshold``, highest first (ties by number)."""
    if result is None or threshold is None:
        return []
    found = [r for r in result.indicators if r.score is not None and r.score >= threshold]
    return sorted(found, key=lambda r: (-r.score, r.indicator.number))


# --- The drafts --------------------------------------------------------------


def _number(value: Decimal) -> str:
    return f"{value:.2f}"


def _mark(value: Decimal) -> str:
    # Thresholds read as the NACC writes them: 85, not 85.00.
    return f"{value:.0f}" if value == value.to_integral_value() else f"{value:.2f}"


def _level_words(level) -> str:
    label = level_label(level)
    if level is not None and level.grade and level.label_th:
        return f"{label} ({level.label_th})"
    return label


def _change(score: Decimal, previous: Decimal | None, year: int) -> str:
    if previous is None:
        return ""
    delta = score - previous
    values = {"delta": _number(abs(delta)), "year": year, "previous": _number(previous)}
    if delta > 0:
        return _("up %(delta)s points from fiscal year %(year)s (%(previous)s)") % values
    if delta < 0:
        return _("down %(delta)s points from fiscal year %(year)s (%(previous)s)") % values
    return _("the same as in fiscal year %(year)s") % values


def _previous_scores(result: YearResult) -> dict[tuple[int, str], Decimal]:
    """Last year's indicator scores, matched by number and name (editions renumber)."""
    previous = result.previous
    if previous is None:
        return {}
    return {
        (r.indicator.number, r.indicator.name_th): r.score
        for r in previous.indicators
        if r.score is not None
    }


def _indicator_draft(
    row: IndicatorResult,
    *,
    result: YearResult,
    strong: Decimal | None,
    previous: dict[tuple[int, str], Decimal],
    measures_year: int,
) -> str:
    indicator = row.indicator
    sentences = []
    first = _("Indicator %(number)s %(name)s scored %(score)s") % {
        "number": indicator.number,
        "name": indicator.name_th,
        "score": _number(row.score),
    }
    if row.level is not None:
        first += " " + _("at level %(level)s") % {"level": _level_words(row.level)}
    if result.edition is not None:
        mark = {"mark": _mark(result.edition.pass_mark)}
        if row.passed:
            first += " " + _("which passes the mark of %(mark)s") % mark
        else:
            first += " " + _("below the pass mark of %(mark)s") % mark
    change = _change(
        row.score, previous.get((indicator.number, indicator.name_th)), result.fiscal_year - 1
    )
    if change:
        first += " " + change
    sentences.append(first)
    instrument = next(
        (i.instrument for i in result.instruments if i.instrument.pk == indicator.instrument_id),
        None,
    )
    if instrument is not None:
        sentences.append(
            _("The score comes from %(instrument)s (%(code)s).")
            % {"instrument": instrument.name_th, "code": instrument.code}
        )
    if result.threshold is not None and row.score < result.threshold:
        sentences.append(
            _("It is a point the office must develop, with measures in fiscal year %(year)s.")
            % {"year": measures_year}
        )
    elif strong is not None and row.score >= strong:
        sentences.append(_("It is one of the office's strengths, to be kept up."))
    else:
        sentences.append(_("It passed, and the office can still improve it."))
    return " ".join(sentences)


def _overall_draft(result: YearResult, organisation: Organisation, strong: Decimal | None) -> str:
    total = result.shown_total
    sentences = []
    if total is None:
        if result.level is None:
            return ""
        sentences.append(
            _("The ITA result of %(name)s for fiscal year %(year)s was level %(level)s.")
            % {
                "name": organisation.name_th,
                "year": result.fiscal_year,
                "level": _level_words(result.level),
            }
        )
        return " ".join(sentences)
    first = _("The ITA result of %(name)s for fiscal year %(year)s was %(total)s points") % {
        "name": organisation.name_th,
        "year": result.fiscal_year,
        "total": _number(total),
    }
    if result.level is not None:
        first += " " + _("at level %(level)s") % {"level": _level_words(result.level)}
        first += " " + (_("which passes") if result.passed else _("which does not pass"))
    assessment = result.assessment
    if assessment.rank and assessment.ranked_out_of:
        first += " " + _("ranked %(rank)s of %(of)s agencies") % {
            "rank": assessment.rank,
            "of": assessment.ranked_out_of,
        }
    previous_total = result.previous.shown_total if result.previous else None
    change = _change(total, previous_total, result.previous.fiscal_year if result.previous else 0)
    if change:
        first += " " + change
    sentences.append(first)
    if result.decision.reason:
        sentences.append(
            _("It did not reach a better level: %(reason)s.") % {"reason": result.decision.reason}
        )
    points = [i for i in result.instruments if i.points is not None]
    if points:
        sentences.append(
            _("By instrument: %(points)s.")
            % {
                "points": ", ".join(
                    _("%(code)s %(points)s of %(weight)s")
                    % {
                        "code": i.instrument.code,
                        "points": _number(i.points),
                        "weight": _mark(i.instrument.weight),
                    }
                    for i in points
                )
            }
        )
    scored = [r for r in result.indicators if r.score is not None]
    if len(scored) > 1:
        best = max(scored, key=lambda r: (r.score, -r.indicator.number))
        worst = min(scored, key=lambda r: (r.score, r.indicator.number))
        sentences.append(
            _(
                "The highest score was indicator %(best_number)s %(best_name)s (%(best)s), "
                "the lowest indicator %(worst_number)s %(worst_name)s (%(worst)s)."
            )
            % {
                "best_number": best.indicator.number,
                "best_name": best.indicator.name_th,
                "best": _number(best.score),
                "worst_number": worst.indicator.number,
                "worst_name": worst.indicator.name_th,
                "worst": _number(worst.score),
            }
        )
        counts = []
        if strong is not None:
            counts.append(
                _("%(count)s indicators scored %(mark)s or more")
                % {"count": len(strengths(result, strong)), "mark": _mark(strong)}
            )
        if result.threshold is not None:
            counts.append(
                _("%(count)s scored below %(mark)s")
                % {"count": len(result.to_develop), "mark": _mark(result.threshold)}
            )
        if counts:
            sentences.append(" ".join(counts))
    return " ".join(sentences)


def _weakness_draft(sub: SubIndicatorAverage) -> str:
    failed = sub.failed
    sentences = [
        _(
            "Sub-indicator %(code)s %(name)s averaged %(average)s; %(count)s items did not "
            "pass: %(items)s."
        )
        % {
            "code": sub.sub_indicator.code,
            "name": sub.sub_indicator.name_th,
            "average": _number(sub.average),
            "count": len(failed),
            "items": ", ".join(f"{r.item.code} {r.item.title_th}" for r in failed),
        }
    ]
    asked = [f"{r.item.code} {r.improvement.strip()}" for r in failed if r.improvement.strip()]
    if asked:
        sentences.append(
            _("The assessors asked for: %(improvements)s.") % {"improvements": "; ".join(asked)}
        )
    sentences.append(
        _(
            "The office will go through these items with the staff responsible for them, "
            "correct what is missing and keep them up to date before the next assessment."
        )
    )
    return " ".join(sentences)


def analysis_drafts(
    *,
    organisation: Organisation,
    fiscal_year: int,
    result: YearResult | None,
    sub_indicators: list[SubIndicatorAverage],
    strong: Decimal | None,
) -> list[Topic]:
    """The first drafts, in the order a document prints them: the result as a whole,
    each indicator scored, each OIT sub-indicator with items not passed.

    Written in Thai whatever the language of the page: they are the text of
    the office's Thai document.
    """
    if result is None:
        return []
    topics = []
    with translation.override("th"):
        overall = _overall_draft(result, organisation, strong)
        if overall:
            topics.append(Topic(OVERALL, _("The result as a whole"), overall))
        previous = _previous_scores(result)
        for row in result.indicators:
            if row.score is None:
                continue
            topics.append(
                Topic(
                    indicator_key(row.indicator.number),
                    _("Indicator %(number)s %(name)s")
                    % {"number": row.indicator.number, "name": row.indicator.name_th},
                    _indicator_draft(
                        row,
                        result=result,
                        strong=strong,
                        previous=previous,
                        measures_year=fiscal_year,
                    ),
                )
            )
        for sub in sub_indicators:
            if sub.failed:
                topics.append(
                    Topic(
                        weakness_key(sub.sub_indicator.code),
                        _("Sub-indicator %(code)s %(name)s")
                        % {"code": sub.sub_indicator.code, "name": sub.sub_indicator.name_th},
                        _weakness_draft(sub),
                    )
                )
    return topics
