"""OIT pages, the board and the link sheet follow the edition of the organisation's year:
2566–2569 as shipped, a provisional 2570, another scheme's edition and a made-up shape."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessments.models import Role, Scheme
from assessments.provisional import edition_start_provisional
from disclosures.exports import link_sheet_export
from disclosures.selectors import link_sheet, year_board
from tests.builders import make_org, make_user
from tests.disclosures.builders import make_disclosure
from tests.editions import make_edition, two_instrument_edition

PROVISIONAL_NOTICE = "notice-provisional"
VERIFY_NOTICE = "verify-notice"


def _staff(name: str, *args) -> str:
    return reverse(f"disclosures_staff:{name}", args=["office", *args])


@pytest.fixture
def editor_client(client, org):
    client.force_login(make_user("editor", org, Role.EDITOR))
    return client


@pytest.mark.parametrize(
    "year,items,first,last",
    [
        (2566, 43, "O1", "O43"),
        (2567, 43, "O1", "O43"),
        (2568, 26, "O1", "O26"),
        (2569, 26, "O1", "O26"),
    ],
)
def test_public_index_lists_the_editions_items(client, org, year, items, first, last):
    make_disclosure(org, "O3", year, links=1, published=True)
    response = client.get(f"/office/oit/{year}/")
    assert response.status_code == 200
    assert response.context["item_count"] == items
    assert response.context["published_count"] == 1
    assert f"/office/oit/{year}/{first}/" in response.text
    assert f"/office/oit/{year}/{last}/" in response.text
    assert f"/office/oit/{year}/O{items + 1}/" not in response.text
    assert PROVISIONAL_NOTICE not in response.text


@pytest.mark.parametrize("year", [2568, 2569])
def test_public_item_pages_of_the_new_editions(client, org, year):
    make_disclosure(org, "O2", year, explanation="ข้อมูลผู้บริหาร", links=1, published=True)
    response = client.get(f"/office/oit/{year}/O2/")
    assert response.status_code == 200
    assert "ข้อมูลผู้บริหาร" in response.text
    # O2 is marked "to verify" in both editions: staff see that, the public never does.
    assert VERIFY_NOTICE not in response.text
    assert client.get(f"/office/oit/{year}/O27/").status_code == 404
    assert client.get(f"/office/oit/{year}/o2/")["Location"] == f"/office/oit/{year}/O2/"


def test_a_year_with_no_edition_has_no_public_pages_until_a_provisional_one(client, org):
    assert client.get("/office/oit/2570/").status_code == 404
    assert client.get("/office/oit/2570/O1/").status_code == 404
    edition_start_provisional(fiscal_year=2570, organisation=org)
    make_disclosure(org, "O1", 2570, links=1, published=True)
    # The 404s above were not kept: the pages appear at once.
    index = client.get("/office/oit/2570/")
    assert index.status_code == 200
    assert index.context["item_count"] == 26
    assert PROVISIONAL_NOTICE in index.text
    page = client.get("/office/oit/2570/O1/")
    assert page.status_code == 200
    assert PROVISIONAL_NOTICE in page.text
    unpublished = client.get("/office/oit/2570/O3/")
    assert unpublished.status_code == 404 and PROVISIONAL_NOTICE in unpublished.text
    # Provisional items copy the verify marks; the public still sees none.
    assert VERIFY_NOTICE not in client.get("/office/oit/2570/O2/").text
    assert client.get("/office/oit/2570.json").json()["items"][0]["code"] == "O1"


def test_the_staff_pages_of_a_provisional_year_say_so(editor_client, org):
    edition_start_provisional(fiscal_year=2570, organisation=org)
    board = editor_client.get(_staff("year", 2570))
    assert board.status_code == 200
    assert board.context["board"].overall.total == 26
    assert PROVISIONAL_NOTICE in board.text
    item = editor_client.get(_staff("item", 2570, "O2"))
    assert item.status_code == 200
    assert PROVISIONAL_NOTICE in item.text and VERIFY_NOTICE in item.text
    sheet = editor_client.get(_staff("links-csv", 2570))
    assert sheet.status_code == 200
    entry = make_disclosure(org, "O1", 2570, links=1).entries.get()
    entry_page = editor_client.get(_staff("entry", entry.key))
    assert entry_page.status_code == 200 and PROVISIONAL_NOTICE in entry_page.text
    years = editor_client.get(_staff("years"))
    assert 2570 in [row["year"] for row in years.context["rows"]]


def test_the_board_counts_the_2568_items_and_marks_those_to_verify(editor_client, org):
    make_disclosure(org, "O6", 2568, links=1, published=True)
    response = editor_client.get(_staff("year", 2568))
    board = response.context["board"]
    assert board.overall.total == 26 and board.overall.complete == 1
    assert sum(stats.total for stats, _rows in board.groups) == 26
    row = response.text.split('id="item-O6"')[1].split("</tr>")[0]
    assert VERIFY_NOTICE in row
    plain = response.text.split('id="item-O1"')[1].split("</tr>")[0]
    assert VERIFY_NOTICE not in plain


def test_the_link_sheet_follows_the_edition(org):
    rows = link_sheet(organisation=org, fiscal_year=2568)
    assert [row.code for row in rows] == [f"O{n}" for n in range(1, 27)]
    assert rows[18].url.endswith("/office/oit/2568/O19/")
    text = link_sheet_export(organisation=org, fiscal_year=2569, fmt="csv").decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(text)))) == 1 + 26


def test_the_oit_links_command_follows_the_edition(org):
    out = io.StringIO()
    call_command("oit_links", "office", "2569", stdout=out)
    assert len(list(csv.reader(io.StringIO(out.getvalue())))) == 1 + 26
    with pytest.raises(Exception, match="2570"):
        call_command("oit_links", "office", "2570", stdout=io.StringIO())


def test_an_organisation_of_another_scheme_follows_its_editions(client, editor_client, org):
    obec = Scheme.objects.get_or_create(code="obec", defaults={"name_th": "สพฐ."})[0]
    make_edition(
        code="obec-2569",
        scheme="obec",
        first_year=2569,
        instruments=[("OIT", "100", [1])],
        items={1: ["S1", "S2"]},
    )
    org.scheme = obec
    org.save()
    make_disclosure(org, "S1", 2569, links=1, published=True)
    assert client.get("/office/oit/2569/S1/").status_code == 200
    assert client.get("/office/oit/2569/O1/").status_code == 404
    assert year_board(organisation=org, fiscal_year=2569).overall.total == 2
    # A year its scheme has no edition for: the NACC's.
    assert year_board(organisation=org, fiscal_year=2568).overall.total == 26
    rows = {row["year"]: row["items"] for row in editor_client.get(_staff("years")).context["rows"]}
    assert rows[2569] == 2 and rows[2568] == 26
    # Another organisation of the NACC scheme keeps the NACC's items.
    make_org("nacc-office")
    assert client.get("/nacc-office/oit/2569/").context["item_count"] == 26


def test_an_edition_of_any_shape_works_end_to_end(client, editor_client, org):
    two_instrument_edition(2590)  # items W1–W5 under indicators 3 and 4
    make_disclosure(org, "W4", 2590, explanation="หน้าเว็บ", published=True)
    index = client.get("/office/oit/2590/")
    assert index.status_code == 200 and index.context["item_count"] == 5
    assert client.get("/office/oit/2590/W4/").status_code == 200
    board = editor_client.get(_staff("year", 2590)).context["board"]
    assert (board.overall.total, board.overall.complete) == (5, 1)
    assert [stats.total for stats, _rows in board.groups] == [3, 2]
    assert editor_client.get(_staff("item", 2590, "W1")).status_code == 200
    assert [row.code for row in link_sheet(organisation=org, fiscal_year=2590)] == [
        "W1",
        "W2",
        "W3",
        "W4",
        "W5",
    ]
