"""Forms people can use (issue 17, point 5): the error summary, required
markers, labels of every input, and one record per double-click."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django import forms
from django.core import mail
from django.urls import reverse

from assessments.models import Membership, Organisation, OrganisationKind, Role, Unit
from ita_portal.templatetags.form_tags import summary_lines
from tests.builders import PASSWORD, make_assessment, make_user


class _Controls(HTMLParser):
    """Every form control of a page, with the ids that label it."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict] = []
        self.label_for: set[str] = set()
        self.ids: set[str] = set()
        self._labels_open = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if "id" in found:
            self.ids.add(found["id"])
        if tag == "label":
            self._labels_open += 1
            if found.get("for"):
                self.label_for.add(found["for"])
        if tag in {"input", "select", "textarea"} and found.get("type") not in {
            "hidden",
            "submit",
            "button",
        }:
            self.controls.append({**found, "_wrapped": self._labels_open > 0})

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self._labels_open -= 1


def _unlabelled(html: str) -> list[str]:
    page = _Controls()
    page.feed(html)
    missing = []
    for control in page.controls:
        labelled_by = control.get("aria-labelledby", "").split()
        if (
            control.get("id") in page.label_for
            or control["_wrapped"]
            or control.get("aria-label")
            or (labelled_by and all(i in page.ids for i in labelled_by))
        ):
            continue
        missing.append(control.get("name", "?"))
    return missing


@pytest.fixture
def operator(client, db):
    user = make_user("operator", is_superuser=True, is_staff=True)
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return user


@pytest.fixture
def admin_client(client, org):
    client.force_login(make_user("admin", org, Role.ADMINISTRATOR))
    client.cookies["django_language"] = "en"
    return client


def _summary(html: str) -> str:
    match = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    assert match, "no error summary on the page"
    return match[0]


def test_error_summary_counts_and_links_to_each_field(operator, client):
    response = client.post(reverse("assessments_staff:organisation-new"), {"kind": "nonsense"})
    summary = _summary(response.text)
    links = re.findall(r'<a href="#(id_\w+)">', summary)
    assert {"id_slug", "id_name_th", "id_kind"} <= set(links)
    assert f"Please correct {len(links)} items" in summary
    assert 'tabindex="-1"' in summary and 'role="alert"' in summary
    # Each link goes somewhere on the page.
    for anchor in links:
        assert f'id="{anchor}"' in response.text


def test_error_summary_shows_errors_of_the_whole_form_without_a_link(client, org):
    make_user("somchai", org)
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("staff:login"), {"username": "somchai", "password": "wrong-password"}
    )
    summary = _summary(response.text)
    assert "Please correct 1 item<" in summary
    assert "<a " not in summary and "correct username and password" in summary


def test_no_summary_on_a_form_not_yet_sent(operator, client):
    response = client.get(reverse("assessments_staff:organisation-new"))
    assert response.status_code == 200
    assert "error-summary" not in response.text


def test_field_with_an_error_is_invalid_and_described_by_its_message(operator, client):
    html = client.post(reverse("assessments_staff:organisation-new"), {}).text
    tag = re.search(r'<input[^>]*name="slug"[^>]*>', html)[0]
    assert 'aria-invalid="true"' in tag
    described = re.search(r'aria-describedby="([^"]+)"', tag)[1].split()
    assert "id_slug_error" in described
    assert re.search(r'<ul class="errors" id="id_slug_error">', html)


def test_required_fields_are_marked_with_a_legend(operator, client):
    html = client.get(reverse("assessments_staff:organisation-new")).text
    label = re.search(r'<label for="id_slug">.*?</label>', html, re.S)[0]
    assert '<span class="req" aria-hidden="true">*</span>' in label
    assert re.search(r'<input[^>]*name="slug"[^>]*required', html)
    # An optional field carries no star.
    optional = re.search(r'<label for="id_name_en">.*?</label>', html, re.S)[0]
    assert "req" not in optional
    assert 'id="required-legend"' in html and "required field" in html


def test_summary_takes_formset_rows_and_the_formset_own_errors():
    class Row(forms.Form):
        score = forms.DecimalField(label="Score", max_value=100)

    Rows = forms.formset_factory(Row, extra=0, max_num=1, validate_max=True)
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "0",
        "form-0-score": "120",
        "form-1-score": "5",
    }
    formset = Rows(data)
    assert not formset.is_valid()
    lines = summary_lines(forms=[formset])
    assert [line.anchor for line in lines] == ["", "id_form-0-score"]
    assert lines[1].label == "Score"


def test_every_input_of_the_oit_results_grid_has_a_label(admin_client, org):
    make_assessment(org, 2567)
    response = admin_client.get(
        reverse("assessments_staff:items", kwargs={"org": org.slug, "year": 2567})
    )
    assert response.status_code == 200
    assert response.text.count("<textarea") + response.text.count("<input") > 40
    assert _unlabelled(response.text) == []


# One-time tokens: a double POST creates one record.


def _once(client, url: str) -> str:
    return re.search(r'name="once" value="([^"]+)"', client.get(url).text)[1]


def test_a_double_posted_unit_is_added_once(admin_client, org):
    url = reverse("assessments_staff:units", kwargs={"org": org.slug})
    data = {"name": "กลุ่มอำนวยการ", "once": _once(admin_client, url)}
    first = admin_client.post(url, data)
    second = admin_client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"] == url
    assert Unit.objects.filter(organisation=org, name="กลุ่มอำนวยการ").count() == 1


def test_a_double_posted_invitation_invites_and_mails_once(admin_client, org):
    url = reverse("assessments_staff:member-invite", kwargs={"org": org.slug})
    data = {"email": "new@example.go.th", "role": Role.EDITOR, "once": _once(admin_client, url)}
    first = admin_client.post(url, data)
    second = admin_client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert Membership.objects.filter(organisation=org, user__email="new@example.go.th").count() == 1
    assert len(mail.outbox) == 1


def test_a_double_posted_organisation_is_created_once(operator, client):
    url = reverse("assessments_staff:organisation-new")
    data = {
        "slug": "school-a",
        "name_th": "โรงเรียนเอ",
        "kind": OrganisationKind.SCHOOL,
        "once": _once(client, url),
    }
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == 302, first.text[:500]
    assert second.status_code == 302 and second["Location"] == first["Location"]
    assert Organisation.objects.filter(slug="school-a").count() == 1


def test_a_refused_form_gives_its_token_back(admin_client, org):
    url = reverse("assessments_staff:units", kwargs={"org": org.slug})
    token = _once(admin_client, url)
    assert admin_client.post(url, {"name": "  ", "once": token}).status_code == 400
    assert admin_client.post(url, {"name": "กลุ่มกฎหมาย", "once": token}).status_code == 302
    assert Unit.objects.filter(organisation=org, name="กลุ่มกฎหมาย").exists()


def test_password_page_marks_the_fields_and_shows_a_summary(client, org):
    user = make_user("somchai", org)
    client.force_login(user)
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("staff:password-change"),
        {"old_password": PASSWORD + "x", "new_password1": "1", "new_password2": "2"},
    )
    summary = _summary(response.text)
    assert 'href="#id_old_password"' in summary and 'href="#id_new_password2"' in summary


def test_looking_for_forms_never_loads_the_lazy_user():
    # Loading request.user would read the session: a query, and "Vary: Cookie"
    # on public pages that are otherwise the same for everyone.
    from django.template import Context
    from django.utils.functional import SimpleLazyObject

    from ita_portal.templatetags.form_tags import error_summary, required_legend

    def boom():
        raise AssertionError("the lazy user was loaded")

    context = Context({"user": SimpleLazyObject(boom)})
    assert error_summary(context) == "" and required_legend(context) == ""


def test_a_hidden_field_error_is_shown_without_its_label_or_a_link():
    class Edit(forms.Form):
        edit_token = forms.CharField(widget=forms.HiddenInput, label="Edit token")
        title = forms.CharField(label="Title")

    form = Edit({"title": "x"})
    assert not form.is_valid()
    [line] = summary_lines(forms=[form])
    assert (line.anchor, line.label) == ("", "")


def test_forms_script_on_staff_and_form_pages_only(admin_client, org, client):
    staff = admin_client.get(reverse("assessments_staff:units", kwargs={"org": org.slug})).text
    assert '<script src="/static/js/forms.js" defer></script>' in staff
    client.logout()
    assert "forms.js" in client.get(reverse("staff:login")).text  # a form, not a staff page
    assert "<script" not in client.get(f"/{org.slug}/").text  # a public reading page
