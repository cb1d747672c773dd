"""An edition as plain data: the one shape that edition files, the XLSX
round-trip and the database are compared and written through.

``canonical()`` turns parsed file data into this shape (checking it),
``edition_snapshot()`` reads the same shape from the database,
``edition_diff()`` says what differs in words an operator can act on, and
``edition_apply()`` writes it. Decimals are kept as strings with two places
so that a snapshot compares equal to the file it came from.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from .models import (
    NACC_SCHEME,
    AnswerScale,
    Edition,
    IndicatorLevelStyle,
    ItemPeriod,
    ItemRole,
    SubIndicator,
)

REQUIRED_SECTIONS = ("instruments", "indicators", "sub_indicators", "items", "levels")
# The survey question bank: optional (an edition may have no surveys, and files
# and workbooks from before the surveys existed still load).
SURVEY_SECTIONS = ("questions", "question_items")
SECTIONS = (*REQUIRED_SECTIONS, *SURVEY_SECTIONS)

from .edition_questions import (  # noqa: E402  (it needs nothing from here)
    check_questions as _check_questions,
)
from .edition_questions import (  # noqa: E402
    complete_questions as _complete_questions,
)
from .edition_questions import (  # noqa: E402
    flatten_questions as _flatten_questions,
)
from .edition_questions import questions_snapshot  # noqa: E402

INSTRUMENT_CODE = re.compile(r"^[A-Z][A-Z0-9_-]{0,15}$")
EDITION_FIELDS = {
    "code": "",
    "scheme": NACC_SCHEME,
    "name_th": "",
    "name_en": "",
    "first_year": None,
    "last_year": None,
    "provisional": False,
    "pass_mark": "85.00",
    "indicator_levels": IndicatorLevelStyle.PASS_FAIL.value,
    "keeps_codes": True,
    "source": "",
}
FIELDS = {
    "instruments": {"name_th": "", "name_en": "", "weight": None, "order": 0, "verify": False},
    "indicators": {
        "instrument": None,
        "name_th": "",
        "name_en": "",
        "description": "",
        "verify": False,
    },
    "sub_indicators": {
        "indicator": None,
        "name_th": "",
        "name_en": "",
        "order": 0,
        "verify": False,
    },
    "items": {
        "sub_indicator": None,
        "number": 0,
        "title_th": "",
        "title_en": "",
        "heading": "",
        "requirement": "",
        "period": "",
        "signed_by_head": False,
        "contents": "",
        "role": "",
        "continues": "",
        "verify": False,
    },
    "questions": {
        "indicator": None,
        "number": 0,
        "text_th": "",
        "text_en": "",
        "scale": AnswerScale.SCALE4.value,
        "reverse": False,
        "notes": "",
        "verify": False,
    },
    "question_items": {
        "question": None,
        "number": 0,
        "text_th": "",
        "text_en": "",
        "reverse": False,
    },
    "levels": {
        "grade": "",
        "label_th": "",
        "label_en": "",
        "min_total": None,
        "min_instrument": None,
        "passed": False,
        "verify": False,
    },
}
DECIMAL_FIELDS = {"weight", "pass_mark", "min_total", "min_instrument"}
KEY_FIELD = {
    "instruments": "code",
    "indicators": "number",
    "sub_indicators": "code",
    "items": "code",
    "levels": "code",
    "questions": "code",
    "question_items": "code",
}


class FrameworkError(ValueError):
    """Edition data that cannot be loaded; ``errors`` names every problem."""

    def __init__(self, errors: list[str] | str) -> None:
        self.errors = [errors] if isinstance(errors, str) else list(errors)
        super().__init__("; ".join(self.errors))


def money(value: Any) -> str:
    """A score or weight as a two-place string ("85" → "85.00")."""
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"not a number: {value!r}") from None
    if not number.is_finite():
        raise ValueError(f"not a number: {value!r}")
    return str(number.quantize(Decimal("0.01")))


def _clean(section: str, key: str, raw: dict, errors: list[str], where: str) -> dict:
    out = {}
    for name, default in FIELDS[section].items():
        value = raw.get(name, default)
        if name in DECIMAL_FIELDS:
            if value is None or value == "":
                if default is None and name != "min_instrument":
                    errors.append(f"{where}: {name} is required")
                out[name] = None
                continue
            try:
                value = money(value)
            except ValueError as exc:
                errors.append(f"{where}: {name}: {exc}")
                value = None
        elif isinstance(default, bool):
            value = bool(value)
        elif name in ("contents", "notes") and isinstance(value, list):
            value = "\n".join(str(v).strip() for v in value if str(v).strip())
        elif name in ("instrument", "sub_indicator", "indicator", "question"):
            value = str(value or "")
        elif isinstance(default, int):
            value = int(value or 0)
        else:
            value = str(value if value is not None else "").strip()
        out[name] = value
    unknown = set(raw) - set(FIELDS[section]) - {KEY_FIELD[section]}
    if unknown:
        errors.append(f"{where}: unknown fields {sorted(unknown)}")
    return out


def canonical(data: dict, *, source: str = "data") -> dict:
    """Check parsed edition data and put it in the canonical shape.

    Raises ``FrameworkError`` naming every problem found, not just the first.
    """
    errors: list[str] = []
    data = _flatten_questions(data)
    for key in ("edition", *REQUIRED_SECTIONS):
        if key not in data:
            errors.append(f"{source}: missing section [{key}]")
    if errors:
        raise FrameworkError(errors)
    ed_raw = data["edition"]
    edition = {}
    for name, default in EDITION_FIELDS.items():
        value = ed_raw.get(name, default)
        if name in ("first_year", "last_year"):
            try:
                value = int(value)
            except (TypeError, ValueError):
                errors.append(f"{source}: edition {name} must be a year, not {value!r}")
                value = 0
        elif name == "pass_mark":
            try:
                value = money(value)
            except ValueError as exc:
                errors.append(f"{source}: pass_mark: {exc}")
        elif isinstance(default, bool):
            value = bool(value)
        else:
            value = str(value or "").strip()
        edition[name] = value
    if not edition["code"]:
        errors.append(f"{source}: the edition has no code")
    if not edition["name_th"]:
        errors.append(f"{source}: the edition has no Thai name")
    if edition["first_year"] > edition["last_year"]:
        errors.append(
            f"{source}: first_year {edition['first_year']} is after last_year {edition['last_year']}"
        )
    if edition["indicator_levels"] not in IndicatorLevelStyle.values:
        errors.append(f"{source}: unknown indicator_levels {edition['indicator_levels']!r}")

    out: dict[str, Any] = {"edition": edition}
    for section in SECTIONS:
        rows: dict[str, dict] = {}
        for position, raw in enumerate(data.get(section, ()), start=1):
            key_name = KEY_FIELD[section]
            key = str(raw.get(key_name, "")).strip()
            where = f"{source}: {section} #{position} ({key or '?'})"
            if not key:
                errors.append(f"{where}: {key_name} is required")
                continue
            if key in rows:
                errors.append(f"{where}: {key_name} {key} appears twice")
                continue
            row = _clean(section, key, raw, errors, where)
            if section in ("instruments", "sub_indicators") and not raw.get("order"):
                row["order"] = position
            if section in ("items", "questions") and not raw.get("number"):
                row["number"] = position
            rows[key] = row
        out[section] = rows
    _complete_questions(out)
    _check_links(out, errors, source)
    _check_questions(out, errors, source)
    if errors:
        raise FrameworkError(errors)
    return out


def _check_links(data: dict, errors: list[str], source: str) -> None:
    instruments, indicators = data["instruments"], data["indicators"]
    if not instruments:
        errors.append(f"{source}: an edition needs at least one instrument")
    for code, ins in instruments.items():
        if not INSTRUMENT_CODE.match(code):
            errors.append(f"{source}: instrument code {code!r}: capital letters and digits only")
        if ins["weight"] is not None and not Decimal(0) < Decimal(ins["weight"]) <= 100:
            errors.append(f"{source}: instrument {code}: weight must be above 0 and at most 100")
    weights = [Decimal(i["weight"]) for i in instruments.values() if i["weight"] is not None]
    if instruments and len(weights) == len(instruments) and sum(weights) != 100:
        errors.append(f"{source}: instrument weights add up to {sum(weights)}, not 100")
    for number, ind in indicators.items():
        if not number.isdigit():
            errors.append(f"{source}: indicator number {number!r} is not a number")
        if ind["instrument"] not in instruments:
            errors.append(
                f"{source}: indicator {number} names unknown instrument {ind['instrument']!r}"
            )
    for used in instruments:
        if not any(i["instrument"] == used for i in indicators.values()):
            errors.append(f"{source}: instrument {used} has no indicator")
    for code, sub in data["sub_indicators"].items():
        if sub["indicator"] not in indicators:
            errors.append(
                f"{source}: sub-indicator {code} names unknown indicator {sub['indicator']!r}"
            )
    for code, item in data["items"].items():
        if item["sub_indicator"] not in data["sub_indicators"]:
            errors.append(
                f"{source}: item {code} names unknown sub-indicator {item['sub_indicator']!r}"
            )
        if item["role"] not in ItemRole.values:
            errors.append(f"{source}: item {code} has unknown role {item['role']!r}")
        if item["period"] not in ItemPeriod.values:
            errors.append(f"{source}: item {code} has unknown period {item['period']!r}")
    roles = [i["role"] for i in data["items"].values() if i["role"]]
    for role in {r for r in roles if roles.count(r) > 1}:
        errors.append(f"{source}: more than one item has the role {role!r}")
    levels = data["levels"]
    if not levels:
        errors.append(f"{source}: an edition needs result levels")
    elif not any(lv["passed"] for lv in levels.values()):
        errors.append(f"{source}: no result level passes")
    elif not any(
        lv["min_total"] is not None
        and Decimal(lv["min_total"]) == 0
        and lv["min_instrument"] is None
        for lv in levels.values()
    ):
        errors.append(
            f"{source}: the lowest result level must start at 0 with no instrument condition"
        )
    rules = [(lv["min_total"], lv["min_instrument"]) for lv in levels.values()]
    if len(rules) != len(set(rules)):
        errors.append(f"{source}: two result levels have the same rule")
    for code, lv in levels.items():
        for name in ("min_total", "min_instrument"):
            if lv[name] is not None and not 0 <= Decimal(lv[name]) <= 100:
                errors.append(f"{source}: level {code}: {name} must be within 0–100")
        if not lv["label_th"]:
            errors.append(f"{source}: level {code} has no Thai label")


# --- Reading the database in the same shape --------------------------------------


def _money_or_none(value: Decimal | None) -> str | None:
    return None if value is None else money(value)


def edition_snapshot(edition: Edition) -> dict:
    """The edition as stored, in the canonical shape (a few queries)."""
    data: dict[str, Any] = {
        "edition": {
            "code": edition.code,
            "scheme": edition.scheme.code,
            "name_th": edition.name_th,
            "name_en": edition.name_en,
            "first_year": edition.first_year,
            "last_year": edition.last_year,
            "provisional": edition.provisional,
            "pass_mark": money(edition.pass_mark),
            "indicator_levels": edition.indicator_levels,
            "keeps_codes": edition.keeps_codes,
            "source": edition.source,
        }
    }
    data["instruments"] = {
        i.code: {
            "name_th": i.name_th,
            "name_en": i.name_en,
            "weight": money(i.weight),
            "order": i.order,
            "verify": i.verify,
        }
        for i in edition.instruments.order_by("order", "code")
    }
    data["indicators"] = {
        str(i.number): {
            "instrument": i.instrument.code,
            "name_th": i.name_th,
            "name_en": i.name_en,
            "description": i.description,
            "verify": i.verify,
        }
        for i in edition.indicators.select_related("instrument").order_by("number")
    }
    data["sub_indicators"] = {
        s.code: {
            "indicator": str(s.indicator.number),
            "name_th": s.name_th,
            "name_en": s.name_en,
            "order": s.order,
            "verify": s.verify,
        }
        for s in SubIndicator.objects.filter(indicator__edition=edition)
        .select_related("indicator")
        .order_by("order", "code")
    }
    data["items"] = {
        i.code: {
            "sub_indicator": i.sub_indicator.code,
            "number": i.number,
            "title_th": i.title_th,
            "title_en": i.title_en,
            "heading": i.heading,
            "requirement": i.requirement,
            "period": i.period,
            "signed_by_head": i.signed_by_head,
            "contents": i.contents,
            "role": i.role,
            "continues": i.continues,
            "verify": i.verify,
        }
        for i in edition.items.select_related("sub_indicator").order_by("number")
    }
    data.update(questions_snapshot(edition))
    data["levels"] = {
        lv.code: {
            "grade": lv.grade,
            "label_th": lv.label_th,
            "label_en": lv.label_en,
            "min_total": money(lv.min_total),
            "min_instrument": _money_or_none(lv.min_instrument),
            "passed": lv.passed,
            "verify": lv.verify,
        }
        for lv in edition.levels.all()
    }
    return data


def edition_diff(current: dict, wanted: dict, *, limit: int = 40) -> list[str]:
    """Differences between two canonical editions, one readable line each."""
    lines: list[str] = []
    for name, value in wanted["edition"].items():
        if current["edition"].get(name) != value:
            lines.append(f"edition {name}: {current['edition'].get(name)!r} → {value!r}")
    for section in SECTIONS:
        have, want = current.get(section, {}), wanted.get(section, {})
        for key in want.keys() - have.keys():
            lines.append(f"{section} {key}: only in the new data")
        for key in have.keys() - want.keys():
            lines.append(f"{section} {key}: only in the database")
        for key in sorted(want.keys() & have.keys(), key=str):
            for name, value in want[key].items():
                if have[key].get(name) != value:
                    lines.append(f"{section} {key} {name}: {have[key].get(name)!r} → {value!r}")
    if len(lines) > limit:
        lines = [*lines[:limit], f"… and {len(lines) - limit} more"]
    return lines


# Writing lives in its own module; re-exported so callers keep one import place.
from .edition_apply import (  # noqa: E402
    check_no_overlap,
    edition_apply,
    used_by_results,
)

__all__ = [
    "REQUIRED_SECTIONS",
    "SECTIONS",
    "SURVEY_SECTIONS",
    "FrameworkError",
    "canonical",
    "check_no_overlap",
    "edition_apply",
    "edition_diff",
    "edition_snapshot",
    "money",
    "used_by_results",
]
