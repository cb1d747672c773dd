"""The public OIT pages: permanent addresses, what anonymous visitors see, drafts."""

from __future__ import annotations

import pytest
from django.urls import resolve, reverse

from assessments.models import Item, Role
from disclosures.services import disclosure_publish
from tests.builders import make_org, make_user

from .builders import make_disclosure

pytestmark = pytest.mark.django_db


def test_permanent_address_format():
    # Agencies paste these into ITAS: the format must never change.
    assert reverse("disclosures:year", args=["demo", 2566]) == "/demo/oit/2566/"
    assert reverse("disclosures:item", args=["demo", 2566, "O1"]) == "/demo/oit/2566/O1/"
    assert reverse("disclosures:year-json", args=["demo", 2566]) == "/demo/oit/2566.json"
    match = resolve("/kksec/oit/2566/O43/")
    assert match.view_name == "disclosures:item"
    assert match.kwargs == {"org": "kksec", "year": 2566, "code": "O43"}


def test_index_lists_every_item_of_the_year_by_indicator(client, org):
    make_disclosure(org, "O1", explanation="โครงสร้างของสำนักงาน", links=1, published=True)
    response = client.get("/office/oit/2565/")
    assert response.status_code == 200
    html = response.content.decode()
    codes = list(Item.objects.filter(edition__code="ita-2564-2565").values_list("code", flat=True))
    assert len(codes) == 43
    for code in codes:
        assert f'href="/office/oit/2565/{code}/"' in html
    # Indicators 9 and 10 and a sub-indicator heading, in that order.
    assert html.index("9.1") < html.index("9.5") < html.index("10.1")
    assert html.count('class="badge pass"') == 1
    assert html.count('class="badge none"') == 42
    # Cached for visitors without a session; the browser asks again each time (ETag).
    assert response["Cache-Control"] == "public, no-cache"


def test_index_links_are_the_addresses_django_reverses(client, org):
    # The index builds its links without reverse() per row; an unusual code must still match.
    Item.objects.filter(edition__code="ita-2564-2565", code="O7").update(code="O7 ก")
    html = client.get("/office/oit/2565/").content.decode()
    assert f'href="{reverse("disclosures:item", args=["office", 2565, "O7 ก"])}"' in html
    assert 'href="/office/oit/2565/O7%20%E0%B8%81/"' in html


def test_item_page_shows_requirement_explanation_and_entries(client, org):
    make_disclosure(
        org,
        "O5",
        explanation="ติดต่อสำนักงานได้ในวันและเวลาราชการ",
        links=2,
        documents=1,
        published=True,
    )
    response = client.get("/office/oit/2565/O5/")
    assert response.status_code == 200
    html = response.content.decode()
    item = Item.objects.get(edition__code="ita-2564-2565", code="O5")
    assert item.title_th in html
    assert item.requirement and item.requirement.splitlines()[0] in html
    assert "<p>ติดต่อสำนักงานได้ในวันและเวลาราชการ</p>" in html
    assert "ลิงก์ O5 รายการที่ 1" in html and "ลิงก์ O5 รายการที่ 2" in html
    assert "เอกสาร O5 ฉบับที่ 1" in html
    # Dates in the Buddhist Era with Thai month names.
    assert "1 มกราคม 2565" in html
    assert "http://127.0.0.1:8000/office/oit/2565/O5/" in html or "/office/oit/2565/O5/" in html


def test_draft_is_invisible_to_the_public(client, org):
    draft = make_disclosure(org, "O2", explanation="ร่างข้อมูลผู้บริหาร ยังไม่ตรวจ", links=1)
    secret_entry = draft.entries.get()
    index = client.get("/office/oit/2565/").content.decode()
    assert "ร่างข้อมูลผู้บริหาร" not in index
    search = client.get("/office/oit/2565/", {"q": "ร่างข้อมูล"}).content.decode()
    assert secret_entry.title not in search
    assert 'href="/office/oit/2565/O2/"' not in search
    data = client.get("/office/oit/2565.json").json()
    o2 = next(i for i in data["items"] if i["code"] == "O2")
    assert o2["published"] is False and o2["entries"] == [] and o2["explanation"] == ""

    page = client.get("/office/oit/2565/O2/")
    assert page.status_code == 404
    html = page.content.decode()
    # Not a bare 404: the item is named and the visitor told it is not available.
    assert "O2" in html and "ข้อมูลผู้บริหาร" in html
    assert "ร่างข้อมูลผู้บริหาร" not in html and secret_entry.url not in html
    assert 'name="robots" content="noindex"' in html


def test_unpublishing_keeps_the_address_with_a_not_available_page(client, org):
    disclosure = make_disclosure(org, "O7", links=1, published=True)
    assert client.get("/office/oit/2565/O7/").status_code == 200
    disclosure_publish(disclosure=disclosure, published=False)
    response = client.get("/office/oit/2565/O7/")
    assert response.status_code == 404
    assert "ข่าวประชาสัมพันธ์" in response.content.decode()
    assert reverse("disclosures:year", args=["office", 2565]) in response.content.decode()
    disclosure.refresh_from_db()
    # The first publication date is kept for when it comes back.
    assert disclosure.first_published_at is not None


def test_staff_of_the_organisation_see_a_draft_marked_as_such(client, org):
    make_disclosure(org, "O3", explanation="อำนาจหน้าที่ฉบับร่าง")
    client.force_login(make_user("viewer", org, role=Role.VIEWER))
    response = client.get("/office/oit/2565/O3/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "อำนาจหน้าที่ฉบับร่าง" in html
    assert 'class="warning"' in html
    assert response["Cache-Control"] == "private, no-store"


def test_staff_of_another_organisation_see_what_the_public_sees(client, org):
    make_disclosure(org, "O3", explanation="อำนาจหน้าที่ฉบับร่าง")
    other = make_org("other")
    client.force_login(make_user("outsider", other, role=Role.ADMINISTRATOR))
    response = client.get("/office/oit/2565/O3/")
    assert response.status_code == 404
    assert "อำนาจหน้าที่ฉบับร่าง" not in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/office/oit/2565/O44/",  # no such item that year
        "/office/oit/2565/X1/",
        "/office/oit/2570/",  # no framework for that year
        "/office/oit/2570/O1/",
        "/office/oit/1999/",  # not a BE fiscal year
        "/office/oit/2570.json",
        "/nobody/oit/2565/",
        "/nobody/oit/2565/O1/",
    ],
)
def test_wrong_addresses_are_404_pages(client, org, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "<html" in response.content.decode()


def test_item_code_in_other_case_redirects_to_the_one_address(client, org):
    response = client.get("/office/oit/2565/o12/")
    assert response.status_code == 301
    assert response["Location"] == "/office/oit/2565/O12/"


def test_year_picker_and_latest_year(client, org):
    make_disclosure(org, "O1", year=2564, links=1, published=True)
    make_disclosure(org, "O1", year=2565, links=1, published=True)
    response = client.get("/office/oit/")
    assert response.status_code == 302 and response["Location"] == "/office/oit/2565/"
    html = client.get("/office/oit/2565/").content.decode()
    assert 'href="/office/oit/2564/"' in html
    assert 'aria-current="page"' in html


def test_search_finds_titles_explanations_and_entry_titles(client, org):
    make_disclosure(org, "O10", explanation="โครงการพัฒนาครูทั้งเขตพื้นที่", published=True)
    make_disclosure(org, "O22", links=1, published=True)  # entry title "ลิงก์ O22 รายการที่ 1"
    html = client.get("/office/oit/2565/", {"q": "พัฒนาครู"}).content.decode()
    assert 'href="/office/oit/2565/O10/"' in html and 'href="/office/oit/2565/O22/"' not in html
    html = client.get("/office/oit/2565/", {"q": "O22 รายการที่"}).content.decode()
    assert 'href="/office/oit/2565/O22/"' in html
    html = client.get("/office/oit/2565/", {"q": "แผนการใช้จ่ายงบประมาณ"}).content.decode()
    assert 'href="/office/oit/2565/O18/"' in html and 'href="/office/oit/2565/O1/"' not in html


def test_pages_need_no_javascript(client, org):
    make_disclosure(org, "O1", links=1, published=True)
    for url in ("/office/oit/2565/", "/office/oit/2565/O1/", "/office/oit/2565/O2/"):
        assert "<script" not in client.get(url).content.decode()


def test_index_and_item_pages_make_a_bounded_number_of_queries(
    client, org, django_assert_max_num_queries
):
    # One item with one entry, then every item with three entries: the same bound.
    make_disclosure(org, "O1", links=1, published=True)
    with django_assert_max_num_queries(6):
        assert client.get("/office/oit/2565/").status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get("/office/oit/2565/O1/").status_code == 200
    for item in Item.objects.filter(edition__code="ita-2564-2565").exclude(code="O1"):
        make_disclosure(org, item.code, explanation="ข้อมูล", links=2, documents=1, published=True)
    with django_assert_max_num_queries(6):
        assert client.get("/office/oit/2565/").status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get("/office/oit/2565/O23/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/office/oit/2565/", {"q": "ข้อมูล"}).status_code == 200


def test_cached_page_is_not_served_in_the_other_language(client, org):
    make_disclosure(org, "O1", links=1, published=True)
    thai = client.get("/office/oit/2565/").content.decode()
    client.cookies["django_language"] = "en"
    english = client.get("/office/oit/2565/").content.decode()
    assert english != thai
    assert "Public disclosures (OIT)" in english
