"""Score imports refuse hostile files: the admin's import screen and the command."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from assessments.imports import scores_import
from assessments.models import IndicatorScore
from tests.measures.test_import_limits import zip_bomb

URL = "admin:assessments_indicatorscore_import"
CSV, XLSX = 0, 1  # the admin's formats, in ita_portal.spreadsheets.SAFE_FORMATS order


def _rows(count: int) -> bytes:
    lines = ["organisation,fiscal_year,indicator,score"]
    lines += ["office,2564,1,90"] * count
    return "\n".join(lines).encode()


@pytest.fixture
def operator_client(client, db):
    user = get_user_model().objects.create(username="operator", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def _admin_import(client, name: str, content: bytes, fmt: int):
    upload = SimpleUploadedFile(name, content)
    return client.post(reverse(URL), {"import_file": upload, "format": fmt, "resource": 0})


def test_the_admin_refuses_a_zip_bomb_in_thai(operator_client, org):
    response = _admin_import(operator_client, "bomb.xlsx", zip_bomb(unpacked_mb=40), XLSX)
    assert response.status_code == 200
    assert "แตกไฟล์แล้วมีขนาดไม่เกิน 20 MB" in response.text
    assert IndicatorScore.objects.count() == 0


def test_the_admin_refuses_too_many_rows(operator_client, org, settings):
    settings.IMPORT_MAX_ROWS = 10
    response = _admin_import(operator_client, "many.csv", _rows(11), CSV)
    assert "ไฟล์มีข้อมูลเกิน 10 แถว" in response.text
    assert IndicatorScore.objects.count() == 0


def test_the_admin_refuses_an_oversized_file(operator_client, org, settings):
    settings.IMPORT_MAX_FILE_SIZE = 1024 * 1024
    response = _admin_import(operator_client, "big.csv", _rows(1) + b" " * 1024 * 1024, CSV)
    assert "ไม่เกิน 1 MB" in response.text
    assert IndicatorScore.objects.count() == 0


def test_the_admin_still_imports_an_honest_file(operator_client, org):
    content = b"organisation,fiscal_year,indicator,score\noffice,2564,1,'-5\n"
    response = _admin_import(operator_client, "s.csv", content, CSV)
    # The quote comes off: the score is read as -5, and refused for being below 0.
    assert "คะแนน -5 อยู่นอกช่วง 0–100" in response.text
    assert IndicatorScore.objects.count() == 0


def test_the_command_refuses_too_many_rows_and_saves_nothing(org, tmp_path, settings):
    settings.IMPORT_MAX_ROWS = 10
    path = tmp_path / "scores.csv"
    path.write_bytes(_rows(11))
    with pytest.raises(CommandError):
        call_command("import_scores", str(path), stderr=io.StringIO())
    assert IndicatorScore.objects.count() == 0


def test_a_zip_bomb_is_refused_before_any_query(org, django_assert_num_queries):
    with django_assert_num_queries(0):
        report = scores_import(content=zip_bomb(unpacked_mb=40), file_name="s.xlsx")
    assert not report.ok and IndicatorScore.objects.count() == 0
