"""The staff results workspace for the editions after 2565: entering 2568 and
2569 results, levels with their reasons, letters kept for 2564–2565, the verify
notice on OIT items, and a scheme's own edition."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import Assessment, Item, Role, Scheme
from assessments.scoring import organisation_results
from tests.builders import REFERENCE_003, logged_in, make_assessment, make_user, post_edit
from tests.editions import two_instrument_edition

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(org):
    return logged_in(make_user("editor", org, Role.EDITOR))


def _add(client, year: int):
    return client.post(
        reverse("assessments_staff:year-add", args=["office"]), {"fiscal_year": year}
    )


def _year_url(year: int) -> str:
    return reverse("assessments_staff:year", args=["office", year])


@pytest.mark.parametrize("year", [2568, 2569])
def test_an_editor_enters_a_new_edition_year_and_sees_the_level_and_reason(editor, org, year):
    assert _add(editor, year).status_code == 302
    assessment = Assessment.objects.get(organisation=org, fiscal_year=year)
    assert assessment.edition.code == f"nacc-{year}"
    form = editor.get(_year_url(year)).context["form"]
    data = {f.name: "96.00" for f in form.score_fields()}
    # Every indicator at 96 except EIT's, which stay unknown: EIT is entered as a whole.
    eit = [i.number for i in form.indicators if i.instrument.code == "EIT"]
    for number in eit:
        data[f"score_{number}"] = ""
    data["instrument_EIT"] = "84.50"
    response = post_edit(editor, _year_url(year), data)
    assert response.status_code == 302, response.context["form"].errors
    result = organisation_results(organisation=org)[-1]
    assert result.level.label_th == "ผ่าน"
    assert result.decision.reason == "EIT 84.50 ต่ำกว่า 85 จึงได้ระดับผ่าน"
    page = editor.get(_year_url(year)).content.decode()
    assert "EIT 84.50 ต่ำกว่า 85 จึงได้ระดับผ่าน" in page
    # The level column judges indicators pass/fail against the pass mark, no letters.
    public = editor.get(reverse("assessments:year", args=["office", year])).content.decode()
    table = public.split('<table class="indicators')[1].split("</table>")[0]
    assert "ผ่านดีเยี่ยม" not in table


def test_2564_results_keep_their_letters(editor, org):
    make_assessment(org, 2564, REFERENCE_003)
    page = editor.get(reverse("assessments_staff:results", args=["office"])).content.decode()
    result = organisation_results(organisation=org)[-1]
    assert result.level_label == "A"  # 91.50: a letter, not the 2566 words
    assert "<td>A</td>" in page


def test_oit_items_to_verify_say_so_to_staff(editor, org):
    _add(editor, 2568)
    page = editor.get(reverse("assessments_staff:items", args=["office", 2568])).content.decode()
    verify = Item.objects.filter(edition__code="nacc-2568", verify=True).count()
    assert verify > 0
    assert page.count('class="verify-notice"') == verify


def test_a_provisional_edition_is_labelled_on_the_staff_and_public_pages(editor, org):
    from assessments.provisional import edition_start_provisional

    edition_start_provisional(fiscal_year=2570)
    _add(editor, 2570)
    assessment = Assessment.objects.get(organisation=org, fiscal_year=2570)
    assert assessment.edition.provisional
    post_edit(editor, _year_url(2570), {"official_total": "88.00"})
    staff = editor.get(_year_url(2570)).content.decode()
    assert "notice-provisional" in staff
    public = editor.get(reverse("assessments:year", args=["office", 2570])).content.decode()
    assert "notice-provisional" in public


def test_a_year_follows_the_organisations_scheme_edition(editor, org):
    scheme = Scheme.objects.get_or_create(code="obec", defaults={"name_th": "สพฐ."})[0]
    edition = two_instrument_edition(2591)
    edition.scheme = scheme
    edition.save()
    org.scheme = scheme
    org.save()
    _add(editor, 2591)
    assert Assessment.objects.get(organisation=org, fiscal_year=2591).edition == edition


def test_history_uses_whatever_total_is_known_and_a_year_without_one_is_a_dash(editor, org):
    make_assessment(org, 2564, REFERENCE_003)  # 91.50 computed
    make_assessment(org, 2565, official_total="90.00")  # only the published total
    _add(editor, 2566)  # nothing known yet
    results = organisation_results(organisation=org)
    assert [r.shown_total for r in results] == [Decimal("91.50"), Decimal("90.00"), None]
    assert results[1].delta == Decimal("-1.50")
    page = editor.get(reverse("assessments:organisation", args=["office"])).content.decode()
    assert "<svg" in page


def test_an_instrument_score_change_is_in_the_change_history(editor, org):
    _add(editor, 2568)
    assert post_edit(editor, _year_url(2568), {"instrument_EIT": "84.50"}).status_code == 302
    admin = logged_in(make_user("admin", org, Role.ADMINISTRATOR))
    page = admin.get(reverse("assessments_staff:history", args=["office"]))
    rows = page.context["page"].object_list
    assert any(r.kind == "instrument_score" for r in rows)
    assert "ITA ปี 2568 คะแนน EIT" in page.content.decode()
