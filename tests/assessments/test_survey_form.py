"""The respondent's survey form: /s/<round>/ (issue 14, points 3 and 4)."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import SCALE_CHOICES, Answer, OneTimeCode, Response
from assessments.surveys.public_views import COOKIE_PREFIX
from assessments.surveys.services import codes_generate, round_bank, round_create
from tests.builders import make_org

pytestmark = pytest.mark.django_db


def _round(org, *, instrument="IIT", uses_codes=False, opens=-1, closes=30):
    today = timezone.localdate()
    return round_create(
        organisation=org,
        fiscal_year=2569,
        instrument_code=instrument,
        opens_on=today + dt.timedelta(days=opens),
        closes_on=today + dt.timedelta(days=closes),
        uses_codes=uses_codes,
    )


def _answers(survey_round, pick=-1) -> dict[str, str]:
    """Every field answered with the scale's choice at ``pick`` (the last: the highest)."""
    bank = round_bank(survey_round)
    return {
        item.code: str(SCALE_CHOICES[q.scale][pick].value)
        for q in bank.questions
        for item in q.items.all()
    }


class _Radios(HTMLParser):
    """Radio groups, labels and checked radios, as a browser (or a screen reader) reads them."""

    def __init__(self) -> None:
        super().__init__()
        self.names: dict[str, list[str]] = {}
        self.checked: dict[str, str] = {}
        self.label_for: set[str] = set()
        self.ids: set[str] = set()
        self.fieldsets = 0
        self.legends = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("type") == "radio":
            self.names.setdefault(a["name"], []).append(a["value"])
            self.ids.add(a["id"])
            if "checked" in a:
                self.checked[a["name"]] = a["value"]
        elif tag == "label" and a.get("for"):
            self.label_for.add(a["for"])
        elif tag == "fieldset":
            self.fieldsets += 1
        elif tag == "legend":
            self.legends += 1


def _radios(response) -> _Radios:
    parser = _Radios()
    parser.feed(response.content.decode())
    return parser


def _post(client, survey_round, data, url=None):
    return client.post(url or f"/s/{survey_round.code}/", data)


def test_addresses_are_the_printed_ones(org):
    survey_round = _round(org)
    assert reverse("surveys:form", args=[survey_round.code]) == f"/s/{survey_round.code}/"
    assert reverse("surveys:form-code", args=[survey_round.code, "ABCD2345"]) == (
        f"/s/{survey_round.code}/ABCD2345/"
    )
    assert reverse("surveys:thanks", args=[survey_round.code]) == f"/s/{survey_round.code}/thanks/"


def test_form_shows_every_iit_field_as_a_labelled_radio_group(client, org):
    survey_round = _round(org)
    response = client.get(f"/s/{survey_round.code}/")
    assert response.status_code == 200
    radios = _radios(response)
    assert len(radios.names) == 51
    assert set(radios.names) == set(round_bank(survey_round).items_by_code)
    assert radios.names["I1.1"] == ["0", "33", "67", "100"]
    assert radios.names["I4.1"] == ["100", "0"]  # มี / ไม่มี
    assert radios.ids <= radios.label_for  # every radio has its <label>
    assert radios.fieldsets == radios.legends
    page = response.content.decode()
    assert org.name_th in page
    assert "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน" in page
    assert "น้อยที่สุดหรือไม่มีเลย" in page and "ไม่มี" in page
    # The notes under a question are printed.
    assert "เป็นการเรียกรับที่นอกเหนือจากที่กฎหมายกำหนด" in page
    assert "ตัวชี้วัดที่ 1: ตอบแล้ว" in page
    assert "survey.js" in page and "<script>" not in page  # CSP: no inline script


def test_2570_provisional_bank_is_offered_too(client, org):
    from assessments.provisional import edition_start_provisional

    edition_start_provisional(fiscal_year=2570, organisation=org)
    today = timezone.localdate()
    survey_round = round_create(
        organisation=org,
        fiscal_year=2570,
        instrument_code="IIT",
        opens_on=today,
        closes_on=today,
    )
    assert len(_radios(client.get(f"/s/{survey_round.code}/")).names) == 51


def test_eit_form_has_a_trap_and_no_code_field(client, org):
    survey_round = _round(org, instrument="EIT")
    page = client.get(f"/s/{survey_round.code}/").content.decode()
    assert 'name="website"' in page
    assert 'name="code"' not in page
    assert len(_radios(client.get(f"/s/{survey_round.code}/")).names) == len(
        round_bank(survey_round).items
    )


def test_all_answers_store_one_response_with_51_answers(client, org):
    survey_round = _round(org)
    data = _answers(survey_round, pick=0)
    data["I4.1"] = "100"
    response = _post(client, survey_round, data)
    assert response.status_code == 302
    assert response["Location"] == f"/s/{survey_round.code}/thanks/"
    stored = Response.objects.get(round=survey_round)
    answers = dict(Answer.objects.filter(response=stored).values_list("item_code", "value"))
    assert len(answers) == 51
    assert answers["I1.1"] == 0 and answers["I4.1"] == 100
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert "data-survey-clear" in thanks.content.decode()


def test_missing_answers_are_named_and_nothing_is_stored(client, org):
    survey_round = _round(org)
    data = _answers(survey_round)
    del data["I1.2"], data["I2"]
    response = _post(client, survey_round, data)
    assert response.status_code == 400
    assert not Response.objects.exists()
    page = response.content.decode()
    summary = page[
        page.index('id="error-summary"') : page.index("</div>", page.index('id="error-summary"'))
    ]
    assert 'role="alert"' in page
    assert 'href="#q-I1"' in summary and 'href="#q-I2"' in summary
    assert summary.count("<li>") == 2
    # The answers given come back checked; the progress counts them without the script.
    radios = _radios(response)
    assert radios.checked["I1.1"] == data["I1.1"]
    assert "I1.2" not in radios.checked
    assert len(radios.checked) == 49
    bank = round_bank(survey_round)
    first = bank.indicators[0]
    assert (
        f'ตัวชี้วัดที่ 1: ตอบแล้ว <span class="answered">{len(first.fields) - 2}</span> จาก {len(first.fields)}'
        in page
    )


def test_value_outside_the_scale_is_refused(client, org):
    survey_round = _round(org)
    data = _answers(survey_round)
    data["I1.1"] = "50"  # not a choice of the four-level scale
    data["I4.1"] = "33"  # a four-level value on a yes/no question
    response = _post(client, survey_round, data)
    assert response.status_code == 400
    assert not Response.objects.exists()
    assert 'href="#q-I1"' in response.content.decode()
    assert 'href="#q-I4"' in response.content.decode()


def test_unknown_round_is_the_thai_404(client, org):
    response = client.get("/s/nosuchr/")
    assert response.status_code == 404
    assert "ไม่พบ" in response.content.decode()
    assert client.get("/s/nosuchr/thanks/").status_code == 404


def test_round_not_open_yet_says_when(client, org):
    survey_round = _round(org, opens=3, closes=10)
    response = client.get(f"/s/{survey_round.code}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "ยังไม่เปิด" in page
    opens = survey_round.opens_on
    assert f"{opens.year + 543}" in page  # Buddhist Era
    assert 'name="I1.1"' not in page
    assert _post(client, survey_round, _answers(survey_round)).status_code == 200
    assert not Response.objects.exists()


def test_closed_round_says_so_and_stores_nothing(client, org):
    survey_round = _round(org, opens=-10, closes=-1)
    response = _post(client, survey_round, _answers(survey_round))
    assert response.status_code == 200
    assert "ปิดแล้ว" in response.content.decode()
    assert not Response.objects.exists()


def test_one_time_code_is_used_once(client, org):
    survey_round = _round(org, uses_codes=True)
    (code,) = codes_generate(survey_round=survey_round, count=1)
    data = _answers(survey_round) | {"code": code.code.lower()}  # typed in lower case
    assert _post(client, survey_round, data).status_code == 302
    code.refresh_from_db()
    assert code.used
    again = _post(client, survey_round, data)
    assert again.status_code == 400
    assert Response.objects.count() == 1
    page = again.content.decode()
    assert "ใช้ไปแล้ว" in page
    assert len(_radios(again).checked) == 51  # the answers are kept


def test_round_with_codes_needs_one(client, org):
    survey_round = _round(org, uses_codes=True)
    codes_generate(survey_round=survey_round, count=1)
    response = _post(client, survey_round, _answers(survey_round))
    assert response.status_code == 400
    assert not Response.objects.exists()
    response = _post(client, survey_round, _answers(survey_round) | {"code": "WRONG234"})
    assert response.status_code == 400
    assert not Response.objects.exists()


def test_code_of_another_round_is_refused(client, org):
    survey_round = _round(org, uses_codes=True)
    other = _round(make_org("other"), uses_codes=True)
    (foreign,) = codes_generate(survey_round=other, count=1)
    response = _post(client, survey_round, _answers(survey_round) | {"code": foreign.code})
    assert response.status_code == 400
    assert not OneTimeCode.objects.filter(used=True).exists()


def test_code_link_fills_the_code_and_warns_when_used(client, org):
    survey_round = _round(org, uses_codes=True)
    fresh, used = codes_generate(survey_round=survey_round, count=2)
    OneTimeCode.objects.filter(pk=used.pk).update(used=True)
    page = client.get(f"/s/{survey_round.code}/{fresh.code}/").content.decode()
    assert f'value="{fresh.code}"' in page
    assert 'id="code-warning"' not in page
    page = client.get(f"/s/{survey_round.code}/{used.code}/").content.decode()
    assert 'id="code-warning"' in page
    # Sent from the link's own address, it is stored like the plain form.
    url = f"/s/{survey_round.code}/{fresh.code}/"
    response = _post(client, survey_round, _answers(survey_round) | {"code": fresh.code}, url=url)
    assert response.status_code == 302
    assert Response.objects.count() == 1


def test_honeypot_answers_as_if_it_worked_and_stores_nothing(client, org):
    survey_round = _round(org, instrument="EIT")
    data = _answers(survey_round) | {"website": "http://spam.example"}
    response = _post(client, survey_round, data)
    assert response.status_code == 302
    assert response["Location"] == f"/s/{survey_round.code}/thanks/"
    assert not Response.objects.exists()


def test_same_browser_is_told_it_has_answered(client, org):
    survey_round = _round(org, instrument="EIT")
    assert _post(client, survey_round, _answers(survey_round)).status_code == 302
    cookie = client.cookies[f"{COOKIE_PREFIX}{survey_round.code}"]
    assert cookie["httponly"]
    page = client.get(f"/s/{survey_round.code}/").content.decode()
    assert "ตอบแบบสอบถามนี้แล้ว" in page
    assert 'name="E1' not in page
    assert _post(client, survey_round, _answers(survey_round)).status_code == 200
    assert Response.objects.count() == 1


def test_forged_answered_cookie_is_ignored(client, org):
    survey_round = _round(org, instrument="EIT")
    client.cookies[f"{COOKIE_PREFIX}{survey_round.code}"] = "1"
    assert 'name="website"' in client.get(f"/s/{survey_round.code}/").content.decode()


def test_cookie_is_not_set_for_a_code_round(client, org):
    # Colleagues may answer one after another on a shared office computer.
    survey_round = _round(org, uses_codes=True)
    first, second = codes_generate(survey_round=survey_round, count=2)
    assert (
        _post(client, survey_round, _answers(survey_round) | {"code": first.code}).status_code
        == 302
    )
    assert (
        _post(client, survey_round, _answers(survey_round) | {"code": second.code}).status_code
        == 302
    )
    assert Response.objects.count() == 2


def test_double_post_of_the_same_form_stores_once(client, org):
    survey_round = _round(org, uses_codes=True)
    first, second = codes_generate(survey_round=survey_round, count=2)
    page = client.get(f"/s/{survey_round.code}/").content.decode()
    token = re.search(r'name="once" value="([^"]+)"', page).group(1)
    data = _answers(survey_round) | {"code": first.code, "once": token}
    assert _post(client, survey_round, data).status_code == 302
    # The resent POST (another code even) goes where the first went and stores nothing.
    again = _post(client, survey_round, data | {"code": second.code})
    assert again.status_code == 302
    assert again["Location"] == f"/s/{survey_round.code}/thanks/"
    assert Response.objects.count() == 1
    second.refresh_from_db()
    assert not second.used


def test_refused_form_gives_its_token_back(client, org):
    survey_round = _round(org, uses_codes=True)
    (code,) = codes_generate(survey_round=survey_round, count=1)
    data = _answers(survey_round) | {"code": "WRONG234", "once": "a-token-of-this-form"}
    assert _post(client, survey_round, data).status_code == 400
    assert _post(client, survey_round, data | {"code": code.code}).status_code == 302
    assert Response.objects.count() == 1


@pytest.mark.parametrize("rate", ["SURVEY_SUBMIT_RATE", "SURVEY_SUBMIT_DAY_RATE"])
def test_open_round_rate_limit_per_address(client, org, settings, rate):
    setattr(settings, rate, "2/h")
    survey_round = _round(org, instrument="EIT")
    for _ in range(2):
        client.cookies.clear()  # another browser behind the same address
        assert _post(client, survey_round, _answers(survey_round)).status_code == 302
    client.cookies.clear()
    refused = _post(client, survey_round, _answers(survey_round))
    assert refused.status_code == 429
    assert Response.objects.count() == 2
    assert 'id="rate-limited"' in refused.content.decode()
    assert len(_radios(refused).checked) == len(round_bank(survey_round).items)  # kept
    # Another address is not affected.
    ok = client.post(f"/s/{survey_round.code}/", _answers(survey_round), REMOTE_ADDR="10.1.2.3")
    assert ok.status_code == 302


def test_failed_codes_are_limited(client, org, settings):
    settings.SURVEY_CODE_RATE = "3/h"
    survey_round = _round(org, uses_codes=True)
    (code,) = codes_generate(survey_round=survey_round, count=1)
    for guess in ("AAAA2222", "BBBB3333", "CCCC4444"):
        assert (
            _post(client, survey_round, _answers(survey_round) | {"code": guess}).status_code == 400
        )
    # Now even the right code waits: guessing must not pay.
    refused = _post(client, survey_round, _answers(survey_round) | {"code": code.code})
    assert refused.status_code == 429
    assert not Response.objects.exists()


def test_limits_fail_open_when_the_cache_is_down(client, org, settings, monkeypatch):
    # As in tests/ita_portal/test_cache_outage.py: a Redis that refuses connections.
    from ita_portal import cache as shared_cache

    monkeypatch.setattr(shared_cache, "_outages", {})
    settings.CACHES = {
        **settings.CACHES,
        "default": shared_cache.shared_cache_config("redis://127.0.0.1:1/0"),
    }
    settings.SURVEY_SUBMIT_RATE = "1/h"
    survey_round = _round(org, instrument="EIT")
    assert _post(client, survey_round, _answers(survey_round)).status_code == 302
    client.cookies.clear()
    # Still counted (in this process's memory) while the shared cache is down.
    assert _post(client, survey_round, _answers(survey_round)).status_code == 429
    assert Response.objects.count() == 1


def test_form_page_reads_the_bank_in_a_few_queries(client, org, django_assert_max_num_queries):
    survey_round = _round(org)
    with django_assert_max_num_queries(6):
        assert client.get(f"/s/{survey_round.code}/").status_code == 200


def test_round_whose_edition_has_no_questions_stores_nothing(client, org):
    from assessments.models import Question

    survey_round = _round(org)
    Question.objects.filter(edition__code="nacc-2569").delete()
    assert client.get(f"/s/{survey_round.code}/").status_code == 404
    assert client.post(f"/s/{survey_round.code}/", {}).status_code == 404
    assert not Response.objects.exists()
