"""The link sheet for ITAS: rows, CSV and XLSX files, the downloads and the command."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zoneinfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from assessments.models import Membership, Role
from disclosures import selectors, services
from disclosures.exports import link_sheet_export
from disclosures.models import Disclosure
from tests.builders import make_org, make_user
from tests.disclosures.builders import make_disclosure

BANGKOK = zoneinfo.ZoneInfo("Asia/Bangkok")
SITE = "https://ita.example.go.th"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def _publish(org, code: str) -> Disclosure:
    return make_disclosure(org, code, links=1, published=True)


def _not_published() -> str:
    with translation.override("th"):
        return selectors.LinkRow("O1", "", "", False, None).status_label


def _published() -> str:
    with translation.override("th"):
        return selectors.LinkRow("O1", "", "", True, None).status_label


def _csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


# --- The rows and the files -------------------------------------------------------------


@time_machine.travel(dt.datetime(2022, 11, 2, 8, tzinfo=BANGKOK), tick=False)
def test_the_csv_has_a_row_per_item_with_its_absolute_address(org):
    _publish(org, "O2")
    with translation.override("th"):
        content = link_sheet_export(organisation=org, fiscal_year=2565, fmt="csv")
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for Thai text
    header, *rows = _csv_rows(content)
    assert len(header) == 5
    assert len(rows) == 43
    assert [row[0] for row in rows[:3]] == ["O1", "O2", "O3"]
    o1, o2 = rows[0], rows[1]
    assert o1[1] == "โครงสร้าง"
    assert o1[2] == f"{SITE}/office/oit/2565/O1/"
    assert o1[3] == _not_published() and o1[4] == ""
    assert o2[3] == _published()
    assert o2[4] == "2 พฤศจิกายน 2565"
    assert sum(1 for row in rows if row[3] == _not_published()) == 42


def test_an_item_withdrawn_is_flagged_again(org):
    disclosure = _publish(org, "O5")
    services.disclosure_publish(disclosure=disclosure, published=False)
    with translation.override("th"):
        rows = _csv_rows(link_sheet_export(organisation=org, fiscal_year=2565, fmt="csv"))[1:]
    assert all(row[3] == _not_published() for row in rows)


def test_the_xlsx_holds_the_same_rows_with_unpublished_ones_marked(org):
    _publish(org, "O2")
    with translation.override("th"):
        csv_rows = _csv_rows(link_sheet_export(organisation=org, fiscal_year=2565, fmt="csv"))
        content = link_sheet_export(organisation=org, fiscal_year=2565, fmt="xlsx")
    sheet = load_workbook(io.BytesIO(content)).active
    values = [[cell if cell is not None else "" for cell in row] for row in sheet.values]
    assert values == csv_rows
    assert all(cell.font.bold for cell in sheet[1])
    o1, o2 = sheet[2], sheet[3]
    assert o1[3].value == _not_published() and o1[0].fill.fill_type == "solid"
    assert o2[3].value == _published() and o2[0].fill.fill_type is None
    assert o1[2].hyperlink.target == f"{SITE}/office/oit/2565/O1/"
    assert sheet.column_dimensions["C"].width >= 40


# --- The downloads -------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.VIEWER, Role.COMPLAINT_OFFICER, Role.EDITOR])
def test_any_member_downloads_the_sheet(client, org, role):
    client.force_login(make_user("member", org, role))
    response = client.get(reverse("disclosures_staff:links-csv", args=["office", 2565]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="oit-links-office-2565.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert len(_csv_rows(response.content)) == 44
    xlsx = client.get(reverse("disclosures_staff:links-xlsx", args=["office", 2565]))
    assert xlsx["Content-Disposition"] == 'attachment; filename="oit-links-office-2565.xlsx"'
    assert load_workbook(io.BytesIO(xlsx.content)).active.max_row == 44


def test_the_sheet_of_another_organisation_or_of_a_year_without_framework_is_404(client, org):
    make_org("other")
    client.force_login(make_user("member", org, Role.EDITOR))
    assert (
        client.get(reverse("disclosures_staff:links-csv", args=["other", 2565])).status_code == 404
    )
    assert (
        client.get(reverse("disclosures_staff:links-csv", args=["office", 2570])).status_code == 404
    )


def test_anonymous_is_sent_to_login(client, org):
    response = client.get(reverse("disclosures_staff:links-csv", args=["office", 2565]))
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/")


def test_my_sheet_with_one_organisation(client, org):
    client.force_login(make_user("member", org, Role.VIEWER))
    response = client.get(reverse("disclosures_staff:links-mine-csv", args=[2565]))
    assert response.status_code == 200
    assert "oit-links-office-2565.csv" in response["Content-Disposition"]
    rows = _csv_rows(response.content)
    assert rows[1][2] == f"{SITE}/office/oit/2565/O1/"


def test_my_sheet_with_several_organisations_asks_which(client, org):
    second = make_org("school")
    user = make_user("member", org, Role.EDITOR)
    Membership.objects.create(user=user, organisation=second, role=Role.VIEWER)
    make_org("stranger")
    client.force_login(user)
    url = reverse("disclosures_staff:links-mine-xlsx", args=[2565])
    chooser = client.get(url)
    assert chooser.status_code == 200
    assert reverse("disclosures_staff:links-xlsx", args=["school", 2565]) in chooser.text
    assert reverse("disclosures_staff:links-csv", args=["office", 2565]) in chooser.text
    assert "stranger" not in chooser.text
    chosen = client.get(url, {"org": "school"})
    assert chosen.status_code == 200
    assert "oit-links-school-2565.xlsx" in chosen["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(chosen.content)).active
    assert sheet["C2"].value == f"{SITE}/school/oit/2565/O1/"
    assert client.get(url, {"org": "stranger"}).status_code == 404


# --- The command ------------------------------------------------------------------------------


def test_the_command_writes_csv_to_standard_output(org):
    _publish(org, "O1")
    out = io.StringIO()
    call_command("oit_links", "office", "2565", stdout=out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert len(rows) == 44
    assert rows[1][:3] == ["O1", "โครงสร้าง", f"{SITE}/office/oit/2565/O1/"]
    assert not out.getvalue().startswith("\ufeff")


def test_the_command_writes_an_xlsx_file(org, tmp_path):
    target = tmp_path / "links.xlsx"
    call_command("oit_links", "office", "2565", "-o", str(target), stderr=io.StringIO())
    sheet = load_workbook(target).active
    assert sheet.max_row == 44
    assert sheet["C44"].value == f"{SITE}/office/oit/2565/O43/"
    as_csv = tmp_path / "links.txt"
    call_command(
        "oit_links", "office", "2565", "--format", "csv", "-o", str(as_csv), stderr=io.StringIO()
    )
    assert as_csv.read_bytes().startswith(b"\xef\xbb\xbf")


def test_the_command_refuses_an_unknown_organisation_or_year(org):
    with pytest.raises(CommandError, match="unknown organisation: nowhere"):
        call_command("oit_links", "nowhere", "2565")
    with pytest.raises(CommandError, match=r"2570.*load_framework"):
        call_command("oit_links", "office", "2570")
    with pytest.raises(CommandError, match="-o"):
        call_command("oit_links", "office", "2565", "--format", "xlsx")
