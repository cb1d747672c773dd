"""A member limited to units changes only their units' measures, follow-ups and evidence."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.models import Role
from measures.models import Evidence, FollowUp, Measure
from tests.builders import make_user
from tests.measures.builders import make_follow_up, make_measure


@pytest.fixture
def mine(org, units):
    measure = make_measure(org, title="มาตรการของกลุ่มอำนวยการ")
    measure.responsible_units.set([units[0]])
    return measure


@pytest.fixture
def theirs(org, units):
    measure = make_measure(org, title="มาตรการของกลุ่มกฎหมาย")
    measure.responsible_units.set([units[1]])
    return measure


def _edit(client, measure: Measure, **changes):
    url = reverse("measures_staff:measure", args=[measure.organisation.slug, measure.pk])
    form = client.get(url).context["form"]
    data = {
        "title": measure.title,
        "steps": measure.steps_text,
        "responsible_units": [str(u.pk) for u in measure.responsible_units.all()],
        "edit_token": form["edit_token"].value(),
        **changes,
    }
    return client.post(url, data)


def test_a_limited_member_edits_a_measure_of_their_unit(limited, mine):
    assert _edit(limited, mine, title="ชื่อใหม่").status_code == 302
    mine.refresh_from_db()
    assert mine.title == "ชื่อใหม่"


def test_another_units_measure_is_read_only_and_its_post_refused(limited, org, theirs):
    page = limited.get(reverse("measures_staff:measure", args=[org.slug, theirs.pk]))
    assert page.status_code == 200
    assert page.context["can_change"] is False
    assert b"<fieldset disabled>" in page.content

    assert _edit(limited, theirs, title="แก้ของคนอื่น").status_code == 404
    delete = reverse("measures_staff:measure-delete", args=[org.slug, theirs.pk])
    move = reverse("measures_staff:measure-move", args=[org.slug, theirs.pk])
    assert limited.post(delete).status_code == 404
    assert limited.post(move, {"direction": "up"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.title == "มาตรการของกลุ่มกฎหมาย"


def test_a_limited_member_adds_measures_of_their_own_units_only(limited, org, units):
    url = reverse("measures_staff:measure-add", args=[org.slug, 2565])
    offered = list(limited.get(url).context["form"].fields["responsible_units"].queryset)
    assert offered == [units[0]]

    other = limited.post(url, {"title": "ของกลุ่มอื่น", "responsible_units": [str(units[1].pk)]})
    none = limited.post(url, {"title": "ไม่มีกลุ่ม"})
    assert (other.status_code, none.status_code) == (400, 400)
    assert not Measure.objects.exists()

    assert (
        limited.post(url, {"title": "ของเรา", "responsible_units": [str(units[0].pk)]}).status_code
        == 302
    )
    assert list(Measure.objects.get().responsible_units.all()) == [units[0]]


def test_a_limited_member_cannot_give_their_measure_away(limited, mine, units):
    response = _edit(limited, mine, responsible_units=[str(units[1].pk)])
    assert response.status_code == 400
    assert list(mine.responsible_units.all()) == [units[0]]


def test_year_wide_actions_are_not_for_a_limited_member(limited, org, mine):
    assert limited.post(reverse("measures_staff:plan", args=[org.slug, 2566])).status_code == 404
    assert limited.post(reverse("measures_staff:copy", args=[org.slug, 2565])).status_code == 404
    assert not Measure.objects.filter(fiscal_year=2566).exists()


def test_follow_ups_of_their_units_measures_only(limited, org, mine, theirs):
    add_mine = reverse("measures_staff:follow-up-add", args=[org.slug, mine.pk])
    add_theirs = reverse("measures_staff:follow-up-add", args=[org.slug, theirs.pk])
    data = {"round": "6m", "status": "in_progress"}
    assert limited.post(add_mine, data).status_code == 302
    assert limited.post(add_theirs, data).status_code == 404
    assert list(FollowUp.objects.values_list("measure", flat=True)) == [mine.pk]

    follow_up = make_follow_up(theirs)
    edit = reverse("measures_staff:follow-up", args=[org.slug, follow_up.pk])
    page = limited.get(edit)
    assert page.status_code == 200 and page.context["can_change"] is False
    assert limited.post(edit, {**data, "summary": "แก้ของคนอื่น"}).status_code == 404
    follow_up.refresh_from_db()
    assert follow_up.summary == "ดำเนินการครบทุกขั้นตอน"


def test_evidence_of_their_units_measures_only(limited, org, mine, theirs):
    own = make_follow_up(mine)
    other = make_follow_up(theirs, images=1)
    link = {"url": "https://example.org/album", "caption": "อัลบั้ม"}
    assert (
        limited.post(
            reverse("measures_staff:evidence-link", args=[org.slug, own.pk]), link
        ).status_code
        == 302
    )
    assert (
        limited.post(
            reverse("measures_staff:evidence-link", args=[org.slug, other.pk]), link
        ).status_code
        == 404
    )
    evidence = other.evidence.get()
    assert (
        limited.post(
            reverse("measures_staff:evidence-delete", args=[org.slug, evidence.pk])
        ).status_code
        == 404
    )
    assert Evidence.objects.filter(follow_up=other).count() == 1
    assert Evidence.objects.filter(follow_up=own).count() == 1


def test_a_member_of_the_whole_organisation_changes_any_measure(client, org, theirs):
    client.force_login(make_user("everyone", org, Role.EDITOR))
    assert _edit(client, theirs, title="แก้ได้").status_code == 302
