"""The published annual report's web page in a real browser: on a phone its plan and
results tables become one card per row (nothing to scroll sideways, no scrollable
region a keyboard cannot reach), and axe-core finds nothing at either width."""

from __future__ import annotations

import pytest

from measures.services import report_publish
from tests.builders import make_org
from tests.measures.builders import make_follow_up, make_measure

from .conftest import VIEWPORT_IDS, VIEWPORTS
from .journeys import checked

pytestmark = pytest.mark.django_db(transaction=True)

YEAR = 2565


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=VIEWPORT_IDS)
def test_the_annual_report_page_reads_on_a_phone(live_server, page):
    org = make_org("office", name_th="สำนักงานเขตพื้นที่การศึกษาทดสอบรายงาน")
    measure = make_measure(
        org,
        YEAR,
        title="มาตรการเปิดเผยข้อมูลการจัดซื้อจัดจ้างทุกไตรมาส",
        monitoring="รายงานผลต่อผู้บริหารทุกสามเดือน",
    )
    make_follow_up(measure, outcome="ประชาชนเข้าถึงข้อมูลได้ครบทุกรายการ")
    report_publish(organisation=org, fiscal_year=YEAR, user=None, published=True)

    page.goto(f"{live_server.url}/office/reports/{YEAR}/")
    checked(page)
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    text = page.locator("table.plan").inner_text()
    assert "มาตรการเปิดเผยข้อมูลการจัดซื้อจัดจ้างทุกไตรมาส" in text
