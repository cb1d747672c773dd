"""Writing an edition in the canonical shape (``assessments.edition_data``) to the
database: created or updated in place, and, for the XLSX import, what the data
no longer holds deleted unless results use it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.db.models import ProtectedError

from .edition_data import FrameworkError
from .models import (
    NACC_SCHEME,
    Answer,
    Edition,
    Indicator,
    IndicatorScore,
    Instrument,
    InstrumentScore,
    Item,
    ItemResult,
    Question,
    QuestionItem,
    ResultLevel,
    Scheme,
    SubIndicator,
)
from .public_cache import content_changed_everywhere


def _upsert(model: type[models.Model], lookup: dict, values: dict) -> tuple[Any, bool]:
    """Create or update one record, saving only when something changed (keeps the
    change history free of empty entries)."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values), True
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        obj.save(update_fields=changed)
    return obj, bool(changed)


def _dec(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def check_no_overlap(data: dict, *, source: str = "data") -> None:
    """Refuse two editions of one scheme for the same year, with one exception.

    A real edition may be loaded over a provisional one: the provisional edition
    stays in use until an operator applies the replacement, which moves its
    results and pages over and deletes it. A provisional edition is never
    created over a real one (``edition_start_provisional`` returns the real one).
    """
    ed = data["edition"]
    overlapping = (
        Edition.objects.filter(
            scheme__code=ed["scheme"],
            first_year__lte=ed["last_year"],
            last_year__gte=ed["first_year"],
        )
        .exclude(code=ed["code"])
        .order_by("provisional", "first_year")
    )
    if not ed["provisional"]:
        overlapping = overlapping.filter(provisional=False)
    overlapping = overlapping.first()
    if overlapping:
        raise FrameworkError(
            f"{source}: years {ed['first_year']}–{ed['last_year']} overlap edition "
            f"{overlapping.code} ({overlapping.first_year}–{overlapping.last_year})"
        )


def used_by_results(edition: Edition) -> dict[str, set[str]]:
    """Keys of the parts of an edition that recorded results refer to."""
    return {
        "instruments": set(
            InstrumentScore.objects.filter(instrument__edition=edition).values_list(
                "instrument__code", flat=True
            )
        ),
        "indicators": {
            str(n)
            for n in IndicatorScore.objects.filter(indicator__edition=edition).values_list(
                "indicator__number", flat=True
            )
        },
        "items": set(
            ItemResult.objects.filter(item__edition=edition).values_list("item__code", flat=True)
        ),
        # Answers name sub-items by code, in the rounds of the edition's years.
        "question_items": set(
            Answer.objects.filter(
                response__round__fiscal_year__gte=edition.first_year,
                response__round__fiscal_year__lte=edition.last_year,
            )
            .values_list("item_code", flat=True)
            .distinct()
        ),
    }


@transaction.atomic
def edition_apply(
    data: dict, *, delete_missing: bool = False, source: str = "data"
) -> tuple[Edition, int, int]:
    """Write canonical edition data; returns (edition, records created, records changed).

    With ``delete_missing`` (the XLSX import) records absent from the data are
    deleted, except those results or pages refer to: that is an error naming them.
    Without it (edition files) nothing is ever deleted.
    """
    check_no_overlap(data, source=source)
    ed = data["edition"]
    scheme = (
        Scheme.nacc()
        if ed["scheme"] == NACC_SCHEME
        else Scheme.objects.filter(code=ed["scheme"]).first()
    )
    if scheme is None:
        raise FrameworkError(f"{source}: unknown scheme {ed['scheme']!r}")
    created = changed = 0

    def count(result: tuple[Any, bool], is_new_obj: bool) -> Any:
        nonlocal created, changed
        obj, did_change = result
        if is_new_obj:
            created += 1
        elif did_change:
            changed += 1
        return obj

    existing = Edition.objects.filter(code=ed["code"]).first()
    edition = count(
        _upsert(
            Edition,
            {"code": ed["code"]},
            {
                "scheme": scheme,
                "name_th": ed["name_th"],
                "name_en": ed["name_en"],
                "first_year": ed["first_year"],
                "last_year": ed["last_year"],
                "provisional": ed["provisional"],
                "pass_mark": Decimal(ed["pass_mark"]),
                "indicator_levels": ed["indicator_levels"],
                "keeps_codes": ed["keeps_codes"],
                "source": ed["source"],
            },
        ),
        existing is None,
    )

    def upsert(model: type[models.Model], lookup: dict, values: dict) -> Any:
        is_new = not model.objects.filter(**lookup).exists()
        return count(_upsert(model, lookup, values), is_new)

    instruments = {
        code: upsert(
            Instrument,
            {"edition": edition, "code": code},
            {**{k: v for k, v in row.items() if k != "weight"}, "weight": Decimal(row["weight"])},
        )
        for code, row in data["instruments"].items()
    }
    indicators = {
        number: upsert(
            Indicator,
            {"edition": edition, "number": int(number)},
            {**row, "instrument": instruments[row["instrument"]]},
        )
        for number, row in data["indicators"].items()
    }
    subs = {}
    for code, row in data["sub_indicators"].items():
        indicator = indicators[row["indicator"]]
        moved = SubIndicator.objects.filter(indicator__edition=edition, code=code).exclude(
            indicator=indicator
        )
        changed += moved.update(indicator=indicator)
        subs[code] = upsert(
            SubIndicator,
            {"indicator": indicator, "code": code},
            {k: v for k, v in row.items() if k != "indicator"},
        )
    # Item numbers are only an order; moving numbers through a free range first
    # would be needed only with a unique constraint, which there is not.
    for code, row in data["items"].items():
        upsert(
            Item,
            {"edition": edition, "code": code},
            {**row, "sub_indicator": subs[row["sub_indicator"]]},
        )
    for code, row in data["levels"].items():
        upsert(
            ResultLevel,
            {"edition": edition, "code": code},
            {
                **row,
                "min_total": _dec(row["min_total"]),
                "min_instrument": _dec(row["min_instrument"]),
            },
        )
    questions = {
        code: upsert(
            Question,
            {"edition": edition, "code": code},
            {**row, "indicator": indicators[row["indicator"]]},
        )
        for code, row in data.get("questions", {}).items()
    }
    for code, row in data.get("question_items", {}).items():
        question = questions[row["question"]]
        changed += (
            QuestionItem.objects.filter(question__edition=edition, code=code)
            .exclude(question=question)
            .update(question=question)
        )
        upsert(
            QuestionItem,
            {"question": question, "code": code},
            {k: v for k, v in row.items() if k != "question"},
        )
    deleted = _delete_missing(edition, data, source) if delete_missing else 0
    if created or changed or deleted:
        # Titles, indicators and levels are on every organisation's pages.
        content_changed_everywhere()
    return edition, created, changed


def _delete_missing(edition: Edition, data: dict, source: str) -> int:
    """Delete what ``data`` no longer holds; returns how many records went."""
    used = used_by_results(edition)
    errors = []
    items = Item.objects.filter(edition=edition).exclude(code__in=list(data["items"]))
    subs = SubIndicator.objects.filter(indicator__edition=edition).exclude(
        code__in=list(data["sub_indicators"])
    )
    indicators = Indicator.objects.filter(edition=edition).exclude(
        number__in=[int(n) for n in data["indicators"]]
    )
    instruments = Instrument.objects.filter(edition=edition).exclude(
        code__in=list(data["instruments"])
    )
    levels = ResultLevel.objects.filter(edition=edition).exclude(code__in=list(data["levels"]))
    question_items = QuestionItem.objects.filter(question__edition=edition).exclude(
        code__in=list(data.get("question_items", {}))
    )
    questions = Question.objects.filter(edition=edition).exclude(
        code__in=list(data.get("questions", {}))
    )
    for code in question_items.values_list("code", flat=True):
        if code in used["question_items"]:
            errors.append(
                f"{source}: survey sub-item {code} has recorded answers and cannot be removed"
            )
    for code in items.values_list("code", flat=True):
        if code in used["items"]:
            errors.append(f"{source}: item {code} has recorded results and cannot be removed")
    for number in indicators.values_list("number", flat=True):
        if str(number) in used["indicators"]:
            errors.append(f"{source}: indicator {number} has recorded scores and cannot be removed")
    for code in instruments.values_list("code", flat=True):
        if code in used["instruments"]:
            errors.append(f"{source}: instrument {code} has recorded scores and cannot be removed")
    if errors:
        raise FrameworkError(errors)
    deleted = 0
    try:
        for queryset in (levels, question_items, questions, items, subs, indicators, instruments):
            for obj in queryset:
                obj.delete()
                deleted += 1
    except ProtectedError as exc:
        names = ", ".join(sorted({str(o) for o in exc.protected_objects})[:5])
        raise FrameworkError(f"{source}: cannot remove what other records use ({names})") from exc
    return deleted
