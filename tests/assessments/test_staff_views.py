from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import Assessment, IndicatorScore, Role
from tests.builders import (
    PASSWORD,
    REFERENCE_003,
    make_assessment,
    make_org,
    make_user,
    post_edit,
)


def _form(scores=REFERENCE_003, **extra):
    data = {f"score_{n}": s for n, s in enumerate(scores, start=1)}
    data.update({"official_total": "", "rank": "", "ranked_out_of": "", "notes": ""})
    data.update(extra)
    return data


@pytest.fixture
def year(org):
    return make_assessment(org, 2564)


@pytest.fixture
def editor_client(client, org):
    client.force_login(make_user("editor", org, Role.EDITOR))
    return client


def _year_url(slug="office", year=2564):
    return reverse("assessments_staff:year", args=[slug, year])


def test_anonymous_is_sent_to_login(client, year):
    for url in (
        reverse("staff:dashboard"),
        _year_url(),
        reverse("assessments_staff:settings", args=["office"]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/staff/login/")


def test_login_and_dashboard(client, org, year):
    make_user("somchai", org, Role.EDITOR)
    response = client.post(reverse("staff:login"), {"username": "somchai", "password": PASSWORD})
    assert response.status_code == 302
    body = client.get(reverse("staff:dashboard")).text
    assert org.name_th in body
    assert _year_url() in body


def test_wrong_password_gets_a_thai_message(client, org):
    make_user("somchai", org)
    response = client.post(reverse("staff:login"), {"username": "somchai", "password": "nope"})
    assert response.status_code == 200
    assert "ชื่อผู้ใช้" in response.text


def test_editor_saves_scores(editor_client, year):
    response = post_edit(
        editor_client, _year_url(), _form(official_total="91.50", rank="38", ranked_out_of="245")
    )
    assert response.status_code == 302
    year.refresh_from_db()
    assert year.official_total == Decimal("91.50") and year.rank == 38
    assert IndicatorScore.objects.filter(assessment=year).count() == 10
    page = editor_client.get(_year_url()).text
    assert "91.50" in page and "บันทึก" in page


def test_out_of_range_and_too_many_decimals_are_refused_in_thai(editor_client, year):
    scores = list(REFERENCE_003)
    scores[0], scores[1], scores[2] = "100.5", "90.123", "เก้าสิบ"
    response = editor_client.post(_year_url(), _form(scores))
    assert response.status_code == 200
    form = response.context["form"]
    assert "0–100" in form.errors["score_1"][0]
    assert "ทศนิยม" in form.errors["score_2"][0]
    assert "ไม่ใช่ตัวเลข" in form.errors["score_3"][0]
    assert IndicatorScore.objects.count() == 0
    # What was typed stays in the form.
    assert 'value="90.123"' in response.text


def test_rank_above_ranked_count_is_refused(editor_client, year):
    response = editor_client.post(_year_url(), _form(rank="300", ranked_out_of="245"))
    assert response.status_code == 200
    assert "rank" in response.context["form"].errors


def test_clearing_a_score_removes_the_total(editor_client, year):
    assert post_edit(editor_client, _year_url(), _form()).status_code == 302
    scores = list(REFERENCE_003)
    scores[4] = ""
    assert post_edit(editor_client, _year_url(), _form(scores)).status_code == 302
    assert IndicatorScore.objects.filter(assessment=year).count() == 9
    assert editor_client.get(_year_url()).context["result"].total is None


def test_mismatch_with_official_total_is_shown(editor_client, year):
    assert post_edit(editor_client, _year_url(), _form(official_total="92.00")).status_code == 302
    response = editor_client.get(_year_url())
    assert response.context["result"].official_mismatch
    assert 'role="alert"' in response.text


def test_viewer_sees_but_cannot_edit(client, org, year):
    client.force_login(make_user("viewer", org, Role.VIEWER))
    assert client.get(_year_url()).status_code == 200
    assert client.post(_year_url(), _form()).status_code == 404
    assert IndicatorScore.objects.count() == 0
    assert client.get(reverse("assessments_staff:settings", args=["office"])).status_code == 404
    add = client.post(
        reverse("assessments_staff:year-add", args=["office"]), {"fiscal_year": "2565"}
    )
    assert add.status_code == 404


def test_complaint_officer_cannot_edit_results(client, org, year):
    client.force_login(make_user("legal", org, Role.COMPLAINT_OFFICER))
    assert client.post(_year_url(), _form()).status_code == 404


def test_other_organisation_is_404(client, org, year):
    other = make_org("other")
    client.force_login(make_user("outsider", other, Role.ADMINISTRATOR))
    assert client.get(_year_url()).status_code == 404
    assert client.post(_year_url(), _form()).status_code == 404
    assert client.get(reverse("assessments_staff:results", args=["office"])).status_code == 404
    assert (
        client.get(reverse("assessments_staff:scores-download", args=["office", "csv"])).status_code
        == 404
    )
    assert org.name_th not in client.get(reverse("staff:dashboard")).text


def test_add_year_creates_and_redirects(editor_client, org):
    response = editor_client.post(
        reverse("assessments_staff:year-add", args=["office"]), {"fiscal_year": "2565"}
    )
    assert response.status_code == 302
    assert response["Location"] == _year_url(year=2565)
    assert (
        Assessment.objects.get(organisation=org, fiscal_year=2565).edition.code == "ita-2564-2565"
    )


def test_add_year_refuses_a_ce_year(editor_client, org):
    response = editor_client.post(
        reverse("assessments_staff:year-add", args=["office"]), {"fiscal_year": "2023"}
    )
    assert response.status_code == 400
    assert "2566" in response.text
    assert not Assessment.objects.exists()


def test_unknown_year_is_404_for_staff(editor_client, org):
    assert editor_client.get(_year_url(year=2565)).status_code == 404


def test_threshold_setting(editor_client, org):
    url = reverse("assessments_staff:settings", args=["office"])
    assert editor_client.post(url, {"develop_threshold": "100"}).status_code == 302
    org.refresh_from_db()
    assert org.develop_threshold == Decimal("100")
    response = editor_client.post(url, {"develop_threshold": "120"})
    assert response.status_code == 200
    org.refresh_from_db()
    assert org.develop_threshold == Decimal("100")


def test_scores_download_is_scoped_to_the_organisation(editor_client, org):
    make_assessment(org, 2564, REFERENCE_003)
    other = make_org("other")
    make_assessment(other, 2564, REFERENCE_003)
    response = editor_client.get(
        reverse("assessments_staff:scores-download", args=["office", "csv"])
    )
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert "office,2564,9,75.92" in text
    assert "other," not in text
    xlsx = editor_client.get(reverse("assessments_staff:scores-download", args=["office", "xlsx"]))
    assert xlsx.status_code == 200
    assert xlsx.content[:2] == b"PK"


def test_unknown_download_format_is_404(editor_client, org):
    assert editor_client.get("/staff/office/ita/scores.exe").status_code == 404


def test_password_change(client, org):
    user = make_user("somchai", org)
    client.force_login(user)
    response = client.post(
        reverse("staff:password-change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-pass-2567",
            "new_password2": "another-long-pass-2567",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("another-long-pass-2567")


def test_logout_needs_post(client, org):
    client.force_login(make_user("somchai", org))
    assert client.post(reverse("staff:logout")).status_code == 302
    assert client.get(reverse("staff:dashboard")).status_code == 302


def _items_url(slug="office", year=2564):
    return reverse("assessments_staff:items", args=[slug, year])


def test_editor_records_oit_item_results(editor_client, year, edition):
    o1 = edition.items.get(code="O1")
    o2 = edition.items.get(code="O2")
    data = {
        f"passed_{o1.pk}": "0",
        f"improvement_{o1.pk}": "ปรับปรุงแผนผังโครงสร้าง",
        f"passed_{o2.pk}": "1",
    }
    assert post_edit(editor_client, _items_url(), data).status_code == 302
    results = {r.item.code: r for r in year.item_results.select_related("item")}
    assert set(results) == {"O1", "O2"}
    assert results["O1"].passed is False and results["O1"].improvement == "ปรับปรุงแผนผังโครงสร้าง"
    page = editor_client.get(_items_url()).text
    assert "ปรับปรุงแผนผังโครงสร้าง" in page
    # Setting an item back to "not entered" removes its result.
    assert post_edit(editor_client, _items_url(), {f"passed_{o2.pk}": "1"}).status_code == 302
    assert list(year.item_results.values_list("item__code", flat=True)) == ["O2"]


def test_oit_item_results_are_denied_to_viewers_and_outsiders(client, org, year, edition):
    o1 = edition.items.get(code="O1")
    client.force_login(make_user("viewer", org, Role.VIEWER))
    assert client.get(_items_url()).status_code == 200
    assert client.post(_items_url(), {f"passed_{o1.pk}": "1"}).status_code == 404
    client.force_login(make_user("outsider", make_org("other"), Role.ADMINISTRATOR))
    assert client.get(_items_url()).status_code == 404
    assert not year.item_results.exists()
