"""The public complaint form: what it asks, what it keeps, what it refuses."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from assessments.models import Role
from complaints.models import IDENTITY_FIELDS, Attachment, Category, Channel, Complaint
from complaints.services import complaint_for_tracking
from tests.builders import make_org, make_user
from tests.complaints.builders import IDENTITY
from tests.measures.builders import PDF_BYTES, image_bytes, upload

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
FACTS = "ผู้อำนวยการกลุ่มเรียกรับเงินค่าดำเนินการโดยไม่มีระเบียบรองรับ"


def _data(**overrides) -> dict:
    data = {
        "category": Category.CORRUPTION,
        "accused": "กลุ่มบริหารงานการเงินและสินทรัพย์",
        "facts": FACTS,
        "request": "ขอให้ตรวจสอบและดำเนินการทางวินัย",
        "incident_date": "2024-01-15",
        "witnesses": "ใบเสร็จที่ไม่มีเลขที่ และเพื่อนครูอีกสองคน",
        "consent": "on",
        **IDENTITY,
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _post(client, org, **overrides):
    return client.post(reverse("complaints:new", args=[org.slug]), _data(**overrides))


def _errors(response) -> dict:
    return response.context["form"].errors.as_data()


def test_public_addresses_are_permanent(org):
    assert reverse("complaints:new", args=[org.slug]) == "/office/complaints/new/"
    assert reverse("complaints:filed", args=[org.slug]) == "/office/complaints/filed/"
    assert reverse("complaints:track") == "/complaints/track/"


def test_form_shows_the_organisation_rules_categories_and_privacy(client, org):
    response = client.get(reverse("complaints:new", args=[org.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert org.name_th in html
    assert html.count('type="radio" name="category"') == len(Category.values) == 6
    for id_ in ("complaint-rules", "anonymous-rule", "anonymous-help", "privacy", "id_consent"):
        assert f'id="{id_}"' in html
    assert 'enctype="multipart/form-data"' in html
    assert "csrfmiddlewaretoken" in html
    assert 'type="file" name="files"' in html and "multiple" in html
    for name in IDENTITY_FIELDS:
        assert f'name="{name}"' in html


def test_the_trap_field_is_hidden_from_people(client, org):
    html = client.get(reverse("complaints:new", args=[org.slug])).content.decode()
    trap = html[html.index("<div hidden") : html.index('name="website"') + 200]
    assert 'aria-hidden="true"' in trap
    assert 'tabindex="-1"' in trap
    assert 'autocomplete="off"' in trap


def test_an_unknown_organisation_is_not_found(client, db):
    assert client.get("/nowhere/complaints/new/").status_code == 404
    assert client.get("/nowhere/complaints/filed/").status_code == 404


def test_other_methods_are_refused(client, org):
    assert client.put(reverse("complaints:new", args=[org.slug])).status_code == 405


def test_a_complaint_is_saved_and_its_code_and_pin_are_shown_once(client, org):
    response = _post(client, org)

    assert response.status_code == 302
    assert response["Location"] == reverse("complaints:filed", args=[org.slug])
    complaint = Complaint.objects.get()
    assert complaint.organisation == org
    assert complaint.channel == Channel.WEB
    assert complaint.facts == FACTS
    assert complaint.incident_date == dt.date(2024, 1, 15)
    assert not complaint.anonymous
    assert {name: getattr(complaint, name) for name in IDENTITY_FIELDS} == IDENTITY

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    code = page.context["filed"]["code"]
    pin = page.context["filed"]["pin"]
    assert f'id="tracking-code">{code}<' in page.content.decode()
    assert f'id="tracking-pin">{pin}<' in page.content.decode()
    assert code.count("-") == 2 and len(code.replace("-", "")) >= 10
    assert complaint_for_tracking(code=code, pin=pin) == complaint

    again = client.get(response["Location"])
    assert again.status_code == 200
    assert 'id="shown-already"' in again.content.decode()
    assert pin not in again.content.decode()


def test_evidence_files_are_kept(client, org):
    files = [upload("receipt.pdf", PDF_BYTES), upload("photo.jpg", image_bytes())]
    response = _post(client, org, files=files)
    assert response.status_code == 302
    assert sorted(Attachment.objects.values_list("file_type", flat=True)) == ["jpg", "pdf"]


def test_a_thai_date_may_be_typed(client, org):
    assert _post(client, org, incident_date="15/01/2567").status_code == 302
    assert Complaint.objects.get().incident_date == dt.date(2024, 1, 15)


def test_a_date_in_the_future_is_refused(client, org):
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    response = _post(client, org, incident_date=tomorrow.isoformat())
    assert response.status_code == 200
    assert [e.code for e in _errors(response)["incident_date"]] == ["future"]
    assert not Complaint.objects.exists()


@pytest.mark.parametrize("missing", ["category", "accused", "facts"])
def test_the_essentials_are_required(client, org, missing):
    response = _post(client, org, **{missing: None})
    assert response.status_code == 200
    assert [e.code for e in _errors(response)[missing]] == ["required"]
    assert "ฟิลด์นี้จำเป็น" in response.content.decode()
    assert not Complaint.objects.exists()


def test_consent_is_required(client, org):
    response = _post(client, org, consent=None)
    assert response.status_code == 200
    assert [e.code for e in _errors(response)["consent"]] == ["required"]
    assert not Complaint.objects.exists()


def test_a_named_complaint_needs_a_name_and_a_way_to_reach_the_complainant(client, org):
    blank = dict.fromkeys(IDENTITY_FIELDS, "")
    response = _post(client, org, **blank)
    assert response.status_code == 200
    errors = _errors(response)
    assert [e.code for e in errors["complainant_name"]] == ["name_required"]
    assert [e.code for e in errors["complainant_phone"]] == ["contact_required"]
    assert not Complaint.objects.exists()


def test_one_way_to_reach_the_complainant_is_enough(client, org):
    response = _post(
        client, org, complainant_phone="", complainant_address="", complainant_id_number=""
    )
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.complainant_email == IDENTITY["complainant_email"]
    assert complaint.complainant_phone == ""


def test_a_wrong_id_number_is_refused_without_repeating_it(client, org):
    response = _post(client, org, complainant_id_number="1234567890123")
    assert response.status_code == 200
    errors = _errors(response)["complainant_id_number"]
    assert [e.code for e in errors] == ["id_number"]
    assert all("1234567890123" not in message for message in errors[0].messages)


def test_anonymous_complaint_keeps_no_identity_even_if_sent(client, org):
    response = _post(client, org, anonymous="on")
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.anonymous
    assert all(getattr(complaint, name) == "" for name in IDENTITY_FIELDS)


def test_anonymous_identity_fields_are_not_even_checked(client, org):
    response = _post(
        client, org, anonymous="on", complainant_email="not an e-mail", complainant_name=""
    )
    assert response.status_code == 302
    assert Complaint.objects.get().complainant_email == ""


def test_anonymous_complaint_without_evidence_or_witnesses_is_refused(client, org):
    response = _post(client, org, anonymous="on", witnesses="")
    assert response.status_code == 200
    assert [e.code for e in _errors(response)["witnesses"]] == ["anonymous_without_evidence"]
    html = response.content.decode()
    assert 'id="anonymous-rule"' in html
    assert FACTS in html  # what was typed is kept
    assert IDENTITY["complainant_email"] not in html  # dropped, not echoed
    assert not Complaint.objects.exists()


def test_anonymous_complaint_with_a_file_but_no_witnesses_is_accepted(client, org):
    response = _post(client, org, anonymous="on", witnesses="", files=[upload("a.pdf", PDF_BYTES)])
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.anonymous and complaint.attachments.count() == 1


def test_a_renamed_program_is_refused_by_content_and_nothing_is_saved(client, org):
    response = _post(client, org, files=[upload("receipt.pdf", PDF_BYTES), upload("scan.pdf", EXE)])
    assert response.status_code == 200
    html = response.content.decode()
    assert "ไฟล์ “scan.pdf” ไม่ใช่ชนิดไฟล์ที่รับได้" in html
    assert FACTS in html
    assert not Complaint.objects.exists()
    assert not Attachment.objects.exists()


def test_a_file_too_large_is_refused_and_nothing_is_saved(client, org, settings):
    settings.MAX_UPLOAD_SIZE = 1024 * 1024
    big = PDF_BYTES + b"0" * (2 * 1024 * 1024)
    response = _post(client, org, files=[upload("big.pdf", big)])
    assert response.status_code == 200
    html = response.content.decode()
    assert "ไฟล์ “big.pdf” มีขนาด 2.0 MB เกินขนาดสูงสุดที่รับได้ 1 MB" in html
    assert FACTS in html
    assert not Complaint.objects.exists()


def test_too_many_files_are_refused(client, org):
    files = [upload(f"p{i}.pdf", PDF_BYTES) for i in range(11)]
    response = _post(client, org, files=files)
    assert response.status_code == 200
    assert [e.code for e in _errors(response)["files"]] == ["too_many_files"]
    assert not Complaint.objects.exists()


def test_a_robot_filling_the_trap_is_answered_as_if_it_worked(client, org):
    response = _post(client, org, website="http://cheap-pills.example")
    assert response.status_code == 302
    assert response["Location"] == reverse("complaints:filed", args=[org.slug])
    assert not Complaint.objects.exists()
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "errorlist" not in page.content.decode()
    assert "website" not in page.content.decode()


def test_filing_is_rate_limited_per_browser(client, org, settings):
    settings.COMPLAINT_FILE_RATE = "2/h"
    assert _post(client, org).status_code == 302
    assert _post(client, org).status_code == 302

    refused = _post(client, org)
    assert refused.status_code == 429
    html = refused.content.decode()
    assert 'id="rate-limited"' in html
    assert FACTS in html  # what was typed is not lost
    assert Complaint.objects.count() == 2

    # Another browser on the same address (a carrier's NAT) is not held back.
    assert _post(Client(), org).status_code == 302


def test_filing_tells_the_officers_without_the_identity(
    client, org, django_capture_on_commit_callbacks
):
    make_user("legal", org, role=Role.COMPLAINT_OFFICER, email="legal@example.go.th")
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(client, org).status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    for value in IDENTITY.values():
        assert value not in message.body and value not in message.subject


def test_form_data_never_reaches_the_logs(client, org, caplog):
    caplog.set_level(logging.DEBUG)
    _post(client, org, complainant_id_number="1234567890123")  # refused
    _post(client, org, files=[upload("x.pdf", EXE)])  # refused
    _post(client, org)  # saved
    for value in [*IDENTITY.values(), "1234567890123", FACTS]:
        assert value not in caplog.text


def test_the_code_is_shown_only_on_its_organisation_page(client, org):
    other = make_org("school")
    response = _post(client, org)
    page = client.get(reverse("complaints:filed", args=[other.slug]))
    assert page.status_code == 200
    assert page.context["filed"] is None
    assert client.get(response["Location"]).context["filed"] is not None
