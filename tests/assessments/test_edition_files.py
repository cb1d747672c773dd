"""Every shipped edition file loads with the shape the reference notes give it."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from assessments.framework import EDITIONS_DIR, FrameworkError, edition_files, read_edition_file
from assessments.models import Edition, Indicator, Item, ResultLevel

NEW_LEVEL_LABELS = ["ผ่านดีเยี่ยม", "ผ่านดี", "ผ่าน", "ต้องปรับปรุง", "ต้องปรับปรุงโดยด่วน"]
SHAPES = {
    # code: (items, complaint statistics, measures)
    "ita-2564-2565": (43, "O31", "O42"),
    "nacc-2566": (43, "O29", "O42"),
    "nacc-2567": (43, "O29", "O42"),
    "nacc-2568": (26, "O19", None),
    "nacc-2569": (26, "O18", "O25"),
}


def test_every_file_in_the_folder_is_one_of_the_known_editions():
    codes = {read_edition_file(path)["edition"]["code"] for path in edition_files()}
    assert codes == set(SHAPES)


@pytest.mark.parametrize("code", SHAPES)
def test_shipped_edition_loads_with_its_shape(db, code):
    items, statistics, measures = SHAPES[code]
    edition = Edition.objects.get(code=code)
    assert edition.items.count() == items
    assert Indicator.objects.filter(edition=edition).count() == 10
    assert sum(i.weight for i in edition.instruments.all()) == 100
    roles = dict(edition.items.exclude(role="").values_list("role", "code"))
    assert roles.get("complaint_statistics") == statistics
    assert roles.get("measures") == measures
    # Every item hangs under a sub-indicator of its own edition.
    assert not edition.items.exclude(sub_indicator__indicator__edition=edition).exists()


def test_2564_2565_keeps_its_seven_letters(db):
    levels = ResultLevel.objects.filter(edition__code="ita-2564-2565")
    assert [level.grade for level in levels] == ["AA", "A", "B", "C", "D", "E", "F"]


@pytest.mark.parametrize("code", ["nacc-2566", "nacc-2567", "nacc-2568", "nacc-2569"])
def test_editions_from_2566_have_the_five_new_levels(db, code):
    levels = list(ResultLevel.objects.filter(edition__code=code))
    assert [level.label_th for level in levels] == NEW_LEVEL_LABELS
    assert all(level.grade == "" for level in levels)
    good = next(level for level in levels if level.label_th == "ผ่านดี")
    assert (good.min_total, good.min_instrument, good.passed) == (85, 85, True)
    plain = next(level for level in levels if level.label_th == "ผ่าน")
    assert (plain.min_total, plain.min_instrument) == (85, None)


@pytest.mark.parametrize(
    ("code", "flagged"),
    [("nacc-2568", {"O2", "O5", "O6", "O7"}), ("nacc-2569", {"O2", "O6", "O7", "O25"})],
)
def test_low_confidence_items_are_flagged_to_verify(db, code, flagged):
    verified = set(
        Item.objects.filter(edition__code=code, verify=True).values_list("code", flat=True)
    )
    assert flagged <= verified


def test_2568_items_name_the_2567_items_they_continue(db):
    item = Item.objects.get(edition__code="nacc-2568", code="O6")
    assert item.continues == "O11, O12"
    assert item.continued_codes == ["O11", "O12"]


def test_a_file_with_a_broken_reference_is_refused_naming_it(tmp_path, db):
    text = (EDITIONS_DIR / "nacc-2569.toml").read_text(encoding="utf-8")
    text = text.replace('code = "nacc-2569"', 'code = "nacc-broken"', 1)
    text = text.replace("first_year = 2569", "first_year = 2591", 1)
    text = text.replace("last_year = 2569", "last_year = 2591", 1)
    # The first item now names a sub-indicator that does not exist.
    text = text.replace('sub_indicator = "', 'sub_indicator = "99.', 1)
    broken = tmp_path / "broken.toml"
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(FrameworkError, match=r"names unknown sub-indicator '99\."):
        read_edition_file(broken)
    with pytest.raises(CommandError, match="unknown sub-indicator"):
        call_command("load_framework", str(broken), stdout=io.StringIO())
    assert not Edition.objects.filter(code="nacc-broken").exists()
