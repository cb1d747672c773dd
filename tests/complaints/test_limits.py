"""Limits that stop a script without locking out citizens behind one shared address
(a mobile carrier's NAT): tight per browser, loose per address, and failed look-ups
of a code and PIN also per tracking code (issue 17, Deliver 6)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from complaints.models import Complaint
from ita_portal.ratelimits import BROWSER_COOKIE
from tests.complaints.builders import IDENTITY, make_complaint

TRACK = "/complaints/track/"
SHARED = "100.64.0.1"  # carrier-grade NAT: many phones, one address


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.COMPLAINT_FILE_RATE = "2/h"
    settings.COMPLAINT_FILE_ADDRESS_RATE = "100/h"
    settings.COMPLAINT_TRACK_RATE = "3/h"
    settings.COMPLAINT_TRACK_ADDRESS_RATE = "100/h"
    settings.COMPLAINT_TRACK_CODE_RATE = "5/d"
    # Filing hashes a PIN; the production hasher would make 30 filings slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _browser() -> Client:
    return Client(REMOTE_ADDR=SHARED)


def _file(browser: Client, org):
    url = reverse("complaints:new", args=[org.slug])
    browser.get(url)  # as a person does: the form first
    form = {
        "category": "delay",
        "accused": "งานทะเบียน",
        "facts": "ยื่นคำขอมาสามเดือนยังไม่ได้รับการพิจารณา",
        "consent": "on",
        "complainant_name": IDENTITY["complainant_name"],
        "complainant_phone": IDENTITY["complainant_phone"],
    }
    return browser.post(url, form)


def _guess(browser: Client, code: str, pin: str = "000000"):
    return browser.post(TRACK, {"action": "lookup", "code": code, "pin": pin})


def test_thirty_browsers_behind_one_address_can_all_file(org):
    for _ in range(30):
        assert _file(_browser(), org).status_code == 302
    assert Complaint.objects.count() == 30


def test_one_browser_is_limited_after_its_quota_with_a_retry_time(org):
    browser = _browser()
    assert _file(browser, org).status_code == 302
    assert _file(browser, org).status_code == 302
    refused = _file(browser, org)
    assert refused.status_code == 429
    html = refused.content.decode()
    assert 'id="rate-limited"' in html and "(หลังเวลา " in html  # when to try again
    assert "ยื่นคำขอมาสามเดือน" in html  # what was typed is kept
    assert Complaint.objects.count() == 2
    # Its neighbours on the same address are not held back.
    assert _file(_browser(), org).status_code == 302


def test_the_address_limit_still_stops_a_script_that_drops_its_cookie(org, settings):
    settings.COMPLAINT_FILE_RATE = "100/h"
    settings.COMPLAINT_FILE_ADDRESS_RATE = "3/h"
    for _ in range(3):
        assert _file(_browser(), org).status_code == 302
    assert _file(_browser(), org).status_code == 429
    assert Complaint.objects.count() == 3


def test_a_forged_cookie_is_no_browser(org):
    browser = _browser()
    browser.cookies[BROWSER_COOKIE] = "made-up"
    browser.get(reverse("complaints:new", args=[org.slug]))
    # Replaced by a signed one the server can trust.
    assert browser.cookies[BROWSER_COOKIE].value != "made-up"


def test_pin_guessing_on_one_code_is_limited_across_browsers_and_addresses(org):
    filed = make_complaint(org)
    for number in range(5):
        browser = Client(REMOTE_ADDR=f"203.0.113.{number + 1}")
        assert _guess(browser, filed.code_display, f"00000{number}").status_code == 200
    # A fresh browser on a fresh address, even with the right PIN: the code is resting.
    fresh = Client(REMOTE_ADDR="203.0.113.99")
    refused = fresh.post(TRACK, {"action": "lookup", "code": filed.code_display, "pin": filed.pin})
    assert refused.status_code == 429
    assert 'id="rate-limited"' in refused.content.decode()
    # Typed differently (lower case, no dashes), it is the same code.
    lowered = filed.code_display.replace("-", "").lower()
    assert _guess(Client(REMOTE_ADDR="203.0.113.98"), lowered).status_code == 429
    # Another complaint's code is not held back.
    other = make_complaint(org)
    opened = fresh.post(TRACK, {"action": "lookup", "code": other.code_display, "pin": other.pin})
    assert opened.status_code == 302


def test_one_browser_guessing_is_limited_while_its_neighbours_are_not(org):
    filed = make_complaint(org)
    browser = _browser()
    browser.get(TRACK)
    for number in range(3):
        assert _guess(browser, f"ACDE-FGHJ-KMN{number}").status_code == 200
    assert _guess(browser, "ACDE-FGHJ-KMNX").status_code == 429
    neighbour = _browser()
    neighbour.get(TRACK)
    opened = neighbour.post(
        TRACK, {"action": "lookup", "code": filed.code_display, "pin": filed.pin}
    )
    assert opened.status_code == 302
