"""The one public page cache (assessments/public_cache.py; issue 16, point 2).

Pages are stored under the organisation's content version: a change made
through the portal shows at once, in every process; a change made behind
the portal's back (SQL by hand) shows within PUBLIC_PAGE_SECONDS; with the
cache down, pages are still served, live.
"""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest
import redis
import time_machine
from django.core.cache import caches
from django.test import Client
from django.utils import timezone

from assessments.models import Organisation
from assessments.public_cache import content_changed, content_changed_everywhere
from assessments.surveys.services import round_create
from ita_portal import cache as shared_cache
from tests.builders import make_org

pytestmark = pytest.mark.django_db

UP = "redis://127.0.0.1:6379/14"
DOWN = "redis://127.0.0.1:1/0"


def _rename(org: Organisation, name: str) -> None:
    # Behind the portal's back: no service, so no new version.
    Organisation.objects.filter(pk=org.pk).update(name_th=name)


def test_a_stored_page_costs_one_query_and_revalidates_with_its_etag(
    client, org, django_assert_num_queries
):
    first = client.get("/office/")
    assert first.status_code == 200
    assert first["Cache-Control"] == "public, no-cache"
    with django_assert_num_queries(1):  # the organisation's version, nothing else
        second = client.get("/office/")
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    with django_assert_num_queries(1):
        again = client.get("/office/", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304


def test_a_change_through_the_portal_shows_at_once(client, org):
    assert "สำนักงานเดิม" not in client.get("/office/").content.decode()
    _rename(org, "สำนักงานเดิม")
    # Not yet: nothing said the content changed (this proves the page came from the cache).
    assert "สำนักงานเดิม" not in client.get("/office/").content.decode()
    content_changed(org)
    assert "สำนักงานเดิม" in client.get("/office/").content.decode()


def test_a_change_made_by_hand_shows_within_the_stated_bound(client, org, settings):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client.get("/office/")
        _rename(org, "แก้ด้วย SQL")
        clock.shift(settings.PUBLIC_PAGE_SECONDS - 5)
        assert "แก้ด้วย SQL" not in client.get("/office/").content.decode()
        clock.shift(10)
        assert "แก้ด้วย SQL" in client.get("/office/").content.decode()


def test_a_visitor_with_a_session_gets_the_live_page(client, org, admin_user):
    client.get("/office/")
    _rename(org, "ชื่อใหม่")
    client.force_login(admin_user)
    response = client.get("/office/")
    assert "ชื่อใหม่" in response.content.decode()
    assert "ETag" not in response


def test_an_address_with_a_query_string_is_never_stored(client, org):
    client.get("/office/oit/2565/?q=x")
    assert not any(caches["public-pages"]._cache)


def test_a_parent_and_its_children_move_with_an_organisation(org):
    school = make_org("school-1", parent=org)
    other = make_org("other")
    versions = {o.pk: o.content_version for o in (org, school, other)}
    content_changed(school)
    moved = dict(Organisation.objects.values_list("pk", "content_version"))
    assert moved[school.pk] == versions[school.pk] + 1
    assert moved[org.pk] == versions[org.pk] + 1  # the ESA lists its schools
    assert moved[other.pk] == versions[other.pk]
    content_changed(org)
    moved = dict(Organisation.objects.values_list("pk", "content_version"))
    assert moved[school.pk] == versions[school.pk] + 2  # a school shows its ESA
    content_changed_everywhere()
    assert Organisation.objects.get(pk=other.pk).content_version == versions[other.pk] + 1


def test_a_rolled_back_change_leaves_the_version(org):
    from django.db import transaction

    before = org.content_version
    with pytest.raises(RuntimeError), transaction.atomic():
        content_changed(org)
        raise RuntimeError
    org.refresh_from_db()
    assert org.content_version == before


def test_the_organisation_list_moves_with_any_organisation(client, org):
    make_org("second")
    assert "หน่วยงานที่สาม" not in client.get("/").content.decode()
    third = make_org("third")
    Organisation.objects.filter(pk=third.pk).update(name_th="หน่วยงานที่สาม")
    content_changed(third)
    assert "หน่วยงานที่สาม" in client.get("/").content.decode()
    # A rename of one already listed (no new organisation): the list moves with it.
    Organisation.objects.filter(pk=third.pk).update(name_th="หน่วยงานที่สี่")
    assert "หน่วยงานที่สาม" in client.get("/").content.decode()  # by hand: not seen yet
    content_changed(third)
    assert "หน่วยงานที่สี่" in client.get("/").content.decode()


def test_the_site_version_is_read_by_key_whatever_the_number_of_organisations(
    org, django_assert_num_queries
):
    from assessments.public_cache import site_version

    first = site_version()
    for n in range(20):
        make_org(f"more{n}")
    with django_assert_num_queries(1):
        added = site_version()
    assert added != first  # a new organisation, even one made without a service
    content_changed(org)
    assert site_version() != added
    # The tables flushed (a transactional test, a restore): the row is made again.
    from assessments.models import SiteVersion

    SiteVersion.objects.all().delete()
    content_changed(org)
    assert SiteVersion.objects.get().value == 1


@pytest.fixture
def shared(settings, monkeypatch):
    """The real Redis as the shared cache, behind each process's memory."""
    monkeypatch.setattr(shared_cache, "_outages", {})
    server = redis.Redis.from_url(UP)
    server.flushdb()
    settings.CACHES = {**settings.CACHES, "default": shared_cache.shared_cache_config(UP)}
    yield server
    server.flushdb()


def test_with_redis_a_page_is_shared_between_processes(
    client, org, shared, django_assert_num_queries
):
    client.get("/office/")
    assert shared.dbsize() >= 1
    caches["public-pages"].clear()  # another gunicorn worker: nothing in its memory
    with django_assert_num_queries(1):
        assert client.get("/office/").status_code == 200
    _rename(org, "ชื่อใหม่ผ่านบริการ")
    content_changed(org)
    assert "ชื่อใหม่ผ่านบริการ" in client.get("/office/").content.decode()


def test_with_the_cache_down_pages_are_served_live(client, org, settings, monkeypatch):
    monkeypatch.setattr(shared_cache, "_outages", {})
    settings.CACHES = {**settings.CACHES, "default": shared_cache.shared_cache_config(DOWN)}
    settings.PUBLIC_PROCESS_CACHE_ENTRIES = 0
    assert client.get("/office/").status_code == 200
    _rename(org, "ชื่อระหว่างแคชล่ม")
    response = client.get("/office/")
    assert response.status_code == 200
    assert "ชื่อระหว่างแคชล่ม" in response.content.decode()


def _token(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]+)"', html)
    assert found, name
    return found.group(1)


def test_a_cached_survey_form_gives_each_visitor_their_own_tokens(
    org, django_assert_max_num_queries
):
    today = timezone.localdate()
    survey_round = round_create(
        organisation=org,
        fiscal_year=2569,
        instrument_code="IIT",
        opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=30),
    )
    address = f"/s/{survey_round.code}/"
    pages = []
    for number in range(2):
        visitor = Client(enforce_csrf_checks=True)
        with django_assert_max_num_queries(1 if number else 50):  # the second: the round only
            response = visitor.get(address)
        html = response.content.decode()
        assert "__public-cache" not in html
        pages.append((visitor, _token(html, "csrfmiddlewaretoken"), _token(html, "once")))
    assert pages[0][1] != pages[1][1]
    assert pages[0][2] != pages[1][2]
    # The second visitor's page came from the cache, and its token passes the CSRF check.
    visitor, csrf, once = pages[1]
    response = visitor.post(address, {"csrfmiddlewaretoken": csrf, "once": once})
    assert response.status_code != 403


def test_saving_an_instance_loaded_before_a_change_keeps_the_new_version(org):
    stale = Organisation.objects.get(pk=org.pk)
    content_changed(org)
    moved = Organisation.objects.get(pk=org.pk).content_version
    stale.phone = "043-000000"
    stale.save()
    fresh = Organisation.objects.get(pk=org.pk)
    assert fresh.content_version == moved
    assert fresh.phone == "043-000000"


@pytest.mark.django_db(transaction=True)
def test_a_dropped_database_connection_is_opened_again(monkeypatch):
    """The page's own query is the kept connection's health check (fetch_one)."""
    from django.db import OperationalError, connection

    from assessments.public_cache import organisation_version

    org = make_org("office")
    calls = []
    real_cursor = connection.cursor

    def dropped_once():
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real_cursor()

    monkeypatch.setattr(connection, "cursor", dropped_once)
    assert organisation_version("office") == f"{org.pk}.{org.content_version}"
    assert len(calls) == 2


def test_the_only_organisations_redirect_is_stored(client, org, django_assert_num_queries):
    assert client.get("/").status_code == 302
    with django_assert_num_queries(1):  # the site's version
        response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/office/"


def test_a_stored_page_is_served_before_the_middleware_it_does_not_need(
    client, org, django_assert_num_queries
):
    first = client.get("/office/")
    assert hasattr(first.wsgi_request, "user")  # built by the view, through the whole stack
    with django_assert_num_queries(1):
        stored = client.get("/office/")
    # Answered by PublicFastPathMiddleware: authentication never ran, the headers
    # every response carries are there.
    assert not hasattr(stored.wsgi_request, "user")
    assert stored.content == first.content
    assert stored["X-Frame-Options"] == "DENY"
    assert "Content-Security-Policy" in stored
    assert stored["Content-Language"] == "th"


def test_a_stored_page_with_a_form_gets_the_visitors_csrf_cookie_and_is_not_kept(org):
    today = timezone.localdate()
    survey_round = round_create(
        organisation=org,
        fiscal_year=2569,
        instrument_code="IIT",
        opens_on=today,
        closes_on=today + dt.timedelta(days=3),
    )
    for _ in range(2):
        response = Client().get(f"/s/{survey_round.code}/")
        assert response.cookies["csrftoken"].value
        assert "no-store" in response["Cache-Control"] and "ETag" not in response
    # The second came from the fast path (before the authentication middleware).
    assert not hasattr(response.wsgi_request, "user")


def test_the_visitors_csrf_token_is_djangos_own_kind():
    from django.middleware.csrf import CSRF_ALLOWED_CHARS, _unmask_cipher_token
    from django.test import RequestFactory

    from assessments.public_cache import csrf_token_for

    returning = RequestFactory().get("/")
    returning.META["CSRF_COOKIE"] = "a" * 16 + "Z9" * 8
    tokens = {csrf_token_for(returning) for _ in range(50)}
    assert len(tokens) == 50  # masked afresh each time
    for token in tokens:
        assert len(token) == 64 and set(token) <= set(CSRF_ALLOWED_CHARS)
        assert _unmask_cipher_token(token) == "a" * 16 + "Z9" * 8
    first_time = RequestFactory().get("/")
    token = csrf_token_for(first_time)
    secret = first_time.META["CSRF_COOKIE"]
    assert first_time.META["CSRF_COOKIE_NEEDS_UPDATE"] is True
    assert len(secret) == 32 and set(secret) <= set(CSRF_ALLOWED_CHARS)
    assert _unmask_cipher_token(token) == secret


def test_a_new_release_does_not_serve_its_predecessors_pages(settings):
    from pathlib import Path

    from assessments.public_cache import code_version

    template = Path(settings.BASE_DIR) / "templates" / "assessments" / "index.html"
    before = template.stat()
    code_version.cache_clear()
    try:
        released = code_version()
        os.utime(template, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000_000))
        code_version.cache_clear()
        assert code_version() != released  # a template changed: every page key changes
    finally:
        os.utime(template, ns=(before.st_atime_ns, before.st_mtime_ns))
        code_version.cache_clear()
    assert code_version() == released


def test_the_open_links_round_is_remembered_until_its_organisation_changes(
    org, django_assert_num_queries
):
    from assessments.surveys.rounds import round_update

    today = timezone.localdate()
    survey_round = round_create(
        organisation=org,
        fiscal_year=2569,
        instrument_code="EIT",
        opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=30),
    )
    address = f"/s/{survey_round.code}/"
    assert Client().get(address).status_code == 200
    with django_assert_num_queries(1):  # the organisation's version, by key
        assert Client().get(address).status_code == 200
    # Closed through the service: the remembered row is not used again.
    round_update(
        survey_round=survey_round,
        opens_on=today - dt.timedelta(days=10),
        closes_on=today - dt.timedelta(days=1),
        population=None,
        uses_codes=False,
    )
    closed = Client().get(address)
    assert closed.status_code == 200
    assert 'name="csrfmiddlewaretoken"' not in closed.content.decode()  # no form: closed
