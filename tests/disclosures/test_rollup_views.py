"""The roll-up page, its download and the oit_rollup command: who sees what, and what the sheet holds."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from assessments.models import Role
from disclosures.models import SubmissionStatus
from ita_portal.thai import fiscal_year_of
from tests.builders import logged_in, make_assessment, make_org, make_user
from tests.disclosures.rollup_builders import YEAR, make_school, ready_items, rollup_edition, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def esa():
    rollup_edition()
    esa = make_org("esa-1")
    good = make_school(esa, "school-a", "โรงเรียนอนุบาล")
    ready_items(good, "W1", "W2")
    make_assessment(good, 2565, official_total="88.00")
    bad = make_school(esa, "school-b", '=HYPERLINK("http://evil")')
    submit(
        bad,
        {"W1": "pass", "W2": "fail", "W3": "pass", "W4": "pass", "W5": Decimal("50")},
        comment="-1+1 ไม่ครบ",
    )
    return esa


def _url(esa, name="disclosures_staff:rollup", year=YEAR):
    return reverse(name, args=[esa.slug, year])


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.EDITOR, Role.VIEWER, Role.ASSESSOR])
def test_the_parents_members_see_their_schools(esa, role):
    client = logged_in(make_user("member", esa, role))
    response = client.get(_url(esa))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="school-school-a"' in page and 'id="school-school-b"' in page


def test_a_complaint_officer_of_the_parent_gets_404(esa):
    client = logged_in(make_user("officer", esa, Role.COMPLAINT_OFFICER))
    assert client.get(_url(esa)).status_code == 404
    assert client.get(_url(esa, "disclosures_staff:rollup-xlsx")).status_code == 404


def test_a_schools_staff_cannot_see_the_roll_up_of_its_parent(esa):
    school = esa.children.get(slug="school-a")
    client = logged_in(make_user("teacher", school, Role.ADMINISTRATOR))
    assert client.get(_url(esa)).status_code == 404
    assert client.get(_url(esa, "disclosures_staff:rollup-xlsx")).status_code == 404


def test_another_esa_gets_404(esa):
    other = make_org("esa-2")
    client = logged_in(make_user("other", other, Role.ADMINISTRATOR))
    assert client.get(_url(esa)).status_code == 404
    assert (
        client.get(reverse("disclosures_staff:rollup-current", args=[esa.slug])).status_code == 404
    )
    # Its own roll-up shows none of the first ESA's schools.
    page = client.get(_url(other)).content.decode()
    assert "school-a" not in page and 'id="rollup-none"' in page


def test_anonymous_visitors_are_sent_to_log_in(esa, client):
    response = client.get(_url(esa))
    assert response.status_code == 302 and reverse("staff:login") in response["Location"]


def test_a_year_out_of_range_is_404(esa):
    client = logged_in(make_user("member", esa, Role.VIEWER))
    assert client.get(_url(esa, year=1999)).status_code == 404


def test_the_current_year_link_redirects_to_a_year(esa):
    client = logged_in(make_user("member", esa, Role.VIEWER))
    response = client.get(reverse("disclosures_staff:rollup-current", args=[esa.slug]))
    year = fiscal_year_of(timezone.localdate())
    assert response.status_code == 302
    assert response["Location"] == reverse("disclosures_staff:rollup", args=[esa.slug, year])


def test_filter_and_sort_through_the_page(esa):
    client = logged_in(make_user("member", esa, Role.VIEWER))
    page = client.get(_url(esa), {"status": "confirmed"}).content.decode()
    assert 'id="school-school-b"' in page and 'id="school-school-a"' not in page
    page = client.get(_url(esa), {"q": "อนุบาล"}).content.decode()
    assert 'id="school-school-a"' in page and 'id="school-school-b"' not in page
    page = client.get(_url(esa), {"sort": "readiness", "dir": "desc"}).content.decode()
    assert page.index('id="school-school-a"') < page.index('id="school-school-b"')
    page = client.get(_url(esa), {"sort": "readiness", "dir": "asc"}).content.decode()
    assert page.index('id="school-school-b"') < page.index('id="school-school-a"')
    # Unknown sort keys and statuses are ignored, not errors.
    assert (
        client.get(_url(esa), {"sort": "drop table", "status": "x", "page": "z"}).status_code == 200
    )


def test_the_parents_dashboard_links_to_the_roll_up(esa):
    client = logged_in(make_user("member", esa, Role.VIEWER))
    page = client.get(reverse("staff:dashboard")).content.decode()
    assert reverse("disclosures_staff:rollup-current", args=[esa.slug]) in page


def _workbook(content: bytes):
    return load_workbook(io.BytesIO(content))


def test_the_consolidated_sheet(esa):
    client = logged_in(make_user("member", esa, Role.ASSESSOR))
    response = client.get(_url(esa, "disclosures_staff:rollup-xlsx"))
    assert response.status_code == 200
    assert f"oit-rollup-esa-1-{YEAR}.xlsx" in response["Content-Disposition"]
    book = _workbook(response.content)
    schools, verdicts = book.worksheets
    rows = list(schools.iter_rows(values_only=True))
    assert len(rows) == 3  # header + 2 schools
    by_code = {row[0]: row for row in rows[1:]}
    a = by_code["school-a"]
    assert a[1] == "โรงเรียนอนุบาล"
    assert a[2] == 40  # readiness 2 of 5
    assert a[6] == pytest.approx(33.33)  # predicted: (66.67 + 0) / 2
    assert a[7] is None  # no final score before confirmation
    assert (a[8], a[9]) == (2565, 88)
    b = by_code["school-b"]
    assert b[4] == str(SubmissionStatus.CONFIRMED.label)
    assert b[5] == "5/5"
    assert b[7] == pytest.approx(70.83)  # (W1,W2,W3 → 66.67 ; W4,W5 → 75) / 2
    # A name that looks like a formula stays text.
    cell = next(c for c in schools["B"] if c.value and str(c.value).startswith("=HYPERLINK"))
    assert cell.data_type == "s" and cell.quotePrefix
    lines = list(verdicts.iter_rows(values_only=True))
    assert len(lines) == 1 + 5
    w2 = next(line for line in lines[1:] if line[2] == "W2")
    assert w2[0] == "school-b" and w2[3] == "ข้อ W2"
    assert w2[6] == "-1+1 ไม่ครบ" and w2[7] == "ปรับปรุง W2"
    w5 = next(line for line in lines[1:] if line[2] == "W5")
    assert w5[5] == 50


def test_the_command_writes_the_same_sheet(esa, tmp_path):
    out = tmp_path / "rollup.xlsx"
    stdout = io.StringIO()
    call_command("oit_rollup", "esa-1", str(YEAR), "-o", str(out), stdout=stdout)
    book = _workbook(out.read_bytes())
    # Ordered by name: "=HYPERLINK…" sorts before the Thai one.
    codes = [row[0] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert codes == ["school-b", "school-a"]
    assert book.worksheets[1].max_row == 1 + 5
    assert "2 schools" in stdout.getvalue()


def test_the_command_refuses_an_unknown_organisation(tmp_path):
    with pytest.raises(CommandError):
        call_command("oit_rollup", "nobody", "2570", "-o", str(tmp_path / "x.xlsx"))
