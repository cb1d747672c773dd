"""The demo shows the levels from 2566 on, including one held back by an instrument."""

from django.utils import translation

from assessments.demo import demo_load
from assessments.models import Organisation
from assessments.scoring import organisation_results


def test_demo_years_from_2566_carry_the_new_levels_with_reasons(db):
    demo_load()
    by_year = {
        r.fiscal_year: r
        for r in organisation_results(organisation=Organisation.objects.get(slug="demo"))
    }
    assert [by_year[y].level_label for y in (2564, 2565)] == ["A", "AA"]
    assert [by_year[y].level_label for y in (2566, 2567, 2568, 2569)] == [
        "ผ่านดี",
        "ผ่าน",
        "ผ่านดีเยี่ยม",
        "ผ่านดี",
    ]
    with translation.override("th"):
        assert by_year[2567].decision.reason == "EIT 84.43 ต่ำกว่า 85 จึงได้ระดับผ่าน"
    assert not any(by_year[y].official_mismatch for y in by_year)
    # 2569's indicators below the office's threshold are what 2570's measures address.
    assert [r.indicator.number for r in by_year[2569].to_develop] == [2, 9]


def test_the_schools_later_years_use_what_is_known(db):
    demo_load()
    school = {
        r.fiscal_year: r
        for r in organisation_results(organisation=Organisation.objects.get(slug="demo-school"))
    }
    assert not school[2566].has_indicator_scores
    assert str(school[2566].total) == "79.79"
    assert school[2566].level.label_th == "ต้องปรับปรุง"
    # 2567: only the published total and level.
    assert school[2567].total is None and str(school[2567].shown_total) == "86.40"
    assert school[2567].level.label_th == "ผ่าน"
    assert school[2568].level.label_th == "ผ่าน" and "OIT 80.77" in school[2568].decision.reason
