import pytest
from django.urls import reverse

from assessments.models import Assessment, Organisation
from tests.builders import REFERENCE_003, make_assessment, make_org


def test_public_addresses_are_permanent():
    assert reverse("assessments:organisation", args=["kksec"]) == "/kksec/"
    assert reverse("assessments:year", args=["kksec", 2566]) == "/kksec/ita/2566/"


def test_home_redirects_to_the_only_organisation(client, org):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/office/"


def test_home_lists_organisations(client, org):
    make_org("school", name_th="โรงเรียนทดสอบ")
    response = client.get("/")
    assert response.status_code == 200
    assert "โรงเรียนทดสอบ" in response.text
    assert 'href="/office/"' in response.text


def test_organisation_home_shows_latest_result_and_years(client, org):
    make_assessment(org, 2563, official_total="87.67")
    make_assessment(org, 2564, REFERENCE_003, rank=38, ranked_out_of=245)
    response = client.get("/office/")
    assert response.status_code == 200
    body = response.text
    assert "91.50" in body and "87.67" in body
    assert 'href="/office/ita/2564/"' in body
    assert "+3.83" in body
    assert "<svg" in body


def test_organisation_without_results_is_friendly(client, org):
    response = client.get("/office/")
    assert response.status_code == 200
    assert "ยังไม่มีการเผยแพร่ผลการประเมิน" in response.text or "No ITA results" in response.text


def test_year_page_shows_the_analysis(client, org):
    make_assessment(org, 2563, official_total="87.67")
    make_assessment(org, 2564, REFERENCE_003, rank=38, ranked_out_of=245)
    response = client.get("/office/ita/2564/")
    assert response.status_code == 200
    body = response.text
    assert '<html lang="th">' in body
    for figure in ("91.50", "28.38", "29.19", "33.93", "75.92", "+3.83"):
        assert figure in body
    assert "38 <small>จาก 245 หน่วยงาน</small>" in body
    assert "การเปิดเผยข้อมูล" in body
    assert body.count("<svg") == 2
    assert "ผ่าน" in body and "ไม่ผ่าน" in body
    assert "จุดแข็ง" in body


def test_year_page_in_english(client, org):
    make_assessment(org, 2564, REFERENCE_003)
    client.post(reverse("set_language"), {"language": "en", "next": "/office/ita/2564/"})
    body = client.get("/office/ita/2564/").text
    assert '<html lang="en">' in body
    assert "Information disclosure" in body
    assert "Strengths" in body


def test_year_without_total_says_so(client, org):
    make_assessment(org, 2564, REFERENCE_003[:9])
    response = client.get("/office/ita/2564/")
    assert response.status_code == 200
    assert "0.00" not in response.text.split("<main")[1].split("<table")[0]
    assert response.context["result"].total is None


@pytest.mark.parametrize(
    "path", ["/office/ita/2566/", "/nowhere/", "/nowhere/ita/2564/", "/office/ita/abc/"]
)
def test_missing_pages_are_a_friendly_404(client, org, path):
    response = client.get(path)
    assert response.status_code == 404
    assert 'class="notice"' in response.text
    assert 'href="/"' in response.text


def test_empty_year_record_is_404(client, org):
    Assessment.objects.create(organisation=org, fiscal_year=2565)
    assert client.get("/office/ita/2565/").status_code == 404


def test_year_page_query_count_does_not_grow_with_years(client, org, django_assert_max_num_queries):
    for year in range(2550, 2564):
        make_assessment(org, year, official_total="80.00")
    make_assessment(org, 2564, REFERENCE_003)
    make_assessment(org, 2565, REFERENCE_003)
    # 10 for the page, and 1 for the organisation's content version (the public cache's key).
    with django_assert_max_num_queries(11):
        assert client.get("/office/ita/2565/").status_code == 200
    with django_assert_max_num_queries(11):
        assert client.get("/office/").status_code == 200


def test_thai_even_for_an_english_browser(client, org):
    make_assessment(org, 2564, REFERENCE_003)
    body = client.get("/office/ita/2564/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").text
    assert '<html lang="th">' in body
    assert "จุดแข็ง" in body


def test_home_lists_a_page_at_a_time_and_searches(client, org, django_assert_max_num_queries):
    from assessments.directory import PAGE_SIZE

    for n in range(PAGE_SIZE + 5):
        make_org(f"school-{n:03d}", name_th=f"โรงเรียนบ้าน{n:03d}", parent=org)
    with django_assert_max_num_queries(4):
        first = client.get("/")
    assert first.status_code == 200
    assert first.text.count('class="org-list"') == 1
    # In the database's own order (its collation decides where Thai vowels sort).
    slugs = list(Organisation.objects.order_by("name_th", "pk").values_list("slug", flat=True))
    first_of_page_2 = f'href="/{slugs[PAGE_SIZE]}/"'
    assert f'href="/{slugs[0]}/"' in first.text and 'href="?page=2"' in first.text
    assert first_of_page_2 not in first.text
    second = client.get("/?page=2")
    assert first_of_page_2 in second.text and f'href="/{slugs[0]}/"' not in second.text
    assert "56" in second.text and 'rel="prev"' in second.text
    found = client.get("/?q=บ้าน017")
    assert "โรงเรียนบ้าน017" in found.text and "โรงเรียนบ้าน018" not in found.text
    assert client.get("/?q=ไม่มีชื่อนี้").status_code == 200
    assert client.get("/?page=999").status_code == 200  # the last page, not an error


def test_home_pages_are_cached_but_searches_and_odd_queries_are_not(client, org):
    from django.test import RequestFactory

    from assessments.public_cache import sessionless

    factory = RequestFactory()
    assert sessionless(factory.get("/?page=2"), ("page",))
    assert not sessionless(factory.get("/?page=2"))
    assert not sessionless(factory.get("/?q=x&page=2"), ("page",))
    assert not sessionless(factory.get("/?page=abc"), ("page",))
    assert not sessionless(factory.get("/?page=1&page=2"), ("page",))
