import copy
import io
import tomllib

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from assessments.framework import EDITIONS_DIR, FrameworkError, edition_for_year, edition_load
from assessments.models import Edition, Indicator, Item, ItemResult, ResultLevel, SubIndicator
from tests.builders import REFERENCE_003, make_assessment


def _data():
    with (EDITIONS_DIR / "nacc-2564-2565.toml").open("rb") as fh:
        return tomllib.load(fh)


def test_shipped_edition_is_complete(edition):
    assert [i.code for i in edition.instruments.all()] == ["IIT", "EIT", "OIT"]
    assert [str(i.weight) for i in edition.instruments.all()] == ["30.00", "30.00", "40.00"]
    assert Indicator.objects.filter(edition=edition).count() == 10
    assert list(
        SubIndicator.objects.filter(indicator__edition=edition).values_list("code", flat=True)
    ) == [
        "9.1",
        "9.2",
        "9.3",
        "9.4",
        "9.5",
        "10.1",
        "10.2",
    ]
    assert Item.objects.filter(edition=edition).count() == 43
    assert Item.objects.filter(edition=edition, sub_indicator__indicator__number=9).count() == 33
    assert Item.objects.get(edition=edition, code="O42").sub_indicator.code == "10.2"
    assert Item.objects.get(edition=edition, code="O42").role == "measures"
    assert [b.grade for b in ResultLevel.objects.filter(edition=edition)] == [
        "AA",
        "A",
        "B",
        "C",
        "D",
        "E",
        "F",
    ]


def test_rerunning_the_loader_changes_nothing(edition):
    out = io.StringIO()
    call_command("load_framework", stdout=out)
    assert "ita-2564-2565 (2564–2565): unchanged" in out.getvalue()
    assert Item.objects.filter(edition=edition).count() == 43
    assert edition.history.count() == 1


def test_loader_updates_a_title_in_place(edition):
    data = _data()
    data["items"][0]["title_th"] = "โครงสร้างหน่วยงาน"
    item_id = Item.objects.get(edition=edition, code="O1").pk
    report = edition_load(data=data)
    assert report.updated == 1
    assert Item.objects.get(pk=item_id).title_th == "โครงสร้างหน่วยงาน"
    assert Item.objects.filter(edition=edition, code="O1").count() == 1


def test_loader_never_deletes_an_item_results_refer_to(org, edition):
    assessment = make_assessment(org, 2564, REFERENCE_003)
    o43 = Item.objects.get(edition=edition, code="O43")
    ItemResult.objects.create(assessment=assessment, item=o43, passed=True)
    data = _data()
    data["items"] = [i for i in data["items"] if i["code"] != "O43"]
    report = edition_load(data=data)
    assert Item.objects.filter(pk=o43.pk).exists()
    assert ItemResult.objects.filter(item=o43).count() == 1
    assert "O43" in report.notes[0]


def test_a_new_edition_needs_only_data(edition):
    data = copy.deepcopy(_data())
    data["edition"].update(code="ita-2590", name_th="ITA 2590", first_year=2590, last_year=2590)
    data["items"] = data["items"][:26]
    edition_load(data=data)
    new = edition_for_year(2590)
    assert new.code == "ita-2590"
    assert new.items.count() == 26
    assert edition_for_year(2565) == edition
    assert edition_for_year(2589) is None
    # Item codes are unique only within an edition.
    assert Item.objects.filter(code="O1", edition__in=[edition, new]).count() == 2


def test_overlapping_years_are_refused(edition):
    data = _data()
    data["edition"].update(code="other", first_year=2565, last_year=2566)
    with pytest.raises(FrameworkError, match="overlap"):
        edition_load(data=data)


def test_weights_must_add_up_to_100(db):
    data = _data()
    data["edition"]["code"] = "x"
    data["edition"].update(first_year=2590, last_year=2590)
    data["instruments"][0]["weight"] = "35"
    with pytest.raises(FrameworkError, match="105"):
        edition_load(data=data)
    assert not Edition.objects.filter(code="x").exists()


def test_command_reports_a_broken_file(tmp_path, db):
    bad = tmp_path / "bad.toml"
    bad.write_text("[edition\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"bad\.toml"):
        call_command("load_framework", str(bad), stdout=io.StringIO())
