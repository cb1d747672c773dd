"""The perception surveys in a real browser, as a new office would run them.

An administrator opens an IIT round with one-time codes and an EIT round,
downloads the poster, makes codes; five staff members answer on phones
through their code links; five visitors answer the EIT on the open link,
each on their own phone; the staff round page then shows the indicator
scores and the gap to the sample target, and the predicted-result page the
predicted total and level.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from assessments.models import OneTimeCode, OrganisationKind, Response, Role, SurveyRound
from assessments.provisional import edition_start_provisional
from ita_portal.thai import be_date_text
from tests.builders import PASSWORD, make_org, make_user
from tests.task_worker import run_worker

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
YEAR = 2570


def _log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/staff/login/")
    page.get_by_label("ชื่อผู้ใช้").fill(username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("เข้าสู่ระบบ")).click()
    page.wait_for_url(lambda url: "/login/" not in url)


def _open_round(page, base: str, instrument: str, population: str, *, codes: bool) -> None:
    today = timezone.localdate()
    page.goto(f"{base}/staff/office/surveys/?year={YEAR}")
    page.get_by_label("แบบสำรวจ").select_option(instrument)
    page.get_by_label("วันเปิดรับคำตอบ").fill(be_date_text(today))
    page.get_by_label("วันปิดรับคำตอบ").fill(be_date_text(today + dt.timedelta(days=45)))
    page.get_by_label("จำนวนประชากร").fill(population)
    if codes:
        page.get_by_label(re.compile("ใช้รหัสใช้ครั้งเดียว")).check()
    page.get_by_role("button", name="เปิดรอบการสำรวจ").click()
    page.wait_for_url(re.compile(rf"/surveys/{YEAR}/{instrument}/$"))


def _answer_on_a_phone(browser, url: str, *, choice: int) -> None:
    """A respondent on their own phone: every question answered with the choice at
    ``choice`` (0 = first printed), then sent."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="th-TH")
    phone = context.new_page()
    phone.goto(url)
    groups = phone.eval_on_selector_all(
        "input[type=radio]", "els => [...new Set(els.map(e => e.name))]"
    )
    for name in groups:
        radios = phone.locator(f'input[type=radio][name="{name}"]')
        pick = min(choice, radios.count() - 1)
        phone.locator(f'label[for="{radios.nth(pick).get_attribute("id")}"]').click()
    phone.get_by_role("button", name=re.compile("ส่งคำตอบ")).click()
    phone.wait_for_url(re.compile(r"/thanks/$"))
    context.close()


def test_an_office_runs_both_surveys_and_sees_its_predicted_result(page, live_server):
    base = live_server.url
    edition_start_provisional(fiscal_year=YEAR)
    office = make_org(
        "office", name_th="สำนักงานเขตพื้นที่การศึกษาทดลอง", kind=OrganisationKind.SECONDARY_ESA
    )
    make_user("boss", office, role=Role.ADMINISTRATOR)
    _log_in(page, base, "boss")

    # The IIT with one-time codes, then its poster and codes.
    _open_round(page, base, "IIT", "40", codes=True)
    iit = SurveyRound.objects.get(organisation=office, instrument_code="IIT")
    assert f"/s/{iit.code}/" in page.content()
    poster_url = f"{base}/staff/office/surveys/{YEAR}/IIT/poster.pdf"
    preparing = page.request.get(poster_url)  # queued for the worker, not rendered here
    assert preparing.ok and "กำลังจัดทำเอกสาร" in preparing.text()
    run_worker()
    poster = page.request.get(poster_url)
    assert poster.ok and poster.body().startswith(b"%PDF")
    page.goto(f"{base}/staff/office/surveys/{YEAR}/IIT/codes/")
    page.get_by_label("จำนวนรหัสที่ต้องการเพิ่ม").fill("6")
    page.get_by_role("button", name="สร้างรหัส").click()
    page.wait_for_load_state("networkidle")
    assert OneTimeCode.objects.filter(round=iit).count() == 6
    slips = page.request.get(f"{base}/staff/office/surveys/{YEAR}/IIT/codes/slips/")
    assert slips.ok and "พิมพ์ / บันทึกเป็น PDF" in slips.text()  # a page to print
    for code in OneTimeCode.objects.filter(round=iit).values_list("code", flat=True):
        assert code in slips.text()

    # The EIT on an open link.
    _open_round(page, base, "EIT", "600", codes=False)
    eit = SurveyRound.objects.get(organisation=office, instrument_code="EIT")

    # Five staff members answer through their code links: three choose the first
    # printed answer everywhere, two the last (scores come out between the two).
    codes = list(OneTimeCode.objects.filter(round=iit).values_list("code", flat=True))
    browser = page.context.browser
    for n, code in enumerate(codes[:5]):
        _answer_on_a_phone(browser, f"{base}/s/{iit.code}/{code}/", choice=0 if n < 3 else 9)
    # Five visitors, each on their own phone, on the open link.
    for n in range(5):
        _answer_on_a_phone(browser, f"{base}/s/{eit.code}/", choice=0 if n < 4 else 9)
    assert Response.objects.filter(round=iit).count() == 5
    assert Response.objects.filter(round=eit).count() == 5
    assert OneTimeCode.objects.filter(round=iit, used=True).count() == 5

    # A used code does not open the form a second time.
    context = browser.new_context(viewport=PHONE, locale="th-TH")
    again = context.new_page()
    again.goto(f"{base}/s/{iit.code}/{codes[0]}/")
    assert "ใช้แล้ว" in again.content() or "ไม่ถูกต้อง" in again.content()
    context.close()

    # The staff round page: indicator scores, weakest questions, the sample gap.
    page.goto(f"{base}/staff/office/surveys/{YEAR}/IIT/")
    text = page.inner_text("main")
    assert "ตัวชี้วัด" in text
    assert re.search(r"\b\d{1,3}\.\d{2}\b", text)  # scores with two decimals
    # 40 staff: at least 25 needed, 5 answered, 20 still needed.
    assert "25" in text and "20" in text
    # The predicted total and level, labelled as self-assessed.
    page.goto(f"{base}/staff/office/oit/{YEAR}/predicted/")
    predicted = page.inner_text("main")
    assert "ผลประเมินตนเอง" in predicted
    assert page.locator("#predicted-total").count() == 1
    assert "อีก" in predicted  # responses still needed to reach the EIT's sample target
