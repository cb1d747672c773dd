"""An edition's question bank for one instrument, in the order of the form."""

from __future__ import annotations

from dataclasses import dataclass, field

from assessments.models import Edition, Indicator, Question, QuestionItem


@dataclass
class BankIndicator:
    indicator: Indicator
    questions: list[Question] = field(default_factory=list)

    @property
    def fields(self) -> list[QuestionItem]:
        return [item for q in self.questions for item in q.items.all()]


@dataclass
class Bank:
    instrument_code: str
    indicators: list[BankIndicator]

    @property
    def questions(self) -> list[Question]:
        return [q for ind in self.indicators for q in ind.questions]

    @property
    def items(self) -> list[QuestionItem]:
        return [item for q in self.questions for item in q.items.all()]

    @property
    def items_by_code(self) -> dict[str, QuestionItem]:
        return {item.code: item for item in self.items}

    @property
    def verify(self) -> bool:
        return any(q.verify for q in self.questions)

    def __bool__(self) -> bool:
        return bool(self.indicators)


def survey_bank(edition: Edition | None, instrument_code: str) -> Bank:
    """The questions under the instrument's indicators (two queries); empty when the
    edition has no bank for it."""
    if edition is None:
        return Bank(instrument_code, [])
    questions = (
        Question.objects.filter(edition=edition, indicator__instrument__code=instrument_code)
        .select_related("indicator")
        .prefetch_related("items")
        .order_by("indicator__number", "number")
    )
    grouped: dict[int, BankIndicator] = {}
    for question in questions:
        group = grouped.setdefault(question.indicator_id, BankIndicator(question.indicator))
        group.questions.append(question)
    return Bank(instrument_code, list(grouped.values()))


def item_score(value: int, item: QuestionItem) -> int:
    """A stored choice value as scored for the sub-item (reverse-scored: 100 minus it)."""
    return 100 - value if item.reverse else value
