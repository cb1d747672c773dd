"""Schools in bulk under an ESA: all or nothing, every bad row named, each administrator invited."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from assessments.models import Membership, Organisation, OrganisationKind, Role
from tests.builders import logged_in, make_org, make_user

pytestmark = pytest.mark.django_db
User = get_user_model()
HEADER = "name,code,kind,admin_email\n"


@pytest.fixture
def esa():
    return make_org("esa-1")


@pytest.fixture
def admin_client(esa):
    return logged_in(make_user("esa-admin", esa, Role.ADMINISTRATOR))


def _url(esa) -> str:
    return reverse("assessments_staff:schools-import", args=[esa.slug])


def _csv(text: str, name: str = "schools.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8-sig"), content_type="text/csv")


def _post(client, esa, upload):
    return client.post(_url(esa), {"file": upload})


def test_a_good_file_creates_the_schools_and_invites_their_administrators(
    admin_client, esa, mailoutbox
):
    upload = _csv(
        HEADER
        + "โรงเรียนบ้านโคก,ban-khok,school,head@bankhok.ac.th\n"
        + "โรงเรียนชุมชน,chumchon,,Head@Chumchon.ac.th\n"
    )
    response = _post(admin_client, esa, upload)
    assert response.status_code == 200
    schools = Organisation.objects.filter(parent=esa).order_by("slug")
    assert [s.slug for s in schools] == ["ban-khok", "chumchon"]
    assert all(s.kind == OrganisationKind.SCHOOL for s in schools)
    assert schools[0].name_th == "โรงเรียนบ้านโคก"
    head = User.objects.get(email="head@bankhok.ac.th")
    assert Membership.objects.get(user=head).organisation.slug == "ban-khok"
    assert Membership.objects.get(user=head).role == Role.ADMINISTRATOR
    assert sorted(m.to[0] for m in mailoutbox) == ["Head@chumchon.ac.th", "head@bankhok.ac.th"]
    assert "/staff/" in mailoutbox[0].body
    assert not response.context["mail_failed"]


def test_an_xlsx_file_works_too(admin_client, esa, mailoutbox):
    book = Workbook()
    sheet = book.active
    sheet.append(["name", "code", "kind", "admin_email"])
    sheet.append(["โรงเรียนหนองบัว", "nong-bua", "School", "nb@school.ac.th"])
    buffer = io.BytesIO()
    book.save(buffer)
    upload = SimpleUploadedFile("schools.xlsx", buffer.getvalue())
    assert _post(admin_client, esa, upload).status_code == 200
    assert Organisation.objects.get(slug="nong-bua").parent == esa
    assert len(mailoutbox) == 1


def test_every_bad_row_is_named_and_nothing_is_created(admin_client, esa, mailoutbox):
    make_org("taken")
    upload = _csv(
        HEADER
        + "โรงเรียนดี,good-one,school,ok@school.ac.th\n"  # row 2: fine on its own
        + "โรงเรียนสอง,Bad Slug!,school,a@school.ac.th\n"  # row 3: bad code
        + "โรงเรียนสาม,good-one,school,b@school.ac.th\n"  # row 4: duplicate of row 2
        + "โรงเรียนสี่,admin,school,c@school.ac.th\n"  # row 5: reserved
        + "โรงเรียนห้า,five,university,d@school.ac.th\n"  # row 6: unknown kind
        + "โรงเรียนหก,six,school,not-an-email\n"  # row 7: bad e-mail
        + "โรงเรียนเจ็ด,taken,school,e@school.ac.th\n"  # row 8: exists
        + ",eight,school,f@school.ac.th\n"  # row 9: no name
    )
    response = _post(admin_client, esa, upload)
    assert response.status_code == 400
    errors = response.context["form"].non_field_errors()
    assert len(errors) == 7
    text = " ".join(errors)
    for row in range(3, 10):
        assert f" {row}" in text, row
    assert "Bad Slug!".lower() in text and "admin" in text and "university" in text
    assert "not-an-email" in text and "taken" in text
    assert not Organisation.objects.filter(parent=esa).exists()
    assert not User.objects.filter(email__endswith="@school.ac.th").exists()
    assert mailoutbox == []


def test_a_file_without_the_columns_is_refused(admin_client, esa):
    response = _post(admin_client, esa, _csv("school,email\nโรงเรียน,a@b.th\n"))
    assert response.status_code == 400
    assert "name" in " ".join(response.context["form"].non_field_errors())
    assert not Organisation.objects.filter(parent=esa).exists()


def test_an_empty_sheet_and_another_format_are_refused(admin_client, esa):
    assert _post(admin_client, esa, _csv(HEADER)).status_code == 400
    response = _post(admin_client, esa, SimpleUploadedFile("schools.pdf", b"%PDF-1.4"))
    assert response.status_code == 400
    assert not Organisation.objects.filter(parent=esa).exists()


class RefusingBackend:
    """A mail server that refuses connections."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError(111, "Connection refused")


def test_a_refused_mail_server_shows_the_links_to_pass_on(admin_client, esa, settings):
    settings.EMAIL_BACKEND = "tests.assessments.test_schools_import.RefusingBackend"
    response = _post(admin_client, esa, _csv(HEADER + "โรงเรียนบ้านนา,ban-na,school,na@ban.ac.th\n"))
    assert response.status_code == 200
    assert response.context["mail_failed"]
    link = response.context["results"][0]["link"]
    assert "/staff/" in link and link in response.content.decode()
    assert Organisation.objects.get(slug="ban-na").parent == esa


def test_a_resent_form_creates_nothing_twice(admin_client, esa, mailoutbox):
    data = {"once": "token-1234567890abcdef"}
    first = admin_client.post(
        _url(esa), {**data, "file": _csv(HEADER + "โรงเรียนเอ,school-x,school,x@ban.ac.th\n")}
    )
    again = admin_client.post(
        _url(esa), {**data, "file": _csv(HEADER + "โรงเรียนเอ,school-x,school,x@ban.ac.th\n")}
    )
    assert first.status_code == 200 and again.status_code == 302
    assert Organisation.objects.filter(slug="school-x").count() == 1
    assert len(mailoutbox) == 1


@pytest.mark.parametrize("role", [Role.EDITOR, Role.VIEWER, Role.ASSESSOR])
def test_only_the_esas_administrators_may_import(esa, role):
    client = logged_in(make_user("member", esa, role))
    assert client.get(_url(esa)).status_code == 404
    response = _post(client, esa, _csv(HEADER + "โรงเรียน,zz,school,z@z.th\n"))
    assert response.status_code == 404
    assert not Organisation.objects.filter(slug="zz").exists()


def test_another_organisations_administrator_gets_404(esa):
    other = make_org("esa-2")
    client = logged_in(make_user("other", other, Role.ADMINISTRATOR))
    assert client.get(_url(esa)).status_code == 404


def test_the_form_page_shows_the_columns_and_a_once_token(admin_client, esa):
    page = admin_client.get(_url(esa)).content.decode()
    assert "admin_email" in page and 'name="once"' in page
