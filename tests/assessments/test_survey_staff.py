"""Staff pages of survey rounds: access, opening a round, scores, codes, e-mail, schools."""

from __future__ import annotations

import csv
import io
import smtplib

import pytest
import time_machine
from django.apps import apps
from django.core import mail
from django.db import models
from django.urls import resolve, reverse

from assessments.models import OneTimeCode, Role, SurveyRound
from assessments.surveys.scores import round_scores
from tests.builders import make_org, make_user

from .survey_staff_builders import CLOSES, DAY, OPENS, YEAR, answer_all, make_round

pytestmark = pytest.mark.django_db


class FailingBackend:
    """A mail server that refuses every message."""

    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        return True

    def close(self):
        pass

    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({"x": (550, b"refused")})


class DownBackend(FailingBackend):
    """A mail server that cannot be reached at all."""

    def open(self):
        raise ConnectionRefusedError


@pytest.fixture
def office(db):
    return make_org("office", name_th="สำนักงานทดสอบ")


def login(client, org, role=Role.EDITOR, name="staffer"):
    user = make_user(name, org, role)
    client.force_login(user)
    return user


def url(name, org, *args):
    return reverse(f"surveys_staff:{name}", args=[org.slug, *args])


# --- The list ---------------------------------------------------------------------


def test_members_see_the_list_and_viewers_get_no_form(client, office):
    make_round(office)
    login(client, office, Role.VIEWER)
    response = client.get(url("surveys", office))
    assert response.status_code == 200
    assert b"IIT" in response.content
    assert b'name="opens_on"' not in response.content


def test_another_organisations_member_gets_404(client, office):
    make_round(office)
    other = make_org("other")
    login(client, other, Role.ADMINISTRATOR)
    assert client.get(url("surveys", office)).status_code == 404
    assert client.get(url("round", office, YEAR, "IIT")).status_code == 404
    assert client.post(url("round-edit", office, YEAR, "IIT"), {}).status_code == 404


def test_anonymous_is_sent_to_login(client, office):
    response = client.get(url("surveys", office))
    assert response.status_code == 302
    assert reverse("staff:login") in response["Location"]


def test_wrong_instrument_or_year_is_404(client, office):
    make_round(office)
    login(client, office)
    assert client.get(url("round", office, YEAR, "EIT")).status_code == 404
    assert client.get(url("round", office, YEAR - 1, "IIT")).status_code == 404
    assert client.get(url("round", office, 1999, "IIT")).status_code == 404


def test_the_list_queries_do_not_grow_with_rounds(client, office, django_assert_max_num_queries):
    login(client, office)
    make_round(office)
    with django_assert_max_num_queries(30) as few:
        client.get(url("surveys", office))
    for year in (2566, 2567, 2568):
        make_round(office, year=year)
        make_round(office, "EIT", year=year)
    make_round(office, "EIT")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url("surveys", office))
    assert response.content.count(b"<progress") == 8


# --- Opening and changing a round --------------------------------------------------


def _create(client, org, **data):
    payload = {
        "fiscal_year": YEAR,
        "instrument": "IIT",
        "opens_on": "2026-01-05",
        "closes_on": "2026-02-27",
        "population": "40",
    }
    payload.update(data)
    return client.post(url("surveys", org), payload)


def test_an_editor_opens_a_round(client, office):
    login(client, office)
    response = _create(client, office, uses_codes="on")
    survey_round = SurveyRound.objects.get(organisation=office)
    assert response.status_code == 302
    assert response["Location"] == url("round", office, YEAR, "IIT")
    assert (survey_round.opens_on, survey_round.closes_on) == (OPENS, CLOSES)
    assert survey_round.population == 40 and survey_round.uses_codes


def test_codes_are_not_for_the_eit(client, office):
    login(client, office)
    _create(client, office, instrument="EIT", uses_codes="on")
    assert not SurveyRound.objects.get(organisation=office).uses_codes


def test_closing_before_opening_is_a_thai_field_error(client, office):
    login(client, office)
    response = _create(client, office, opens_on="2026-03-01", closes_on="2026-02-01")
    assert response.status_code == 400
    assert "วันปิดรับคำตอบอยู่ก่อนวันเปิด" in response.content.decode()
    assert not SurveyRound.objects.exists()


def test_a_duplicate_round_is_refused_in_thai(client, office):
    make_round(office)
    login(client, office)
    response = _create(client, office)
    assert response.status_code == 400
    assert "มีรอบการสำรวจ IIT ของปี 2569 อยู่แล้ว" in response.content.decode()
    assert SurveyRound.objects.count() == 1


@pytest.mark.parametrize("role", [Role.VIEWER, Role.COMPLAINT_OFFICER])
def test_readers_cannot_open_or_change_a_round(client, office, role):
    make_round(office)
    login(client, office, role)
    assert _create(client, office, instrument="EIT").status_code == 404
    assert client.get(url("round-edit", office, YEAR, "IIT")).status_code == 404
    assert SurveyRound.objects.count() == 1


def test_an_editor_changes_dates_and_population(client, office):
    make_round(office)
    login(client, office)
    response = client.post(
        url("round-edit", office, YEAR, "IIT"),
        {"opens_on": "5/1/2569", "closes_on": "31/3/2569", "population": "12"},
    )
    assert response.status_code == 302
    survey_round = SurveyRound.objects.get()
    assert survey_round.closes_on.isoformat() == "2026-03-31"
    assert survey_round.population == 12 and not survey_round.uses_codes


# --- Scores ----------------------------------------------------------------------------


def test_below_five_responses_no_figure_is_shown(client, office):
    survey_round = make_round(office)
    answer_all(survey_round, 4)
    login(client, office, Role.VIEWER)
    page = client.get(url("round", office, YEAR, "IIT")).content.decode()
    assert "ผลจะแสดงเมื่อมีผู้ตอบอย่างน้อย 5 คน" in page
    assert "100.00" not in page and "0.00" not in page
    download = client.get(url("scores-download", office, YEAR, "IIT", "csv"))
    assert download.status_code == 302  # refused: back to the round with the message


def test_at_five_responses_scores_show_weakest_question_first(client, office):
    survey_round = make_round(office)
    bank = answer_all(survey_round, 4)
    # Two questions made weak on purpose: every sub-item of the first at 33, the second at 67.
    four_levels = [q for q in bank.questions if q.scale == "scale4"]
    weak, weaker = four_levels[3], four_levels[8]
    assert bank.questions[0] not in (weak, weaker)
    chosen = {}
    for question, score in ((weaker, 33), (weak, 67)):
        for item in question.items.all():
            chosen[item.code] = 100 - score if item.reverse else score
    answer_all(survey_round, 1, chosen)
    login(client, office, Role.VIEWER)
    page = client.get(url("round", office, YEAR, "IIT")).content.decode()
    assert "ผลจะแสดงเมื่อมีผู้ตอบอย่างน้อย 5 คน" not in page
    # Means over 5 respondents: 4 × 100 + 33 = 86.60; 4 × 100 + 67 = 93.40.
    first = page.index(f"<strong>{weaker.code}</strong>")
    second = page.index(f"<strong>{weak.code}</strong>")
    untouched = page.index(f"<strong>{bank.questions[0].code}</strong>")
    assert first < second < untouched
    assert "86.60" in page and "93.40" in page
    scores = round_scores(survey_round)
    assert [q.question.code for q in scores.weakest[:2]] == [weaker.code, weak.code]


def test_scores_download_is_aggregate_only(client, office):
    survey_round = make_round(office)
    answer_all(survey_round, 5)
    login(client, office, Role.VIEWER)
    response = client.get(url("scores-download", office, YEAR, "IIT", "csv"))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][3] == "100.00"
    assert {row[4] for row in rows[1:]} == {"5"}  # the number of responses, on every row
    assert len(rows) - 1 == 1 + 5 + 30 + sum(
        len(q.items.all()) for q in round_scores(survey_round).bank.questions if q.items.count() > 1
    )
    xlsx = client.get(url("scores-download", office, YEAR, "IIT", "xlsx"))
    assert xlsx.content[:2] == b"PK"
    assert client.get(url("scores-download", office, YEAR, "IIT", "pdf")).status_code == 404


# --- One-time codes ---------------------------------------------------------------------


def test_codes_page_counts_and_generates(client, office):
    survey_round = make_round(office, uses_codes=True)
    login(client, office)
    response = client.post(url("codes", office, YEAR, "IIT"), {"count": "12"})
    assert response.status_code == 302
    OneTimeCode.objects.filter(pk=OneTimeCode.objects.first().pk).update(used=True)
    page = client.get(url("codes", office, YEAR, "IIT")).content.decode()
    assert survey_round.codes.count() == 12
    assert '<div class="value">11</div>' in page  # unused
    assert OneTimeCode.objects.first().code not in page  # never which code


def test_codes_pages_do_not_exist_without_codes(client, office):
    make_round(office)
    login(client, office)
    assert client.get(url("codes", office, YEAR, "IIT")).status_code == 404
    assert client.get(url("codes-slips", office, YEAR, "IIT")).status_code == 404


def _all_text_values() -> str:
    """Every text value stored in every table (to look for an e-mail address)."""
    found = []
    for model in apps.get_models():
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        if fields:
            for row in model._default_manager.values_list(*fields):
                found.extend(str(value) for value in row)
    return "\n".join(found)


@time_machine.travel(DAY)
def test_emailed_links_one_per_address_and_addresses_not_kept(client, office, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    survey_round = make_round(office, uses_codes=True)
    login(client, office)
    response = client.post(
        url("codes-email", office, YEAR, "IIT"),
        {"addresses": "somchai@example.go.th\n\nsomsri@example.go.th\nSomchai@example.go.th"},
    )
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["somchai@example.go.th", "somsri@example.go.th"]
    codes = set(survey_round.codes.values_list("code", flat=True))
    assert len(codes) == 2
    for message in mail.outbox:
        link = next(line for line in message.body.splitlines() if "/s/" in line and "://" in line)
        path = "/" + link.split("://", 1)[1].split("/", 1)[1]
        assert path.startswith(f"/s/{survey_round.code}/")
        code = path.rstrip("/").rsplit("/", 1)[1]
        assert code in codes
        assert resolve(path).view_name == "surveys:form-code"
        form = client.get(path)  # the public form opens with the code filled in
        assert form.status_code == 200 and code in form.content.decode()
    stored = _all_text_values()
    assert "somchai" not in stored.lower() and "somsri" not in stored.lower()


@pytest.mark.parametrize("backend", ["FailingBackend", "DownBackend"])
def test_a_failing_mail_server_gives_a_message_and_keeps_no_code(client, office, settings, backend):
    settings.EMAIL_BACKEND = f"tests.assessments.test_survey_staff.{backend}"
    survey_round = make_round(office, uses_codes=True)
    login(client, office)
    response = client.post(
        url("codes-email", office, YEAR, "IIT"), {"addresses": "a@example.com\nb@example.com"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "เซิร์ฟเวอร์อีเมลไม่รับ" in page
    assert "a@example.com" in page  # handed back in the box to try again
    assert survey_round.codes.count() == 0


def test_bad_addresses_are_refused_in_thai(client, office):
    make_round(office, uses_codes=True)
    login(client, office)
    response = client.post(
        url("codes-email", office, YEAR, "IIT"), {"addresses": "a@example.com\nnot-an-address"}
    )
    assert response.status_code == 400
    assert "ไม่ใช่ที่อยู่อีเมล" in response.content.decode()
    assert not OneTimeCode.objects.exists()


# --- An ESA's schools -----------------------------------------------------------------


def test_schools_action_creates_rounds_for_children_only(client, office):
    school_a = make_org("school-a", parent=office)
    school_b = make_org("school-b", parent=office)
    stranger = make_org("stranger")
    make_round(school_a)
    login(client, office, Role.ADMINISTRATOR)
    response = client.post(
        url("schools", office, YEAR),
        {"instruments": ["IIT", "EIT"], "opens_on": "2026-01-05", "closes_on": "2026-02-27"},
    )
    assert response.status_code == 302
    made = set(SurveyRound.objects.values_list("organisation__slug", "instrument_code"))
    assert made == {
        ("school-a", "IIT"),
        ("school-a", "EIT"),
        ("school-b", "IIT"),
        ("school-b", "EIT"),
    }
    assert not SurveyRound.objects.filter(organisation__in=[office, stranger]).exists()
    assert school_b.survey_rounds.get(instrument_code="IIT").closes_on == CLOSES
    page = client.get(response["Location"]).content.decode()
    assert "เปิดรอบการสำรวจแล้ว 3 รอบ มีอยู่แล้ว 1 รอบ" in page


def test_schools_action_is_for_the_parents_administrators(client, office):
    make_org("school-a", parent=office)
    login(client, office, Role.EDITOR)
    response = client.post(
        url("schools", office, YEAR),
        {"instruments": ["IIT"], "opens_on": "2026-01-05", "closes_on": "2026-02-27"},
    )
    assert response.status_code == 404
    assert not SurveyRound.objects.exists()
