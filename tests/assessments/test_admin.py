from django.urls import reverse

from assessments.models import Role
from tests.builders import REFERENCE_003, make_assessment, make_org, make_user


def test_admin_pages_render(admin_client, org):
    assessment = make_assessment(org, 2564, REFERENCE_003)
    for name, args in [
        ("admin:assessments_organisation_changelist", []),
        ("admin:assessments_organisation_change", [org.pk]),
        ("admin:assessments_assessment_change", [assessment.pk]),
        ("admin:assessments_item_changelist", []),
        ("admin:assessments_edition_changelist", []),
        ("admin:assessments_indicatorscore_changelist", []),
        ("admin:assessments_indicatorscore_import", []),
        ("admin:assessments_indicatorscore_export", []),
    ]:
        assert admin_client.get(reverse(name, args=args)).status_code == 200, name


def test_admin_import_shows_bad_rows_and_saves_nothing(admin_client, org):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from assessments.models import IndicatorScore

    content = b"organisation,fiscal_year,indicator,score\noffice,2564,1,90\noffice,2564,2,200\n"
    response = admin_client.post(
        reverse("admin:assessments_indicatorscore_import"),
        {
            "format": "0",
            "resource": "0",
            "import_file": SimpleUploadedFile("s.csv", content, content_type="text/csv"),
        },
    )
    assert response.status_code == 200
    assert "แถวที่ 3" in response.text
    assert IndicatorScore.objects.count() == 0


def _refused(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))


# The admin is for operators (superusers) only: an organisation's administrator,
# even with model permissions, is refused (tests/ita_portal/test_admin_site.py).
def test_staff_member_is_refused_by_the_admin(client, org):
    make_org("other", name_th="สำนักงานนอกสังกัดทดสอบ")
    user = make_user("orgadmin", org, Role.ADMINISTRATOR, is_staff=True)
    from django.contrib.auth.models import Permission

    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_organisation", "change_organisation"])
    )
    client.force_login(user)
    response = client.get(reverse("admin:assessments_organisation_changelist"))
    assert _refused(response)


def test_staff_member_cannot_add_units_through_the_admin(client, org):
    from django.contrib.auth.models import Permission

    from assessments.models import Unit

    other = make_org("other", name_th="สำนักงานนอกสังกัดทดสอบ")
    user = make_user("orgadmin", org, Role.ADMINISTRATOR, is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_unit", "add_unit", "add_assessment"])
    )
    client.force_login(user)
    assert _refused(client.get(reverse("admin:assessments_unit_add")))
    response = client.post(
        reverse("admin:assessments_unit_add"),
        {"organisation": other.pk, "name": "แทรก", "order": 0},
    )
    assert _refused(response)
    assert not Unit.objects.filter(name="แทรก").exists()
