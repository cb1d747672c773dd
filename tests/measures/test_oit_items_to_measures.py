"""From the assessors' OIT item verdicts to the analysis and draft measures (issue 13, point 5)."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from assessments.models import Item, Role
from assessments.services import assessment_get_or_create, assessment_item_results_update
from measures.models import Measure
from measures.oit_planning import NothingToImprove, measures_plan_from_oit_items
from measures.report import report_body_html, report_build
from measures.services import PlanningError
from tests.builders import REFERENCE_003, make_assessment, make_org, make_user
from tests.editions import two_instrument_edition
from tests.measures.builders import make_measure

IMPROVE_O10 = "แสดงรายละเอียดความก้าวหน้าและงบประมาณที่ใช้ของแต่ละโครงการ"
COMMENT_O10 = "รายงานรอบ 6 เดือนไม่มีรายละเอียดงบประมาณ"
IMPROVE_O11 = "จำแนกข้อมูลการจัดซื้อจัดจ้างเป็นรายเดือน"


def _verdicts(assessment, verdicts: dict[str, tuple[bool, str, str]]) -> None:
    items = dict(
        Item.objects.filter(edition=assessment.edition, code__in=verdicts).values_list("code", "pk")
    )
    assert set(items) == set(verdicts), "an item code missing from the edition"
    assessment_item_results_update(
        assessment=assessment, results={items[code]: value for code, value in verdicts.items()}
    )


@pytest.fixture
def analysed(org, edition):
    """2564's result (reference 003's scores) with three O-items not passed of five assessed."""
    assessment = make_assessment(org, 2564, REFERENCE_003)
    _verdicts(
        assessment,
        {
            "O1": (True, "", ""),
            "O2": (True, "", ""),
            "O10": (False, COMMENT_O10, IMPROVE_O10),
            "O11": (False, "", IMPROVE_O11),
            "O20": (False, "", ""),
        },
    )
    return assessment


def _sub(code: str, edition_code: str = "ita-2564-2565"):
    return (
        Item.objects.select_related("sub_indicator")
        .get(edition__code=edition_code, code=code)
        .sub_indicator
    )


def _plan_url(year: int, org: str = "office") -> str:
    return reverse("measures_staff:plan", args=[org, year])


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def editor(client, org):
    client.force_login(make_user("editor", org, Role.EDITOR))
    return client


# --- The analysis ------------------------------------------------------------------


def test_public_year_page_lists_failed_items_with_comment_and_improvement(client, analysed):
    page = client.get(reverse("assessments:year", args=["office", 2564])).text
    assert "OIT" in page
    for text in (COMMENT_O10, IMPROVE_O10, IMPROVE_O11, "O20"):
        assert text in page
    # A passed item is no item to improve.
    o1 = Item.objects.get(edition__code="ita-2564-2565", code="O1")
    assert f"<strong>O1</strong> {o1.title_th}" not in page
    assert "ไม่ได้ระบุ" in page  # O20 has no improvement: the page says so in Thai


def test_report_analysis_chapter_lists_failed_items(analysed, org):
    html = report_body_html(report_build(organisation=org, fiscal_year=2565))
    chapter_2 = html.split('id="chapter-2"', 1)[1].split('id="chapter-3"', 1)[0]
    for text in (IMPROVE_O10, COMMENT_O10, IMPROVE_O11, "<strong>O20</strong>"):
        assert text in chapter_2
    assert report_build(organisation=org, fiscal_year=2565).oit_failed_count == 3


def test_staff_year_page_shows_last_years_items_to_improve_and_the_button(editor, analysed):
    response = editor.get(reverse("measures_staff:year", args=["office", 2565]))
    assert response.context["oit_failed_count"] == 3
    assert IMPROVE_O10 in response.text
    assert 'name="source" value="oit"' in response.text


def test_staff_year_page_without_failed_items_offers_no_oit_drafts(editor, org, edition):
    assessment = make_assessment(org, 2564, REFERENCE_003)
    _verdicts(assessment, {"O1": (True, "", "")})
    response = editor.get(reverse("measures_staff:year", args=["office", 2565]))
    assert response.context["oit_failed_count"] == 0
    assert 'value="oit"' not in response.text


# --- Draft measures ------------------------------------------------------------------


def test_one_draft_per_sub_indicator_with_one_step_per_failed_item(analysed, org):
    created = measures_plan_from_oit_items(organisation=org, fiscal_year=2565)
    by_title = {m.title: m for m in created}
    subs = {_sub(code) for code in ("O10", "O11", "O20")}
    assert len(created) == len(subs)
    assert [m.number for m in created] == list(range(1, len(created) + 1))
    o10 = next(m for m in created if m.steps_text.startswith("O10") or "\nO10 " in m.steps_text)
    assert f": {IMPROVE_O10}" in o10.steps_text
    assert [i.number for i in o10.indicators.all()] == [_sub("O10").indicator.number]
    assert o10.due_date.isoformat() == "2022-09-30"  # the end of fiscal year 2565
    assert all(m.responsible_units.count() == 0 and not m.responsible_text for m in created)
    # An item without an improvement still gets a step that says what to do.
    o20 = next(m for m in by_title.values() if "O20 " in m.steps_text)
    assert "O20 " in o20.steps_text and o20.steps_text.split(": ", 1)[1]


def test_pressed_twice_nothing_is_duplicated(analysed, org):
    first = measures_plan_from_oit_items(organisation=org, fiscal_year=2565)
    assert first
    assert measures_plan_from_oit_items(organisation=org, fiscal_year=2565) == []
    assert Measure.objects.filter(organisation=org, fiscal_year=2565).count() == len(first)


def test_a_renamed_draft_is_not_made_again(analysed, org):
    created = measures_plan_from_oit_items(organisation=org, fiscal_year=2565)
    Measure.objects.filter(pk__in=[m.pk for m in created]).update(title="มาตรการที่ตั้งชื่อเอง")
    assert measures_plan_from_oit_items(organisation=org, fiscal_year=2565) == []


def test_items_already_in_a_measures_steps_are_left_out(analysed, org):
    make_measure(org, 2565, steps=("O10 ปรับปรุงรายงานรอบ 6 เดือน", "O11 จัดทำข้อมูลรายเดือน"))
    created = measures_plan_from_oit_items(organisation=org, fiscal_year=2565)
    steps = "\n".join(m.steps_text for m in created)
    assert "O20 " in steps
    assert "O10 " not in steps and "O11 " not in steps


def test_indicator_drafts_and_oit_drafts_live_side_by_side(analysed, org):
    from measures.services import measures_plan_from_analysis

    (indicator_draft,) = measures_plan_from_analysis(organisation=org, fiscal_year=2565)
    oit = measures_plan_from_oit_items(organisation=org, fiscal_year=2565)
    assert oit and indicator_draft.number == 1
    assert [m.number for m in oit] == list(range(2, 2 + len(oit)))


def test_without_item_results_the_office_is_told_what_to_do(org, edition):
    with pytest.raises(PlanningError) as error:
        measures_plan_from_oit_items(organisation=org, fiscal_year=2565)
    assert "2564" in str(error.value)
    make_assessment(org, 2564, REFERENCE_003)
    with pytest.raises(PlanningError):
        measures_plan_from_oit_items(organisation=org, fiscal_year=2565)


def test_every_item_passed_is_news_not_an_error(org, edition):
    _verdicts(make_assessment(org, 2564, REFERENCE_003), {"O1": (True, "", "")})
    with pytest.raises(NothingToImprove):
        measures_plan_from_oit_items(organisation=org, fiscal_year=2565)


def test_2569_edition_with_its_own_codes_plans_the_measures_of_2570(org):
    assessment = assessment_get_or_create(organisation=org, fiscal_year=2569)
    assert assessment.edition.code == "nacc-2569"
    _verdicts(assessment, {"O1": (False, "", "ปรับปรุงโครงสร้าง"), "O5": (False, "", "")})
    created = measures_plan_from_oit_items(organisation=org, fiscal_year=2570)
    subs = {_sub(code, "nacc-2569") for code in ("O1", "O5")}
    assert len(subs) == 2  # 2569 groups O1 and O5 under different sub-indicators
    assert sorted(m.title for m in created) == sorted(
        f"มาตรการปรับปรุงการเปิดเผยข้อมูล ตัวชี้วัดย่อย {sub.code} {sub.name_th}" for sub in subs
    )
    assert any(
        s.text.startswith("O1 ") and s.text.endswith(": ปรับปรุงโครงสร้าง")
        for m in created
        for s in m.steps.all()
    )
    indicators = {i.edition.code for m in created for i in m.indicators.all()}
    assert indicators == {"nacc-2569"}


def test_an_edition_of_any_shape_works(org):
    edition = two_instrument_edition(2590)
    assessment = assessment_get_or_create(organisation=org, fiscal_year=2590)
    assert assessment.edition == edition
    _verdicts(assessment, {"W1": (False, "", "ทำใหม่"), "W2": (True, "", ""), "W4": (False, "", "")})
    created = measures_plan_from_oit_items(organisation=org, fiscal_year=2591)
    assert sorted(m.indicators.get().number for m in created) == [3, 4]
    assert any(step.text == "W1 ข้อ W1: ทำใหม่" for m in created for step in m.steps.all())


# --- Through the staff page -------------------------------------------------------------


def test_editor_generates_drafts_once_even_when_the_form_is_sent_twice(editor, analysed, org):
    page = editor.get(reverse("measures_staff:year", args=["office", 2565])).text
    token = page.split('name="source" value="oit"')[0].rsplit('name="once" value="', 1)[1]
    token = token.split('"', 1)[0]
    data = {"source": "oit", "once": token}
    response = editor.post(_plan_url(2565), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("measures_staff:year", args=["office", 2565])
    count = Measure.objects.filter(organisation=org, fiscal_year=2565).count()
    assert count == len({_sub(c) for c in ("O10", "O11", "O20")})
    assert any(str(count) in text for text in _messages(response))
    again = editor.post(_plan_url(2565), data)
    assert again.status_code == 302
    assert Measure.objects.filter(organisation=org, fiscal_year=2565).count() == count
    # A fresh press (new token) adds nothing either, and says so.
    third = editor.post(_plan_url(2565), {"source": "oit"})
    assert Measure.objects.filter(organisation=org, fiscal_year=2565).count() == count
    assert _messages(third)


def test_drafts_are_marked_as_drafts_on_the_year_page(editor, analysed):
    editor.post(_plan_url(2565), {"source": "oit"})
    page = editor.get(reverse("measures_staff:year", args=["office", 2565])).text
    assert page.count('class="badge none draft"') == Measure.objects.count()


def test_nothing_to_plan_from_is_explained_not_an_error_500(editor, org):
    response = editor.post(_plan_url(2565), {"source": "oit"})
    assert response.status_code == 302
    (text,) = _messages(response)
    assert "2564" in text
    assert not Measure.objects.exists()


@pytest.mark.parametrize("role", [Role.VIEWER, Role.COMPLAINT_OFFICER])
def test_a_viewer_sees_the_items_but_cannot_generate(client, analysed, org, role):
    client.force_login(make_user("reader", org, role))
    page = client.get(reverse("measures_staff:year", args=["office", 2565]))
    assert page.status_code == 200
    assert IMPROVE_O10 in page.text
    assert 'value="oit"' not in page.text
    assert client.post(_plan_url(2565), {"source": "oit"}).status_code == 404
    assert not Measure.objects.exists()


def test_another_organisation_cannot_generate_or_see(client, analysed):
    other = make_org("other")
    client.force_login(make_user("stranger", other, Role.EDITOR))
    assert client.post(_plan_url(2565), {"source": "oit"}).status_code == 404
    assert client.get(reverse("measures_staff:year", args=["office", 2565])).status_code == 404
    assert not Measure.objects.exists()


def test_anonymous_is_sent_to_login(client, analysed):
    response = client.post(_plan_url(2565), {"source": "oit"})
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not Measure.objects.exists()


def test_a_member_limited_to_units_cannot_generate_for_the_whole_year(limited, analysed):
    page = limited.get(reverse("measures_staff:year", args=["office", 2565])).text
    assert IMPROVE_O10 in page and 'value="oit"' not in page
    assert limited.post(_plan_url(2565), {"source": "oit"}).status_code == 404
    assert not Measure.objects.exists()


def test_a_wrong_year_is_404_not_500(editor, analysed):
    assert editor.post(_plan_url(1999), {"source": "oit"}).status_code == 404
    assert not Measure.objects.exists()
