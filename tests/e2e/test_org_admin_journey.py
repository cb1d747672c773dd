"""An organisation administrator runs the organisation without the Django admin.

In a real browser: log in, add a unit, add a member with a one-time
password, change the member's role, and find that change in the
organisation's history — every step by clicking what a Thai user sees.
"""

from __future__ import annotations

import re

import pytest

from assessments.models import Membership, Role, Unit
from tests.builders import PASSWORD, make_org, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_administrator_adds_unit_and_member_and_sees_role_change_in_history(live_server, page):
    org = make_org("office", name_th="สำนักงานเขตพื้นที่การศึกษาทดสอบ")
    make_user("head", org, Role.ADMINISTRATOR)

    page.goto(f"{live_server.url}/staff/login/")
    page.get_by_label("ชื่อผู้ใช้").fill("head")
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("เข้าสู่ระบบ")).click()

    # A unit, from the staff home.
    page.get_by_role("link", name="กลุ่มงาน").first.click()
    page.get_by_label("ชื่อ").fill("กลุ่มส่งเสริมการศึกษาทางไกล")
    page.get_by_role("button", name="เพิ่ม", exact=True).click()
    assert page.get_by_role("link", name="กลุ่มส่งเสริมการศึกษาทางไกล").is_visible()
    assert Unit.objects.filter(organisation=org, name="กลุ่มส่งเสริมการศึกษาทางไกล").exists()

    # A member with a one-time password, as a viewer.
    page.get_by_role("link", name="สมาชิก").first.click()
    page.get_by_role("link", name="สร้างบัญชีด้วยรหัสผ่านชั่วคราว").click()
    page.get_by_label("ชื่อผู้ใช้").fill("somchai")
    page.get_by_label("อีเมล").fill("somchai@example.go.th")
    page.get_by_label("บทบาท").select_option(Role.VIEWER)
    page.get_by_role("button", name="สร้าง", exact=True).click()
    membership = Membership.objects.get(organisation=org, user__username="somchai")
    assert membership.role == Role.VIEWER

    # Promote to editor.
    page.get_by_role("link", name="สมาชิก").first.click()
    page.get_by_role("link", name=re.compile("somchai")).first.click()
    page.get_by_label("บทบาท").select_option(Role.EDITOR)
    page.get_by_role("button", name="บันทึก", exact=True).click()
    membership.refresh_from_db()
    assert membership.role == Role.EDITOR

    # The change is in the organisation's history: who, and from what to what.
    page.get_by_role("link", name="ประวัติการแก้ไข").first.click()
    history = page.locator("main").inner_text()
    assert "somchai" in history
    assert "head" in history
    assert "ผู้บันทึกข้อมูล" in history  # the new role (editor), as Thai users read it
    assert "ผู้ดูข้อมูล" in history  # and the old one (viewer)
