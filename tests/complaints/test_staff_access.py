"""Who reaches the officers' workspace: complaint officers of the organisation, nobody else.

Everyone else who is logged in gets a 404 for the queue, the case, the
record form, the files and every step, and nothing changes; anonymous
visitors are sent to the login page.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from assessments.models import Membership, Role
from complaints.models import Complaint, Event, Status
from complaints.services import complaint_file
from tests.builders import make_org, make_user
from tests.measures.builders import PDF_BYTES, upload

NAME = "นางสาวลับเฉพาะ ผู้ร้องทดสอบ"
FACTS = "ข้อเท็จจริงลับของเรื่องร้องเรียนทดสอบ"


@pytest.fixture
def complaint(org) -> Complaint:
    return complaint_file(
        organisation=org,
        category="corruption",
        accused="เจ้าหน้าที่การเงิน",
        facts=FACTS,
        anonymous=False,
        identity={"complainant_name": NAME, "complainant_phone": "0899999999"},
        files=[upload("evidence.pdf", PDF_BYTES)],
    ).complaint


@pytest.fixture
def officer(org):
    return make_user("officer", org, Role.COMPLAINT_OFFICER)


def _gets(complaint: Complaint) -> list[str]:
    org, pk = complaint.organisation.slug, complaint.pk
    key = complaint.attachments.get().key
    return [
        reverse("complaints_staff:queue", args=[org]),
        reverse("complaints_staff:record", args=[org]),
        reverse("complaints_staff:case", args=[org, pk]),
        reverse("complaints_staff:attachment", args=[org, pk, key]),
    ]


STEPS = {
    "reveal": {},
    "assign": {"officer": ""},
    "accept": {"message": ""},
    "reject": {"reason": "rumour", "message": ""},
    "investigate": {"message": ""},
    "conclude": {"outcome": "ผลการพิจารณา"},
    "forward": {"agency": "สำนักงาน ป.ป.ช.", "message": ""},
    "message": {"text": "ข้อความ"},
    "note": {"text": "บันทึก"},
}


def _posts(complaint: Complaint) -> list[tuple[str, dict]]:
    org, pk = complaint.organisation.slug, complaint.pk
    posts = [
        (reverse(f"complaints_staff:{step}", args=[org, pk]), data) for step, data in STEPS.items()
    ]
    posts.append(
        (
            reverse("complaints_staff:record", args=[org]),
            {
                "channel": "phone",
                "received_on": "2024-01-05",
                "category": "other",
                "accused": "x",
                "facts": "y",
                "anonymous": "on",
            },
        )
    )
    return posts


def _someone(kind: str, org):
    """A logged-in user who is not a complaint officer of ``org``."""
    if kind == "superuser":
        return get_user_model().objects.create_superuser("root", "root@example.com", "pw-123456789")
    if kind == "other_officer":
        return make_user("elsewhere", make_org("other"), Role.COMPLAINT_OFFICER)
    return make_user(kind, org, Role(kind))


DENIED = ["viewer", "editor", "administrator", "other_officer", "superuser"]


@pytest.mark.parametrize("kind", DENIED)
def test_pages_are_404_for_everyone_but_the_organisations_officers(client, org, complaint, kind):
    client.force_login(_someone(kind, org))
    for url in _gets(complaint):
        response = client.get(url)
        assert response.status_code == 404, url
        assert NAME not in response.text
        assert FACTS not in response.text


@pytest.mark.parametrize("kind", DENIED)
def test_every_step_is_404_and_changes_nothing_for_them(client, org, complaint, kind):
    client.force_login(_someone(kind, org))
    events = Event.objects.count()
    for url, data in _posts(complaint):
        assert client.post(url, data).status_code == 404, url
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED
    assert Event.objects.count() == events
    assert Complaint.objects.count() == 1


def test_anonymous_visitors_are_sent_to_the_login_page(client, complaint):
    login = reverse("staff:login")
    for url in _gets(complaint):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(login)
    for url, data in _posts(complaint):
        response = client.post(url, data)
        assert response.status_code == 302
        assert response["Location"].startswith(login)
    assert Event.objects.filter(complaint=complaint).count() == 1


def test_officers_of_the_organisation_reach_every_page(client, complaint, officer):
    client.force_login(officer)
    for url in _gets(complaint):
        assert client.get(url).status_code == 200, url


def test_a_superuser_gets_in_only_as_a_complaint_officer_of_the_organisation(
    client, org, complaint
):
    root = get_user_model().objects.create_superuser("root", "root@example.com", "pw-123456789")
    Membership.objects.create(user=root, organisation=org, role=Role.COMPLAINT_OFFICER)
    client.force_login(root)
    assert client.get(reverse("complaints_staff:queue", args=[org.slug])).status_code == 200
    make_org("other")
    assert client.get(reverse("complaints_staff:queue", args=["other"])).status_code == 404


def test_an_officer_cannot_reach_another_organisations_case_through_their_own(client, officer):
    other = make_org("other")
    foreign = complaint_file(
        organisation=other, category="other", accused="x", facts=FACTS, anonymous=True
    ).complaint
    client.force_login(officer)
    assert (
        client.get(reverse("complaints_staff:case", args=["office", foreign.pk])).status_code == 404
    )
    assert (
        client.get(reverse("complaints_staff:case", args=["other", foreign.pk])).status_code == 404
    )
    response = client.post(
        reverse("complaints_staff:accept", args=["office", foreign.pk]), {"message": ""}
    )
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == Status.RECEIVED


def test_a_file_is_reached_only_through_its_own_case(client, org, complaint, officer):
    second = complaint_file(
        organisation=org, category="other", accused="x", facts="y", anonymous=True
    ).complaint
    key = complaint.attachments.get().key
    client.force_login(officer)
    url = reverse("complaints_staff:attachment", args=["office", second.pk, key])
    assert client.get(url).status_code == 404


def test_steps_refuse_get(client, complaint, officer):
    client.force_login(officer)
    url = reverse("complaints_staff:accept", args=["office", complaint.pk])
    assert client.get(url).status_code == 405
    url = reverse("complaints_staff:reveal", args=["office", complaint.pk])
    assert client.get(url).status_code == 405
    assert not Event.objects.filter(kind="identity_viewed").exists()
