"""The year's published items as JSON, documented in the README."""

from __future__ import annotations

import pytest

from .builders import make_disclosure

pytestmark = pytest.mark.django_db


def test_year_json_lists_items_with_entries_and_absolute_urls(client, org, settings):
    settings.SITE_URL = "https://ita.example.go.th"
    make_disclosure(
        org, "O1", explanation="<p>แผนผังโครงสร้าง</p>", links=1, documents=1, published=True
    )
    response = client.get("/office/oit/2565.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["fiscal_year"] == 2565
    assert data["organisation"] == {"slug": "office", "name": "หน่วยงาน office"}
    assert data["url"] == "https://ita.example.go.th/office/oit/2565/"
    assert len(data["items"]) == 43
    o1 = data["items"][0]
    assert o1["code"] == "O1" and o1["indicator"] == 9 and o1["sub_indicator"] == "9.1"
    assert o1["url"] == "https://ita.example.go.th/office/oit/2565/O1/"
    assert o1["published"] is True and o1["explanation"] == "แผนผังโครงสร้าง"
    assert o1["updated"].startswith("20")  # ISO 8601, Gregorian as JSON expects
    link, document = o1["entries"]
    assert link == {
        "title": "ลิงก์ O1 รายการที่ 1",
        "kind": "link",
        "url": "https://www.example.go.th/office/O1/0",
        "date": "2022-01-01",
        "file_type": None,
    }
    assert document["kind"] == "document" and document["file_type"] == "pdf"
    assert document["url"].startswith("https://ita.example.go.th/office/files/oit/")
    # The document address works.
    path = document["url"].removeprefix("https://ita.example.go.th")
    assert client.get(path).status_code == 200
    assert all(not item["published"] for item in data["items"][1:])


def test_thai_text_is_not_escaped(client, org):
    make_disclosure(org, "O1", links=1, published=True)
    assert "โครงสร้าง" in client.get("/office/oit/2565.json").content.decode()
