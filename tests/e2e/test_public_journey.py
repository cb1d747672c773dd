"""A citizen's year, in a real browser at desktop and phone width, axe-core on every page:
from the site's first page to the agency home, its result, the year's OIT pages and an
item; then a complaint filed from the home page and followed with its code and PIN."""

from __future__ import annotations

import pytest

from complaints.models import Complaint
from tests.builders import REFERENCE_003, make_assessment, make_org
from tests.disclosures.builders import make_disclosure

from .conftest import VIEWPORT_IDS, VIEWPORTS
from .journeys import checked, click_href

pytestmark = pytest.mark.django_db(transaction=True)

YEAR = 2569


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=VIEWPORT_IDS)
def test_visitor_finds_result_and_oit_then_files_and_tracks_a_complaint(live_server, page):
    org = make_org("office", name_th="สำนักงานเขตพื้นที่การศึกษาทดสอบ")
    make_assessment(org, 2568, official_total="87.67")
    make_assessment(org, YEAR, REFERENCE_003, rank=38, ranked_out_of=245)
    make_disclosure(org, "O1", YEAR, explanation="<p>โครงสร้างหน่วยงาน</p>", links=1, published=True)
    make_org("school", name_th="โรงเรียนทดสอบวิทยา")  # two agencies: the first page lists them
    base = live_server.url

    page.goto(f"{base}/")
    checked(page)
    click_href(page, "/office/")
    # The agency home fits the screen: nothing to scroll sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")

    click_href(page, f"/office/ita/{YEAR}/")
    assert "91.50" in page.locator("main").inner_text()

    page.go_back()
    click_href(page, f"/office/oit/{YEAR}/")
    click_href(page, f"/office/oit/{YEAR}/O1/")
    assert "โครงสร้างหน่วยงาน" in page.locator("main").inner_text()

    page.go_back()
    page.go_back()
    click_href(page, "/office/complaints/new/")
    form = page.locator("form[enctype]").first
    form.locator("input[name=category]").first.check()
    form.locator("[name=accused]").fill("เจ้าหน้าที่การเงิน")
    form.locator("[name=facts]").fill("เรียกรับเงินเพื่อเร่งการเบิกจ่ายค่าตอบแทนครูอัตราจ้าง")
    form.locator("[name=request]").fill("ขอให้ตรวจสอบและดำเนินการตามระเบียบ")
    form.locator("[name=complainant_name]").fill("สมหญิง ใจดี")
    form.locator("[name=complainant_phone]").fill("0812345678")
    form.locator("[name=consent]").check()
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"{base}/office/complaints/filed/")
    checked(page)
    code = page.locator("#tracking-code").inner_text().strip()
    pin = page.locator("#tracking-pin").inner_text().strip()
    complaint = Complaint.objects.get(organisation=org)
    assert complaint.tracking_code == code.replace("-", "")  # printed in groups of four

    # The receipt names the permanent address (SITE_URL); the test server has its own port.
    assert page.locator("#slip-track-url").inner_text().endswith("/complaints/track/")
    page.goto(f"{base}/complaints/track/")
    checked(page)
    page.locator("#track-form [name=code]").fill(code)
    page.locator("#track-form [name=pin]").fill(pin)
    page.locator("#track-form button[type=submit]").click()
    page.wait_for_load_state("load")
    checked(page)
    assert code in page.locator("main").inner_text()
