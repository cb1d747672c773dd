"""Issue 16, "done when": with the shared cache on, a rename, a publication, a new
result and a framework edit are on the public pages as soon as they are saved
(the bound the README states for changes made through the portal), and with
the cache down the pages are still served.

The public visitor is a client without a session, so every page it reads is
the cached one (assessments/public_cache.py); Redis is the real one CI runs.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
import redis
from django.test import Client
from django.urls import reverse

from assessments.models import Item, Role
from assessments.services import assessment_get_or_create, assessment_update
from disclosures.services import disclosure_publish
from ita_portal import cache as shared_cache
from tests.builders import make_org, make_user
from tests.disclosures.builders import make_disclosure

pytestmark = pytest.mark.django_db

UP = "redis://127.0.0.1:6379/13"
DOWN = "redis://127.0.0.1:1/0"


@pytest.fixture(params=["redis", "down"])
def cache_state(request, settings, monkeypatch):
    monkeypatch.setattr(shared_cache, "_outages", {})
    if request.param == "redis":
        server = redis.Redis.from_url(UP)
        server.flushdb()  # fails the test if Redis is not running: CI has it
        settings.CACHES = {**settings.CACHES, "default": shared_cache.shared_cache_config(UP)}
        yield request.param
        server.flushdb()
    else:
        settings.CACHES = {**settings.CACHES, "default": shared_cache.shared_cache_config(DOWN)}
        settings.PUBLIC_PROCESS_CACHE_ENTRIES = 0
        yield request.param


@pytest.fixture
def public():
    return Client()


def _page(public: Client, address: str) -> str:
    response = public.get(address)
    assert response.status_code in (200, 404)
    return response.content.decode()


def test_a_rename_shows_at_once(cache_state, public, client, org):
    make_disclosure(org, "O1", explanation="โครงสร้าง", links=1, published=True)
    make_org("second")  # the organisation list lists (one organisation would redirect)
    pages = ["/office/", "/office/oit/2565/", "/office/oit/2565/O1/", "/"]
    for address in pages:
        assert "สำนักงานชื่อใหม่" not in _page(public, address)
    client.force_login(make_user("admin", org, Role.ADMINISTRATOR))
    url = reverse("assessments_staff:organisation", args=["office"])
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields if name != "logo"}
    data["name_th"] = "สำนักงานชื่อใหม่"
    assert client.post(url, data).status_code == 302
    for address in pages:
        assert "สำนักงานชื่อใหม่" in _page(public, address), address


def test_a_publication_shows_at_once(cache_state, public, org):
    disclosure = make_disclosure(org, "O2", explanation="คำอธิบายที่เพิ่งเผยแพร่", links=1)
    assert "คำอธิบายที่เพิ่งเผยแพร่" not in _page(public, "/office/oit/2565/O2/")
    index = _page(public, "/office/oit/2565/")
    disclosure_publish(disclosure=disclosure, published=True)
    assert "คำอธิบายที่เพิ่งเผยแพร่" in _page(public, "/office/oit/2565/O2/")
    assert _page(public, "/office/oit/2565/") != index
    disclosure_publish(disclosure=disclosure, published=False)
    assert "คำอธิบายที่เพิ่งเผยแพร่" not in _page(public, "/office/oit/2565/O2/")


def test_a_new_result_shows_at_once(cache_state, public, org):
    assert "91.23" not in _page(public, "/office/")
    assessment = assessment_get_or_create(organisation=org, fiscal_year=2565)
    assessment_update(
        assessment=assessment,
        scores={1: Decimal("90.00")},
        official_total=Decimal("91.23"),
        rank=None,
        ranked_out_of=None,
        notes="",
    )
    assert "91.23" in _page(public, "/office/")
    assert "91.23" in _page(public, "/office/ita/2565/")


def test_a_framework_edit_shows_at_once(cache_state, public, org, admin_client):
    item = Item.objects.get(edition__code="ita-2564-2565", code="O3")
    assert "ชื่อรายการที่ผู้ดูแลแก้" not in _page(public, "/office/oit/2565/")
    url = reverse("admin:assessments_item_change", args=[item.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("on" if v is True else v) for k, v in data.items() if v not in (None, False)}
    data["title_th"] = "ชื่อรายการที่ผู้ดูแลแก้"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert "ชื่อรายการที่ผู้ดูแลแก้" in _page(public, "/office/oit/2565/")
    assert "ชื่อรายการที่ผู้ดูแลแก้" in _page(public, "/office/oit/2565/O3/")
