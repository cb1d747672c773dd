"""The two tiers of the public page cache: this process's memory, then the shared cache."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from disclosures.services import disclosure_update

from .builders import make_disclosure

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared_cache(settings, tmp_path):
    """A cache outside this process's memory (files here, Redis in production)."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "shared-cache"),
        },
    }
    yield caches["default"]
    for alias in settings.CACHES:
        caches[alias].clear()


def _another_process() -> None:
    # A second gunicorn worker starts with empty memory but sees the shared cache.
    from disclosures.pagecache import _generation_memo

    caches["oit-pages"].clear()
    caches["oit-stamps"].clear()
    _generation_memo.clear()


def test_a_page_rendered_by_one_process_is_served_to_another_from_the_shared_cache(
    client, org, settings, shared_cache, django_assert_num_queries
):
    settings.OIT_STAMP_SECONDS = 5
    make_disclosure(org, "O1", explanation="ข้อมูลที่เผยแพร่", links=1, published=True)
    first = client.get("/office/oit/2565/O1/")
    assert "ข้อมูลที่เผยแพร่" in first.content.decode()

    _another_process()
    # Only the stamp is read (from the database); the page comes from the shared cache …
    with django_assert_num_queries(1):
        assert client.get("/office/oit/2565/O1/").content == first.content
    # … and is now in this process too: it is served without the shared cache.
    shared_cache.clear()
    with django_assert_num_queries(0):
        assert client.get("/office/oit/2565/O1/").content == first.content


def test_a_change_reaches_every_tier(client, org, settings, shared_cache):
    disclosure = make_disclosure(org, "O1", explanation="ฉบับแรก", links=1, published=True)
    assert "ฉบับแรก" in client.get("/office/oit/2565/O1/").content.decode()
    disclosure_update(disclosure=disclosure, explanation="ฉบับแก้ไข", unit=None, due_date=None)
    # The stamp moved, so neither this process's copy nor the shared one is used.
    assert "ฉบับแก้ไข" in client.get("/office/oit/2565/O1/").content.decode()
    _another_process()
    assert "ฉบับแก้ไข" in client.get("/office/oit/2565/O1/").content.decode()


def test_the_process_tier_keeps_a_bounded_number_of_pages(
    client, org, settings, shared_cache, django_assert_num_queries
):
    settings.CACHES = {
        **settings.CACHES,
        "oit-pages": {**settings.CACHES["oit-pages"], "OPTIONS": {"MAX_ENTRIES": 4}},
    }
    settings.OIT_STAMP_SECONDS = 5
    for code in ("O1", "O2", "O3", "O4", "O5", "O6"):
        make_disclosure(org, code, links=1, published=True)
        client.get(f"/office/oit/2565/{code}/")
    pages = caches["oit-pages"]
    assert len(pages._cache) <= 4
    shared_cache.clear()
    # The most recent page is still in memory; the oldest was dropped and is rendered again.
    with django_assert_num_queries(0):
        client.get("/office/oit/2565/O6/")
    with CaptureQueriesContext(connection) as rendered:
        client.get("/office/oit/2565/O1/")
    assert len(rendered) > 0


def test_without_a_process_tier_the_shared_cache_alone_serves(
    client, org, settings, shared_cache, django_assert_num_queries
):
    settings.OIT_PROCESS_CACHE_ENTRIES = 0
    settings.OIT_STAMP_SECONDS = 5
    make_disclosure(org, "O1", links=1, published=True)
    first = client.get("/office/oit/2565/O1/")
    assert len(caches["oit-pages"]._cache) == 0
    with django_assert_num_queries(0):
        assert client.get("/office/oit/2565/O1/").content == first.content


def test_a_change_shows_everywhere_within_the_stamp_seconds(client, org, settings, shared_cache):
    import time_machine

    settings.OIT_STAMP_SECONDS = 5
    disclosure = make_disclosure(org, "O1", explanation="ฉบับแรก", links=1, published=True)
    with time_machine.travel("2026-01-05 10:00:00 +0700", tick=False) as clock:
        assert "ฉบับแรก" in client.get("/office/oit/2565/O1/").content.decode()
        disclosure_update(disclosure=disclosure, explanation="ฉบับแก้ไข", unit=None, due_date=None)
        clock.shift(6)
        assert "ฉบับแก้ไข" in client.get("/office/oit/2565/O1/").content.decode()
        _another_process()
        assert "ฉบับแก้ไข" in client.get("/office/oit/2565/O1/").content.decode()


def test_a_page_built_from_the_measures_follows_any_change(
    client, org, settings, shared_cache, django_assert_num_queries
):
    from tests.measures.builders import make_measure

    settings.OIT_STAMP_SECONDS = 5
    make_disclosure(org, "O42", published=True)
    measure = make_measure(org, 2565, title="มาตรการเดิม", indicators=())
    assert "มาตรการเดิม" in client.get("/office/oit/2565/O42/").content.decode()
    with django_assert_num_queries(0):
        client.get("/office/oit/2565/O42/")
    # A change in the measures does not move the disclosures' stamp, but it moves
    # the shared change counter: the page is built again, here and in other processes.
    measure.title = "มาตรการใหม่"
    measure.save()
    assert "มาตรการใหม่" in client.get("/office/oit/2565/O42/").content.decode()
    measure.title = "มาตรการล่าสุด"
    measure.save()
    _another_process()
    assert "มาตรการล่าสุด" in client.get("/office/oit/2565/O42/").content.decode()


def test_without_a_shared_cache_a_page_built_from_the_measures_is_kept_the_stamp_seconds(
    client, org, settings
):
    import time_machine

    from tests.measures.builders import make_measure

    settings.OIT_STAMP_SECONDS = 5
    make_disclosure(org, "O42", published=True)
    measure = make_measure(org, 2565, title="มาตรการเดิม", indicators=())
    with time_machine.travel("2026-01-05 10:00:00 +0700", tick=False) as clock:
        assert "มาตรการเดิม" in client.get("/office/oit/2565/O42/").content.decode()
        measure.title = "มาตรการใหม่"
        measure.save()
        assert "มาตรการเดิม" in client.get("/office/oit/2565/O42/").content.decode()
        clock.shift(6)
        assert "มาตรการใหม่" in client.get("/office/oit/2565/O42/").content.decode()


def test_with_a_shared_cache_a_quiet_portal_reads_no_stamp_again(
    client, org, settings, shared_cache, django_assert_num_queries
):
    import time_machine

    settings.OIT_STAMP_SECONDS = 5
    make_disclosure(org, "O1", explanation="ฉบับแรก", links=1, published=True)
    # A shared cache just started (or flushed): no counter in it yet.
    shared_cache.clear()
    _another_process()
    with time_machine.travel("2026-01-05 10:00:00 +0700", tick=False) as clock:
        client.get("/office/oit/2565/O1/")
        clock.shift(60)  # far beyond OIT_STAMP_SECONDS: nothing changed anywhere
        with django_assert_num_queries(0):
            client.get("/office/oit/2565/O1/")
        # Another process changes something (here: by hand, outside Django's signals) …
        from disclosures.models import Disclosure
        from disclosures.pagecache import GENERATION_KEY

        Disclosure.objects.filter(organisation=org).update(
            explanation="ฉบับแก้ไข", updated_at=dt.datetime(2026, 1, 5, 3, 1, tzinfo=dt.UTC)
        )
        shared_cache.incr(GENERATION_KEY)
        # … this process notices within a second.
        clock.shift(2)
        assert "ฉบับแก้ไข" in client.get("/office/oit/2565/O1/").content.decode()
