"""The analysis in the office's words: drafts from the figures, the office's edits,
the strengths threshold, and the staff page that edits them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import Item, ItemResult, Role
from ita_portal.concurrency import StaleEdit
from measures.analysis_text import (
    analysis_for,
    analysis_text_save,
    analysis_texts_edit_token,
    analysis_texts_for,
    office_analysis,
    strengths,
)
from measures.models import AnalysisText, ReportSettings
from tests.builders import (
    REFERENCE_003,
    form_token,
    logged_in,
    make_assessment,
    make_org,
    make_user,
)

YEAR = 2566  # the measures year; the analysis is of 2565 (2564 before it, same edition)
SCORES_BEFORE = [
    "98.00",
    "90.34",
    "95.28",
    "95.00",
    "93.17",
    "97.93",
    "97.65",
    "96.33",
    "80.00",
    "93.75",
]


@pytest.fixture
def analysed(org):
    make_assessment(org, YEAR - 2, SCORES_BEFORE)
    assessment = make_assessment(org, YEAR - 1, REFERENCE_003, rank=154, ranked_out_of=225)
    failed = Item.objects.get(edition__code="ita-2564-2565", code="O2")
    ItemResult.objects.create(
        assessment=assessment,
        item=failed,
        passed=False,
        improvement="ปรับปรุงข้อมูลให้เป็นปัจจุบัน",
    )
    return assessment


def test_drafts_cover_the_result_each_indicator_and_each_weakness(org, analysed):
    texts = analysis_texts_for(organisation=org, fiscal_year=YEAR)
    assert next(iter(texts)) == "overall"
    assert {f"indicator-{n}" for n in range(1, 11)} <= set(texts)
    weaknesses = [k for k in texts if k.startswith("weakness-")]
    assert weaknesses == ["weakness-9.1"]
    assert "ได้คะแนน 91.50 คะแนน" in texts["overall"]
    assert "อันดับที่ 154 จาก 225 หน่วยงาน" in texts["overall"]
    assert "ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล (75.92 คะแนน)" in texts["overall"]  # the lowest
    # Thai, with the pass mark and the change from 2564.
    assert texts["indicator-9"].startswith("ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล ได้คะแนน 75.92 คะแนน")
    assert "ต่ำกว่าเกณฑ์ผ่าน 85 คะแนน" in texts["indicator-9"]
    assert "ลดลง 4.08 คะแนน จากปีงบประมาณ พ.ศ. 2564 (80.00 คะแนน)" in texts["indicator-9"]
    assert "ปีงบประมาณ พ.ศ. 2566" in texts["indicator-9"]  # measures of the year to come
    assert "เพิ่มขึ้น 1.13 คะแนน" in texts["indicator-1"]
    assert "O2" in texts["weakness-9.1"] and "ปรับปรุงข้อมูลให้เป็นปัจจุบัน" in texts["weakness-9.1"]


def test_no_result_no_drafts(org):
    assert analysis_texts_for(organisation=org, fiscal_year=YEAR) == {}


def test_the_office_text_wins_over_the_draft(org, analysed):
    AnalysisText.objects.create(
        organisation=org, fiscal_year=YEAR, key="indicator-9", text="ข้อความของสำนักงานเอง"
    )
    texts = analysis_texts_for(organisation=org, fiscal_year=YEAR)
    assert texts["indicator-9"] == "ข้อความของสำนักงานเอง"
    assert texts["indicator-1"].startswith("ตัวชี้วัดที่ 1")  # the others stay drafts


@pytest.mark.parametrize(("threshold", "strong"), [(Decimal("85"), True), (Decimal("95"), False)])
def test_strengths_threshold_is_the_documents_setting(org, threshold, strong):
    make_assessment(org, YEAR - 1, ["86.00"] + ["70.00"] * 9)
    settings = ReportSettings(organisation=org, fiscal_year=YEAR, strengths_threshold=threshold)
    analysis = analysis_for(organisation=org, fiscal_year=YEAR, settings=settings)
    numbers = [r.indicator.number for r in analysis.strengths]
    assert (numbers == [1]) is strong
    assert analysis.strengths_threshold == threshold


def test_default_strengths_threshold_is_the_top_level(org):
    make_assessment(org, YEAR - 1, REFERENCE_003)
    analysis = analysis_for(organisation=org, fiscal_year=YEAR)
    assert analysis.strengths_threshold == Decimal("95.00")
    # 003 lists six indicators at Excellence, highest first.
    assert [r.indicator.number for r in analysis.strengths] == [1, 6, 7, 8, 3, 4]
    assert (
        strengths(analysis.result, Decimal("85"))
        and len(strengths(analysis.result, Decimal("85"))) == 9
    )


def test_office_analysis_reads_saved_texts_in_one_query(org, analysed, django_assert_num_queries):
    analysis = analysis_for(organisation=org, fiscal_year=YEAR)
    with django_assert_num_queries(1):
        office_analysis(
            organisation=org,
            fiscal_year=YEAR,
            result=analysis.result,
            sub_indicators=analysis.sub_indicators,
        )


def test_save_keeps_an_untouched_draft_unsaved(org, analysed):
    analysis = analysis_for(organisation=org, fiscal_year=YEAR)
    draft = analysis.topics["indicator-2"].draft
    changed = analysis_text_save(
        organisation=org,
        fiscal_year=YEAR,
        texts={"indicator-2": draft + "\r\n", "indicator-3": "แก้ไขแล้ว\r\nสองบรรทัด"},
        token=analysis_texts_edit_token(analysis),
    )
    assert changed == ["indicator-3"]
    assert dict(AnalysisText.objects.values_list("key", "text")) == {
        "indicator-3": "แก้ไขแล้ว\nสองบรรทัด"
    }


def test_emptied_text_prints_nothing_and_none_goes_back_to_the_draft(org, analysed):
    analysis_text_save(organisation=org, fiscal_year=YEAR, texts={"overall": ""}, token=None)
    analysis = analysis_for(organisation=org, fiscal_year=YEAR)
    assert analysis.overall.edited and analysis.overall.paragraphs == []
    analysis_text_save(organisation=org, fiscal_year=YEAR, texts={"overall": None}, token=None)
    analysis = analysis_for(organisation=org, fiscal_year=YEAR)
    assert not analysis.overall.edited and analysis.overall.paragraphs


def test_a_stale_form_is_refused(org, analysed):
    token = analysis_texts_edit_token(analysis_for(organisation=org, fiscal_year=YEAR))
    analysis_text_save(organisation=org, fiscal_year=YEAR, texts={"indicator-9": "ก"}, token=None)
    with pytest.raises(StaleEdit) as refused:
        analysis_text_save(
            organisation=org, fiscal_year=YEAR, texts={"indicator-1": "ข"}, token=token
        )
    assert [c.label for c in refused.value.changes] == ["ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล"]
    assert not AnalysisText.objects.filter(key="indicator-1").exists()


# --- The staff page ------------------------------------------------------------


def url(org) -> str:
    return reverse("measures_staff:analysis-texts", kwargs={"org": org.slug, "year": YEAR})


def test_editor_edits_a_text_and_it_is_printed_in_the_annual_report(client, org, analysed):
    editor = logged_in(make_user("editor", org, Role.EDITOR))
    token = form_token(editor, url(org))
    response = editor.post(
        url(org), {"edit_token": token, "text-indicator-9": "สำนักงานจะเร่งเผยแพร่ข้อมูล"}
    )
    assert response.status_code == 302
    assert AnalysisText.objects.get(key="indicator-9").text == "สำนักงานจะเร่งเผยแพร่ข้อมูล"
    page = editor.get(reverse("measures:report", kwargs={"org": org.slug, "year": YEAR}))
    assert "สำนักงานจะเร่งเผยแพร่ข้อมูล" in page.content.decode()


def test_regenerate_goes_back_to_the_draft_and_keeps_other_edits(client, org, analysed):
    AnalysisText.objects.create(organisation=org, fiscal_year=YEAR, key="indicator-9", text="เก่า")
    editor = logged_in(make_user("editor", org, Role.EDITOR))
    page = editor.get(url(org)).content.decode()
    assert "ใช้ร่างจากตัวเลขอีกครั้ง" in page
    token = form_token(editor, url(org))
    response = editor.post(
        url(org),
        {
            "edit_token": token,
            "regenerate": "indicator-9",
            "text-indicator-9": "เก่า",
            "text-indicator-1": "ใหม่",
        },
    )
    assert response.status_code == 302
    assert dict(AnalysisText.objects.values_list("key", "text")) == {"indicator-1": "ใหม่"}


def test_stale_post_is_409_and_saves_nothing(client, org, analysed):
    editor = logged_in(make_user("editor", org, Role.EDITOR))
    token = form_token(editor, url(org))
    AnalysisText.objects.create(organisation=org, fiscal_year=YEAR, key="overall", text="ของคนอื่น")
    response = editor.post(url(org), {"edit_token": token, "text-overall": "ของฉัน"})
    assert response.status_code == 409
    assert AnalysisText.objects.get(key="overall").text == "ของคนอื่น"
    assert "ของฉัน" in response.content.decode()  # what was typed is kept


def test_viewer_reads_but_cannot_save(client, org, analysed):
    viewer = logged_in(make_user("viewer", org, Role.VIEWER))
    assert viewer.get(url(org)).status_code == 200
    response = viewer.post(url(org), {"text-overall": "x"})
    assert response.status_code == 404
    assert not AnalysisText.objects.exists()


def test_another_organisation_gets_404(client, org, analysed):
    stranger = logged_in(make_user("stranger", make_org("other"), Role.ADMINISTRATOR))
    assert stranger.get(url(org)).status_code == 404
    assert stranger.post(url(org), {"text-overall": "x"}).status_code == 404
    assert not AnalysisText.objects.exists()


def test_anonymous_is_sent_to_log_in(client, org):
    response = client.get(url(org))
    assert response.status_code == 302 and "login" in response["Location"]
