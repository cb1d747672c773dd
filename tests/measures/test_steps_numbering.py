"""Steps as offices write them (issue 15, point 3): one numbering 1, 1.1, 1.1.1, never
doubled; responsible on several lines; month-only dates; the staff form's level per step."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.urls import reverse

from assessments.models import Role
from measures.models import Measure
from measures.services import measure_steps_set
from measures.steps import numbered, step_split, steps_from_lines
from measures.templatetags.documents import lines, month_or_date, numbered_steps
from tests.builders import make_user
from tests.measures.builders import make_measure


def _labels(steps) -> list[tuple[str, str]]:
    return [tuple(step) for step in numbered(steps)]


def test_one_numbering_for_nested_steps():
    steps = [(0, "ก"), (1, "ข"), (1, "ค"), (2, "ง"), (2, "จ"), (0, "ฉ"), (1, "ช")]
    assert _labels(steps) == [
        ("1", "ก"),
        ("1.1", "ข"),
        ("1.2", "ค"),
        ("1.2.1", "ง"),
        ("1.2.2", "จ"),
        ("2", "ฉ"),
        ("2.1", "ช"),
    ]


@pytest.mark.parametrize(
    "typed",
    ["1.1 ประชุม", "๑.๑ ประชุม", "1.1. ประชุม", "  1.1  ประชุม", "1.1ประชุม"],
)
def test_a_step_typed_with_its_own_number_is_never_numbered_twice(typed):
    assert _labels([(0, "แต่งตั้ง"), (1, typed)]) == [("1", "แต่งตั้ง"), ("1.1", "ประชุม")]


@pytest.mark.parametrize("typed", ["1. ประชุม", "1) ประชุม", "(1) ประชุม", "๑) ประชุม"])
def test_a_first_level_number_is_stripped_too(typed):
    assert _labels([(0, typed)]) == [("1", "ประชุม")]


@pytest.mark.parametrize("text", ["30 วัน ต้องตอบ", "ปี 2566", "3,000 บาท", "O10 เผยแพร่"])
def test_text_that_only_starts_with_a_number_is_kept(text):
    assert step_split(text) == (None, text)
    assert _labels([(0, text)]) == [("1", text)]


def test_a_level_too_deep_for_its_place_is_one_below_the_step_before():
    # A first step is a step; a sub-sub-step after a step is its sub-step.
    assert _labels([(2, "ก"), (2, "ข")]) == [("1", "ก"), ("1.1", "ข")]


def test_lines_read_the_level_from_the_number():
    text = "1. ก\r\n1.1 ข\n\n1.1.1 ค\n2) ง\nจ"
    assert steps_from_lines(text) == [(0, "ก"), (1, "ข"), (2, "ค"), (0, "ง"), (0, "จ")]


def test_filters_numbered_steps_lines_and_month_or_date():
    assert [tuple(s) for s in numbered_steps(None)] == []
    assert lines("กลุ่มอำนวยการ\r\n\r\n  ทุกกลุ่มงาน ") == ["กลุ่มอำนวยการ", "ทุกกลุ่มงาน"]
    september = dt.date(2023, 9, 30)
    assert month_or_date(september, True) == "กันยายน 2566"
    assert month_or_date(september, False) == "30 กันยายน 2566"
    assert month_or_date(None, True) == ""


@pytest.mark.django_db
def test_the_template_filter_numbers_a_measures_saved_steps(org):
    measure = make_measure(org, 2566, steps=[(0, "๑. แต่งตั้ง"), (1, "1.1 ประชุม"), (0, "ติดตาม")])
    html = Template(
        "{% load documents %}{% for label, text in steps|numbered_steps %}[{{ label }}|{{ text }}]"
        "{% endfor %}"
    ).render(Context({"steps": measure.steps.all()}))
    assert html == "[1|แต่งตั้ง][1.1|ประชุม][2|ติดตาม]"


@pytest.mark.django_db
def test_saving_clamps_levels_to_one_below_the_step_before(org):
    measure = make_measure(org, 2566, steps=[])
    measure_steps_set(measure=measure, steps=[(1, "ก"), (2, "ข"), (5, "ค"), "ง"])
    assert [(s.depth, s.text) for s in measure.steps.all()] == [
        (0, "ก"),
        (1, "ข"),
        (2, "ค"),
        (0, "ง"),
    ]


# --- The staff form: a level select per step ------------------------------------


@pytest.fixture
def editor_client(client, org):
    client.force_login(make_user("editor", org, Role.EDITOR))
    return client


@pytest.mark.django_db
def test_the_measure_form_shows_a_level_per_step_and_saves_it(editor_client, org):
    measure = make_measure(org, 2566, steps=[(0, "แต่งตั้ง"), (1, "ประชุม")])
    url = reverse("measures_staff:measure", args=["office", measure.pk])
    page = editor_client.get(url).text
    assert page.count('name="steps-depth"') >= 5  # two saved, at least three empty
    assert '<option value="1" selected>' in page
    form = {
        "title": measure.title,
        "steps-depth": ["0", "1", "2", "0", "0"],
        "steps-text": ["แต่งตั้ง", "ประชุม", "กำหนดวัน", "", "ติดตาม"],
        "due_date": "30/9/2566",
        "due_month_only": "on",
        "edit_token": _token(editor_client, url),
    }
    response = editor_client.post(url, form)
    assert response.status_code == 302
    measure.refresh_from_db()
    assert [(s.depth, s.text) for s in measure.steps.all()] == [
        (0, "แต่งตั้ง"),
        (1, "ประชุม"),
        (2, "กำหนดวัน"),
        (0, "ติดตาม"),
    ]
    assert measure.due_month_only is True


@pytest.mark.django_db
def test_a_level_that_is_not_offered_is_refused(editor_client, org):
    measure = make_measure(org, 2566, steps=["ก"])
    url = reverse("measures_staff:measure", args=["office", measure.pk])
    form = {
        "title": measure.title,
        "steps-depth": ["7"],
        "steps-text": ["ก"],
        "edit_token": _token(editor_client, url),
    }
    response = editor_client.post(url, form)
    assert response.status_code == 400
    assert [(s.depth, s.text) for s in Measure.objects.get().steps.all()] == [(0, "ก")]


@pytest.mark.django_db
def test_moving_a_step_to_another_level_counts_as_a_change_for_stale_edits(two_editors, org):
    _first, second = two_editors
    measure = make_measure(org, 2566, steps=[(0, "ก"), (0, "ข")])
    url = reverse("measures_staff:measure", args=["office", measure.pk])
    token = _token(second, url)
    measure_steps_set(measure=measure, steps=[(0, "ก"), (1, "ข")])
    form = {
        "title": measure.title,
        "steps-depth": ["0", "0"],
        "steps-text": ["ก", "ข ใหม่"],
        "edit_token": token,
    }
    assert second.post(url, form).status_code == 409


def _token(client, url: str) -> str:
    from tests.builders import form_token

    return form_token(client, url)
