"""A real browser (Debian's Chromium driven by Playwright) against the live test server.

Playwright cannot download its own browser here, so it launches the system
Chromium (`make test` installs it). Playwright's synchronous API runs an
event loop in the test's thread while it is started; the Django code the
test itself calls is synchronous, so Django's async-safety guard is told so
for that time only. The browser is started and stopped within each test, so
no loop outlives it (the database flush after the test runs without one).

pytest-playwright is installed and told to launch the same Chromium
(``browser_type_launch_args``), but its ``browser`` fixture is not used:
it lives for the whole session, and its event loop would then be running
while every later test on the same worker touches the database (Django
refuses, or would have to be told to stop checking for all of them).
"""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def live_server(django_db_setup, django_db_blocker, live_server):
    """The live server, and at the end of the run no connection of its request
    threads left open: PostgreSQL refuses to drop a test database still in use."""
    yield live_server
    from django.db import connection

    if connection.vendor == "postgresql":
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
# Journeys run at both: @pytest.mark.parametrize("viewport", VIEWPORTS, ids=VIEWPORT_IDS).
VIEWPORTS = [DESKTOP, PHONE]
VIEWPORT_IDS = ["desktop", "phone"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright's launch: Debian's Chromium, as ours."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": ARGS}


@pytest.fixture
def viewport() -> dict:
    return DESKTOP


@pytest.fixture
def page(live_server, settings, monkeypatch, viewport):
    from playwright.sync_api import sync_playwright

    assert shutil.which(CHROMIUM), f"{CHROMIUM} is missing: apt-get install chromium"
    # The live server speaks plain HTTP: secure-only cookies would never come back.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        phone = viewport["width"] < 600
        context = browser.new_context(
            viewport=viewport, is_mobile=phone, has_touch=phone, locale="th-TH"
        )
        yield context.new_page()
        context.close()
        browser.close()
