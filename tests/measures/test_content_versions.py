"""Every write of the measures, their follow-ups, evidence, announcements and
documents moves the organisation's content version, so the cached public pages
(assessments/public_cache.py) show it at once: the generated OIT items (O42
measures, O43 results) and the documents' web pages.

The visitor is a client without a session: every page it reads after the first
is the cached one, rebuilt only when the version moved.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from assessments.models import Item, ItemResult, Role
from measures import editing, services
from measures.analysis_text import analysis_text_save
from measures.forms import EvidenceFormSet
from measures.imports import follow_ups_import, measures_import
from measures.models import Announcement, DocumentKind, MeasureStatus, Round
from measures.oit_planning import measures_plan_from_oit_items
from measures.steps import measure_steps_set
from tests.builders import (
    REFERENCE_003,
    assert_version_moves,
    content_version,
    make_assessment,
    make_user,
    post_edit,
)
from tests.disclosures.builders import make_disclosure
from tests.measures.builders import PDF_BYTES, make_follow_up, make_measure, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def visitor() -> Client:
    return Client()


@pytest.fixture
def editor_client(client, org):
    client.force_login(make_user("editor", org, Role.EDITOR))
    return client


@pytest.fixture
def analysed(org):
    """2565's result (indicators to develop) and a failed OIT item: the plans for 2566."""
    assessment = make_assessment(org, 2565, REFERENCE_003)
    ItemResult.objects.create(
        assessment=assessment,
        item=Item.objects.get(edition__code="ita-2564-2565", code="O2"),
        passed=False,
        improvement="ปรับปรุงข้อมูลให้เป็นปัจจุบัน",
    )
    return assessment


def _staff(name: str, *args) -> str:
    return reverse(f"measures_staff:{name}", args=["office", *args])


# --- The services, one by one ----------------------------------------------------------


def test_every_measure_write_moves_the_version(org):
    measure = None

    def _create():
        nonlocal measure
        measure = services.measure_create(organisation=org, fiscal_year=2565, title="มาตรการ")

    assert_version_moves(org, _create)
    assert_version_moves(
        org, lambda: services.measure_update(measure=measure, token=None, title="มาตรการใหม่")
    )
    assert_version_moves(org, lambda: measure_steps_set(measure=measure, steps=["ขั้นที่หนึ่ง"]))
    second = make_measure(org, 2565)
    assert_version_moves(org, lambda: services.measure_move(measure=second, offset=-1))
    assert_version_moves(org, lambda: services.measure_delete(measure=measure))
    assert_version_moves(
        org, lambda: services.measures_copy_to_next_year(organisation=org, fiscal_year=2565)
    )


def test_planning_from_the_analysis_and_the_oit_items_moves_the_version(org, analysed):
    assert_version_moves(
        org, lambda: services.measures_plan_from_analysis(organisation=org, fiscal_year=2566)
    )
    assert_version_moves(
        org, lambda: measures_plan_from_oit_items(organisation=org, fiscal_year=2566)
    )


def test_analysis_texts_move_the_version_only_when_one_changed(org, analysed):
    def save(texts):
        return analysis_text_save(organisation=org, fiscal_year=2566, texts=texts, token=None)

    assert_version_moves(org, lambda: save({"overall": "ข้อความของสำนักงาน"}))
    before = content_version(org)
    save({"overall": "ข้อความของสำนักงาน"})  # the same text again: nothing changed
    assert content_version(org) == before
    assert_version_moves(org, lambda: save({"overall": None}))  # back to the draft


def test_follow_ups_and_their_evidence_move_the_version(org):
    measure = make_measure(org, 2565)
    follow_up = None

    def _create():
        nonlocal follow_up
        follow_up = editing.follow_up_create(
            measure=measure, round=Round.SIX_MONTHS, summary="ครึ่งปี"
        )

    assert_version_moves(org, _create)
    assert_version_moves(
        org,
        lambda: editing.follow_up_update(follow_up=follow_up, token=None, summary="ครึ่งปีแก้"),
    )
    assert_version_moves(
        org,
        lambda: services.evidence_add_files(
            follow_up=follow_up, files=[upload("a.pdf", PDF_BYTES)], captions=["หลักฐาน"]
        ),
    )
    assert_version_moves(
        org,
        lambda: services.evidence_add_link(follow_up=follow_up, url="https://example.go.th/e"),
    )
    evidence = follow_up.evidence.order_by("order")
    data = {
        "evidence-TOTAL_FORMS": "2",
        "evidence-INITIAL_FORMS": "2",
        "evidence-MIN_NUM_FORMS": "0",
        "evidence-MAX_NUM_FORMS": "1000",
    }
    for index, item in enumerate(evidence):
        data |= {
            f"evidence-{index}-id": str(item.pk),
            f"evidence-{index}-caption": f"คำบรรยาย {index}",
            f"evidence-{index}-order": str(2 - index),
        }
    formset = EvidenceFormSet(data, queryset=evidence, prefix="evidence")
    assert formset.is_valid(), formset.errors
    assert_version_moves(
        org, lambda: editing.evidence_captions_save(follow_up=follow_up, formset=formset)
    )
    assert_version_moves(org, lambda: services.evidence_delete(evidence=follow_up.evidence.first()))


def test_announcements_and_document_settings_move_the_version(org):
    announcement = None
    values = {"title": "ประกาศ", "body": "เนื้อความ", "date": dt.date(2021, 11, 1)}

    def _create():
        nonlocal announcement
        announcement = editing.announcement_create(organisation=org, fiscal_year=2565, **values)

    assert_version_moves(org, _create)
    assert_version_moves(
        org,
        lambda: editing.announcement_update(
            announcement=announcement, token=None, **(values | {"title": "ประกาศแก้"})
        ),
    )
    assert_version_moves(
        org,
        lambda: services.announcement_attachment_set(
            announcement=announcement, upload=upload("signed.pdf", PDF_BYTES)
        ),
    )
    assert_version_moves(org, lambda: editing.announcement_delete(announcement=announcement))
    assert_version_moves(
        org,
        lambda: editing.report_settings_update(
            organisation=org, fiscal_year=2565, token=None, preface="คำนำ"
        ),
    )
    for published in (True, False):
        assert_version_moves(
            org,
            lambda published=published: services.report_publish(
                organisation=org, fiscal_year=2565, user=None, published=published
            ),
        )


def test_an_import_moves_the_version_and_a_dry_run_does_not(org):
    measures = (
        b"organisation,fiscal_year,number,title,indicators,approach,steps,"
        b"responsible_units,responsible_text,monitoring,due_date\n"
        + "office,2565,1,มาตรการนำเข้า,,,ขั้นเดียว,,,,\n".encode()
    )
    before = content_version(org)
    report = measures_import(content=measures, file_name="m.csv", dry_run=True)
    assert not report.errors and content_version(org) == before
    assert_version_moves(org, lambda: measures_import(content=measures, file_name="m.csv"))
    follow_ups = (
        b"organisation,fiscal_year,measure_number,round,report_date,summary,"
        b"outcome,status,completed_on\n" + "office,2565,1,6m,,ครึ่งปี,,,\n".encode()
    )
    assert_version_moves(org, lambda: follow_ups_import(content=follow_ups, file_name="f.csv"))


# --- The public pages, through the staff workspace ------------------------------------


def test_a_new_step_shows_on_the_measures_item_and_the_plan_page(visitor, editor_client, org):
    make_disclosure(org, "O42", published=True)
    measure = make_measure(org, 2565, steps=("ขั้นที่หนึ่ง",))
    services.report_publish(
        organisation=org, fiscal_year=2565, user=None, published=True, kind=DocumentKind.PLAN
    )
    item, plan = "/office/oit/2565/O42/", "/office/reports/2565/plan/"
    for page in (item, plan, item, plan):  # the second time from the cache
        assert "ขั้นที่หนึ่ง" in visitor.get(page).text
        assert "ประชุมชี้แจงบุคลากร" not in visitor.get(page).text

    response = post_edit(
        editor_client,
        _staff("measure", measure.pk),
        {"title": measure.title, "steps": "ขั้นที่หนึ่ง\nประชุมชี้แจงบุคลากร"},
    )
    assert response.status_code == 302
    assert "ประชุมชี้แจงบุคลากร" in visitor.get(item).text
    assert "ประชุมชี้แจงบุคลากร" in visitor.get(plan).text


def test_a_new_follow_up_shows_on_the_results_item_and_the_annual_report(
    visitor, editor_client, org
):
    make_disclosure(org, "O43", published=True)
    measure = make_measure(org, 2565)
    services.report_publish(organisation=org, fiscal_year=2565, user=None, published=True)
    item, report = "/office/oit/2565/O43/", "/office/reports/2565/"
    for page in (item, report, item, report):
        assert "จัดอบรมบุคลากรสองรุ่น" not in visitor.get(page).text

    response = editor_client.post(
        _staff("follow-up-add", measure.pk),
        {
            "round": Round.SIX_MONTHS,
            "summary": "จัดอบรมบุคลากรสองรุ่น",
            "status": MeasureStatus.IN_PROGRESS,
        },
    )
    assert response.status_code == 302
    assert "จัดอบรมบุคลากรสองรุ่น" in visitor.get(item).text
    assert "จัดอบรมบุคลากรสองรุ่น" in visitor.get(report).text


def test_an_announcement_added_and_deleted_shows_in_the_annual_report(visitor, editor_client, org):
    services.report_publish(organisation=org, fiscal_year=2565, user=None, published=True)
    report = "/office/reports/2565/"
    assert "ประกาศไม่รับของขวัญ" not in visitor.get(report).text
    response = editor_client.post(
        _staff("announcement-add", 2565),
        {
            "kind": "announcement",
            "title": "ประกาศไม่รับของขวัญ",
            "body": "บุคลากรทุกคนจะไม่รับของขวัญ",
            "date": "2021-11-01",
            "signatory_name": "นายสมชาย ใจดี",
            "signatory_position": "ผู้อำนวยการ",
        },
    )
    assert response.status_code == 302
    assert "ประกาศไม่รับของขวัญ" in visitor.get(report).text

    announcement = Announcement.objects.get(title="ประกาศไม่รับของขวัญ")
    editor_client.post(_staff("announcement-delete", announcement.pk))
    assert "ประกาศไม่รับของขวัญ" not in visitor.get(report).text


def test_publishing_the_announcement_document_shows_on_the_measures_item(visitor, org):
    make_disclosure(org, "O42", published=True)
    admin = Client()
    admin.force_login(make_user("boss", org, Role.ADMINISTRATOR))
    item, document = "/office/oit/2565/O42/", "/office/reports/2565/announcement/"
    assert f'href="{document}"' not in visitor.get(item).text
    assert f'href="{document}"' not in visitor.get(item).text

    publish = _staff("document-publish", 2565, DocumentKind.ANNOUNCEMENT)
    assert admin.post(publish, {"published": "1"}).status_code == 302
    assert f'href="{document}"' in visitor.get(item).text
    assert visitor.get(document).status_code == 200

    admin.post(publish, {"published": "0"})
    assert f'href="{document}"' not in visitor.get(item).text
    assert visitor.get(document).status_code == 404


def test_a_follow_up_made_by_the_builder_shows_too(visitor, org):
    # The builder writes with the ORM; it moves the version as a service would.
    make_disclosure(org, "O43", published=True)
    measure = make_measure(org, 2565)
    assert "สรุปผลรอบปี" not in visitor.get("/office/oit/2565/O43/").text
    make_follow_up(measure, Round.TWELVE_MONTHS, summary="สรุปผลรอบปี")
    assert "สรุปผลรอบปี" in visitor.get("/office/oit/2565/O43/").text
