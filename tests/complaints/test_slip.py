"""The printable receipt after filing: code, PIN, agency, BE date, where to track; shown
once, never cached, printable by the browser (no PDF made on the server)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import time_machine
from django.contrib.staticfiles import finders
from django.urls import reverse

from complaints.models import Complaint
from complaints.services import complaint_for_tracking
from complaints.views import FILED_KEY
from tests.complaints.builders import IDENTITY

FILED_AT = dt.datetime(2026, 11, 30, 10, 0, tzinfo=ZoneInfo("Asia/Bangkok"))


def _file(client, org):
    url = reverse("complaints:new", args=[org.slug])
    client.get(url)
    form = {
        "category": "delay",
        "accused": "งานทะเบียน",
        "facts": "ยื่นคำขอมาสามเดือนยังไม่ได้รับการพิจารณา",
        "consent": "on",
        "complainant_name": IDENTITY["complainant_name"],
        "complainant_phone": IDENTITY["complainant_phone"],
    }
    return client.post(url, form)


@time_machine.travel(FILED_AT, tick=False)
def test_the_receipt_shows_code_pin_agency_date_and_address_once(client, org, settings):
    settings.SITE_URL = "https://ita.example.go.th"
    response = _file(client, org)
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "no-store" in page["Cache-Control"]
    code = re.search(r'id="tracking-code">([^<]+)<', html).group(1)
    pin = re.search(r'id="tracking-pin">(\d+)<', html).group(1)
    assert complaint_for_tracking(code=code, pin=pin) == Complaint.objects.get()
    assert 'id="slip"' in html
    assert org.name_th in html
    assert re.search(r'id="slip-date">[^<]*2569<', html)  # 30 Nov 2026 is BE 2569
    assert 'href="https://ita.example.go.th/complaints/track/"' in html
    assert "ขั้นตอนต่อไป" in html  # what happens next
    # Printing is the browser's: a static script and a print stylesheet, no inline code.
    assert "/static/js/print.js" in html and "/static/css/complaints.css" in html
    assert "data-print" in html and "<script>" not in html
    assert "Save as PDF" in html
    # The PIN is neither in an address nor left in the session.
    assert pin not in response["Location"] and pin not in page.request["PATH_INFO"]
    assert FILED_KEY not in client.session

    again = client.get(response["Location"])
    assert "no-store" in again["Cache-Control"]
    assert pin not in again.content.decode()
    assert 'id="tracking-pin"' not in again.content.decode()
    assert 'id="shown-already"' in again.content.decode()


def test_the_print_stylesheet_prints_the_receipt_alone():
    css = Path(finders.find("css/complaints.css")).read_text(encoding="utf-8")
    rules = css[css.index("@media print") :]
    assert ".site-header" in rules and ".site-footer" in rules
    assert "main > :not(.slip)" in rules and "display: none" in rules


def test_the_print_button_is_hidden_until_the_script_shows_it():
    script = Path(finders.find("js/print.js")).read_text(encoding="utf-8")
    assert "window.print()" in script and "[data-print]" in script
