"""Lost updates on a year's ITA results and OIT findings (issue 11, point 6)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import Item, ItemResult
from tests.builders import REFERENCE_003, make_assessment

pytestmark = pytest.mark.django_db


def _scores(**changes) -> dict:
    data = {f"score_{n}": value for n, value in enumerate(REFERENCE_003, start=1)}
    data.update({"official_total": "", "rank": "", "ranked_out_of": "", "notes": ""})
    data.update(changes)
    return data


def test_a_second_editor_of_the_scores_is_refused_and_keeps_their_text(two_editors, org):
    first, second = two_editors
    assessment = make_assessment(org, 2564, REFERENCE_003)
    url = reverse("assessments_staff:year", args=[org.slug, 2564])
    token_first = first.get(url).context["form"]["edit_token"].value()
    token_second = second.get(url).context["form"]["edit_token"].value()

    assert first.post(url, _scores(score_9="80.00", edit_token=token_first)).status_code == 302
    refused = second.post(url, _scores(notes="บันทึกของมาลี", edit_token=token_second))

    assert refused.status_code == 409
    assessment.refresh_from_db()
    assert assessment.notes == ""
    assert assessment.scores.get(indicator__number=9).score == Decimal("80.00")
    page = refused.content.decode()
    assert "บันทึกของมาลี" in page
    assert "75.92" in page and "80.00" in page  # then and now
    assert [c.field for c in refused.context["stale"]] == ["+indicator_9"]

    token = refused.context["form"]["edit_token"].value()
    again = second.post(url, _scores(score_9="80.00", notes="บันทึกของมาลี", edit_token=token))
    assert again.status_code == 302
    assessment.refresh_from_db()
    assert assessment.notes == "บันทึกของมาลี"


def test_a_second_editor_of_the_oit_findings_is_refused(two_editors, org, edition):
    first, second = two_editors
    make_assessment(org, 2565, REFERENCE_003)
    item = Item.objects.filter(edition=edition).order_by("number").first()
    url = reverse("assessments_staff:items", args=[org.slug, 2565])
    token_first = first.get(url).context["form"]["edit_token"].value()
    token_second = second.get(url).context["form"]["edit_token"].value()

    mine = {f"passed_{item.pk}": "1", f"comment_{item.pk}": "ครบถ้วน", "edit_token": token_first}
    assert first.post(url, mine).status_code == 302
    theirs = {f"passed_{item.pk}": "0", f"comment_{item.pk}": "ไม่ครบ", "edit_token": token_second}
    refused = second.post(url, theirs)

    assert refused.status_code == 409
    result = ItemResult.objects.get()
    assert (result.passed, result.comment) == (True, "ครบถ้วน")
    page = refused.content.decode()
    assert "ไม่ครบ" in page and "ครบถ้วน" in page
    assert [c.label for c in refused.context["stale"]] == [item.code]
