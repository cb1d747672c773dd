"""Steps as offices write them: nested (1, 1.1, 1.1.1), typed with or without their numbers.

A step is stored as its text and its depth (0: 1, 2 …; 1: 1.1, 1.2 …; 2:
1.1.1); its number is never stored, it is counted when printed, so a step
moved or deleted never leaves the numbering wrong. Offices paste steps with
their own numbers ("1.1 จัดประชุม", "๑) สร้างวัฒนธรรม…"): the number is read
for its depth and stripped, so the printed document never says "1. 1.1 …".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Protocol

from django.db import transaction

from assessments.public_cache import content_changed

from .models import Measure, MeasureStep

MAX_DEPTH = 2

_DIGITS = "0-9๐-๙"
# "1." "1)" "(1)" "1.1" "1.1." "๑.๒.๓" at the start of a step, then spaces.
_OWN_NUMBER = re.compile(
    rf"\s*(?P<open>\()?(?P<number>[{_DIGITS}]{{1,3}}(?:\.[{_DIGITS}]{{1,3}}){{0,3}})"
    rf"(?P<close>[.)]?)\s*"
)


class StepLike(Protocol):
    depth: int
    text: str


def normalise_newlines(text: str | None) -> str:
    """Text as browsers and spreadsheets send it (CRLF, CR) stored with "\\n" only, so that
    an edit, an export and an import back compare equal."""
    if not text:
        return ""
    return str(text).replace("\r\n", "\n").replace("\r", "\n")


def step_split(text: str) -> tuple[int | None, str]:
    """(depth the step's own number gives, or None when it has none; the text without it).

    A bare number followed by a space ("30 วัน") is the step's content, not its
    number: only "1." "1)" "(1)" or a dotted "1.1" count as a number.
    """
    match = _OWN_NUMBER.match(text)
    if match:
        number, opened, close = match["number"], match["open"], match["close"]
        rest = text[match.end() :].strip()
        numbered = (opened and close == ")") or (not opened and (close or "." in number))
        if numbered and rest:
            return min(number.count("."), MAX_DEPTH), rest
    return None, text.strip()


def steps_from_lines(text: str) -> list[tuple[int, str]]:
    """One step per non-empty line; a line's own number gives its depth and is stripped."""
    steps = []
    for line in normalise_newlines(text).split("\n"):
        if not line.strip():
            continue
        depth, rest = step_split(line)
        steps.append((depth or 0, rest))
    return steps


class NumberedStep(tuple):
    """(label, text) for ``{% for label, text in steps|numbered_steps %}``, with ``.depth``."""

    depth: int

    def __new__(cls, label: str, text: str, depth: int) -> NumberedStep:
        step = super().__new__(cls, (label, text))
        step.depth = depth
        return step

    @property
    def label(self) -> str:
        return self[0]

    @property
    def text(self) -> str:
        return self[1]


def numbered(
    steps: Iterable[StepLike | tuple[int, str]], *, strip: bool = True
) -> list[NumberedStep]:
    """One numbering for the whole list: 1, 1.1, 1.2, 1.2.1, 2 …

    A step cannot be deeper than one level below the step before it (a
    first step is always 1), so a gap never prints "1.0.1".
    """
    counters = [0] * (MAX_DEPTH + 1)
    previous = -1
    result = []
    for step in steps:
        depth, text = step if isinstance(step, tuple) else (step.depth, step.text)
        depth = max(0, min(depth or 0, previous + 1, MAX_DEPTH))
        counters[depth] += 1
        for deeper in range(depth + 1, MAX_DEPTH + 1):
            counters[deeper] = 0
        if strip:
            _own_depth, text = step_split(text)
        label = ".".join(str(counters[level]) for level in range(depth + 1))
        result.append(NumberedStep(label, text, depth))
        previous = depth
    return result


def steps_as_lines(steps: Iterable[StepLike]) -> str:
    """Steps written back as lines with their numbers (the import reads the depth from them)."""
    lines = []
    # The texts as saved: the import strips exactly the number written here.
    for step in numbered(steps, strip=False):
        label = f"{step.label}." if step.depth == 0 else step.label
        lines.append(f"{label} {step.text}")
    return "\n".join(lines)


@transaction.atomic
def measure_steps_set(*, measure: Measure, steps: Sequence[str | tuple[int, str]]) -> None:
    """Replace the steps; each a text (a step) or (level, text), level 0 to ``MAX_DEPTH``."""
    measure.steps.all().delete()
    rows, previous = [], -1
    for index, step in enumerate(steps, start=1):
        depth, text = step if isinstance(step, tuple) else (0, step)
        # A step is at most one level below the one before it (a first step is a step).
        depth = max(0, min(depth, previous + 1, MAX_DEPTH))
        rows.append(
            MeasureStep(measure=measure, order=index, depth=depth, text=normalise_newlines(text))
        )
        previous = depth
    MeasureStep.objects.bulk_create(rows)
    content_changed(measure.organisation_id)
