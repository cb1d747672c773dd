"""Rate limits behind a proxy: the client's address comes from DJANGO_CLIENT_IP_HEADER,
and a request without it, or with something else in it, is answered, not a 500
(issue 11, point 8)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from complaints.models import Complaint
from tests.complaints.builders import IDENTITY, make_complaint

TRACK = "/complaints/track/"


@pytest.fixture(autouse=True)
def _behind_a_proxy(settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"


def _file(client, org, **headers):
    form = {
        "category": "corruption",
        "accused": "งานการเงิน",
        "facts": "เรียกรับเงินค่าเร่งรัดการเบิกจ่าย",
        "consent": "on",
        "complainant_name": IDENTITY["complainant_name"],
        "complainant_phone": IDENTITY["complainant_phone"],
    }
    return client.post(reverse("complaints:new", args=[org.slug]), form, **headers)


def test_a_request_without_the_header_is_answered(client, org):
    assert client.get(reverse("complaints:new", args=[org.slug])).status_code == 200
    assert _file(client, org).status_code == 302
    assert client.post(TRACK, {"action": "lookup", "code": "x", "pin": "1"}).status_code == 200


def test_a_header_that_is_not_an_address_is_answered(client, org):
    assert _file(client, org, HTTP_X_REAL_IP="not-an-ip").status_code == 302
    assert _file(client, org, HTTP_X_REAL_IP="\u0e01, 10.0.0.1").status_code == 302
    looked_up = client.post(
        TRACK, {"action": "lookup", "code": "x", "pin": "1"}, HTTP_X_REAL_IP="999.1.1.1"
    )
    assert looked_up.status_code == 200
    filed = make_complaint(org, anonymous=True, witnesses="พยาน")
    client.post(TRACK, {"action": "lookup", "code": filed.code_display, "pin": filed.pin})
    reply = client.post(TRACK, {"action": "reply", "text": "เพิ่มเติม"}, HTTP_X_REAL_IP="::::")
    assert reply.status_code == 302


def test_two_addresses_in_the_header_are_counted_apart(org, settings):
    settings.COMPLAINT_FILE_ADDRESS_RATE = "1/h"
    assert _file(Client(), org, HTTP_X_REAL_IP="198.51.100.7").status_code == 302
    assert _file(Client(), org, HTTP_X_REAL_IP="198.51.100.7").status_code == 429
    assert _file(Client(), org, HTTP_X_REAL_IP="198.51.100.8").status_code == 302
    # The proxy's own address is the same for both: only the header tells them apart.
    assert Complaint.objects.count() == 2
