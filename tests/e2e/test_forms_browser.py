"""Forms and result pages in a real browser (issue 17, point 5).

A refused form shows its error summary with the focus on it and a link that
puts the focus in the field; a double-click on "add" creates one record; on a
phone the year's result page does not scroll sideways.
"""

from __future__ import annotations

import pytest

from assessments.models import Role, Unit
from tests.builders import PASSWORD, make_assessment, make_org, make_user

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def _log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/staff/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/staff/**")


def test_error_summary_gets_the_focus_and_leads_to_the_field(page, live_server):
    org = make_org("forms-office")
    make_user("boss", org, Role.ADMINISTRATOR)
    _log_in(page, live_server, "boss")
    page.goto(f"{live_server.url}/staff/forms-office/units/")
    page.fill("#id_name", "   ")
    page.locator("#id_name").press("Enter")
    page.wait_for_selector("#error-summary")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    page.locator("#error-summary a[href='#id_name']").click()
    assert page.evaluate("document.activeElement.id") == "id_name"
    assert page.get_attribute("#id_name", "aria-invalid") == "true"
    assert Unit.objects.filter(organisation=org).count() == 0


def test_a_double_click_adds_one_unit(page, live_server):
    org = make_org("click-office")
    make_user("boss2", org, Role.ADMINISTRATOR)
    _log_in(page, live_server, "boss2")
    page.goto(f"{live_server.url}/staff/click-office/units/")
    page.fill("#id_name", "กลุ่มนโยบายและแผน")
    button = page.locator("form:has(#id_name) button[type=submit]")
    button.dblclick()
    page.wait_for_load_state("networkidle")
    assert Unit.objects.filter(organisation=org, name="กลุ่มนโยบายและแผน").count() == 1
    # The page that came back is usable again.
    assert not page.locator("form:has(#id_name) button[type=submit]").is_disabled()


def test_the_year_result_fits_a_phone(page, live_server):
    org = make_org("phone-result")
    for year in range(2560, 2565):
        make_assessment(org, year, official_total="85.00")
    make_assessment(org, 2565, ["90.5", "88", "92", "95", "79.5", "91", "93", "87", "84", "96"])
    context = page.context.browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    phone = context.new_page()
    for path in ("/phone-result/ita/2565/", "/phone-result/"):
        phone.goto(f"{live_server.url}{path}")
        overflow = phone.evaluate(
            "() => [document.documentElement.scrollWidth, innerWidth,"
            " Array.from(document.querySelectorAll('.table-scroll'))"
            ".filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.firstElementChild.className)]"
        )
        assert overflow[0] <= overflow[1], (path, overflow)
        assert overflow[2] == [], (path, overflow)
        if "/ita/" in path:
            # The key figures are there, each under its column's name.
            points = phone.locator("table.instruments td[data-label]").last
            assert points.is_visible()
            label = points.evaluate("e => getComputedStyle(e, '::before').content")
            assert label.strip('"') == points.get_attribute("data-label")
    context.close()


def test_a_staff_list_becomes_cards_on_a_phone(page, live_server):
    from assessments.org_admin import unit_create

    org = make_org("phone-staff")
    make_user("boss3", org, Role.ADMINISTRATOR)
    for name in ("กลุ่มอำนวยการ", "กลุ่มนโยบายและแผน", "กลุ่มกฎหมายและคดี"):
        unit_create(organisation=org, name=name)
    page.set_viewport_size(PHONE)
    _log_in(page, live_server, "boss3")
    page.goto(f"{live_server.url}/staff/phone-staff/history/")
    scrolls = page.evaluate(
        "() => Array.from(document.querySelectorAll('.table-scroll'))"
        ".filter(e => e.scrollWidth > e.clientWidth + 1).length"
    )
    assert scrolls == 0
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    # Each value under its column's heading (filled in by forms.js).
    who = page.locator("table.history tbody tr").first.locator("td").nth(1)
    assert (
        who.get_attribute("data-label")
        == page.locator("table.history thead th").nth(1).inner_text()
    )
