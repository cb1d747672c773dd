"""The pre-check on the staff pages: the board, the item page, and the two
confirmations staff make (the head's signature, the required contents)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from assessments.models import Role
from disclosures.models import ContentTick, Entry
from tests.builders import REFERENCE_003, logged_in, make_assessment, make_org, make_user
from tests.disclosures.selfcheck_world import YEAR, disclosure, document, rule_edition

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    rule_edition()
    org = make_org("office", website="https://office.go.th")
    return {
        "org": org,
        "editor": logged_in(make_user("editor", org, Role.EDITOR)),
        "viewer": logged_in(make_user("viewer", org, Role.VIEWER)),
        "stranger": logged_in(make_user("stranger", make_org("other"), Role.EDITOR)),
    }


def item_url(code: str, org: str = "office", year: int = YEAR) -> str:
    return reverse("disclosures_staff:item", args=[org, year, code])


def once(client, url: str) -> str:
    """The one-time token of the first form posting to ``url`` on the page."""
    page = client.get(item_url("SIG")).content.decode()
    return re.search(r'name="once" value="([^"]+)"', page[page.index(url) :]).group(1)


def test_board_predicted_oit_beside_the_last_official_result(world):
    org = world["org"]
    make_assessment(org, 2565, REFERENCE_003)  # OIT = mean(75.92, 93.75) = 84.835
    response = world["editor"].get(reverse("disclosures_staff:year", args=["office", 2565]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="predicted-oit">0.00<' in html
    assert 'id="official-oit">84.84<' in html
    assert "ผลประเมิน OIT ทางการครั้งล่าสุด (ปีงบประมาณ 2565)" in html
    assert 'id="selfcheck-costs"' in html
    # Each row: not ready, with the first thing to do.
    assert html.count("ยังไม่ได้เริ่มทำข้อนี้") >= 43


def test_board_of_a_year_whose_items_are_ready(world):
    org = world["org"]
    d = disclosure(org, "R1")
    document(d, "รายงาน")
    html = world["editor"].get(reverse("disclosures_staff:year", args=["office", YEAR])).content
    html = html.decode()
    assert 'id="official-oit">–<' in html
    row = html[html.index('id="item-R1"') :]
    row = row[: row.index("</tr>")]
    assert "พร้อม" in row and "ยังไม่พร้อม" not in row


def test_item_page_lists_every_finding(world):
    d = disclosure(world["org"], "CUR")
    document(d, "เก่า", date=dt.date(2036, 9, 30))
    document(d, "ไม่มีวันที่")
    html = world["viewer"].get(item_url("CUR")).content.decode()
    assert "“เก่า” ลงวันที่ 30 ก.ย. 2579 อยู่นอกปีงบประมาณ 2580" in html
    assert "“ไม่มีวันที่” ยังไม่มีวันที่" in html
    # A viewer sees the pre-check but no confirmation forms.
    assert "disclosures_staff:entry-signed" not in html


def test_an_editor_marks_the_signed_document(world):
    d = disclosure(world["org"], "SIG")
    entry = document(d, "ประกาศ")
    client = world["editor"]
    url = reverse("disclosures_staff:entry-signed", args=["office", entry.key])
    assert "ต้องลงนามโดยหัวหน้าหน่วยงาน" in client.get(item_url("SIG")).content.decode()
    response = client.post(url, {"signed": "1", "once": once(client, url)})
    assert response.status_code == 302 and response["Location"].endswith("#selfcheck")
    entry.refresh_from_db()
    assert entry.signed
    assert "ต้องลงนามโดยหัวหน้าหน่วยงาน" not in client.get(item_url("SIG")).content.decode()
    client.post(url, {"signed": "0"})
    entry.refresh_from_db()
    assert not entry.signed


def test_a_viewer_and_another_organisation_cannot_confirm(world):
    d = disclosure(world["org"], "SIG")
    entry = document(d, "ประกาศ")
    signed = reverse("disclosures_staff:entry-signed", args=["office", entry.key])
    contents = reverse("disclosures_staff:contents", args=["office", YEAR, "CON"])
    for who in ("viewer", "stranger"):
        assert world[who].post(signed, {"signed": "1"}).status_code == 404
        assert world[who].post(contents, {"line": "0", "entry": ""}).status_code == 404
    # Another organisation's address for the same entry is a 404 for its own editor too.
    other = reverse("disclosures_staff:entry-signed", args=["other", entry.key])
    assert world["stranger"].post(other, {"signed": "1"}).status_code == 404
    assert world["stranger"].get(item_url("SIG", org="office")).status_code == 404
    entry.refresh_from_db()
    assert not entry.signed


def test_ticking_contents_points_each_line_at_an_entry(world):
    d = disclosure(world["org"], "CON")
    entry = document(d, "ทำเนียบ")
    client = world["editor"]
    url = reverse("disclosures_staff:contents", args=["office", YEAR, "CON"])
    for line in ("0", "1"):
        response = client.post(url, {"line": line, "entry": str(entry.key)})
        assert response.status_code == 302
    assert dict(ContentTick.objects.values_list("line", "entry")) == {
        "ชื่อ-นามสกุล": entry.pk,
        "ช่องทางการติดต่อ": entry.pk,
    }
    html = client.get(item_url("CON")).content.decode()
    assert "ยังไม่ได้ยืนยัน" not in html
    # Clearing a line, a line that does not exist, another item's entry.
    client.post(url, {"line": "1", "entry": ""})
    assert ContentTick.objects.count() == 1
    response = client.post(url, {"line": "7", "entry": str(entry.key)})
    assert response.status_code == 302 and ContentTick.objects.count() == 1
    foreign = document(disclosure(world["org"], "R1"), "อื่น")
    assert client.post(url, {"line": "0", "entry": str(foreign.key)}).status_code == 404
    assert client.post(url, {"line": "0", "entry": "not-a-key"}).status_code == 404
    assert ContentTick.objects.get().entry_id == entry.pk


def test_a_link_cannot_be_marked_signed(world):
    d = disclosure(world["org"], "SIG")
    entry = Entry.objects.create(disclosure=d, kind="link", url="https://x.go.th/a", title="ลิงก์")
    url = reverse("disclosures_staff:entry-signed", args=["office", entry.key])
    assert world["editor"].post(url, {"signed": "1"}).status_code == 302
    entry.refresh_from_db()
    assert not entry.signed
