"""No module assumes the 2564–2565 shape (three instruments, ten indicators,
30/30/40, AA–F): a made-up edition with two instruments and four indicators
works end to end, and the issue's level examples hold through the real 2568
edition and the pages."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import Assessment, Edition, Role
from assessments.scoring import organisation_results
from assessments.services import assessment_get_or_create, assessment_update
from measures.report import report_body_html, report_build, report_pdf_bytes
from tests.builders import logged_in, make_org, make_user, post_edit
from tests.editions import two_instrument_edition
from tests.measures.test_report import pdf_text

pytestmark = pytest.mark.django_db

YEAR = 2590


@pytest.fixture
def shaped(db):
    edition = two_instrument_edition(YEAR)
    org = make_org("shaped")
    editor = make_user("shaped-editor", org, Role.EDITOR)
    return edition, org, logged_in(editor)


def _year_url(org, year=YEAR) -> str:
    return reverse("assessments_staff:year", kwargs={"org": org.slug, "year": year})


def _enter(client, org, year=YEAR, **fields):
    client.post(
        reverse("assessments_staff:year-add", kwargs={"org": org.slug}), {"fiscal_year": year}
    )
    return post_edit(client, _year_url(org, year), fields)


def test_the_form_has_the_editions_fields_only(shaped):
    _edition, org, client = shaped
    client.post(
        reverse("assessments_staff:year-add", kwargs={"org": org.slug}), {"fiscal_year": YEAR}
    )
    form = client.get(_year_url(org)).context["form"]
    assert [f.name for f in form.score_fields()] == ["score_1", "score_2", "score_3", "score_4"]
    assert [f.name for f in form.instrument_fields()] == ["instrument_SURV", "instrument_WEB"]
    assert [str(c[1]) for c in form.fields["official_level"].choices][1:] == [
        "ผ่านดีเยี่ยม",
        "ผ่านดี",
        "ผ่าน",
        "ต้องปรับปรุง",
        "ต้องปรับปรุงโดยด่วน",
    ]


def test_scores_entered_in_the_staff_form_give_the_level_and_reason_everywhere(shaped):
    _edition, org, client = shaped
    # SURV (45): 96, 94 → 95.00 → 42.75; WEB (55): 84, 85 → 84.50 → 46.48; total 89.23.
    response = _enter(client, org, score_1="96", score_2="94", score_3="84", score_4="85")
    assert response.status_code == 302
    result = organisation_results(organisation=org)[-1]
    assert result.total == Decimal("89.23")
    assert result.level.code == "pass"
    reason = "WEB 84.50 ต่ำกว่า 85 จึงได้ระดับผ่าน"
    assert result.decision.reason == reason

    staff = client.get(_year_url(org)).content.decode()
    assert "89.23" in staff and reason in staff
    listing = client.get(reverse("assessments_staff:results", kwargs={"org": org.slug}))
    assert reason in listing.content.decode()
    assert reason in client.get(reverse("staff:dashboard")).content.decode()

    public = client.get(reverse("assessments:year", args=[org.slug, YEAR])).content.decode()
    assert "89.23" in public and reason in public
    assert "SURV" in public and "WEB" in public and "ตัวชี้วัดที่ 4" in public
    home = client.get(reverse("assessments:organisation", args=[org.slug])).content.decode()
    assert reason in home


def test_the_measures_report_of_the_next_year_analyses_the_shaped_result(shaped):
    _edition, org, client = shaped
    _enter(client, org, score_1="96", score_2="94", score_3="84", score_4="85")
    report = report_build(organisation=org, fiscal_year=YEAR + 1)
    assert report.analysis.fiscal_year == YEAR
    html = str(report_body_html(report))
    assert "WEB 84.50 ต่ำกว่า 85 จึงได้ระดับผ่าน" in html
    assert "89.23" in html and "ผ่านดีเยี่ยม" in html  # the scoring chapter lists the levels
    text, _reader = pdf_text(report_pdf_bytes(report, cached=False))
    assert "89.23" in text
    assert "WEB84.50" in text


def test_instrument_scores_only_give_a_total_and_say_the_indicators_are_not_known(shaped):
    _edition, org, client = shaped
    response = _enter(client, org, instrument_SURV="90.00", instrument_WEB="80.00")
    assert response.status_code == 302
    result = organisation_results(organisation=org)[-1]
    # 90 × 45 % + 80 × 55 % = 40.50 + 44.00
    assert result.total == Decimal("84.50")
    assert result.level.code == "improve"
    page = client.get(reverse("assessments:year", args=[org.slug, YEAR])).content.decode()
    assert "84.50" in page
    assert "ไม่ทราบคะแนนรายตัวชี้วัดของปีนี้" in page
    assert not re.search(r"(?<![\d.])0\.00", page)  # unknown indicator scores are not zeros


def test_an_instrument_score_beside_its_complete_indicators_is_refused(shaped):
    _edition, org, client = shaped
    response = _enter(client, org, score_1="96", score_2="94", instrument_SURV="95.00")
    assert response.status_code == 200
    assert "instrument_SURV" in response.context["form"].errors
    assert not Assessment.objects.get(organisation=org).scores.exists()


def test_only_the_published_total_and_level_are_shown_as_published(shaped):
    edition, org, client = shaped
    level = edition.levels.get(code="urgent")
    response = _enter(client, org, official_total="", official_level=str(level.pk))
    assert response.status_code == 302
    result = organisation_results(organisation=org)[-1]
    assert result.shown_total is None and result.level == level
    page = client.get(reverse("assessments:year", args=[org.slug, YEAR])).content.decode()
    assert "ต้องปรับปรุงโดยด่วน" in page
    assert "ทราบเพียงระดับผลการประเมินที่ประกาศ" in page
    assert not re.search(r"(?<![\d.])0\.00", page)  # an unknown total is never a zero


def test_a_level_of_another_edition_is_not_offered(shaped):
    _edition, org, client = shaped
    other = Edition.objects.get(code="nacc-2568").levels.get(code="urgent")
    response = _enter(client, org, official_level=str(other.pk))
    assert response.status_code == 200
    assert "official_level" in response.context["form"].errors


def test_a_stale_form_is_refused_when_only_an_instrument_score_changed(shaped):
    _edition, org, client = shaped
    _enter(client, org, instrument_SURV="90.00")
    url = _year_url(org)
    token = client.get(url).context["form"]["edit_token"].value()
    assessment = Assessment.objects.get(organisation=org)
    assessment_update(
        assessment=assessment,
        scores={},
        instrument_scores={"SURV": Decimal("91.00")},
        official_total=None,
        rank=None,
        ranked_out_of=None,
        notes="",
    )
    response = client.post(url, {"edit_token": token, "instrument_SURV": "70.00"})
    assert response.status_code == 409
    assert assessment.instrument_scores.get().score == Decimal("91.00")


# --- The issue's examples, through the real 2568 edition ---------------------


@pytest.mark.parametrize(
    ("instruments", "total", "level", "reason"),
    [
        # 28.80 + 28.65 + 38.80 = 96.25
        ({"IIT": "96.00", "EIT": "95.50", "OIT": "97.00"}, "96.25", "ผ่านดีเยี่ยม", ""),
        # 29.20 + 29.20 + 37.60 = 96.00
        ({"IIT": "97.33", "EIT": "97.34", "OIT": "94.00"}, "96.00", "ผ่านดี", "OIT 94.00"),
        # 29.00 + 29.00 + 32.00 = 90.00
        ({"IIT": "96.67", "EIT": "96.67", "OIT": "80.00"}, "90.00", "ผ่าน", "OIT 80.00"),
        ({}, "84.99", "ต้องปรับปรุง", ""),
        ({}, "69.99", "ต้องปรับปรุงโดยด่วน", ""),
    ],
)
def test_the_issues_examples_on_the_2568_edition(client, instruments, total, level, reason):
    org = make_org("example")
    assessment = assessment_get_or_create(organisation=org, fiscal_year=2568)
    assert assessment.edition.code == "nacc-2568"
    assessment_update(
        assessment=assessment,
        scores={},
        instrument_scores={code: Decimal(v) for code, v in instruments.items()},
        official_total=None if instruments else Decimal(total),
        rank=None,
        ranked_out_of=None,
        notes="",
    )
    result = organisation_results(organisation=org)[-1]
    assert result.shown_total == Decimal(total)
    assert result.level.label_th == level
    assert reason in result.decision.reason
    page = client.get(reverse("assessments:year", args=["example", 2568])).content.decode()
    assert level in page
    if reason:
        assert result.decision.reason in page
