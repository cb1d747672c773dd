"""Officers find a case by its tracking code from the queue: as typed or read out, within
their own organisation only; the queue's queries do not grow with its rows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.models import Role
from tests.builders import make_org, make_user
from tests.complaints.builders import make_complaint

THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


@pytest.fixture
def officer_client(client, org):
    client.force_login(make_user("legal", org, role=Role.COMPLAINT_OFFICER))
    return client


def _search(client, org, code: str):
    return client.get(reverse("complaints_staff:queue", args=[org.slug]), {"code": code})


def _codes(response) -> list[str]:
    return [e.code for e in response.context["search"].errors.as_data().get("code", [])]


def test_a_code_as_shown_opens_the_case(officer_client, org):
    filed = make_complaint(org)
    response = _search(officer_client, org, filed.code_display)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "complaints_staff:case", args=[org.slug, filed.complaint.pk]
    )


def test_case_spaces_and_thai_digits_are_forgiven(officer_client, org):
    filed = make_complaint(org)
    typed = " " + " ".join(filed.complaint.tracking_code.lower()).translate(THAI_DIGITS) + " "
    response = _search(officer_client, org, typed)
    assert response.status_code == 302
    assert response["Location"].endswith(f"/{filed.complaint.pk}/")


def test_another_organisations_code_is_not_found(officer_client, org):
    theirs = make_complaint(make_org("school"))
    response = _search(officer_client, org, theirs.code_display)
    assert response.status_code == 200
    assert _codes(response) == ["not_found"]
    html = response.content.decode()
    assert 'id="id_code_error"' in html and "ไม่พบเรื่องร้องเรียนของหน่วยงานนี้" in html
    assert f"/{theirs.complaint.pk}/" not in html


def test_an_unknown_code_is_not_found(officer_client, org):
    make_complaint(org)
    assert _codes(_search(officer_client, org, "ACDE-FGHJ-KMNP")) == ["not_found"]


@pytest.mark.parametrize("typed", ["", "ABC", "ACDE-FGHJ-KMN0", "ก" * 12, "x" * 41])
def test_what_cannot_be_a_code_gets_a_clear_message(officer_client, org, typed):
    response = _search(officer_client, org, typed)
    assert response.status_code == 200
    assert _codes(response) in (["bad_code"], ["required"], ["max_length"])


def test_the_search_is_for_the_organisations_officers_only(client, org):
    filed = make_complaint(org)
    client.force_login(make_user("editor", org, role=Role.EDITOR))
    assert _search(client, org, filed.code_display).status_code == 404


def test_the_queue_s_queries_do_not_grow_with_its_rows(
    officer_client, org, django_assert_max_num_queries
):
    for _ in range(3):
        make_complaint(org)
    url = reverse("complaints_staff:queue", args=[org.slug])
    with django_assert_max_num_queries(12) as few:
        assert officer_client.get(url).status_code == 200
    for _ in range(20):
        make_complaint(org)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = officer_client.get(url)
    assert len(response.context["rows"]) == 23
