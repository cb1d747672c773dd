"""Every write of the OIT pages moves the organisation's content version, so the
cached public pages (assessments/public_cache.py) show it at once.

The visitor is a client without a session: every page it reads after the first
is the cached one, rebuilt only when the version moved.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.models import Role
from disclosures import editing, services
from disclosures.review import services as review
from tests.builders import assert_version_moves, content_version, make_user
from tests.disclosures.builders import make_disclosure
from tests.disclosures.review_world import YEAR, give_verdicts, make_world, submit, url
from tests.measures.builders import PDF_BYTES, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def visitor() -> Client:
    return Client()


@pytest.fixture
def editor_client(client, org):
    client.force_login(make_user("editor", org, Role.EDITOR))
    return client


def _staff(name: str, *args) -> str:
    return reverse(f"disclosures_staff:{name}", args=["office", *args])


# --- The services, one by one ----------------------------------------------------------


def test_editing_and_publishing_an_item_move_the_version(org):
    disclosure = make_disclosure(org, "O1")
    assert_version_moves(
        org,
        lambda: services.disclosure_update(
            disclosure=disclosure, explanation="ใหม่", unit=None, due_date=None
        ),
    )
    assert_version_moves(
        org, lambda: services.disclosure_publish(disclosure=disclosure, published=True)
    )
    assert_version_moves(
        org, lambda: services.disclosure_publish(disclosure=disclosure, published=False)
    )
    item = disclosure.item
    assert_version_moves(
        org,
        lambda: editing.disclosure_save(
            organisation=org,
            fiscal_year=2565,
            item=item,
            token=None,
            explanation="แก้จากฟอร์ม",
            unit=None,
            due_date=None,
        ),
    )


def test_every_entry_write_moves_the_version(org):
    disclosure = make_disclosure(org, "O1", links=1)
    assert_version_moves(
        org,
        lambda: services.entry_add_link(
            disclosure=disclosure, url="https://www.example.go.th/x", title="ลิงก์ใหม่"
        ),
    )
    assert_version_moves(
        org,
        lambda: services.entries_add_files(
            disclosure=disclosure, files=[upload("a.pdf", PDF_BYTES)], titles=["เอกสาร"]
        ),
    )
    entry = disclosure.entries.get(title="ลิงก์ใหม่")
    assert_version_moves(org, lambda: services.entry_update(entry=entry, title="ลิงก์แก้", date=None))
    assert_version_moves(
        org, lambda: editing.entry_save(entry=entry, token=None, title="ลิงก์แก้อีก", date=None)
    )
    assert_version_moves(org, lambda: services.entry_move(entry=entry, offset=-1))
    assert_version_moves(org, lambda: services.entry_delete(entry=entry))


def test_copying_a_year_forward_moves_the_version(org):
    make_disclosure(org, "O1", 2564, explanation="ปี 2564", links=1, published=True)
    assert_version_moves(
        org, lambda: services.disclosures_copy_forward(organisation=org, fiscal_year=2564)
    )


def test_a_refused_write_leaves_the_version_alone(org):
    before = content_version(org)
    with pytest.raises(services.DisclosureError):
        services.disclosures_copy_forward(organisation=org, fiscal_year=2564)
    assert content_version(org) == before


def test_the_self_assessment_writes_the_public_sees_move_the_version():
    world = make_world()
    school, admin = world.school, world.users["school_admin"]
    submission = None

    def _submit():
        nonlocal submission
        submission = submit(world)

    assert_version_moves(school, _submit)
    assert_version_moves(
        school,
        lambda: review.summary_publish(submission=submission, published=True, user=admin),
    )
    assert_version_moves(
        school,
        lambda: review.summary_publish(submission=submission, published=False, user=admin),
    )
    assert_version_moves(
        school, lambda: review.submission_withdraw(submission=submission, user=admin)
    )
    _submit()
    give_verdicts(world, submission, failed=())
    assert_version_moves(
        school,
        lambda: review.submission_confirm(
            submission=submission, user=world.users["esa_assessor"], for_parent=True
        ),
    )


# --- The public pages, through the staff workspace ------------------------------------


def test_publishing_and_withdrawing_an_item_shows_on_the_index_and_the_item_page(
    visitor, editor_client, org
):
    make_disclosure(org, "O1", explanation="โครงสร้างสำนักงาน", links=1)
    index, page = "/office/oit/2565/", "/office/oit/2565/O1/"
    assert visitor.get(index).text.count('class="badge pass"') == 0
    assert visitor.get(page).status_code == 404
    # Served from the cache now: only a moved version shows the change.
    assert visitor.get(page).status_code == 404

    editor_client.post(_staff("publish", 2565, "O1"), {"published": "1"})
    assert visitor.get(index).text.count('class="badge pass"') == 1
    response = visitor.get(page)
    assert response.status_code == 200 and "โครงสร้างสำนักงาน" in response.text

    editor_client.post(_staff("publish", 2565, "O1"), {"published": "0"})
    assert visitor.get(index).text.count('class="badge pass"') == 0
    assert visitor.get(page).status_code == 404


def test_a_new_link_shows_on_the_item_page_and_in_the_open_data(visitor, editor_client, org):
    make_disclosure(org, "O9", links=1, published=True)
    page, data = "/office/oit/2565/O9/", "/office/oit/2565.json"
    assert "เพจ Facebook" not in visitor.get(page).text
    assert "เพจ Facebook" not in visitor.get(data).content.decode()

    response = editor_client.post(
        _staff("link", 2565, "O9"),
        {"url": "https://www.facebook.com/office", "title": "เพจ Facebook", "date": ""},
    )
    assert response.status_code == 302
    assert "เพจ Facebook" in visitor.get(page).text
    assert "เพจ Facebook" in visitor.get(data).content.decode()


def test_a_copy_run_rebuilds_next_years_pages_and_its_copy_shows_once_published(
    visitor, editor_client, org
):
    make_disclosure(org, "O1", 2564, explanation="โครงสร้างปี 2564", links=1, published=True)
    index = "/office/oit/2565/"
    before = visitor.get(index)["ETag"]
    assert visitor.get(index)["ETag"] == before  # the same page, from the cache

    assert editor_client.post(_staff("copy", 2564)).status_code == 302
    assert visitor.get(index)["ETag"] != before
    # A copy is a draft: not public until staff check it and publish it.
    assert visitor.get("/office/oit/2565/O1/").status_code == 404
    editor_client.post(_staff("publish", 2565, "O1"), {"published": "1"})
    assert "โครงสร้างปี 2564" in visitor.get("/office/oit/2565/O1/").text


def test_the_self_assessment_summary_shows_when_published_and_goes_when_withdrawn(visitor):
    world = make_world()
    submission = submit(world)
    give_verdicts(world, submission, failed=("W2",))
    admin = Client()
    admin.force_login(world.users["school_admin"])
    public = f"/school/oit/{YEAR}/self-assessment/"
    assert visitor.get(public).status_code == 404

    admin.post(url("self-assessment-publish", world), {"published": "1"})
    assert visitor.get(public).status_code == 200
    assert visitor.get(public).status_code == 200  # cached

    # Confirmed: the final score appears on the published summary (83.33, review_world).
    assert "83.33" not in visitor.get(public).text
    review.clarification_deadline_set(
        submission=submission, deadline=timezone.localdate(), user=world.users["esa_assessor"]
    )
    review.submission_confirm(
        submission=submission,
        user=world.users["esa_assessor"],
        for_parent=True,
        today=timezone.localdate() + dt.timedelta(days=1),
    )
    assert "83.33" in visitor.get(public).text

    admin.post(url("self-assessment-publish", world), {"published": "0"})
    assert visitor.get(public).status_code == 404
