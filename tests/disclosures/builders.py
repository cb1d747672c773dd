"""Builders for disclosures test data."""

from __future__ import annotations

import datetime as dt

from assessments.models import Item, Organisation
from disclosures.models import Disclosure
from disclosures.services import (
    disclosure_for,
    disclosure_publish,
    disclosure_update,
    entries_add_files,
    entry_add_link,
)
from tests.measures.builders import PDF_BYTES, upload


def item(code: str, year: int = 2565) -> Item:
    return Item.objects.get(edition__first_year__lte=year, edition__last_year__gte=year, code=code)


def make_disclosure(
    org: Organisation,
    code: str = "O1",
    year: int = 2565,
    *,
    explanation: str = "",
    links: int = 0,
    documents: int = 0,
    published: bool = False,
    unit=None,
    due_date: dt.date | None = None,
) -> Disclosure:
    disclosure = disclosure_for(organisation=org, fiscal_year=year, item=item(code, year))
    disclosure_update(disclosure=disclosure, explanation=explanation, unit=unit, due_date=due_date)
    for n in range(links):
        entry_add_link(
            disclosure=disclosure,
            url=f"https://www.example.go.th/{org.slug}/{code}/{n}",
            title=f"ลิงก์ {code} รายการที่ {n + 1}",
            date=dt.date(2022, 1, n + 1),
        )
    if documents:
        entries_add_files(
            disclosure=disclosure,
            files=[upload(f"doc{n}.pdf", PDF_BYTES) for n in range(documents)],
            titles=[f"เอกสาร {code} ฉบับที่ {n + 1}" for n in range(documents)],
            date=dt.date(2022, 2, 1),
        )
    if published:
        disclosure_publish(disclosure=disclosure, published=True)
    disclosure.refresh_from_db()
    return disclosure
