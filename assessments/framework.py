"""Loading ITA framework editions from the data files the project ships.

An edition file (TOML, in ``assessments/editions/``) describes one framework:
the fiscal years it covers, its instruments and weights, indicators,
sub-indicators, OIT items and grade bands. Loading is idempotent: records are
matched on their natural keys and updated in place; nothing is ever deleted,
so results that refer to an item or indicator keep their meaning.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import models, transaction

from .models import (
    Edition,
    GradeBand,
    Indicator,
    Instrument,
    InstrumentCode,
    Item,
    ItemRole,
    SubIndicator,
)

EDITIONS_DIR = Path(__file__).resolve().parent / "editions"


class FrameworkError(ValueError):
    """An edition file that cannot be loaded; the message says why."""


@dataclass
class LoadReport:
    edition: Edition
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)


def edition_for_year(fiscal_year: int) -> Edition | None:
    """The framework edition that covers a fiscal year, if the portal has one."""
    return Edition.objects.filter(first_year__lte=fiscal_year, last_year__gte=fiscal_year).first()


def edition_files() -> list[Path]:
    return sorted(EDITIONS_DIR.glob("*.toml"))


def edition_load_file(*, path: Path) -> LoadReport:
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise FrameworkError(f"{path.name}: {exc}") from exc
    return edition_load(data=data, source=path.name)


def _decimal(value: Any, what: str) -> Decimal:
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise FrameworkError(f"{what}: not a number: {value!r}") from exc


def _upsert(report: LoadReport, model: type[models.Model], lookup: dict, values: dict) -> Any:
    """Create or update one record, saving only when something changed.

    Saving only on change keeps the change history free of empty entries
    when the loader is rerun.
    """
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        report.created += 1
        return model.objects.create(**lookup, **values)
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=changed)
        report.updated += 1
    else:
        report.unchanged += 1
    return obj


def _validate(data: dict, source: str) -> None:
    for key in ("edition", "instruments", "indicators", "sub_indicators", "items", "grade_bands"):
        if key not in data:
            raise FrameworkError(f"{source}: missing section [{key}]")
    ed = data["edition"]
    first, last = int(ed["first_year"]), int(ed["last_year"])
    if first > last:
        raise FrameworkError(f"{source}: first_year {first} is after last_year {last}")
    overlapping = (
        Edition.objects.filter(first_year__lte=last, last_year__gte=first)
        .exclude(code=ed["code"])
        .first()
    )
    if overlapping:
        raise FrameworkError(
            f"{source}: years {first}–{last} overlap edition {overlapping.code} "
            f"({overlapping.first_year}–{overlapping.last_year})"
        )
    codes = [i["code"] for i in data["instruments"]]
    unknown = set(codes) - set(InstrumentCode.values)
    if unknown:
        raise FrameworkError(f"{source}: unknown instrument codes {sorted(unknown)}")
    total = sum(
        _decimal(i["weight"], f"{source}: weight of {i['code']}") for i in data["instruments"]
    )
    if total != 100:
        raise FrameworkError(f"{source}: instrument weights add up to {total}, not 100")
    numbers = [i["number"] for i in data["indicators"]]
    if len(numbers) != len(set(numbers)):
        raise FrameworkError(f"{source}: an indicator number appears twice")
    for ind in data["indicators"]:
        if ind["instrument"] not in codes:
            raise FrameworkError(
                f"{source}: indicator {ind['number']} names unknown instrument {ind['instrument']}"
            )
    subs = {s["code"]: s for s in data["sub_indicators"]}
    for sub in data["sub_indicators"]:
        if sub["indicator"] not in numbers:
            raise FrameworkError(
                f"{source}: sub-indicator {sub['code']} names unknown indicator {sub['indicator']}"
            )
    item_codes = [i["code"] for i in data["items"]]
    if len(item_codes) != len(set(item_codes)):
        raise FrameworkError(f"{source}: an item code appears twice")
    for item in data["items"]:
        if item["sub_indicator"] not in subs:
            raise FrameworkError(
                f"{source}: item {item['code']} names unknown sub-indicator {item['sub_indicator']}"
            )
        if item.get("role", "") not in ItemRole.values:
            raise FrameworkError(f"{source}: item {item['code']} has unknown role {item['role']!r}")
    if not any(b.get("passed") for b in data["grade_bands"]):
        raise FrameworkError(f"{source}: no grade band passes")
    if not any(_decimal(b["min_score"], "min_score") == 0 for b in data["grade_bands"]):
        raise FrameworkError(f"{source}: the lowest grade band must start at 0")


@transaction.atomic
def edition_load(*, data: dict, source: str = "data") -> LoadReport:
    """Create or update one edition and everything in it from parsed data."""
    _validate(data, source)
    ed = data["edition"]
    report = LoadReport(edition=None)  # type: ignore[arg-type]
    edition = _upsert(
        report,
        Edition,
        {"code": ed["code"]},
        {
            "name_th": ed["name_th"],
            "name_en": ed.get("name_en", ""),
            "first_year": int(ed["first_year"]),
            "last_year": int(ed["last_year"]),
        },
    )
    report.edition = edition
    instruments = {}
    for order, ins in enumerate(data["instruments"], start=1):
        instruments[ins["code"]] = _upsert(
            report,
            Instrument,
            {"edition": edition, "code": ins["code"]},
            {
                "name_th": ins["name_th"],
                "name_en": ins.get("name_en", ""),
                "weight": _decimal(ins["weight"], "weight"),
                "order": order,
            },
        )
    indicators = {}
    for ind in data["indicators"]:
        indicators[ind["number"]] = _upsert(
            report,
            Indicator,
            {"edition": edition, "number": ind["number"]},
            {
                "instrument": instruments[ind["instrument"]],
                "name_th": ind["name_th"],
                "name_en": ind.get("name_en", ""),
                "description": ind.get("description", ""),
            },
        )
    subs = {}
    for order, sub in enumerate(data["sub_indicators"], start=1):
        subs[sub["code"]] = _upsert(
            report,
            SubIndicator,
            {"indicator": indicators[sub["indicator"]], "code": sub["code"]},
            {
                "name_th": sub["name_th"],
                "name_en": sub.get("name_en", ""),
                "order": order,
            },
        )
    for number, item in enumerate(data["items"], start=1):
        _upsert(
            report,
            Item,
            {"edition": edition, "code": item["code"]},
            {
                "sub_indicator": subs[item["sub_indicator"]],
                "number": number,
                "title_th": item["title_th"],
                "heading": item.get("heading", ""),
                "requirement": item.get("requirement", ""),
                "role": item.get("role", ""),
            },
        )
    for band in data["grade_bands"]:
        _upsert(
            report,
            GradeBand,
            {"edition": edition, "grade": band["grade"]},
            {
                "min_score": _decimal(band["min_score"], "min_score"),
                "label_th": band.get("label_th", ""),
                "label_en": band.get("label_en", band["grade"]),
                "passed": bool(band["passed"]),
            },
        )
    kept = Item.objects.filter(edition=edition).exclude(code__in=[i["code"] for i in data["items"]])
    if kept.exists():
        report.notes.append(
            "items no longer in the file were kept: "
            + ", ".join(kept.values_list("code", flat=True))
        )
    return report
