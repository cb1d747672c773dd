from django.urls import reverse

from assessments.models import Assessment, IndicatorScore, Role
from tests.builders import REFERENCE_003, form_token, make_assessment, make_user


def test_staff_edits_are_recorded_with_who_and_what(client, org):
    assessment = make_assessment(org, 2564)
    user = make_user("somchai", org, Role.EDITOR)
    client.force_login(user)
    data = {f"score_{n}": s for n, s in enumerate(REFERENCE_003, start=1)}
    data.update(
        {"official_total": "91.50", "rank": "", "ranked_out_of": "", "notes": "ตามประกาศ ป.ป.ช."}
    )
    url = reverse("assessments_staff:year", args=["office", 2564])
    assert client.post(url, {**data, "edit_token": form_token(client, url)}).status_code == 302

    latest = assessment.history.latest()
    assert latest.history_user == user
    assert latest.notes == "ตามประกาศ ป.ป.ช."
    previous = latest.prev_record
    changed = {c.field for c in latest.diff_against(previous).changes}
    assert {"official_total", "notes"} <= changed
    score = IndicatorScore.objects.get(assessment=assessment, indicator__number=9)
    assert score.history.latest().history_user == user


def test_administrators_see_the_history_in_the_admin(admin_client, org):
    assessment = make_assessment(org, 2564, REFERENCE_003)
    assessment.notes = "แก้ไข"
    assessment.save()
    url = reverse("admin:assessments_assessment_history", args=[assessment.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert Assessment.history.filter(id=assessment.pk).count() >= 2
