"""Operators edit editions in the admin: fields, instruments and levels inline,
items with all their metadata, XLSX export and import; staff are refused."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.edition_io import edition_import_preview
from assessments.models import Edition, Item, ResultLevel, Role
from ita_portal.once import FIELD_NAME
from tests.assessments.test_edition_xlsx import edited
from tests.builders import make_user


@pytest.fixture
def nacc_2569(db) -> Edition:
    return Edition.objects.get(code="nacc-2569")


def _xlsx(content: bytes, name: str = "edition.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def _change_form_data(response) -> dict:
    """What a browser would post back from an admin change page, unchanged."""
    forms = [response.context["adminform"].form]
    data: dict = {}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        forms.extend(formset.forms)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is True:
                data[form.add_prefix(name)] = "on"
            elif value is not None and value is not False:
                data[form.add_prefix(name)] = value
    return data


def test_operator_pages_render(admin_client, nacc_2569):
    item = Item.objects.get(edition=nacc_2569, code="O2")
    level = ResultLevel.objects.filter(edition=nacc_2569).first()
    indicator = nacc_2569.indicators.first()
    urls = [
        reverse("admin:assessments_edition_changelist"),
        reverse("admin:assessments_edition_change", args=[nacc_2569.pk]),
        reverse("admin:assessments_edition_import_xlsx"),
        reverse("admin:assessments_item_changelist")
        + f"?edition__id__exact={nacc_2569.pk}&verify__exact=1&role__exact=complaint_statistics",
        reverse("admin:assessments_item_change", args=[item.pk]),
        reverse("admin:assessments_indicator_changelist"),
        reverse("admin:assessments_indicator_change", args=[indicator.pk]),
        reverse("admin:assessments_subindicator_changelist"),
        reverse("admin:assessments_resultlevel_changelist"),
        reverse("admin:assessments_resultlevel_change", args=[level.pk]),
        reverse("admin:assessments_scheme_changelist"),
    ]
    for url in urls:
        assert admin_client.get(url).status_code == 200, url


def test_staff_with_every_permission_are_refused(client, org, nacc_2569):
    user = make_user("orgadmin", org, Role.ADMINISTRATOR, is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="assessments"))
    client.force_login(user)
    for url in [
        reverse("admin:assessments_edition_change", args=[nacc_2569.pk]),
        reverse("admin:assessments_edition_export_xlsx", args=[nacc_2569.pk]),
        reverse("admin:assessments_edition_import_xlsx"),
        reverse("admin:assessments_item_changelist"),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login"))
    response = client.post(
        reverse("admin:assessments_edition_import_xlsx"),
        {"file": _xlsx(edited(nacc_2569, [("items", "O5", "title_th", "แทรก")]))},
    )
    assert response.status_code == 302
    assert Item.objects.get(edition=nacc_2569, code="O5").title_th != "แทรก"


def test_items_to_verify_are_marked_in_the_list_and_on_their_page(admin_client, nacc_2569):
    response = admin_client.get(
        reverse("admin:assessments_item_changelist") + f"?edition__id__exact={nacc_2569.pk}"
    )
    # One warning per flagged item in the column.
    flagged = Item.objects.filter(edition=nacc_2569, verify=True).count()
    assert response.text.count("⚠ ต้องตรวจถ้อยคำกับคู่มือ ป.ป.ช.") == flagged
    o2 = Item.objects.get(edition=nacc_2569, code="O2")
    page = admin_client.get(reverse("admin:assessments_item_change", args=[o2.pk])).text
    assert "ถ้อยคำของส่วนนี้ต้องตรวจกับคู่มือ ป.ป.ช." in page
    plain = Item.objects.get(edition__code="ita-2564-2565", code="O1")
    page = admin_client.get(reverse("admin:assessments_item_change", args=[plain.pk])).text
    assert "ถ้อยคำของส่วนนี้ต้องตรวจกับคู่มือ ป.ป.ช." not in page


def test_edition_page_names_what_is_to_verify_and_links_the_export(admin_client, nacc_2569):
    page = admin_client.get(reverse("admin:assessments_edition_change", args=[nacc_2569.pk])).text
    assert reverse("admin:assessments_edition_export_xlsx", args=[nacc_2569.pk]) in page
    assert "O25" in page.split("ต้องตรวจถ้อยคำกับคู่มือ ป.ป.ช.:", 1)[1].split("</p>", 1)[0]


def test_edition_fields_instruments_and_levels_are_edited_on_one_page(admin_client, nacc_2569):
    url = reverse("admin:assessments_edition_change", args=[nacc_2569.pk])
    data = _change_form_data(admin_client.get(url))
    level_prefix = next(k for k, v in data.items() if k.endswith("-code") and v == "good")[:-5]
    data[f"{level_prefix}-min_instrument"] = "90"
    data[f"{level_prefix}-label_en"] = "Good"
    data["name_en"] = "ITA 2569"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    good = ResultLevel.objects.get(edition=nacc_2569, code="good")
    assert (str(good.min_instrument), good.label_en) == ("90.00", "Good")
    nacc_2569.refresh_from_db()
    assert nacc_2569.name_en == "ITA 2569"


def test_levels_without_a_lowest_level_are_refused(admin_client, nacc_2569):
    url = reverse("admin:assessments_edition_change", args=[nacc_2569.pk])
    data = _change_form_data(admin_client.get(url))
    prefix = next(k for k, v in data.items() if k.endswith("-code") and v == "urgent")[:-5]
    data[f"{prefix}-min_total"] = "10"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "ระดับต่ำสุดต้องมีคะแนนรวมขั้นต่ำ 0" in response.text
    assert ResultLevel.objects.get(edition=nacc_2569, code="urgent").min_total == 0


def test_weights_not_adding_to_100_are_refused(admin_client, nacc_2569):
    url = reverse("admin:assessments_edition_change", args=[nacc_2569.pk])
    data = _change_form_data(admin_client.get(url))
    prefix = next(k for k, v in data.items() if k.endswith("-code") and v == "IIT")[:-5]
    data[f"{prefix}-weight"] = "35"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "น้ำหนักของเครื่องมือรวมกันได้ 105" in response.text


def test_an_item_cannot_move_to_another_editions_sub_indicator(admin_client, nacc_2569):
    item = Item.objects.get(edition=nacc_2569, code="O1")
    foreign = Item.objects.get(edition__code="nacc-2568", code="O1").sub_indicator
    url = reverse("admin:assessments_item_change", args=[item.pk])
    response = admin_client.get(url)
    data = _change_form_data(response)
    data["sub_indicator"] = foreign.pk
    response = admin_client.post(url, data)
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.sub_indicator.indicator.edition == nacc_2569


def test_export_button_and_action_give_the_workbook(admin_client, nacc_2569):
    response = admin_client.get(
        reverse("admin:assessments_edition_export_xlsx", args=[nacc_2569.pk])
    )
    assert response.status_code == 200
    assert 'filename="nacc-2569.xlsx"' in response["Content-Disposition"]
    assert edition_import_preview(response.content).unchanged

    other = Edition.objects.get(code="nacc-2568")
    response = admin_client.post(
        reverse("admin:assessments_edition_changelist"),
        {"action": "export_xlsx", "_selected_action": [nacc_2569.pk, other.pk]},
    )
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert sorted(archive.namelist()) == ["nacc-2568.xlsx", "nacc-2569.xlsx"]


def test_export_of_a_wrong_address_is_404(admin_client, db):
    for object_id in ["999999", "abc"]:
        url = reverse("admin:assessments_edition_export_xlsx", args=[object_id])
        assert admin_client.get(url).status_code == 404


def test_import_shows_the_difference_then_saves_on_confirm(admin_client, nacc_2569):
    url = reverse("admin:assessments_edition_import_xlsx")
    content = edited(nacc_2569, [("items", "O5", "title_th", "ชื่อที่แก้ในไฟล์")])
    response = admin_client.post(url, {"file": _xlsx(content)})
    assert response.status_code == 200
    assert response.context["preview"].differences == [
        f"items O5 title_th: "
        f"{Item.objects.get(edition=nacc_2569, code='O5').title_th!r} → 'ชื่อที่แก้ในไฟล์'"
    ]
    assert Item.objects.get(edition=nacc_2569, code="O5").title_th != "ชื่อที่แก้ในไฟล์"

    confirm = {"payload": response.context["payload"], FIELD_NAME: "a-once-token-1234"}
    response = admin_client.post(url, confirm)
    change = reverse("admin:assessments_edition_change", args=[nacc_2569.pk])
    assert response.status_code == 302 and response["Location"] == change
    assert Item.objects.get(edition=nacc_2569, code="O5").title_th == "ชื่อที่แก้ในไฟล์"
    # A double click goes where the first went and saves nothing more.
    history = Item.objects.get(edition=nacc_2569, code="O5").history.count()
    response = admin_client.post(url, confirm)
    assert response["Location"] == change
    assert Item.objects.get(edition=nacc_2569, code="O5").history.count() == history


def test_import_names_bad_rows_in_thai_and_saves_nothing(admin_client, nacc_2569):
    content = edited(
        nacc_2569,
        [("items", "O5", "title_th", "ไม่บันทึก"), ("items", "O4", "period", "weekly")],
    )
    response = admin_client.post(
        reverse("admin:assessments_edition_import_xlsx"), {"file": _xlsx(content)}
    )
    assert response.status_code == 200
    assert "แผ่นงาน “items” แถวที่ 5" in response.text
    assert "payload" not in response.context
    assert Item.objects.get(edition=nacc_2569, code="O5").title_th != "ไม่บันทึก"


def test_import_refuses_a_file_that_is_not_a_workbook(admin_client, db):
    response = admin_client.post(
        reverse("admin:assessments_edition_import_xlsx"),
        {"file": _xlsx(b"%PDF-1.4 not a workbook", "edition.xlsx")},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"]


def test_a_tampered_confirmation_is_refused(admin_client, nacc_2569):
    response = admin_client.post(
        reverse("admin:assessments_edition_import_xlsx"), {"payload": "forged:abc"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:assessments_edition_import_xlsx")


def test_years_overlapping_another_edition_of_the_scheme_are_refused(admin_client, nacc_2569):
    url = reverse("admin:assessments_edition_change", args=[nacc_2569.pk])
    data = _change_form_data(admin_client.get(url))
    data["first_year"] = "2568"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "nacc-2568" in response.text
    nacc_2569.refresh_from_db()
    assert nacc_2569.first_year == 2569


def test_import_of_a_new_edition_says_so_before_creating_it(admin_client, nacc_2569):
    from assessments.models import Scheme

    Scheme.objects.get_or_create(code="obec", defaults={"name_th": "สพฐ."})[0]
    content = edited(
        nacc_2569,
        [("edition", "code", "value", "obec-2569"), ("edition", "scheme", "value", "obec")],
    )
    url = reverse("admin:assessments_edition_import_xlsx")
    response = admin_client.post(url, {"file": _xlsx(content)})
    assert "จะสร้างกรอบการประเมินใหม่ของชุดเกณฑ์ “obec” จำนวน 26 ข้อ" in response.text
    assert not Edition.objects.filter(code="obec-2569").exists()
    response = admin_client.post(url, {"payload": response.context["payload"]})
    new = Edition.objects.get(code="obec-2569")
    assert response["Location"] == reverse("admin:assessments_edition_change", args=[new.pk])
    assert admin_client.get(response["Location"]).status_code == 200
