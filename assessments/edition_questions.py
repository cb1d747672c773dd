"""The survey question bank in an edition's data: nested or flat sub-items, the
implicit sub-item of a question without any, the checks, and the snapshot."""

from __future__ import annotations

from .models import AnswerScale, Edition, QuestionItem


def flatten_questions(data: dict) -> dict:
    """Questions may carry their sub-items nested (``[[questions.items]]``, as edition
    files write them) or list them apart (``question_items``, as the workbook does).
    A nested sub-item without its own ``reverse`` takes its question's."""
    questions = data.get("questions")
    if not questions or not any("items" in q for q in questions):
        return data
    flat_questions, flat_items = [], list(data.get("question_items", ()))
    for question in questions:
        question = dict(question)
        nested = question.pop("items", None) or []
        for position, item in enumerate(nested, start=1):
            flat_items.append(
                {
                    "question": question.get("code", ""),
                    "number": position,
                    "reverse": question.get("reverse", False),
                    **item,
                }
            )
        flat_questions.append(question)
    return {**data, "questions": flat_questions, "question_items": flat_items}


def complete_questions(data: dict) -> None:
    """A question without sub-items is answered as one field, coded as the question."""
    have = {row["question"] for row in data["question_items"].values()}
    for code, question in data["questions"].items():
        if code not in have:
            data["question_items"][code] = {
                "question": code,
                "number": 1,
                "text_th": "",
                "text_en": "",
                "reverse": question["reverse"],
            }
    ordered = sorted(
        data["question_items"].items(),
        key=lambda kv: (
            data["questions"].get(kv[1]["question"], {}).get("number", 0),
            kv[1]["number"],
            kv[0],
        ),
    )
    data["question_items"] = dict(ordered)


def check_questions(data: dict, errors: list[str], source: str) -> None:
    questions, indicators = data["questions"], data["indicators"]
    for code, question in questions.items():
        if question["indicator"] not in indicators:
            errors.append(
                f"{source}: question {code} names unknown indicator {question['indicator']!r}"
            )
        if question["scale"] not in AnswerScale.values:
            errors.append(f"{source}: question {code} has unknown scale {question['scale']!r}")
        if not question["text_th"]:
            errors.append(f"{source}: question {code} has no Thai text")
    for code, item in data["question_items"].items():
        if item["question"] not in questions:
            errors.append(f"{source}: sub-item {code} names unknown question {item['question']!r}")
        elif code in questions and code != item["question"]:
            errors.append(f"{source}: sub-item {code} has the code of another question")
        if len(code) > QuestionItem._meta.get_field("code").max_length:
            errors.append(f"{source}: sub-item code {code!r} is too long")


def questions_snapshot(edition: Edition) -> dict:
    """The question bank of a stored edition, in the canonical shape."""
    data: dict = {}
    questions = list(
        edition.questions.select_related("indicator").prefetch_related("items").order_by("number")
    )
    data["questions"] = {
        q.code: {
            "indicator": str(q.indicator.number),
            "number": q.number,
            "text_th": q.text_th,
            "text_en": q.text_en,
            "scale": q.scale,
            "reverse": q.reverse,
            "notes": q.notes,
            "verify": q.verify,
        }
        for q in questions
    }
    data["question_items"] = {
        i.code: {
            "question": q.code,
            "number": i.number,
            "text_th": i.text_th,
            "text_en": i.text_en,
            "reverse": i.reverse,
        }
        for q in questions
        for i in sorted(q.items.all(), key=lambda i: (i.number, i.code))
    }
    return data
