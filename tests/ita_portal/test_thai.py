import datetime as dt

import pytest
from django.template import Context, Template

from ita_portal import thai


def test_thai_date_in_buddhist_era_with_thai_month():
    assert thai.thai_date(dt.date(2024, 6, 11)) == "11 มิถุนายน 2567"


def test_thai_date_with_thai_digits():
    assert thai.thai_date(dt.date(2024, 6, 11), digits=True) == "๑๑ มิถุนายน ๒๕๖๗"


def test_thai_date_short_month():
    assert thai.thai_date(dt.date(2023, 1, 5), short=True) == "5 ม.ค. 2566"


def test_thai_digits_keeps_other_characters():
    assert thai.thai_digits("ข้อ 32/2567 คะแนน 91.50") == "ข้อ ๓๒/๒๕๖๗ คะแนน ๙๑.๕๐"


@pytest.mark.parametrize(
    ("day", "fiscal_year"),
    [
        (dt.date(2022, 9, 30), 2565),
        (dt.date(2022, 10, 1), 2566),
        (dt.date(2023, 9, 30), 2566),
        (dt.date(2023, 1, 1), 2566),
    ],
)
def test_fiscal_year_of_a_date(day, fiscal_year):
    assert thai.fiscal_year_of(day) == fiscal_year


def test_fiscal_year_bounds():
    assert thai.fiscal_year_start(2566) == dt.date(2022, 10, 1)
    assert thai.fiscal_year_end(2566) == dt.date(2023, 9, 30)


def test_be_year_of_date_and_int():
    assert thai.be_year(dt.date(2023, 5, 1)) == 2566
    assert thai.be_year(2023) == 2566


def test_template_filters():
    template = Template(
        "{% load thai %}{{ d|thai_date }}|{{ d|thai_date:'digits' }}|{{ d|thai_date:'short,digits' }}"
        "|{{ n|thai_digits }}|{{ s|score }}|{{ delta|signed }}|{{ none|score }}"
    )
    from decimal import Decimal

    out = template.render(
        Context(
            {
                "d": dt.date(2024, 6, 11),
                "n": 2567,
                "s": Decimal("91.5"),
                "delta": Decimal("3.83"),
                "none": None,
            }
        )
    )
    assert out == "11 มิถุนายน 2567|๑๑ มิถุนายน ๒๕๖๗|๑๑ มิ.ย. ๒๕๖๗|๒๕๖๗|91.50|+3.83|–"


def test_thai_digits_filter_can_be_switched_off():
    template = Template("{% load thai %}{{ n|thai_digits:flag }}")
    assert template.render(Context({"n": 12, "flag": False})) == "12"
    assert template.render(Context({"n": 12, "flag": True})) == "๑๒"


def test_parse_thai_date_reads_the_ways_staff_write_dates():
    import datetime as dt

    import pytest

    from ita_portal.thai import parse_thai_date

    day = dt.date(2023, 9, 30)
    for text in (
        "2023-09-30",
        "30/9/2566",
        "30-09-2566",
        "30.9.2023",
        "๓๐/๙/๒๕๖๖",
        "30 ก.ย. 2566",
        "30 เดือนกันยายน พ.ศ. 2566",
        dt.date(2566, 9, 30),
    ):
        assert parse_thai_date(text) == day, text
    assert parse_thai_date("  ") is None
    for bad in ("31/2/2566", "30/9/66", "next week", "30 บ้าน 2566"):
        with pytest.raises(ValueError):
            parse_thai_date(bad)
