"""Shared steps of the role journeys (test_*_journey_axe.py): log in, and look at a page
as axe-core does after every step."""

from __future__ import annotations

import re

from tests.builders import PASSWORD

from .axe import assert_accessible


def checked(page) -> None:
    """The page has loaded and has no WCAG 2.1 A/AA violation."""
    page.wait_for_load_state("load")
    assert_accessible(page)


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/staff/login/")
    checked(page)
    page.get_by_label("ชื่อผู้ใช้").fill(username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("เข้าสู่ระบบ")).click()
    page.wait_for_url(lambda url: "/login/" not in url)
    checked(page)


def click_href(page, href: str) -> None:
    """Follow the first visible link to ``href``, as a visitor clicks it (the link must be there)."""
    page.locator(f'a[href="{href}"]:visible').first.click()
    page.wait_for_url(re.compile(re.escape(href) + r"(\?.*|#.*)?$"))
    checked(page)
