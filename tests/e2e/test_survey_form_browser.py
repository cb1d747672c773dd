"""A staff member answers the IIT on a phone, in a real browser.

The form fits a phone's width with large answers to tap; the progress of an
indicator follows the answers; leaving the page and opening it again keeps them
(on the device only); a submission with answers missing comes back with the
summary focused and the answers kept; the complete one is stored once, the
answers on the device are cleared, and the same browser is told it has answered.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from assessments.models import Answer, Response
from assessments.surveys.services import round_bank, round_create
from tests.builders import make_org

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(page):
    """A phone-sized, touch-enabled page in the same browser as ``page``."""
    context = page.context.browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, locale="th-TH"
    )
    yield context.new_page()
    context.close()


def _choose(phone, item_code: str, index: int) -> None:
    phone.locator(f'label[for="id_{item_code}_{index}"]').click()


def _checked(phone) -> dict[str, str]:
    return phone.eval_on_selector_all(
        "input[type=radio]:checked", "els => Object.fromEntries(els.map(e => [e.name, e.value]))"
    )


def test_iit_on_a_phone_kept_when_reopened_then_sent_once(phone, live_server):
    org = make_org("phone-office", name_th="สำนักงานเขตพื้นที่การศึกษาทดสอบ")
    today = timezone.localdate()
    survey_round = round_create(
        organisation=org,
        fiscal_year=2569,
        instrument_code="IIT",
        opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=14),
    )
    bank = round_bank(survey_round)
    first = bank.indicators[0]
    url = f"{live_server.url}/s/{survey_round.code}/"

    phone.goto(url)
    assert "สำนักงานเขตพื้นที่การศึกษาทดสอบ" in phone.content()
    assert phone.get_by_role("heading", name=re.compile("ไม่มีใครรู้ว่าท่านตอบอะไร")).is_visible()
    # Phone first: nothing wider than the screen, answers at least 44 px high.
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    box = phone.locator(".choice").first.bounding_box()
    assert box["height"] >= 44 and box["width"] > PHONE["width"] / 2

    progress = phone.locator(".survey-section").first.locator(".survey-progress")
    assert progress.inner_text() == f"ตัวชี้วัดที่ 1: ตอบแล้ว 0 จาก {len(first.fields)}"
    _choose(phone, "I1.1", 2)
    _choose(phone, "I1.2", 3)
    # A radio group is reached by its question's text, as a screen reader names it.
    phone.get_by_role("group", name=re.compile("1.2 เป็นไปตามระยะเวลา")).get_by_label(
        "มากที่สุด"
    ).check()
    assert progress.inner_text() == f"ตัวชี้วัดที่ 1: ตอบแล้ว 2 จาก {len(first.fields)}"

    # Leave, come back: the answers are still there (on this device only).
    phone.goto(f"{live_server.url}/")
    phone.goto(url)
    assert _checked(phone) == {"I1.1": "67", "I1.2": "100"}
    assert progress.inner_text() == f"ตัวชี้วัดที่ 1: ตอบแล้ว 2 จาก {len(first.fields)}"
    assert not Response.objects.exists()

    # Sent with answers missing: the summary is read out and focused, answers kept.
    phone.get_by_role("button", name="ส่งคำตอบ").click()
    summary = phone.locator("#error-summary")
    summary.wait_for()
    assert phone.evaluate("document.activeElement.id") == "error-summary"
    assert summary.get_attribute("role") == "alert"
    assert summary.get_by_role("link", name=re.compile("ข้อ 2 ยังตอบไม่ครบ")).count() == 1
    assert _checked(phone) == {"I1.1": "67", "I1.2": "100"}
    summary.get_by_role("link", name=re.compile("ข้อ 2 ")).click()
    assert phone.evaluate("location.hash") == "#q-I2"

    # Answer the rest, each with the first choice of its scale.
    for code in bank.items_by_code:
        if code not in ("I1.1", "I1.2"):
            _choose(phone, code, 0)
    assert len(_checked(phone)) == 51
    assert progress.inner_text() == (
        f"ตัวชี้วัดที่ 1: ตอบแล้ว {len(first.fields)} จาก {len(first.fields)}"
    )
    phone.get_by_role("button", name="ส่งคำตอบ").click()
    phone.wait_for_url(f"{url}thanks/")
    assert "ขอบคุณที่ตอบแบบสอบถาม" in phone.content()

    stored = Response.objects.get()
    assert Answer.objects.filter(response=stored).count() == 51
    assert Answer.objects.get(response=stored, item_code="I1.1").value == 67
    # The answers left the device once received.
    key = f"survey:{survey_round.code}"
    assert phone.evaluate(f"window.localStorage.getItem('{key}')") is None

    # The same browser is told it has answered; no form to send twice.
    phone.goto(url)
    assert "ท่านตอบแบบสอบถามนี้แล้ว" in phone.content()
    assert phone.locator("input[type=radio]").count() == 0
    assert Response.objects.count() == 1
