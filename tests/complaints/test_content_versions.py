"""Complaints change the public statistics page, so filing one and moving its status
move the organisation's content version (issue 16, point 2): the cached page is
never served with old counts."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse

from assessments.models import Role
from complaints.models import Complaint
from complaints.services import (
    complaint_accept,
    complaint_assign,
    complaint_conclude,
    complaint_investigate,
    complaint_message,
    complaint_reject,
)
from tests.builders import content_version, make_user
from tests.complaints.builders import IDENTITY, make_complaint

pytestmark = pytest.mark.django_db

BANGKOK = ZoneInfo("Asia/Bangkok")
STATISTICS = "/office/complaints/statistics/2567/"
NOW = dt.datetime(2024, 3, 1, 12, tzinfo=BANGKOK)  # fiscal year 2567


def _stat(client, name: str) -> str:
    found = re.search(rf'id="stat-{name}">([^<]*)<', client.get(STATISTICS).text)
    assert found, name
    return found.group(1)


@time_machine.travel(NOW, tick=False)
def test_a_complaint_sent_through_the_public_form_counts_at_once(client, org):
    assert _stat(client, "received") == "0"
    response = client.post(
        reverse("complaints:new", args=["office"]),
        {
            "category": "corruption",
            "accused": "กลุ่มบริหารงานการเงินและสินทรัพย์",
            "facts": "เรียกรับเงินค่าดำเนินการโดยไม่มีระเบียบรองรับ",
            "consent": "on",
            **IDENTITY,
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assert Complaint.objects.count() == 1
    client.cookies.clear()  # a sessionless visitor: the page they get is the stored one
    assert _stat(client, "received") == "1"
    assert _stat(client, "pending") == "1"


@time_machine.travel(NOW, tick=False)
def test_screening_a_complaint_moves_the_counts(client, org):
    filed = make_complaint(org)
    assert _stat(client, "in-time") == "0"
    complaint_accept(complaint=filed.complaint, user=make_user("officer", org, Role.EDITOR))
    assert _stat(client, "in-time") == "1"
    assert _stat(client, "pending") == "0"


def test_every_status_change_moves_the_version(org):
    officer = make_user("officer", org, Role.EDITOR)
    first = make_complaint(org).complaint
    start = content_version(org)
    complaint_accept(complaint=first, user=officer)
    complaint_investigate(complaint=first, user=officer)
    complaint_conclude(complaint=first, user=officer, outcome="ตรวจสอบแล้ว")
    assert content_version(org) == start + 3
    second = make_complaint(org).complaint
    start = content_version(org)
    complaint_reject(complaint=second, user=officer, reason="no_evidence")
    assert content_version(org) > start


def test_filing_moves_the_version_and_staff_only_steps_do_not(org):
    officer = make_user("officer", org, Role.EDITOR)
    start = content_version(org)
    complaint = make_complaint(org).complaint
    assert content_version(org) == start + 1
    # Who handles a case and what they wrote to the complainant are not in the statistics.
    complaint_assign(complaint=complaint, officer=officer, user=officer)
    complaint_message(complaint=complaint, user=officer, text="ได้รับเรื่องแล้ว")
    assert content_version(org) == start + 1


def test_a_rolled_back_status_change_leaves_the_version_alone(org):
    complaint = make_complaint(org).complaint
    start = content_version(org)
    with pytest.raises(RuntimeError), transaction.atomic():
        complaint_accept(complaint=complaint, user=make_user("officer", org, Role.EDITOR))
        raise RuntimeError("the caller's transaction fails")
    assert content_version(org) == start
    assert Complaint.objects.get(pk=complaint.pk).status == "received"
