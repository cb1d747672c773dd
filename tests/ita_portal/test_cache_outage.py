"""With the shared cache (Redis) down, the public pages, complaint filing and tracking
still work, the outage is logged once, and the complaint limits keep counting
(issue 11, point 5). With Redis up, the same backend is an ordinary cache.

These tests use a real Redis client: against a closed port (connection refused)
and against the Redis at 127.0.0.1:6379, database 15, which CI runs.
"""

from __future__ import annotations

import logging
import socket

import pytest
import redis
from django.core.cache import caches
from django.urls import reverse

from complaints.models import Complaint
from ita_portal import cache as shared_cache
from tests.complaints.builders import IDENTITY
from tests.disclosures.builders import make_disclosure

DOWN = "redis://127.0.0.1:1/0"
UP = "redis://127.0.0.1:6379/15"
TRACK = "/complaints/track/"


@pytest.fixture
def fresh_outages(monkeypatch):
    # Outages are remembered per process; each test starts with none noticed yet.
    monkeypatch.setattr(shared_cache, "_outages", {})


def _use(settings, url: str) -> None:
    settings.CACHES = {**settings.CACHES, "default": shared_cache.shared_cache_config(url)}


@pytest.fixture
def redis_down(settings, fresh_outages):
    _use(settings, DOWN)


@pytest.fixture
def redis_up(settings, fresh_outages):
    server = redis.Redis.from_url(UP)
    server.flushdb()  # fails the test if Redis is not running: CI has it
    _use(settings, UP)
    yield server
    server.flushdb()


def _outage_lines(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "ita_portal.cache" and "unreachable" in r.msg]


def _file(client, org):
    form = {
        "category": "corruption",
        "accused": "งานการเงิน",
        "facts": "เรียกรับเงินค่าเร่งรัดการเบิกจ่าย",
        "consent": "on",
        "complainant_name": IDENTITY["complainant_name"],
        "complainant_phone": IDENTITY["complainant_phone"],
    }
    return client.post(reverse("complaints:new", args=[org.slug]), form)


def test_the_settings_give_a_redis_url_the_fail_open_backend():
    config = shared_cache.shared_cache_config("redis://:secret@cache.internal:6379/1")
    assert config["BACKEND"] == "ita_portal.cache.FailOpenRedisCache"
    assert config["OPTIONS"]["socket_connect_timeout"] == 0.25
    assert shared_cache.shared_cache_config("locmemcache://")["BACKEND"].endswith("LocMemCache")


def test_public_oit_pages_are_served_and_the_outage_is_logged_once(client, org, redis_down, caplog):
    make_disclosure(org, "O1", 2565, explanation="โครงสร้างหน่วยงาน", published=True)
    caplog.set_level(logging.INFO)
    for _ in range(3):
        index = client.get("/office/oit/2565/")
        assert index.status_code == 200
        page = client.get("/office/oit/2565/O1/")
        assert page.status_code == 200
        assert "โครงสร้างหน่วยงาน" in page.content.decode()
    lines = _outage_lines(caplog)
    assert len(lines) == 1 and lines[0].levelno == logging.ERROR
    assert "127.0.0.1:1" in lines[0].getMessage()


def test_a_complaint_is_filed_and_tracked_with_the_cache_down(client, org, redis_down, caplog):
    caplog.set_level(logging.INFO)
    filed = _file(client, org)
    assert filed.status_code == 302
    shown = client.get(filed["Location"]).context["filed"]
    assert shown["code"] and shown["pin"]

    opened = client.post(TRACK, {"action": "lookup", "code": shown["code"], "pin": shown["pin"]})
    assert opened.status_code == 302
    case = client.get(TRACK)
    assert case.status_code == 200 and "reply_form" in case.context
    assert client.post(TRACK, {"action": "reply", "text": "เพิ่มเติม"}).status_code == 302
    assert _outage_lines(caplog)


def test_the_limits_keep_counting_while_the_cache_is_down(client, org, redis_down, settings):
    settings.COMPLAINT_FILE_RATE = "2/h"
    assert _file(client, org).status_code == 302
    assert _file(client, org).status_code == 302
    assert _file(client, org).status_code == 429
    assert Complaint.objects.count() == 2


def test_a_dead_cache_reads_as_a_miss(redis_down):
    cache = caches["default"]
    assert cache.get("anything", "default") == "default"
    assert cache.add("key", 1) is False
    assert cache.get_or_set("key", lambda: "computed") == "computed"
    cache.set("key", 1)
    assert cache.delete("key") is False
    with pytest.raises(ValueError):
        cache.incr("key")


def test_with_redis_up_the_backend_is_an_ordinary_shared_cache(redis_up, caplog):
    cache = caches["default"]
    assert isinstance(cache, shared_cache.FailOpenRedisCache)
    cache.set("greeting", "สวัสดี", 30)
    assert cache.get("greeting") == "สวัสดี"
    assert cache.add("greeting", "other") is False
    assert cache.add("counter", 1) is True
    assert cache.incr("counter") == 2
    assert cache.delete("greeting") is True
    assert cache.get("greeting") is None
    assert redis_up.dbsize() == 1  # the counter, stored in Redis itself
    assert not _outage_lines(caplog)


def test_with_redis_up_the_limits_count_in_redis(client, org, redis_up, settings):
    settings.COMPLAINT_FILE_RATE = "1/h"
    assert _file(client, org).status_code == 302
    assert _file(client, org).status_code == 429
    assert any(b"rl:" in key for key in redis_up.keys("*"))


def test_a_redis_that_never_answers_is_given_up_on(client, org, settings, fresh_outages, caplog):
    """A host that accepts the connection and then says nothing (overloaded, half dead)
    costs one short socket timeout, then the cache rests; the page is served."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # connections are queued and never read from
        _use(settings, f"redis://127.0.0.1:{silent.getsockname()[1]}/0")
        caplog.set_level(logging.INFO)
        make_disclosure(org, "O1", 2565, explanation="โครงสร้างหน่วยงาน", published=True)
        assert client.get("/office/oit/2565/O1/").status_code == 200
    lines = _outage_lines(caplog)
    assert len(lines) == 1 and "Timeout" in lines[0].getMessage()
