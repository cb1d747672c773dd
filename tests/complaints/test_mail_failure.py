"""A mail server that refuses connections never costs the complainant the code and
PIN (issue 11, point 5): the failure is logged, the officers see the case anyway."""

from __future__ import annotations

import logging

import pytest
from django.urls import reverse

from assessments.models import Role
from complaints.models import Complaint
from tests.builders import make_user
from tests.complaints.builders import IDENTITY

FACTS = "หัวหน้างานพัสดุแบ่งงานจ้างเพื่อเลี่ยงการประกวดราคา"


# transaction=True: the e-mail goes out on commit, inside the request, as in production.
@pytest.mark.django_db(transaction=True)
def test_filing_with_smtp_refusing_still_shows_the_code_and_pin(client, org, refusing_smtp, caplog):
    officer = make_user("legal", org, role=Role.COMPLAINT_OFFICER, email="legal@example.go.th")
    caplog.set_level(logging.INFO)
    form = {
        "category": "corruption",
        "accused": "งานพัสดุ",
        "facts": FACTS,
        "consent": "on",
        "complainant_name": IDENTITY["complainant_name"],
        "complainant_phone": IDENTITY["complainant_phone"],
    }
    response = client.post(reverse("complaints:new", args=[org.slug]), form)
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert 'id="tracking-code"' in page.content.decode()
    assert 'id="tracking-pin"' in page.content.decode()

    complaint = Complaint.objects.get()
    failures = [r for r in caplog.records if r.name == "complaints.notifications"]
    assert len(failures) == 1 and failures[0].levelno == logging.ERROR
    assert f"complaint #{complaint.pk}" in failures[0].getMessage()
    for secret in [FACTS, *IDENTITY.values(), complaint.tracking_code]:
        assert secret not in caplog.text

    client.force_login(officer)
    queue = client.get(reverse("complaints_staff:queue", args=[org.slug]))
    assert reverse("complaints_staff:case", args=[org.slug, complaint.pk]) in queue.content.decode()
