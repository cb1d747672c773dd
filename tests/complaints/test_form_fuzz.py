"""Whatever the public sends to the complaint pages, the answer is never a server error."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, event, given
from hypothesis import settings as examples
from hypothesis import strategies as st

from complaints.models import IDENTITY_FIELDS, Category, Complaint
from tests.complaints.builders import make_complaint
from tests.measures.builders import PDF_BYTES

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _roomy(settings):
    # Set once per test, not per example: each assignment stacks an override.
    settings.COMPLAINT_FILE_RATE = "100000/h"
    settings.COMPLAINT_TRACK_RATE = "100000/h"
    settings.COMPLAINT_REPLY_ADDRESS_RATE = "100000/h"
    # Filing hashes a PIN; the production hasher would make these tests minutes long.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


FUZZ = examples(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

odd_text = st.one_of(
    st.text(max_size=80),
    st.text(
        alphabet=st.sampled_from("\x00\u200b\u202e\ufeff\U0001f600ก๊ a\n\r\t<>&\"'"), max_size=40
    ),
    # Far longer than any field allows.
    st.builds(lambda ch, n: ch * n, st.characters(codec="utf-8"), st.integers(5_000, 40_000)),
)
odd_date = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(
        [
            "31/02/2567",
            "0/0/0000",
            "9999-12-31",
            "0001-01-01",
            "2567-13-40",
            "๓๐/๐๙/๒๕๖๖",
            "30 ก.ย. 2566",
            "30 เดือนฟ้า 2566",
            "1/1/99999999999999999999",
            "\x00",
        ]
    ),
    odd_text,
)
choice = st.one_of(st.sampled_from(Category.values), odd_text)
flag = st.sampled_from(["", "on", "0", "false", "true", "1", "\x00", "ไม่"])
# Small files: random bytes, or random bytes behind the first bytes of an accepted kind.
magic = st.sampled_from(
    [
        b"",
        b"\xff\xd8\xff",
        b"\x89PNG\r\n\x1a\n",
        b"RIFF\x00\x00\x00\x00WEBP",
        b"%PDF-",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        b"PK\x03\x04",
        PDF_BYTES,
        b"MZ",
    ]
)
small_file = st.builds(
    lambda name, head, tail: SimpleUploadedFile(name, head + tail),
    st.text(
        alphabet=st.characters(
            codec="utf-8", exclude_categories=["Cc", "Cs"], exclude_characters='"\\/'
        ),
        min_size=1,
        max_size=20,
    ).filter(lambda name: name not in (".", "..")),
    magic,
    st.binary(max_size=1024),
)


# A complaint that would be accepted; each example spoils some of its fields.
PLAUSIBLE = {
    "category": "corruption",
    "accused": "งานการเงิน",
    "facts": "เรียกรับเงิน",
    "request": "",
    "incident_date": "",
    "witnesses": "พยานสองคน",
    "anonymous": "",
    "consent": "on",
    "complainant_name": "ผู้ร้อง",
    "complainant_phone": "0812345678",
    "complainant_email": "",
    "complainant_address": "",
    "complainant_id_number": "",
    "website": "",
}
ODD = {
    "category": choice,
    "accused": odd_text,
    "facts": odd_text,
    "request": odd_text,
    "incident_date": odd_date,
    "witnesses": odd_text,
    "anonymous": flag,
    "consent": flag,
    **dict.fromkeys(IDENTITY_FIELDS, odd_text),
    # The trap field, now and then filled the way a robot would.
    "website": st.sampled_from([""] * 9 + ["http://spam.example"]),
}


@st.composite
def complaint_posts(draw) -> dict:
    spoiled = draw(st.lists(st.sampled_from(sorted(ODD)), unique=True, max_size=len(ODD)))
    return {**PLAUSIBLE, **{name: draw(ODD[name]) for name in spoiled}}


@FUZZ
@given(fields=complaint_posts(), files=st.lists(small_file, max_size=3))
def test_the_public_form_never_fails(client, org, fields, files):
    before = Complaint.objects.count()
    response = client.post(f"/{org.slug}/complaints/new/", {**fields, "files": files})
    event("saved" if Complaint.objects.count() > before else f"status {response.status_code}")
    # 400: a NUL byte is refused before any view (ita_portal.middleware).
    assert response.status_code in (200, 302, 400)


@FUZZ
@given(code=odd_text, pin=odd_text, action=st.sampled_from(["lookup", "reply", "finish", "", "x"]))
def test_the_tracking_page_never_fails(client, db, code, pin, action):
    response = client.post("/complaints/track/", {"action": action, "code": code, "pin": pin})
    assert response.status_code < 500


@FUZZ
@given(text=odd_text, files=st.lists(small_file, max_size=3))
def test_a_reply_never_fails(client, org, text, files):
    filed = make_complaint(org, anonymous=True, witnesses="พยาน")
    client.post(
        "/complaints/track/", {"action": "lookup", "code": filed.code_display, "pin": filed.pin}
    )
    response = client.post("/complaints/track/", {"action": "reply", "text": text, "files": files})
    event(f"status {response.status_code}")
    # 400: a NUL byte is refused before any view (ita_portal.middleware).
    assert response.status_code in (200, 302, 400)
