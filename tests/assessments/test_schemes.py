"""Schemes: an organisation follows its scheme's editions, else the NACC's."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from assessments.framework import edition_for
from assessments.models import Edition, Organisation, Role, Scheme
from assessments.org_admin import TOKEN_FIELDS, organisation_token_extra, organisation_update
from assessments.org_forms import OrganisationForm
from assessments.provisional import edition_start_provisional
from tests.builders import PASSWORD, logged_in, make_org, make_user, post_edit
from tests.editions import make_edition


@pytest.fixture
def obec(db) -> Scheme:
    return Scheme.objects.get_or_create(code="obec", defaults={"name_th": "สพฐ. (ITA Online)"})[0]


@pytest.fixture
def obec_2568(obec) -> Edition:
    return make_edition(
        scheme="obec",
        code="obec-2568",
        first_year=2568,
        instruments=[("SCH", "60", [1, 2]), ("WEB", "40", [3])],
        items={3: ["S1", "S2", "S3"]},
    )


def test_an_organisation_uses_its_schemes_edition_else_the_naccs(obec, obec_2568):
    school = make_org("school", scheme=obec)
    office = make_org("office")

    assert edition_for(school, 2568) == obec_2568
    assert edition_for(school, 2569).code == "nacc-2569"
    assert edition_for(office, 2568).code == "nacc-2568"
    assert edition_for(None, 2568).code == "nacc-2568"
    assert edition_for(school, 2590) is None


def test_a_provisional_edition_copies_the_schemes_latest(obec, obec_2568):
    school = make_org("school", scheme=obec)

    provisional = edition_start_provisional(fiscal_year=2570, organisation=school)

    assert provisional.code == "obec-2570-provisional"
    assert provisional.scheme == obec and provisional.based_on == obec_2568
    assert edition_for(school, 2570) == provisional
    # The NACC's offices are not moved onto the school scheme's copy.
    assert edition_for(make_org("office"), 2570) is None


def test_a_scheme_without_editions_copies_the_naccs(obec):
    school = make_org("school", scheme=obec)

    provisional = edition_start_provisional(fiscal_year=2570, organisation=school)

    assert provisional.scheme.code == "nacc"
    assert provisional.based_on.code == "nacc-2569"
    assert edition_for(school, 2570) == provisional


def _form_data(org: Organisation, **changes) -> dict:
    data = {
        "name_th": org.name_th,
        "name_en": org.name_en,
        "kind": org.kind,
        "develop_threshold": "",
        **changes,
    }
    return data


def test_an_operator_sets_the_scheme_in_the_details_form(obec):
    org = make_org("school")
    from ita_portal.concurrency import edit_token

    token = edit_token(org, TOKEN_FIELDS, organisation_token_extra(org))
    form = OrganisationForm(
        _form_data(org, scheme=str(obec.pk), edit_token=token),
        instance=org,
        parents=Organisation.objects.none(),
        can_set_scheme=True,
    )
    assert form.is_valid(), form.errors
    organisation_update(
        organisation=org,
        token=form.cleaned_data["edit_token"],
        values={name: form.cleaned_data[name] for name in form.Meta.fields},
    )

    org.refresh_from_db()
    assert org.scheme == obec


def test_an_organisations_administrator_cannot_set_the_scheme(obec):
    org = make_org("school")
    admin = make_user("admin", org, role=Role.ADMINISTRATOR)
    client = logged_in(admin)
    url = reverse("assessments_staff:organisation", args=[org.slug])

    page = client.get(url).content.decode()
    assert 'name="scheme"' not in page
    response = post_edit(client, url, _form_data(org, scheme=str(obec.pk)))

    assert response.status_code == 302
    org.refresh_from_db()
    assert org.scheme is None


def test_the_operators_admin_shows_the_scheme(obec):
    org = make_org("school")
    operator = make_user("operator", is_superuser=True, is_staff=True)

    response = logged_in(operator).get(
        reverse("admin:assessments_organisation_change", args=[org.pk])
    )

    assert response.status_code == 200
    assert 'name="scheme"' in response.content.decode()


def test_an_operator_sets_the_scheme_through_the_staff_page(obec):
    org = make_org("school")
    operator = get_user_model().objects.create_superuser("operator", password=PASSWORD)
    client = logged_in(operator)
    url = reverse("assessments_staff:organisation", args=[org.slug])

    assert 'name="scheme"' in client.get(url).content.decode()
    response = post_edit(client, url, _form_data(org, scheme=str(obec.pk)))

    assert response.status_code == 302
    org.refresh_from_db()
    assert org.scheme == obec
