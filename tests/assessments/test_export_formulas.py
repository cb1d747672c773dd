"""Score exports (download, command, admin): numbers stay numbers, text is never a formula."""

from __future__ import annotations

import io

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from openpyxl import load_workbook

from assessments.admin_results import IndicatorScoreAdmin
from assessments.imports import scores_export, scores_import
from assessments.models import IndicatorScore, Role
from ita_portal.spreadsheets import SafeXLSX
from tests.builders import REFERENCE_003, make_assessment, make_user


def _first_row(content: bytes) -> list:
    return list(load_workbook(io.BytesIO(content)).active[2])


def test_the_download_writes_scores_as_numbers_and_the_slug_as_text(client, org):
    make_assessment(org, 2564, REFERENCE_003)
    client.force_login(make_user("editor", org, Role.EDITOR))
    response = client.get(reverse("assessments_staff:scores-download", args=["office", "xlsx"]))
    slug, year, _indicator, score = _first_row(response.content)
    assert slug.data_type == "s" and slug.value == "office"
    assert (year.data_type, year.value) == ("n", 2564)
    assert (score.data_type, float(score.value)) == ("n", float(REFERENCE_003[0]))


def test_an_xlsx_export_imports_back_unchanged(org):
    make_assessment(org, 2564, REFERENCE_003)
    content = scores_export(fmt="xlsx")
    before = sorted(IndicatorScore.objects.values_list("indicator__number", "score"))
    IndicatorScore.objects.all().delete()
    assert scores_import(content=content, file_name="back.xlsx").new == len(before)
    assert sorted(IndicatorScore.objects.values_list("indicator__number", "score")) == before


def test_a_negative_score_is_read_as_a_number_quoted_or_not(org):
    for cell in ("-5", "'-5"):
        content = f"organisation,fiscal_year,indicator,score\noffice,2564,1,{cell}\n".encode()
        report = scores_import(content=content, file_name="s.csv")
        assert report.errors and "-5" in report.errors[0] and "'" not in report.errors[0]


def test_the_command_and_the_admin_write_numbers_as_numbers(org, tmp_path):
    make_assessment(org, 2564, REFERENCE_003)
    out = tmp_path / "scores.xlsx"
    call_command("export_scores", "-o", str(out))
    assert _first_row(out.read_bytes())[3].data_type == "n"
    model_admin = IndicatorScoreAdmin(IndicatorScore, admin.site)
    request = RequestFactory().get("/admin/")
    request.user = get_user_model().objects.create(username="operator", is_superuser=True)
    content = model_admin.get_export_data(
        SafeXLSX(), request, model_admin.get_export_queryset(request)
    )
    assert _first_row(content)[3].data_type == "n"
