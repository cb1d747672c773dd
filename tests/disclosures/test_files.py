"""Documents of a disclosure: served from our address, public only once published."""

from __future__ import annotations

import pytest

from assessments.models import Role
from disclosures.models import Entry
from disclosures.services import disclosure_publish, entry_delete
from tests.builders import make_org, make_user
from tests.measures.builders import PDF_BYTES

from .builders import make_disclosure

pytestmark = pytest.mark.django_db


def _document(disclosure) -> Entry:
    return disclosure.entries.get(kind="document")


def test_published_document_is_served_to_anyone(client, org):
    entry = _document(make_disclosure(org, "O4", documents=1, published=True))
    response = client.get(f"/office/files/oit/{entry.key}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_draft_document_is_for_staff_of_the_organisation_only(client, org):
    disclosure = make_disclosure(org, "O4", documents=1)
    url = f"/office/files/oit/{_document(disclosure).key}/"
    assert client.get(url).status_code == 404
    client.force_login(make_user("outsider", make_org("other"), role=Role.ADMINISTRATOR))
    assert client.get(url).status_code == 404
    client.force_login(make_user("member", org, role=Role.VIEWER))
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    client.logout()
    disclosure_publish(disclosure=disclosure, published=True)
    assert client.get(url).status_code == 200


def test_document_of_another_organisation_address_is_404(client, org):
    entry = _document(make_disclosure(org, "O4", documents=1, published=True))
    make_org("other")
    assert client.get(f"/other/files/oit/{entry.key}/").status_code == 404


def test_file_leaves_storage_with_its_entry(org, django_capture_on_commit_callbacks):
    entry = _document(make_disclosure(org, "O4", documents=1))
    storage, name = entry.file.storage, entry.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        entry_delete(entry=entry)
    assert not storage.exists(name)


def test_entry_file_name_is_not_the_uploaded_name(org):
    entry = _document(make_disclosure(org, "O4", documents=1))
    assert entry.file.name.startswith("disclosure-entries/")
    assert "doc0" not in entry.file.name and entry.file.name.endswith(".pdf")
