"""Copying a year forward into another edition: by code where the edition keeps the
codes, by the target items' ``continues`` otherwise; merges in order; nothing dropped
without being listed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.models import Role
from assessments.provisional import edition_start_provisional
from disclosures.copy_plan import copy_plan
from disclosures.models import Disclosure, DisclosureStatus, EntryKind
from disclosures.services import disclosures_copy_forward
from tests.builders import make_user
from tests.disclosures.builders import make_disclosure


def _url(name: str, *args) -> str:
    return reverse(f"disclosures_staff:{name}", args=["office", *args])


@pytest.fixture
def editor_client(client, org):
    client.force_login(make_user("editor", org, Role.EDITOR))
    return client


@pytest.fixture
def year_2567(org):
    make_disclosure(org, "O11", 2567, explanation="แผนการใช้จ่ายงบประมาณ", links=1)
    make_disclosure(org, "O12", 2567, explanation="รายงานการกำกับติดตาม", documents=1)
    make_disclosure(org, "O6", 2567, links=1)  # no item of 2568 continues it
    make_disclosure(org, "O1", 2567, explanation="โครงสร้าง")
    make_disclosure(org, "O3", 2567, links=2)
    make_disclosure(org, "O4", 2567)  # nothing on it: not a source


def test_the_plan_maps_2567_to_2568_by_the_continues_codes(org, year_2567):
    plan = copy_plan(organisation=org, fiscal_year=2567)
    assert plan.target_edition.code == "nacc-2568" and not plan.same_edition
    targets = {t.item.code: t.source_codes for t in plan.targets}
    assert targets["O6"] == ["O11", "O12"]
    assert targets["O1"] == ["O1", "O3"]
    assert [d.item.code for d in plan.unmatched] == ["O6"]


def test_the_confirmation_page_lists_merges_and_unmatched_items(editor_client, year_2567):
    response = editor_client.get(_url("copy", 2567))
    assert response.status_code == 200
    page = response.text
    target = page.split('id="target-O6"')[1].split("</tr>")[0]
    assert "O11" in target and "O12" in target
    unmatched = page.split('id="copy-unmatched"')[1].split("</section>")[0]
    assert "<strong>O6</strong>" in unmatched and "O11" not in unmatched
    assert '<form method="post">' in page
    assert not Disclosure.objects.filter(fiscal_year=2568).exists()


def test_copying_2567_to_2568_merges_in_order_and_lists_the_unmatched(
    editor_client, org, year_2567
):
    response = editor_client.post(_url("copy", 2567))
    assert response["Location"] == _url("year", 2568)
    o6 = Disclosure.objects.get(organisation=org, fiscal_year=2568, item__code="O6")
    assert o6.item.edition.code == "nacc-2568"
    assert o6.status == DisclosureStatus.DRAFT and o6.to_review
    assert o6.explanation == "<p>แผนการใช้จ่ายงบประมาณ</p><p>รายงานการกำกับติดตาม</p>"
    link, document = o6.entries.order_by("order")
    assert (link.kind, link.title) == (EntryKind.LINK, "ลิงก์ O11 รายการที่ 1")
    assert (document.kind, document.title) == (EntryKind.DOCUMENT, "เอกสาร O12 ฉบับที่ 1")
    o1 = Disclosure.objects.get(organisation=org, fiscal_year=2568, item__code="O1")
    assert [e.title for e in o1.entries.order_by("order")] == [
        "ลิงก์ O3 รายการที่ 1",
        "ลิงก์ O3 รายการที่ 2",
    ]
    assert o1.explanation == "<p>โครงสร้าง</p>"
    messages = [m for m in editor_client.get(response["Location"]).context["messages"]]
    warning = next(m for m in messages if m.level_tag == "warning")
    assert "O6" in str(warning) and "O11" not in str(warning)


def test_copying_2568_to_2569(org):
    make_disclosure(org, "O10", 2568, links=1)
    make_disclosure(org, "O11", 2568, explanation="ระบบบริการออนไลน์")
    make_disclosure(org, "O2", 2568, explanation="ผู้บริหาร")
    report = disclosures_copy_forward(organisation=org, fiscal_year=2568)
    assert sorted(d.item.code for d in report.copied) == ["O10", "O2"]
    assert report.unmatched == [] and report.skipped == []
    o10 = Disclosure.objects.get(organisation=org, fiscal_year=2569, item__code="O10")
    assert o10.item.edition.code == "nacc-2569"
    assert o10.entries.count() == 1 and o10.explanation == "<p>ระบบบริการออนไลน์</p>"


def test_a_target_that_already_has_content_is_left_alone_and_said(org, year_2567):
    make_disclosure(org, "O6", 2568, explanation="ของปี 2568 เอง")
    report = disclosures_copy_forward(organisation=org, fiscal_year=2567)
    assert "O6" in report.skipped
    o6 = Disclosure.objects.get(organisation=org, fiscal_year=2568, item__code="O6")
    assert o6.explanation == "<p>ของปี 2568 เอง</p>" and not o6.entries.exists()


def test_copying_into_a_provisional_year_matches_by_code(org):
    edition_start_provisional(fiscal_year=2570, organisation=org)
    make_disclosure(org, "O5", 2569, links=1)
    make_disclosure(org, "O26", 2569, explanation="ผลการดำเนินการ")
    report = disclosures_copy_forward(organisation=org, fiscal_year=2569)
    assert sorted(d.item.code for d in report.copied) == ["O26", "O5"]
    copy = Disclosure.objects.get(organisation=org, fiscal_year=2570, item__code="O5")
    assert copy.item.edition.provisional
