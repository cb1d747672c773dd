"""The survey question bank as edition data: the shipped banks, the XLSX round trip
(questions and question_items sheets), older workbooks and files, and the admin."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from assessments.edition_data import canonical, edition_apply, edition_snapshot
from assessments.edition_io import edition_import, edition_import_preview, edition_to_xlsx
from assessments.models import Edition, Question, QuestionItem
from assessments.surveys.bank import survey_bank
from assessments.surveys.services import responses_import, round_bank, round_create
from tests.assessments.test_edition_xlsx import edited, problems
from tests.builders import make_org

SHIPPED = ["ita-2564-2565", "nacc-2566", "nacc-2567", "nacc-2568", "nacc-2569"]


@pytest.mark.django_db
@pytest.mark.parametrize("code", SHIPPED)
def test_shipped_editions_carry_both_banks(code):
    edition = Edition.objects.get(code=code)
    iit, eit = survey_bank(edition, "IIT"), survey_bank(edition, "EIT")
    assert (len(iit.questions), len(iit.items)) == (30, 51)
    assert (len(eit.questions), len(eit.items)) == (15, 19)
    assert [g.indicator.number for g in iit.indicators] == [1, 2, 3, 4, 5]
    assert eit.verify  # the EIT outline is still to be checked
    # The 2564 IIT is the form as given; later editions are copies to verify.
    assert iit.verify is (code != "ita-2564-2565")
    reverse_items = {i.code for i in iit.items if i.reverse}
    assert {"I4.1", "I9", "I11.2"} <= reverse_items
    assert "I11.1" not in reverse_items


@pytest.mark.django_db
def test_an_edition_with_its_bank_round_trips_unchanged():
    edition = Edition.objects.get(code="nacc-2569")
    content = edition_to_xlsx(edition)
    book = load_workbook(io.BytesIO(content))
    assert {"questions", "question_items"} <= set(book.sheetnames)
    assert book["question_items"].max_row == 1 + 51 + 19
    preview = edition_import_preview(content)
    assert preview.unchanged and preview.differences == []
    before = edition_snapshot(edition)
    outcome = edition_import(data=preview.data, base=preview.base)
    assert outcome.unchanged
    assert edition_snapshot(Edition.objects.get(code="nacc-2569")) == before


@pytest.mark.django_db
def test_changing_a_question_and_a_reverse_flag_through_the_workbook():
    edition = Edition.objects.get(code="nacc-2569")
    content = edited(
        edition,
        [
            ("questions", "I2", "text_th", "ข้อความใหม่ของคำถาม"),
            ("question_items", "I11.2", "reverse", False),
        ],
    )
    preview = edition_import_preview(content)
    assert not preview.unchanged
    assert any("I2" in line for line in preview.differences)
    assert any("I11.2" in line for line in preview.differences)
    edition_import(data=preview.data, base=preview.base)
    assert Question.objects.get(edition=edition, code="I2").text_th == "ข้อความใหม่ของคำถาม"
    assert not QuestionItem.objects.get(question__edition=edition, code="I11.2").reverse
    # Everything else is as it was.
    assert QuestionItem.objects.filter(question__edition=edition).count() == 70


@pytest.mark.django_db
def test_a_removed_sub_item_without_answers_is_deleted():
    edition = Edition.objects.get(code="nacc-2569")
    preview = edition_import_preview(edited(edition, [("question_items", "I11.2", None, None)]))
    edition_import(data=preview.data, base=preview.base)
    assert not QuestionItem.objects.filter(question__edition=edition, code="I11.2").exists()


@pytest.mark.django_db
def test_removing_a_sub_item_that_answers_use_is_refused():
    org = make_org("office")
    survey_round = round_create(
        organisation=org,
        fiscal_year=2569,
        instrument_code="IIT",
        opens_on=dt.date(2025, 10, 1),
        closes_on=dt.date(2026, 9, 30),
    )
    bank = round_bank(survey_round)
    row = {item.code: 0 for item in bank.items}
    responses_import(survey_round=survey_round, rows=[row], day=dt.date(2026, 1, 5), bank=bank)
    edition = Edition.objects.get(code="nacc-2569")
    content = edited(edition, [("question_items", "I11.2", None, None)])
    errors = problems(content)
    assert len(errors) == 1
    assert "I11.2" in errors[0] and "question_items" in errors[0]
    with translation.override("en"):
        english = problems(content)
    assert "recorded answers use it" in english[0]
    assert QuestionItem.objects.filter(question__edition=edition, code="I11.2").exists()


@pytest.mark.django_db
def test_a_workbook_from_before_the_banks_still_imports_and_keeps_the_bank():
    edition = Edition.objects.get(code="nacc-2569")
    book = load_workbook(io.BytesIO(edition_to_xlsx(edition)))
    del book["questions"]
    del book["question_items"]
    # An item's title changed, as an operator would with an old workbook.
    sheet = book["items"]
    titles = [c.value for c in sheet[1]].index("title_th") + 1
    sheet.cell(2, titles).value = "ชื่อใหม่"
    buffer = io.BytesIO()
    book.save(buffer)
    preview = edition_import_preview(buffer.getvalue())
    assert preview.differences and not any("question" in line for line in preview.differences)
    edition_import(data=preview.data, base=preview.base)
    assert survey_bank(edition, "IIT").items and len(survey_bank(edition, "IIT").items) == 51
    assert edition.items.filter(title_th="ชื่อใหม่").exists()


@pytest.mark.django_db
def test_an_edition_file_without_questions_still_loads():
    data = edition_snapshot(Edition.objects.get(code="nacc-2569"))
    data.pop("questions")
    data.pop("question_items")
    raw = {
        "edition": {
            **data["edition"],
            "code": "test-no-bank",
            "first_year": 2590,
            "last_year": 2590,
        },
        **{
            section: [{KEY: key, **row} for key, row in rows.items() for KEY in [_key(section)]]
            for section, rows in data.items()
            if section != "edition"
        },
    }
    edition, created, _changed = edition_apply(canonical(raw, source="test"))
    assert created > 0
    assert not edition.questions.exists()
    assert not survey_bank(edition, "IIT")


def _key(section: str) -> str:
    from assessments.edition_data import KEY_FIELD

    return KEY_FIELD[section]


# --- The admin ------------------------------------------------------------------------


@pytest.fixture
def operator(client, db):
    user = get_user_model().objects.create_superuser("op", "op@example.com", "a-long-password-1")
    client.force_login(user)
    return user


@pytest.mark.django_db
def test_admin_lists_questions_with_filters_and_search(client, operator):
    url = reverse("admin:assessments_question_changelist")
    edition = Edition.objects.get(code="nacc-2569")
    response = client.get(url, {"edition__id__exact": edition.pk, "instrument": "EIT"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 15
    response = client.get(url, {"q": "I11"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == len(SHIPPED)


@pytest.mark.django_db
def test_admin_refuses_to_remove_a_sub_item_with_answers(client, operator):
    org = make_org("office")
    survey_round = round_create(
        organisation=org,
        fiscal_year=2569,
        instrument_code="IIT",
        opens_on=dt.date(2025, 10, 1),
        closes_on=dt.date(2026, 9, 30),
    )
    bank = round_bank(survey_round)
    responses_import(
        survey_round=survey_round,
        rows=[{item.code: 0 for item in bank.items}],
        day=dt.date(2026, 1, 5),
        bank=bank,
    )
    question = Question.objects.get(edition__code="nacc-2569", code="I11")
    url = reverse("admin:assessments_question_change", args=[question.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    data = {name: form.initial.get(name, "") for name in form.fields}
    data.update(
        {
            "edition": question.edition_id,
            "indicator": question.indicator_id,
            "verify": "on" if question.verify else "",
            "reverse": "",
        }
    )
    data = {k: v for k, v in data.items() if v not in ("", None, False)}
    items = list(question.items.order_by("number"))
    prefix = "items"
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": len(items),
            f"{prefix}-INITIAL_FORMS": len(items),
            f"{prefix}-MIN_NUM_FORMS": 0,
            f"{prefix}-MAX_NUM_FORMS": 1000,
        }
    )
    for n, item in enumerate(items):
        data.update(
            {
                f"{prefix}-{n}-id": item.pk,
                f"{prefix}-{n}-question": question.pk,
                f"{prefix}-{n}-number": item.number,
                f"{prefix}-{n}-code": item.code,
                f"{prefix}-{n}-text_th": item.text_th,
            }
        )
        if item.reverse:
            data[f"{prefix}-{n}-reverse"] = "on"
    data[f"{prefix}-1-DELETE"] = "on"
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with the refusal
    formset = response.context["inline_admin_formsets"][0].formset
    assert response.context["adminform"].form.errors == {}
    assert len(formset.non_form_errors()) == 1
    assert "I11.2" in formset.non_form_errors()[0]
    # Without the deletion the same form saves: the refusal was the deletion's.
    del data[f"{prefix}-1-DELETE"]
    assert client.post(url, data).status_code == 302
    assert QuestionItem.objects.filter(question=question, code="I11.2").exists()


@pytest.mark.django_db
def test_admin_has_no_pages_for_responses_answers_or_codes(client, operator):
    from django.contrib import admin

    from assessments.models import Answer, OneTimeCode, Response, SampleRule, SurveyRound

    registered = admin.site._registry
    assert Question in registered and SampleRule in registered and SurveyRound in registered
    assert Response not in registered
    assert Answer not in registered
    assert OneTimeCode not in registered
    assert client.get(reverse("admin:assessments_surveyround_changelist")).status_code == 200
    assert client.get(reverse("admin:assessments_samplerule_changelist")).status_code == 200
