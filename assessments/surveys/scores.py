"""A survey round's scores, aggregated in the database.

Per sub-item the mean of the answers over respondents (one GROUP BY query:
sums and counts, so the mean is exact); a reverse-scored sub-item's mean is
100 minus the mean of the stored choice values, which is the same as scoring
each answer reversed. Per question the mean of its sub-items, per indicator
the mean of its questions, rounded half-up to 2 places as the NACC publishes
indicator scores; per instrument the mean of the indicator scores, rounded
when shown, as ``assessments.scoring`` computes it from published scores.

Nothing is computed for a round below ``MIN_RESPONSES_SHOWN`` responses:
with fewer, a mean could give away one person's answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum

from assessments.framework import edition_for
from assessments.models import MIN_RESPONSES_SHOWN, Answer, Question, QuestionItem, SurveyRound
from assessments.scoring import mean, round_half_up

from .bank import Bank, BankIndicator, survey_bank
from .sampling import SampleProgress, minimum_sample, rule_for


@dataclass
class ItemMean:
    item: QuestionItem
    mean: Decimal | None  # None: nobody answered it (imported rows may lack nothing, but be safe)

    @property
    def score(self) -> Decimal | None:
        return None if self.mean is None else round_half_up(self.mean)


@dataclass
class QuestionMean:
    question: Question
    items: list[ItemMean]
    mean: Decimal | None

    @property
    def score(self) -> Decimal | None:
        return None if self.mean is None else round_half_up(self.mean)


@dataclass
class IndicatorMean:
    group: BankIndicator
    questions: list[QuestionMean]
    score: Decimal | None  # rounded half-up, as published

    @property
    def indicator(self):
        return self.group.indicator


@dataclass
class RoundScores:
    round: SurveyRound
    bank: Bank
    responses: int
    progress: SampleProgress
    indicators: list[IndicatorMean] = field(default_factory=list)
    mean: Decimal | None = None  # the instrument's exact mean of indicator scores

    @property
    def shown(self) -> bool:
        return self.responses >= MIN_RESPONSES_SHOWN

    @property
    def score(self) -> Decimal | None:
        return None if self.mean is None else round_half_up(self.mean)

    @property
    def questions(self) -> list[QuestionMean]:
        return [q for ind in self.indicators for q in ind.questions]

    @property
    def weakest(self) -> list[QuestionMean]:
        """Questions lowest score first (then in form order)."""
        scored = [q for q in self.questions if q.mean is not None]
        return sorted(
            scored, key=lambda q: (q.mean, q.question.indicator.number, q.question.number)
        )

    @property
    def indicator_scores(self) -> dict[int, Decimal]:
        """Indicator pk → score, for the self-assessed result."""
        return {i.indicator.pk: i.score for i in self.indicators if i.score is not None}


def item_sums(survey_round: SurveyRound) -> dict[str, tuple[int, int]]:
    """Sub-item code → (sum of stored values, number of answers), in one query."""
    rows = (
        Answer.objects.filter(response__round=survey_round)
        .values("item_code")
        .annotate(total=Sum("value"), n=Count("id"))
        .order_by()
    )
    return {r["item_code"]: (r["total"], r["n"]) for r in rows}


def _exact_mean(total: int, n: int, reverse: bool) -> Decimal:
    value = Decimal(total) / Decimal(n)
    return Decimal(100) - value if reverse else value


def round_scores(survey_round: SurveyRound, *, bank: Bank | None = None) -> RoundScores:
    """The round's scores (nothing below the minimum number of responses shown)."""
    if bank is None:
        edition = edition_for(survey_round.organisation, survey_round.fiscal_year)
        bank = survey_bank(edition, survey_round.instrument_code)
    responses = survey_round.responses.count()
    minimum = minimum_sample(
        rule_for(survey_round.organisation, survey_round.instrument_code),
        survey_round.population,
    )
    # Below the floor no sums are read at all, not only not shown.
    sums = item_sums(survey_round) if responses >= MIN_RESPONSES_SHOWN else {}
    return round_scores_from(
        survey_round, bank=bank, responses=responses, minimum=minimum, sums=sums
    )


# -- many rounds at once (an ESA's roll-up) ------------------------------------------


def rounds_item_sums(rounds: list[SurveyRound]) -> dict[int, dict[str, tuple[int, int]]]:
    """Round pk → sub-item code → (sum of stored values, number of answers), for many
    rounds in one GROUP BY query (``item_sums`` of each, without a query each)."""
    found: dict[int, dict[str, tuple[int, int]]] = {r.pk: {} for r in rounds}
    if not rounds:
        return found
    rows = (
        Answer.objects.filter(response__round__in=[r.pk for r in rounds])
        .values("response__round_id", "item_code")
        .annotate(total=Sum("value"), n=Count("id"))
        .order_by()
    )
    for row in rows:
        found[row["response__round_id"]][row["item_code"]] = (row["total"], row["n"])
    return found


def round_scores_from(
    survey_round: SurveyRound,
    *,
    bank: Bank,
    responses: int,
    minimum: int | None,
    sums: dict[str, tuple[int, int]],
) -> RoundScores:
    """``round_scores`` from counts and sums already loaded (no query): the same means,
    compared with ``round_scores`` by a test so the two cannot drift."""
    result = RoundScores(
        round=survey_round,
        bank=bank,
        responses=responses,
        progress=SampleProgress(responses=responses, minimum=minimum),
    )
    if not result.shown:
        return result
    for group in bank.indicators:
        question_means = []
        for question in group.questions:
            items = [
                ItemMean(
                    item=item,
                    mean=None
                    if sums.get(item.code) is None
                    else _exact_mean(*sums[item.code], item.reverse),
                )
                for item in question.items.all()
            ]
            known = [i.mean for i in items if i.mean is not None]
            question_means.append(
                QuestionMean(question=question, items=items, mean=mean(known) if known else None)
            )
        known_q = [q.mean for q in question_means if q.mean is not None]
        result.indicators.append(
            IndicatorMean(
                group=group,
                questions=question_means,
                score=round_half_up(mean(known_q)) if known_q else None,
            )
        )
    indicator_scores = [i.score for i in result.indicators]
    if indicator_scores and all(s is not None for s in indicator_scores):
        result.mean = mean(indicator_scores)
    return result
