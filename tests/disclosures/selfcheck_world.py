"""Builders for the self-check tests: a made-up edition with one item per rule,
and entries created directly (the rules read data, not uploads)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from assessments.framework import edition_load
from assessments.models import Edition, Item, Organisation
from disclosures.models import Disclosure, DisclosureStatus, Entry, EntryKind
from tests.editions import edition_spec

YEAR = 2580  # 1 Oct 2036 – 30 Sep 2037 (CE): no shipped edition covers it.

RULE_ITEMS = [
    # code, sub-indicator, extra item fields
    ("R1", "2.1", {}),
    ("CUR", "2.1", {"period": "current_year"}),
    ("PREV", "2.1", {"period": "previous_year"}),
    ("HALF", "2.2", {"period": "first_half"}),
    ("MON", "2.2", {"period": "monthly"}),
    ("SIG", "3.1", {"signed_by_head": True}),
    ("CON", "3.1", {"contents": ["ชื่อ-นามสกุล", "ช่องทางการติดต่อ"]}),
    ("MEA", "3.1", {"role": "measures"}),
    ("RES", "3.1", {"role": "measure_results"}),
    ("STAT", "3.2", {"role": "complaint_statistics"}),
    ("CHAN", "3.2", {"role": "complaint_channel"}),
]


def shaped_edition(
    *, code: str, year: int, subs: dict[str, int], items: list[tuple[str, str, dict]]
) -> Edition:
    """An edition with a survey instrument (indicator 1, no items) and an OIT-like one
    named WEB whose indicators 2… hold sub-indicators ``subs`` ({code: indicator})."""
    numbers = sorted(set(subs.values()))
    data = edition_spec(
        code=code, first_year=year, instruments=[("SURV", "40", [1]), ("WEB", "60", numbers)]
    )
    data["sub_indicators"] = [
        {"code": sub, "indicator": number, "name_th": f"ตัวชี้วัดย่อย {sub}", "order": n}
        for n, (sub, number) in enumerate(subs.items())
    ]
    data["items"] = [
        {"code": item_code, "sub_indicator": sub, "title_th": f"ข้อ {item_code}", **extra}
        for item_code, sub, extra in items
    ]
    return edition_load(data=data).edition


def rule_edition() -> Edition:
    return shaped_edition(
        code="selfcheck-rules",
        year=YEAR,
        subs={"2.1": 2, "2.2": 2, "3.1": 3, "3.2": 3},
        items=RULE_ITEMS,
    )


def item(code: str, year: int = YEAR) -> Item:
    return Item.objects.get(edition__first_year__lte=year, edition__last_year__gte=year, code=code)


def disclosure(org: Organisation, code: str, *, published: bool = True, year: int = YEAR):
    return Disclosure.objects.create(
        organisation=org,
        fiscal_year=year,
        item=item(code, year),
        status=DisclosureStatus.PUBLISHED if published else DisclosureStatus.DRAFT,
        first_published_at=timezone.now() if published else None,
    )


def link(d: Disclosure, title: str = "ลิงก์", date: dt.date | None = None, **fields) -> Entry:
    fields.setdefault("url", f"https://www.example.go.th/{d.pk}/{title}")
    return Entry.objects.create(disclosure=d, kind=EntryKind.LINK, title=title, date=date, **fields)


def document(d: Disclosure, title: str = "เอกสาร", date: dt.date | None = None, **fields) -> Entry:
    return Entry.objects.create(
        disclosure=d,
        kind=EntryKind.DOCUMENT,
        title=title,
        date=date,
        file="disclosure-entries/test.pdf",
        file_type="pdf",
        **fields,
    )
