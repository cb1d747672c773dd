"""The A4 poster (a stored PDF made by the task queue) and the printable slips of
one-time codes (an HTML page): the agency, the address, the codes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.models import OneTimeCode, Role
from assessments.surveys.poster import qr_data_uri
from assessments.surveys.selectors import round_address
from assessments.surveys.services import codes_generate
from tests.builders import make_org, make_user
from tests.measures.test_report import pdf_text
from tests.task_worker import run_worker

from .survey_staff_builders import YEAR, make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(db, settings):
    settings.SITE_URL = "https://ita.example.go.th"
    return make_org("office", name_th="โรงเรียนบ้านทดสอบ")


def _login(client, org, role=Role.VIEWER):
    client.force_login(make_user("reader", org, role))


def test_the_poster_is_a_pdf_with_the_agency_and_the_short_address(client, office):
    survey_round = make_round(office)
    _login(client, office)
    url = reverse("surveys_staff:poster", args=[office.slug, YEAR, "IIT"])
    first = client.get(url)
    assert first.status_code == 200 and "กำลังจัดทำเอกสาร" in first.content.decode()
    run_worker()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    content = b"".join(response.streaming_content)
    assert content.startswith(b"%PDF")
    text, reader = pdf_text(content)
    assert len(reader.pages) == 1  # one A4 sheet
    compact = text.replace("\n", "").replace(" ", "")
    assert "โรงเรียนบ้านทดสอบ" in compact
    assert f"ita.example.go.th/s/{survey_round.code}/" in compact
    assert "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน" in compact
    assert "2569" in compact  # the closing date in the Buddhist Era


def test_the_qr_code_encodes_the_round_address(office):
    survey_round = make_round(office)
    address = round_address(survey_round)
    assert address == f"https://ita.example.go.th/s/{survey_round.code}/"
    assert qr_data_uri(address).startswith("data:image/svg+xml")


def test_slips_hold_the_unused_codes_and_not_the_used_ones(client, office):
    survey_round = make_round(office, uses_codes=True)
    codes = [c.code for c in codes_generate(survey_round=survey_round, count=12)]
    used = codes[:2]
    OneTimeCode.objects.filter(code__in=used).update(used=True)
    _login(client, office)
    response = client.get(reverse("surveys_staff:codes-slips", args=[office.slug, YEAR, "IIT"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert html.count('class="page"') == 1  # 10 unused codes: one A4 page
    assert html.count('class="slip"') == 10
    for code in codes[2:]:
        assert code in html
    for code in used:
        assert code not in html
    assert "โรงเรียนบ้านทดสอบ" in html
    assert "พิมพ์ / บันทึกเป็น PDF" in html
    assert "<script src=" in html and "<style" not in html  # the content policy holds
    assert "no-store" in response["Cache-Control"]  # secrets: kept by no cache


def test_eleven_codes_make_two_pages(client, office):
    survey_round = make_round(office, uses_codes=True)
    codes_generate(survey_round=survey_round, count=11)
    _login(client, office)
    response = client.get(reverse("surveys_staff:codes-slips", args=[office.slug, YEAR, "IIT"]))
    assert response.content.decode().count('class="page"') == 2


def test_slips_of_another_organisation_are_404(client, office):
    survey_round = make_round(office, uses_codes=True)
    codes_generate(survey_round=survey_round, count=3)
    other = make_org("other")
    _login(client, other, Role.ADMINISTRATOR)
    url = reverse("surveys_staff:codes-slips", args=[office.slug, YEAR, "IIT"])
    assert client.get(url).status_code == 404
