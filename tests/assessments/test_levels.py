"""Result levels as rules: a minimum total and, optionally, a minimum for every
instrument's own score."""

from decimal import Decimal

import pytest
from django.utils import translation

from assessments.levels import decide_level, level_label
from assessments.models import ResultLevel
from assessments.scoring import year_result
from assessments.services import assessment_get_or_create, assessment_update
from tests.builders import make_org
from tests.editions import NEW_LEVELS, make_edition, two_instrument_edition

D = Decimal


@pytest.fixture
def levels(db):
    edition = make_edition(
        code="levels-test",
        first_year=2591,
        instruments=[("IIT", "30", [1]), ("EIT", "30", [2]), ("OIT", "40", [3])],
    )
    return list(ResultLevel.objects.filter(edition=edition))


def decide(levels, total, iit, eit, oit):
    return decide_level(
        levels,
        total=D(total),
        instruments={"IIT": D(iit), "EIT": D(eit), "OIT": D(oit)},
    )


@pytest.mark.parametrize(
    ("total", "iit", "eit", "oit", "expected"),
    [
        ("96.40", "96.00", "95.50", "97.00", "ผ่านดีเยี่ยม"),
        ("96.00", "98.00", "97.00", "94.00", "ผ่านดี"),
        ("90.00", "98.00", "96.00", "80.00", "ผ่าน"),
        ("84.99", "90.00", "90.00", "90.00", "ต้องปรับปรุง"),
        ("69.99", "60.00", "70.00", "75.00", "ต้องปรับปรุงโดยด่วน"),
        ("70.00", "60.00", "70.00", "75.00", "ต้องปรับปรุง"),
        ("85.00", "85.00", "85.00", "85.00", "ผ่านดี"),
        ("95.00", "95.00", "95.00", "95.00", "ผ่านดีเยี่ยม"),
        ("100.00", "100.00", "100.00", "94.99", "ผ่านดี"),
    ],
)
def test_levels_from_total_and_every_instrument(levels, total, iit, eit, oit, expected):
    assert decide(levels, total, iit, eit, oit).level.label_th == expected


def test_the_reason_names_the_instrument_that_held_the_level_back(levels):
    with translation.override("th"):
        decision = decide(levels, "94.64", "96.00", "84.50", "99.00")
        assert decision.level.label_th == "ผ่าน"
        assert decision.reason == "EIT 84.50 ต่ำกว่า 85 จึงได้ระดับผ่าน"
    with translation.override("en"):
        assert decision.reason == "EIT 84.50 is below 85, so the level is ผ่าน"


def test_no_reason_when_the_total_alone_decides(levels):
    decision = decide(levels, "84.99", "99.00", "99.00", "50.00")
    assert decision.level.label_th == "ต้องปรับปรุง"
    assert decision.reason == ""
    assert decision.passed is False


def test_an_unknown_instrument_score_cannot_confirm_a_level_that_needs_it(levels):
    with translation.override("th"):
        decision = decide_level(levels, total=D("97.00"), instruments={"IIT": None, "EIT": D("99")})
        assert decision.level.label_th == "ผ่าน"
        assert "IIT" in decision.reason


def test_no_total_no_level(levels):
    assert decide_level(levels, total=None, instruments={}).level is None


def test_letters_stay_letters_for_2564(edition):
    assert level_label(edition.levels.get(code="AA")) == "AA"
    assert [lv.grade for lv in sorted(edition.levels.all(), key=lambda lv: lv.sort_key())] == [
        "AA",
        "A",
        "B",
        "C",
        "D",
        "E",
        "F",
    ]


def test_a_two_instrument_edition_decides_its_level_from_its_own_instruments(db):
    edition = two_instrument_edition()
    org = make_org("two")
    assessment = assessment_get_or_create(organisation=org, fiscal_year=2590)
    assert assessment.edition == edition
    assessment_update(
        assessment=assessment,
        scores={1: D("99.00"), 2: D("97.00"), 3: D("90.00"), 4: D("80.00")},
        official_total=None,
        rank=None,
        ranked_out_of=None,
        notes="",
    )
    result = year_result(assessment=assessment)
    # SURV 98.00 × 45 % = 44.10; WEB 85.00 × 55 % = 46.75; total 90.85.
    assert [i.score for i in result.instruments] == [D("98.00"), D("85.00")]
    assert result.total == D("90.85")
    assert result.level.label_th == "ผ่านดี"
    assert result.indicators[3].passed is False  # 80 < the pass mark 85
    assert len(NEW_LEVELS) == edition.levels.count()
