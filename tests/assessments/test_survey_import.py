"""Importing survey responses from CSV or XLSX: labels or numbers, all or nothing."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook

from assessments.models import Answer, Response, ResponseSource
from assessments.surveys.imports import import_template_xlsx, responses_file_import
from assessments.surveys.services import round_bank, round_create

TODAY = dt.date(2022, 6, 1)


@pytest.fixture
def iit(org):
    return round_create(
        organisation=org,
        fiscal_year=2565,
        instrument_code="IIT",
        opens_on=dt.date(2021, 10, 1),
        closes_on=dt.date(2022, 9, 30),
    )


def _answers(survey_round, label: str = "มาก", yes: str = "มี") -> dict[str, str]:
    bank = round_bank(survey_round)
    return {
        item.code: (label if q.scale == "scale4" else yes)
        for q in bank.questions
        for item in q.items.all()
    }


def _csv(rows: list[dict[str, str]], *, bom: bool = False, extra: dict | None = None) -> bytes:
    buffer = io.StringIO()
    headers = [*(extra or {}), *rows[0]]
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([*(extra or {}).values(), *row.values()])
    return buffer.getvalue().encode("utf-8-sig" if bom else "utf-8")


def _import(survey_round, content: bytes, name: str = "answers.csv", dry_run: bool = False):
    return responses_file_import(
        survey_round=survey_round, content=content, file_name=name, today=TODAY, dry_run=dry_run
    )


@pytest.mark.django_db
def test_labels_and_numbers_are_stored_as_choice_values(iit):
    by_label = _answers(iit, "มากที่สุด", "ไม่มี")
    # The same answers as numbers: the choice's value, whatever the reverse flag.
    by_number = {code: ("100" if v == "มากที่สุด" else "0") for code, v in by_label.items()}
    # Whitespace around and inside a label is forgiven.
    by_label["I1.1"] = "  มาก ที่สุด "
    report = _import(iit, _csv([by_label, by_number]))
    assert report.ok, report.errors
    assert report.stored == 2
    assert Response.objects.filter(round=iit, source=ResponseSource.IMPORTED).count() == 2
    assert set(Response.objects.values_list("submitted_on", flat=True)) == {TODAY}
    assert Answer.objects.filter(item_code="I1.1", value=100).count() == 2
    # I4 is a yes/no question: ไม่มี is 0 in both rows.
    assert set(
        Answer.objects.filter(item_code__startswith="I4").values_list("value", flat=True)
    ) == {0}
    assert Answer.objects.count() == 2 * len(by_label)


@pytest.mark.django_db
def test_one_bad_row_stores_nothing_and_names_the_row(iit):
    good = _answers(iit)
    bad = {**good, "I2": "บ่อย"}
    report = _import(iit, _csv([good, good, bad, good]))
    assert not report.ok
    assert report.stored == 0
    assert Response.objects.count() == 0
    assert len(report.errors) == 1
    # The header is row 1, so the third data row is row 4.
    assert report.errors[0].startswith("แถวที่ 4:")
    assert "I2" in report.errors[0] and "บ่อย" in report.errors[0]


@pytest.mark.django_db
def test_every_bad_row_is_named(iit):
    good = _answers(iit)
    rows = [good, {**good, "I1.1": "5"}, {**good, "I3.2": ""}, good]
    report = _import(iit, _csv(rows))
    assert len(report.errors) == 2
    assert report.errors[0].startswith("แถวที่ 3:") and "I1.1" in report.errors[0]
    assert report.errors[1].startswith("แถวที่ 4:") and "I3.2" in report.errors[1]


@pytest.mark.django_db
def test_yes_no_item_refuses_a_scale_number(iit):
    row = {**_answers(iit), "I4.1": "67"}
    report = _import(iit, _csv([row]))
    assert not report.ok
    assert "I4.1" in report.errors[0] and "มี" in report.errors[0]


@pytest.mark.django_db
def test_missing_column_is_named(iit):
    row = _answers(iit)
    del row["I2"]
    del row["I5.3"]
    report = _import(iit, _csv([row]))
    assert not report.ok
    assert Response.objects.count() == 0
    assert "I2" in report.errors[0] and "I5.3" in report.errors[0]


@pytest.mark.django_db
def test_timestamp_column_is_ignored_and_not_stored(iit):
    rows = [_answers(iit)] * 5
    content = _csv(rows, extra={"Timestamp": "2022/05/31 10:15:02 AM GMT+7"})
    report = _import(iit, content)
    assert report.ok, report.errors
    assert report.checked.ignored_columns == ["Timestamp"]
    assert not Answer.objects.filter(item_code__iexact="timestamp").exists()
    assert set(Response.objects.values_list("submitted_on", flat=True)) == {TODAY}


@pytest.mark.django_db
def test_dry_run_stores_nothing(iit):
    report = _import(iit, _csv([_answers(iit)] * 3), dry_run=True)
    assert report.ok and report.rows == 3 and report.stored == 0
    assert Response.objects.count() == 0


@pytest.mark.django_db
def test_csv_with_byte_order_mark(iit):
    report = _import(iit, _csv([_answers(iit)], bom=True))
    assert report.ok, report.errors
    assert report.stored == 1


@pytest.mark.django_db
def test_lowercase_codes_in_the_header_are_accepted(iit):
    row = {code.lower(): value for code, value in _answers(iit).items()}
    assert _import(iit, _csv([row])).ok


@pytest.mark.django_db
def test_xlsx_with_numbers_as_numbers(iit):
    answers = _answers(iit)
    book = Workbook()
    sheet = book.active
    sheet.append(list(answers))
    sheet.append([67 if v == "มาก" else 100 for v in answers.values()])
    sheet.append([67.0 if v == "มาก" else "มี" for v in answers.values()])
    buffer = io.BytesIO()
    book.save(buffer)
    report = _import(iit, buffer.getvalue(), "answers.xlsx")
    assert report.ok, report.errors
    assert report.stored == 2
    assert set(Answer.objects.filter(item_code="I1.1").values_list("value", flat=True)) == {67}


@pytest.mark.django_db
def test_empty_file_and_wrong_type(iit):
    assert not _import(iit, b"").ok
    report = _import(iit, b"x", "answers.txt")
    assert not report.ok and ".csv" in report.errors[0]


@pytest.mark.django_db
def test_too_many_rows_refused(iit, settings):
    settings.IMPORT_MAX_ROWS = 3
    report = _import(iit, _csv([_answers(iit)] * 4))
    assert not report.ok and "3" in report.errors[0]
    assert Response.objects.count() == 0


@pytest.mark.django_db
def test_template_round_trips(iit):
    bank = round_bank(iit)
    content = import_template_xlsx(bank)
    book = load_workbook(io.BytesIO(content))
    sheet = book["responses"]
    header = [c.value for c in sheet[1]]
    assert header == [item.code for item in bank.items]
    assert len(header) == 51
    assert sheet["A1"].comment is not None
    assert "บุคลากร" in sheet["A1"].comment.text
    assert book["questions"].max_row == 52
    # The template filled in under its own header is an importable file.
    answers = _answers(iit)
    sheet.append([answers[code] for code in header])
    buffer = io.BytesIO()
    book.save(buffer)
    report = _import(iit, buffer.getvalue(), "filled.xlsx", dry_run=True)
    assert report.ok, report.errors
    assert report.checked.ignored_columns == []


# --- The staff page -------------------------------------------------------------------


def _page(survey_round, name: str = "import") -> str:
    from django.urls import reverse

    return reverse(f"surveys_staff:{name}", args=[survey_round.organisation.slug, 2565, "IIT"])


@pytest.fixture
def editor(org):
    from assessments.models import Role
    from tests.builders import make_user

    return make_user("editor", org, Role.EDITOR)


def _upload(content: bytes, name: str = "answers.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="text/csv")


@pytest.mark.django_db
def test_page_checks_then_stores_on_confirmation(client, iit, editor):
    client.force_login(editor)
    url = _page(iit)
    page = client.get(url).content.decode()
    # Thai, with the choices and their numbers to write.
    assert "วิธีเตรียมไฟล์" in page and "มากที่สุด" in page and "<td>100</td>" in page
    content = _csv([_answers(iit)] * 6, extra={"Timestamp": "2022-05-31 10:15"})
    response = client.post(url, {"file": _upload(content)})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="import-preview"' in page and "Timestamp" in page
    assert Response.objects.count() == 0  # the check stores nothing
    payload = response.context["payload"]
    response = client.post(url, {"payload": payload, "once": "tok-1"})
    assert response.status_code == 302
    assert Response.objects.filter(round=iit).count() == 6
    # The same confirmation sent twice stores once.
    client.post(url, {"payload": payload, "once": "tok-1"})
    assert Response.objects.filter(round=iit).count() == 6


@pytest.mark.django_db
def test_page_names_bad_rows_and_stores_nothing(client, iit, editor):
    client.force_login(editor)
    rows = [_answers(iit), {**_answers(iit), "I3.1": "ดีมาก"}]
    response = client.post(_page(iit), {"file": _upload(_csv(rows))})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="import-errors"' in page and "แถวที่ 3" in page and "ดีมาก" in page
    assert "payload" not in response.context or not response.context.get("payload")
    assert Response.objects.count() == 0


@pytest.mark.django_db
def test_page_refuses_a_tampered_payload(client, iit, editor):
    client.force_login(editor)
    client.post(_page(iit), {"payload": "not-signed"})
    assert Response.objects.count() == 0


@pytest.mark.django_db
def test_page_is_not_for_viewers_or_another_organisation(client, iit):
    from assessments.models import Role
    from tests.builders import make_org, make_user

    client.force_login(make_user("viewer", iit.organisation, Role.VIEWER))
    assert client.get(_page(iit)).status_code == 404
    # The empty template is for every member: the questions are no secret to them.
    assert client.get(_page(iit, "import-template")).status_code == 200
    client.force_login(make_user("stranger", make_org("other"), Role.ADMINISTRATOR))
    assert client.get(_page(iit)).status_code == 404
    assert client.get(_page(iit, "import-template")).status_code == 404
    content = _csv([_answers(iit)] * 5)
    assert client.post(_page(iit), {"file": _upload(content)}).status_code == 404


@pytest.mark.django_db
def test_page_without_a_round_is_not_found(client, org, editor):
    from django.urls import reverse

    client.force_login(editor)
    assert (
        client.get(reverse("surveys_staff:import", args=["office", 2565, "EIT"])).status_code == 404
    )


@pytest.mark.django_db
def test_template_download(client, iit, editor):
    client.force_login(editor)
    response = client.get(_page(iit, "import-template"))
    assert response.status_code == 200
    assert "IIT-2565" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book["responses"]["A1"].value == "I1.1"
