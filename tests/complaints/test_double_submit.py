"""A complaint form sent twice (a double click, a resent POST) files one complaint
with one code (issue 11, point 7)."""

from __future__ import annotations

import re
import threading
import uuid

import pytest
from django.db import connection
from django.urls import reverse

from complaints.models import Complaint
from complaints.services import DuplicateSubmission
from tests.complaints.builders import IDENTITY, make_complaint

KEY = re.compile(r'name="submission_key" value="([0-9a-f-]{36})"')


def _form(client, org) -> dict:
    page = client.get(reverse("complaints:new", args=[org.slug])).content.decode()
    return {
        "submission_key": KEY.search(page).group(1),
        "category": "delay",
        "accused": "งานทะเบียน",
        "facts": "ยื่นคำขอมาสามเดือนยังไม่ได้รับการพิจารณา",
        "consent": "on",
        "complainant_name": IDENTITY["complainant_name"],
        "complainant_phone": IDENTITY["complainant_phone"],
    }


def test_each_form_shown_carries_its_own_key(client, org):
    assert _form(client, org)["submission_key"] != _form(client, org)["submission_key"]


def test_the_same_form_sent_twice_files_one_complaint_and_shows_its_code(client, org):
    form = _form(client, org)
    url = reverse("complaints:new", args=[org.slug])
    first = client.post(url, form)
    second = client.post(url, form)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == reverse("complaints:filed", args=[org.slug])
    complaint = Complaint.objects.get()
    assert str(complaint.submission_key) == form["submission_key"]

    shown = client.get(second["Location"]).context["filed"]
    assert shown["code"].replace("-", "") == complaint.tracking_code


def test_a_repeat_does_not_use_up_the_rate_limit(client, org, settings):
    settings.COMPLAINT_FILE_RATE = "1/h"
    form = _form(client, org)
    url = reverse("complaints:new", args=[org.slug])
    assert client.post(url, form).status_code == 302
    assert client.post(url, form).status_code == 302  # not 429: it was sent already
    assert Complaint.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_sendings_at_the_same_moment_file_one_complaint(org):
    key = uuid.uuid4()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def send() -> None:
        try:
            barrier.wait()
            make_complaint(org, submission_key=key)
            outcomes.append("filed")
        except DuplicateSubmission:
            outcomes.append("repeat")
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["filed", "repeat"]
    assert Complaint.objects.filter(submission_key=key).count() == 1
