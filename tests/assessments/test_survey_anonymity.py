"""Nothing that identifies a respondent is stored with the answers (issue 14, point 5).

A logged-in staff member answers with a known address and browser; afterwards no
column of the response or its answers holds the user, the address, the browser,
the code or a time finer than the day, and the used code points at nothing.
"""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.db import connection
from django.utils import timezone

from assessments.models import SCALE_CHOICES, Answer, OneTimeCode, Response
from assessments.surveys.services import codes_generate, round_bank, round_create
from tests.builders import make_user

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.77"
BROWSER = "Mozilla/5.0 (Linux; Android 14; SM-A546E) UniqueBrowser/123.4"


def _round(org, **fields):
    today = timezone.localdate()
    return round_create(
        organisation=org,
        fiscal_year=2569,
        instrument_code=fields.pop("instrument_code", "IIT"),
        opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=10),
        **fields,
    )


def _answers(survey_round) -> dict[str, str]:
    bank = round_bank(survey_round)
    return {
        item.code: str(SCALE_CHOICES[q.scale][1].value)
        for q in bank.questions
        for item in q.items.all()
    }


def _row_values(model) -> list[str]:
    """Every column of every row of the table, read as text from the database itself."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - our own table name
        return [str(value) for row in cursor.fetchall() for value in row]


@pytest.fixture
def staff_client(client, org):
    user = make_user("kanya", org, email="kanya@example.go.th", first_name="กัญญา")
    client.force_login(user)
    return client, user


@pytest.mark.parametrize("uses_codes", [True, False])
def test_a_logged_in_respondent_leaves_no_trace_in_the_answers(staff_client, org, uses_codes):
    client, user = staff_client
    survey_round = _round(org, uses_codes=uses_codes)
    data = _answers(survey_round)
    code = None
    if uses_codes:
        (code,) = codes_generate(survey_round=survey_round, count=1)
        data["code"] = code.code
    response = client.post(
        f"/s/{survey_round.code}/",
        data,
        REMOTE_ADDR=ADDRESS,
        HTTP_USER_AGENT=BROWSER,
        HTTP_X_FORWARDED_FOR=ADDRESS,
    )
    assert response.status_code == 302

    stored = Response.objects.get()
    assert type(stored.submitted_on) is dt.date  # a day, not a time
    assert stored.submitted_on == timezone.localdate()
    # The columns are what the model promises, and nothing else.
    response_columns = {f.column for f in Response._meta.concrete_fields}
    assert response_columns == {"id", "round_id", "submitted_on", "source"}
    answer_columns = {f.column for f in Answer._meta.concrete_fields}
    assert answer_columns == {"id", "response_id", "item_code", "value"}

    values = _row_values(Response) + _row_values(Answer)
    forbidden = [ADDRESS, BROWSER, "UniqueBrowser", user.username, user.email, "กัญญา"]
    for text in forbidden:
        assert not any(text in value for value in values), text
    # The user's id is not in any column (the only integers are answers and row ids).
    response_row = Response.objects.values().get()
    assert set(response_row) == {"id", "round_id", "submitted_on", "source"}
    assert response_row["round_id"] == survey_round.pk
    if code is not None:
        assert not any(code.code in value for value in values)
        code.refresh_from_db()
        assert code.used
        code_columns = {f.column for f in OneTimeCode._meta.concrete_fields}
        assert code_columns == {"id", "round_id", "code", "used"}  # no response, no time


def test_no_cookie_holds_anything_but_answered(staff_client, org):
    client, _user = staff_client
    survey_round = _round(org, instrument_code="EIT")
    response = client.post(f"/s/{survey_round.code}/", _answers(survey_round), REMOTE_ADDR=ADDRESS)
    assert response.status_code == 302
    cookie = response.cookies[f"survey_answered_{survey_round.code}"]
    # The signed value is "1" and its signature: the same for every respondent of the round.
    assert cookie.value.split(":")[0] == "1"
    response_id = str(Response.objects.get().pk)
    assert all(response_id not in morsel.value for morsel in response.cookies.values())
    assert response_id not in response["Location"]


def test_the_thanks_page_shows_nothing_of_the_response(client, org):
    survey_round = _round(org)
    response = client.post(f"/s/{survey_round.code}/", _answers(survey_round), follow=True)
    page = response.content.decode()
    assert str(Response.objects.get().pk) not in page
    assert "ขอบคุณ" in page


def test_answers_are_not_logged(client, org, caplog):
    caplog.set_level(logging.DEBUG)
    survey_round = _round(org, uses_codes=True)
    (code,) = codes_generate(survey_round=survey_round, count=1)
    data = _answers(survey_round) | {"code": code.code}
    client.post(f"/s/{survey_round.code}/", data, REMOTE_ADDR=ADDRESS)
    # A refused one too (the code is used now).
    client.post(f"/s/{survey_round.code}/", data, REMOTE_ADDR=ADDRESS)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert code.code not in logged
    assert "I1.1" not in logged
    assert ADDRESS not in logged


def test_responses_of_a_day_cannot_be_told_apart_by_order(client, org):
    # Random keys: the order of the rows says nothing about who answered first.
    survey_round = _round(org, uses_codes=True)
    codes = codes_generate(survey_round=survey_round, count=3)
    for code in codes:
        data = _answers(survey_round) | {"code": code.code}
        assert client.post(f"/s/{survey_round.code}/", data).status_code == 302
    days = set(Response.objects.values_list("submitted_on", flat=True))
    assert days == {timezone.localdate()}
    assert all(len(str(pk)) == 36 for pk in Response.objects.values_list("pk", flat=True))
