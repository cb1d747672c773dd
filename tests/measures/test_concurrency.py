"""Lost updates, races and double submits in the measures workspace (issue 11, points 6 and 7)."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections, connection
from django.urls import reverse

from assessments.models import Unit
from measures import services
from measures.models import Announcement, Evidence, FollowUp, Measure, ReportSettings
from tests.builders import make_org
from tests.measures.builders import make_follow_up, make_measure


def _measure_data(measure: Measure, **changes) -> dict:
    data = {
        "title": measure.title,
        "approach": measure.approach,
        "steps": measure.steps_text,
        "responsible_text": measure.responsible_text,
        "monitoring": measure.monitoring,
        "due_date": "",
        "indicators": [str(i.pk) for i in measure.indicators.all()],
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_a_second_editor_of_a_measure_is_refused_and_keeps_their_text(two_editors, org):
    first, second = two_editors
    measure = make_measure(org)
    url = reverse("measures_staff:measure", args=[org.slug, measure.pk])
    token_first = first.get(url).context["form"]["edit_token"].value()
    token_second = second.get(url).context["form"]["edit_token"].value()

    saved = first.post(url, _measure_data(measure, title="ชื่อของสมชาย", edit_token=token_first))
    assert saved.status_code == 302
    refused = second.post(
        url, _measure_data(measure, approach="แนวทางของมาลี", edit_token=token_second)
    )

    assert refused.status_code == 409
    measure.refresh_from_db()
    assert measure.title == "ชื่อของสมชาย"  # the first save is kept
    assert measure.approach == ""  # nothing of the second
    page = refused.content.decode()
    assert "แนวทางของมาลี" in page  # what the second editor typed is still in the form
    assert "ชื่อของสมชาย" in page  # and the page shows what changed
    assert [c.label for c in refused.context["stale"]] == ["มาตรการ"]

    # Saving again, now knowingly over the first editor's change, goes through.
    again = second.post(
        url,
        _measure_data(
            measure,
            approach="แนวทางของมาลี",
            edit_token=refused.context["form"]["edit_token"].value(),
        ),
    )
    assert again.status_code == 302
    measure.refresh_from_db()
    assert (measure.title, measure.approach) == ("ชื่อของสมชาย", "แนวทางของมาลี")


@pytest.mark.django_db
def test_a_change_of_steps_or_units_counts_as_a_change(two_editors, org):
    first, second = two_editors
    measure = make_measure(org)
    unit = Unit.objects.create(organisation=org, name="กลุ่มอำนวยการ")
    url = reverse("measures_staff:measure", args=[org.slug, measure.pk])
    token = second.get(url).context["form"]["edit_token"].value()
    first.post(
        url,
        _measure_data(
            measure,
            steps="ขั้นใหม่",
            responsible_units=[str(unit.pk)],
            edit_token=first.get(url).context["form"]["edit_token"].value(),
        ),
    )

    refused = second.post(url, _measure_data(measure, title="อีกชื่อ", edit_token=token))

    assert refused.status_code == 409
    labels = {c.label for c in refused.context["stale"]}
    assert labels == {"ขั้นตอน/วิธีการ", "กลุ่มงานที่รับผิดชอบ"}
    assert "กลุ่มอำนวยการ" in refused.content.decode()  # units named, not numbered


@pytest.mark.django_db
def test_a_measure_form_with_a_tampered_token_saves_nothing(two_editors, org):
    first, _second = two_editors
    measure = make_measure(org)
    url = reverse("measures_staff:measure", args=[org.slug, measure.pk])
    token = first.get(url).context["form"]["edit_token"].value()
    response = first.post(
        url, _measure_data(measure, title="แก้โทเค็น", edit_token=token[:-2] + "xx")
    )
    assert response.status_code == 409
    measure.refresh_from_db()
    assert measure.title != "แก้โทเค็น"


@pytest.mark.django_db
def test_a_second_save_of_a_follow_up_is_refused(two_editors, org):
    first, second = two_editors
    follow_up = make_follow_up(make_measure(org))
    url = reverse("measures_staff:follow-up", args=[org.slug, follow_up.pk])
    data = {
        "round": follow_up.round,
        "summary": follow_up.summary,
        "outcome": "",
        "status": follow_up.status,
        "completed_on": "30/09/2565",
    }
    token_first = first.get(url).context["form"]["edit_token"].value()
    token_second = second.get(url).context["form"]["edit_token"].value()
    assert (
        first.post(url, {**data, "outcome": "ผลของสมชาย", "edit_token": token_first}).status_code
        == 302
    )

    refused = second.post(url, {**data, "summary": "สรุปของมาลี", "edit_token": token_second})

    assert refused.status_code == 409
    follow_up.refresh_from_db()
    assert (follow_up.outcome, follow_up.summary) == ("ผลของสมชาย", "ดำเนินการครบทุกขั้นตอน")
    assert "สรุปของมาลี" in refused.content.decode()
    token = refused.context["form"]["edit_token"].value()
    assert (
        second.post(url, {**data, "summary": "สรุปของมาลี", "edit_token": token}).status_code == 302
    )


@pytest.mark.django_db
def test_a_second_save_of_an_announcement_is_refused(two_editors, org):
    first, second = two_editors
    announcement = Announcement.objects.create(
        organisation=org,
        fiscal_year=2565,
        title="ประกาศเจตจำนง",
        body="ข้อความ",
        date="2022-01-10",
        signatory_name="นายสมชาย",
        signatory_position="ผู้อำนวยการ",
    )
    url = reverse("measures_staff:announcement", args=[org.slug, announcement.pk])
    data = {
        "kind": "announcement",
        "number": "",
        "title": "ประกาศเจตจำนง",
        "body": "ข้อความ",
        "date": "10/01/2565",
        "signatory_name": "นายสมชาย",
        "signatory_position": "ผู้อำนวยการ",
    }
    token_first = first.get(url).context["form"]["edit_token"].value()
    token_second = second.get(url).context["form"]["edit_token"].value()
    assert (
        first.post(url, {**data, "number": "1/2565", "edit_token": token_first}).status_code == 302
    )

    refused = second.post(url, {**data, "body": "ข้อความของมาลี", "edit_token": token_second})

    assert refused.status_code == 409
    announcement.refresh_from_db()
    assert (announcement.number, announcement.body) == ("1/2565", "ข้อความ")
    assert "ข้อความของมาลี" in refused.content.decode()


@pytest.mark.django_db
def test_a_second_save_of_the_report_settings_is_refused(two_editors, org):
    first, second = two_editors
    url = reverse("measures_staff:report-settings", args=[org.slug, 2565])
    data = {"preface": "", "background": "", "signatory_name": "", "signatory_position": ""}
    token_first = first.get(url).context["form"]["edit_token"].value()
    token_second = second.get(url).context["form"]["edit_token"].value()
    assert (
        first.post(url, {**data, "preface": "คำนำของสมชาย", "edit_token": token_first}).status_code
        == 302
    )

    refused = second.post(
        url, {**data, "background": "ความเป็นมาของมาลี", "edit_token": token_second}
    )

    assert refused.status_code == 409
    settings = ReportSettings.objects.get(organisation=org, fiscal_year=2565)
    assert (settings.preface, settings.background) == ("คำนำของสมชาย", "")
    assert "ความเป็นมาของมาลี" in refused.content.decode()


# --- Double submits ---------------------------------------------------------------


def _once(client, url) -> str:
    page = client.get(url).content.decode()
    marker = 'name="once" value="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


@pytest.mark.django_db
def test_a_double_click_on_add_measure_creates_one_measure(two_editors, org):
    client, _other = two_editors
    url = reverse("measures_staff:measure-add", args=[org.slug, 2565])
    data = {"title": "มาตรการใหม่", "steps": "", "once": _once(client, url)}

    first = client.post(url, data)
    second = client.post(url, data)

    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert Measure.objects.filter(organisation=org).count() == 1


@pytest.mark.django_db
def test_a_refused_add_gives_its_token_back(two_editors, org):
    client, _other = two_editors
    url = reverse("measures_staff:measure-add", args=[org.slug, 2565])
    token = _once(client, url)
    assert client.post(url, {"title": "", "once": token}).status_code == 400
    assert client.post(url, {"title": "มาตรการใหม่", "once": token}).status_code == 302
    assert Measure.objects.filter(organisation=org).count() == 1


@pytest.mark.django_db
def test_a_double_click_on_the_other_add_forms_creates_one_record(two_editors, org):
    client, _other = two_editors
    measure = make_measure(org)
    follow_up = make_follow_up(measure)

    add_follow_up = reverse("measures_staff:follow-up-add", args=[org.slug, measure.pk])
    data = {"round": "6m", "status": "in_progress", "once": _once(client, add_follow_up)}
    assert [client.post(add_follow_up, data).status_code for _ in range(2)] == [302, 302]
    assert FollowUp.objects.filter(measure=measure, round="6m").count() == 1

    page = reverse("measures_staff:follow-up", args=[org.slug, follow_up.pk])
    link = reverse("measures_staff:evidence-link", args=[org.slug, follow_up.pk])
    data = {"url": "https://example.org/album", "caption": "อัลบั้ม", "once": _once(client, page)}
    assert [client.post(link, data).status_code for _ in range(2)] == [302, 302]
    assert Evidence.objects.filter(follow_up=follow_up).count() == 1

    add = reverse("measures_staff:announcement-add", args=[org.slug, 2565])
    data = {
        "kind": "announcement",
        "title": "ประกาศ",
        "body": "ข้อความ",
        "date": "10/01/2565",
        "signatory_name": "นายสมชาย",
        "signatory_position": "ผู้อำนวยการ",
        "once": _once(client, add),
    }
    assert [client.post(add, data).status_code for _ in range(2)] == [302, 302]
    assert Announcement.objects.filter(organisation=org).count() == 1


# --- Concurrent adds ---------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_twelve_concurrent_adds_get_numbers_one_to_twelve():
    org = make_org("race")
    errors: list[BaseException] = []
    start = threading.Barrier(12)

    def add(index: int) -> None:
        try:
            start.wait()
            services.measure_create(
                organisation=org, fiscal_year=2566, title=f"มาตรการ {index}", steps=["ขั้นแรก"]
            )
        except BaseException as error:  # collected and asserted below
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=add, args=(i,)) for i in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    numbers = sorted(Measure.objects.filter(organisation=org).values_list("number", flat=True))
    assert numbers == list(range(1, 13))
