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


def test_staff_member_sees_only_own_organisation_in_admin(client, org):
    make_org("other", name_th="สำนักงานนอกสังกัดทดสอบ")
    user = make_user("orgadmin", org, Role.ADMINISTRATOR, is_staff=True)
    from django.contrib.auth.models import Permission

    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_organisation", "change_organisation"])
    )
    client.force_login(user)
    body = client.get(reverse("admin:assessments_organisation_changelist")).text
    assert org.name_th in body
    assert "สำนักงานนอกสังกัดทดสอบ" not in body


def test_staff_member_can_choose_only_own_organisation_in_admin_forms(client, org):
    from django.contrib.auth.models import Permission

    from assessments.models import Unit

    other = make_org("other", name_th="สำนักงานนอกสังกัดทดสอบ")
    Unit.objects.create(organisation=other, name="กลุ่มงานของหน่วยงานอื่น")
    user = make_user("orgadmin", org, Role.ADMINISTRATOR, is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_unit", "add_unit", "add_assessment"])
    )
    client.force_login(user)
    body = client.get(reverse("admin:assessments_unit_add")).text
    assert org.name_th in body
    assert "สำนักงานนอกสังกัดทดสอบ" not in body
    response = client.post(
        reverse("admin:assessments_unit_add"),
        {"organisation": other.pk, "name": "แทรก", "order": 0},
    )
    assert response.status_code == 200  # the form refuses the choice
    assert not Unit.objects.filter(name="แทรก").exists()
