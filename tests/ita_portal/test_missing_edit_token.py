"""A staff edit POST without ``edit_token`` is refused like a stale form.

A page opened before the upgrade, or a script, would otherwise overwrite
someone's edit silently. Callers that are not forms pass ``token=None``.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from assessments.models import Role
from disclosures.models import Disclosure
from ita_portal.concurrency import STALE_MESSAGE, StaleEdit, check_not_stale
from measures import services as measure_services
from tests.builders import REFERENCE_003, form_token, logged_in, make_assessment, make_user
from tests.disclosures.builders import item, make_disclosure
from tests.measures.builders import make_measure

pytestmark = pytest.mark.django_db


def _thai_stale_message() -> str:
    with translation.override("th"):
        message = str(STALE_MESSAGE)
    assert "ท่าน" in message  # really the Thai text, not the English source
    return message


def _refused_then_saved(client: Client, url: str, data: dict, typed: str):
    """POST ``data`` without the token (refused), then with the token from the page (saved)."""
    refused = client.post(url, data)
    assert refused.status_code == 409
    page = refused.content.decode()
    assert _thai_stale_message() in page
    assert typed in page  # what the user typed is still in the form
    assert refused.context["form"]["edit_token"].value()  # a fresh token to save again
    saved = client.post(url, {**data, "edit_token": form_token(client, url)})
    assert saved.status_code == 302
    return refused


def _refused_then_saved_with_check(client, url, data, typed, *, stored, before, after):
    assert stored() == before
    refused = client.post(url, data)
    assert refused.status_code == 409
    assert stored() == before  # nothing saved
    _refused_then_saved(client, url, data, typed)
    assert stored() == after


def test_the_measure_form(org):
    client = logged_in(make_user("somchai", org, Role.EDITOR))
    measure = make_measure(org, title="ชื่อเดิม")
    url = reverse("measures_staff:measure", args=[org.slug, measure.pk])
    data = {
        "title": "ชื่อจากหน้าเก่า",
        "approach": "",
        "steps": measure.steps_text,
        "responsible_text": "",
        "monitoring": "",
        "due_date": "",
        "indicators": [str(i.pk) for i in measure.indicators.all()],
    }

    def stored():
        measure.refresh_from_db()
        return measure.title

    _refused_then_saved_with_check(
        client, url, data, "ชื่อจากหน้าเก่า", stored=stored, before="ชื่อเดิม", after="ชื่อจากหน้าเก่า"
    )


def test_the_oit_item_form(org):
    client = logged_in(make_user("somchai", org, Role.EDITOR))
    make_disclosure(org, explanation="คำอธิบายเดิม")
    url = reverse("disclosures_staff:item", args=["office", 2565, "O1"])
    data = {"explanation": "คำอธิบายจากหน้าเก่า", "unit": "", "due_date": ""}
    _refused_then_saved_with_check(
        client,
        url,
        data,
        "คำอธิบายจากหน้าเก่า",
        stored=lambda: Disclosure.objects.get(item=item("O1")).explanation,
        before="<p>คำอธิบายเดิม</p>",
        after="<p>คำอธิบายจากหน้าเก่า</p>",
    )


def test_an_oit_item_never_saved_is_not_created_by_a_post_without_the_token(org):
    client = logged_in(make_user("somchai", org, Role.EDITOR))
    url = reverse("disclosures_staff:item", args=["office", 2565, "O1"])
    data = {"explanation": "ข้อความใหม่", "unit": "", "due_date": ""}
    assert client.post(url, data).status_code == 409
    assert not Disclosure.objects.exists()
    _refused_then_saved(client, url, data, "ข้อความใหม่")
    assert Disclosure.objects.get().explanation == "<p>ข้อความใหม่</p>"


def test_the_ita_scores_form(org):
    client = logged_in(make_user("somchai", org, Role.EDITOR))
    assessment = make_assessment(org, 2564, REFERENCE_003)
    url = reverse("assessments_staff:year", args=["office", 2564])
    data = {f"score_{n}": value for n, value in enumerate(REFERENCE_003, start=1)}
    data.update(
        {"official_total": "91.50", "rank": "", "ranked_out_of": "", "notes": "บันทึกจากหน้าเก่า"}
    )

    def stored():
        assessment.refresh_from_db()
        return assessment.notes, assessment.official_total

    _refused_then_saved_with_check(
        client,
        url,
        data,
        "บันทึกจากหน้าเก่า",
        stored=stored,
        before=("", None),
        after=("บันทึกจากหน้าเก่า", Decimal("91.50")),
    )


def test_the_oit_findings_form(org, edition):
    client = logged_in(make_user("somchai", org, Role.EDITOR))
    assessment = make_assessment(org, 2564)
    o1 = edition.items.get(code="O1")
    url = reverse("assessments_staff:items", args=["office", 2564])
    data = {f"passed_{o1.pk}": "0", f"improvement_{o1.pk}": "ปรับปรุงจากหน้าเก่า"}
    _refused_then_saved_with_check(
        client,
        url,
        data,
        "ปรับปรุงจากหน้าเก่า",
        stored=lambda: list(assessment.item_results.values_list("improvement", flat=True)),
        before=[],
        after=["ปรับปรุงจากหน้าเก่า"],
    )


def test_the_organisation_details_form(org):
    client = logged_in(make_user("admin", org, Role.ADMINISTRATOR))
    url = reverse("assessments_staff:organisation", args=["office"])
    form = client.get(url).context["form"]
    # The page an old release showed: every field but the token.
    data = {
        name: form[name].value() or "" for name in form.fields if name not in ("logo", "edit_token")
    }
    data["phone"] = "043-999999"

    def stored():
        org.refresh_from_db()
        return org.phone

    _refused_then_saved_with_check(
        client, url, data, "043-999999", stored=stored, before="", after="043-999999"
    )


# --- The service API: None is "no check", an empty string is "missing" ----------------


def test_a_caller_that_is_not_a_form_passes_none_and_is_not_checked(org):
    measure = make_measure(org, title="ชื่อเดิม")
    check_not_stale(measure, None, ("title",))
    measure_services.measure_update(measure=measure, token=None, title="จากการนำเข้า")
    measure.refresh_from_db()
    assert measure.title == "จากการนำเข้า"


def test_an_empty_token_is_stale_with_no_listed_change(org):
    measure = make_measure(org)
    with pytest.raises(StaleEdit) as error:
        check_not_stale(measure, "", ("title",))
    assert error.value.changes == []
    with pytest.raises(StaleEdit):
        measure_services.measure_update(measure=measure, token="", title="ไม่ควรบันทึก")
    measure.refresh_from_db()
    assert measure.title != "ไม่ควรบันทึก"
