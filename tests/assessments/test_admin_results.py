"""The operators' admin for results: instrument scores and the published level."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import InstrumentScore, ResultLevel
from assessments.services import assessment_get_or_create


def _import(admin_client, content: bytes):
    return admin_client.post(
        reverse("admin:assessments_instrumentscore_import"),
        {
            "format": "0",
            "resource": "0",
            "import_file": SimpleUploadedFile("s.csv", content, content_type="text/csv"),
        },
    )


def test_instrument_rows_import_through_the_admin(admin_client, org):
    content = (
        b"organisation,fiscal_year,instrument,score\noffice,2568,IIT,93.40\noffice,2568,OIT,80.77\n"
    )
    response = _import(admin_client, content)
    assert response.status_code == 200
    assert "แถวที่" not in response.text  # no row was refused
    # django-import-export asks to confirm; the dry run saved nothing yet.
    assert InstrumentScore.objects.count() == 0
    assert "IIT" in response.text and "93.40" in response.text


def test_a_bad_instrument_row_is_named_and_nothing_is_saved(admin_client, org):
    content = (
        b"organisation,fiscal_year,instrument,score\noffice,2568,IIT,93.40\noffice,2568,XYZ,80\n"
    )
    response = _import(admin_client, content)
    assert response.status_code == 200
    assert "แถวที่ 3" in response.text
    assert InstrumentScore.objects.count() == 0


def test_the_published_level_offers_only_the_years_edition_levels(admin_client, org):
    assessment = assessment_get_or_create(organisation=org, fiscal_year=2568)
    response = admin_client.get(
        reverse("admin:assessments_assessment_change", args=[assessment.pk])
    )
    assert response.status_code == 200
    offered = set(response.context["adminform"].form.fields["official_level"].queryset)
    assert offered == set(ResultLevel.objects.filter(edition=assessment.edition))
    assert len(offered) == 5
