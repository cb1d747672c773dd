"""A provisional 2570 edition replaced by the real one: results, measures and
OIT pages move over, the operator maps changed codes, nothing is lost."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from assessments.edition_data import FrameworkError
from assessments.framework import edition_for, edition_load
from assessments.models import (
    Assessment,
    Edition,
    IndicatorScore,
    InstrumentScore,
    Item,
    ItemResult,
    ResultLevel,
)
from assessments.provisional import edition_start_provisional
from disclosures.models import Disclosure, Entry
from disclosures.services import disclosure_for, disclosure_publish, entry_add_link
from ita_portal.edition_replace import (
    EditionStale,
    edition_replace,
    replacement_plan,
)
from measures.models import Measure
from tests.builders import logged_in, make_org, make_user
from tests.editions import edition_spec

YEAR = 2570


def real_2570_spec(code: str = "nacc-2570") -> dict:
    """The real 2570 edition as the NACC might publish it: O5 renumbered O27, O6 now
    covers O6 and O7, O26 gone."""
    codes = [f"O{n}" for n in range(1, 26) if n != 5] + ["O27"]
    data = edition_spec(
        code=code,
        first_year=YEAR,
        instruments=[
            ("IIT", "30", [1, 2, 3, 4, 5]),
            ("EIT", "30", [6, 7, 8]),
            ("OIT", "40", [9, 10]),
        ],
        items={9: codes[:20], 10: codes[20:]},
    )
    for item in data["items"]:
        if item["code"] == "O6":
            item["continues"] = "O6, O7"
    return data


def page(org, item: Item, title: str, *, published: bool = False) -> Disclosure:
    disclosure = disclosure_for(organisation=org, fiscal_year=YEAR, item=item)
    entry_add_link(
        disclosure=disclosure,
        url=f"https://www.example.go.th/{item.code}/{title}",
        title=title,
        date=dt.date(2026, 11, 1),
    )
    if published:
        disclosure_publish(disclosure=disclosure, published=True)
    return disclosure


@pytest.fixture
def world(db):
    org = make_org("office")
    provisional = edition_start_provisional(fiscal_year=YEAR, organisation=org)
    items = {i.code: i for i in provisional.items.all()}
    assessment = Assessment.objects.create(
        organisation=org,
        fiscal_year=YEAR,
        edition=provisional,
        official_level=provisional.levels.get(code="pass"),
    )
    for indicator in provisional.indicators.all():
        IndicatorScore.objects.create(
            assessment=assessment, indicator=indicator, score=Decimal("90.00")
        )
    InstrumentScore.objects.create(
        assessment=assessment,
        instrument=provisional.instruments.get(code="OIT"),
        score=Decimal("88.00"),
    )
    for code in ("O1", "O5", "O7"):
        ItemResult.objects.create(assessment=assessment, item=items[code], passed=True)
    pages = {
        "O1": page(org, items["O1"], "โครงสร้าง", published=True),
        "O5": page(org, items["O5"], "แผนดำเนินงาน"),
        "O6": page(org, items["O6"], "รายงานกำกับ", published=True),
        "O7": page(org, items["O7"], "รายงานผล"),
    }
    measure = Measure.objects.create(organisation=org, fiscal_year=YEAR, number=1, title="มาตรการ")
    measure.indicators.set(provisional.indicators.filter(number__in=[9, 10]))
    return {
        "org": org,
        "provisional": provisional,
        "assessment": assessment,
        "pages": pages,
        "measure": measure,
    }


def counts() -> dict[str, int]:
    return {
        "assessments": Assessment.objects.count(),
        "indicator_scores": IndicatorScore.objects.count(),
        "instrument_scores": InstrumentScore.objects.count(),
        "item_results": ItemResult.objects.count(),
        "entries": Entry.objects.count(),
        "measures": Measure.objects.count(),
    }


def test_a_real_edition_loads_over_the_provisional_one_which_stays_in_use(world):
    real = edition_load(data=real_2570_spec()).edition

    assert real.provisional is False
    assert edition_for(world["org"], YEAR) == world["provisional"]
    # A second real edition for the same year is still refused.
    with pytest.raises(FrameworkError, match="overlap"):
        edition_load(data=real_2570_spec(code="nacc-2570-bis"))


def test_no_provisional_edition_is_started_over_a_real_one(db):
    org = make_org("office")
    real = edition_load(data=real_2570_spec()).edition

    assert edition_start_provisional(fiscal_year=YEAR, organisation=org) == real
    assert not Edition.objects.filter(provisional=True).exists()


def test_the_plan_matches_by_code_and_continues_and_asks_for_changed_codes(world):
    real = edition_load(data=real_2570_spec()).edition

    plan = replacement_plan(provisional=world["provisional"], real=real)

    rows = {row.code: row for row in plan.items}
    assert (rows["O1"].target, rows["O1"].why) == ("O1", "code")
    assert (rows["O7"].target, rows["O7"].why) == ("O6", "continues")
    assert rows["O5"].target is None
    assert (rows["O5"].results, rows["O5"].pages) == (1, 1)
    assert plan.merged == {"O6": ["O6", "O7"]}
    assert [row.code for row in plan.dropped] == ["O26"]
    # O5's page and result would be orphaned: refused until it is mapped.
    assert any("O5" in problem for problem in plan.problems)
    with pytest.raises(FrameworkError, match="O5"):
        edition_replace(
            provisional_code=world["provisional"].code,
            real_code=real.code,
            item_targets={},
            fingerprint=plan.fingerprint,
        )
    assert Edition.objects.filter(pk=world["provisional"].pk).exists()


def test_applying_moves_everything_to_the_real_edition_and_deletes_the_provisional(world):
    org, provisional = world["org"], world["provisional"]
    real = edition_load(data=real_2570_spec()).edition
    before = counts()
    plan = replacement_plan(provisional=provisional, real=real, item_targets={"O5": "O27"})
    assert not plan.problems

    summary = edition_replace(
        provisional_code=provisional.code,
        real_code=real.code,
        item_targets=plan.targets,
        fingerprint=plan.fingerprint,
    )

    assert not Edition.objects.filter(code=provisional.code).exists()
    assert edition_for(org, YEAR) == real
    assessment = Assessment.objects.get(pk=world["assessment"].pk)
    assert assessment.edition == real
    assert assessment.official_level == ResultLevel.objects.get(edition=real, code="pass")
    assert set(assessment.scores.values_list("indicator__edition", flat=True)) == {real.pk}
    assert assessment.instrument_scores.get().instrument.edition == real
    assert sorted(assessment.item_results.values_list("item__code", flat=True)) == [
        "O1",
        "O27",
        "O6",
    ]
    assert set(world["measure"].indicators.values_list("edition", flat=True)) == {real.pk}
    assert sorted(world["measure"].indicators.values_list("number", flat=True)) == [9, 10]
    # O6 and O7 became one page holding both entries, marked for review; O5's page is O27's.
    pages = Disclosure.objects.filter(organisation=org, fiscal_year=YEAR)
    assert sorted(pages.values_list("item__code", flat=True)) == ["O1", "O27", "O6"]
    merged = pages.get(item__code="O6")
    assert [e.title for e in merged.entries.all()] == ["รายงานกำกับ", "รายงานผล"]
    assert merged.to_review and merged.is_published
    assert pages.get(item__code="O1").is_published
    after = counts()
    assert after == before
    assert summary.pages_merged == 1 and summary.pages_moved == 3
    assert summary.dropped == ["O26"]
    assert any("nacc-2570" in line for line in summary.lines())
    # The public page of the moved item answers at its code in the real edition.
    assert reverse("disclosures:item", args=[org.slug, YEAR, "O27"])


def test_a_mapping_reviewed_before_an_edition_changed_is_refused(world):
    real = edition_load(data=real_2570_spec()).edition
    plan = replacement_plan(provisional=world["provisional"], real=real, item_targets={"O5": "O27"})
    Item.objects.filter(edition=real, code="O27").update(title_th="แผนปฏิบัติการประจำปี")
    before = counts()

    with pytest.raises(EditionStale):
        edition_replace(
            provisional_code=world["provisional"].code,
            real_code=real.code,
            item_targets=plan.targets,
            fingerprint=plan.fingerprint,
        )

    assert counts() == before
    assert Assessment.objects.get(pk=world["assessment"].pk).edition == world["provisional"]


def test_two_results_landing_on_one_item_are_refused(world):
    real = edition_load(data=real_2570_spec()).edition
    # O1's result and O5's result would both become O1's.
    plan = replacement_plan(provisional=world["provisional"], real=real, item_targets={"O5": "O1"})

    assert any("two items" in p or "สองข้อ" in p for p in plan.problems)


def test_an_unknown_target_is_named(world):
    real = edition_load(data=real_2570_spec()).edition

    plan = replacement_plan(provisional=world["provisional"], real=real, item_targets={"O5": "O99"})

    assert any("O99" in p for p in plan.problems)


def test_a_used_indicator_without_counterpart_is_refused(world):
    data = real_2570_spec()
    data["indicators"] = [i for i in data["indicators"] if i["number"] != 8]
    real = edition_load(data=data).edition

    plan = replacement_plan(provisional=world["provisional"], real=real, item_targets={"O5": "O27"})

    assert any(" 8 " in p for p in plan.problems)


def test_the_command_maps_changed_codes_and_has_a_dry_run(world):
    real = edition_load(data=real_2570_spec()).edition
    out = io.StringIO()
    with pytest.raises(CommandError, match="O5"):
        call_command("replace_edition", world["provisional"].code, real.code, stdout=out)

    call_command(
        "replace_edition",
        world["provisional"].code,
        real.code,
        "--map",
        "O5=O27",
        "--dry-run",
        stdout=out,
    )
    assert "O5 → O27" in out.getvalue()
    assert Edition.objects.filter(pk=world["provisional"].pk).exists()

    call_command(
        "replace_edition", world["provisional"].code, real.code, "--map", "O5=O27", stdout=out
    )
    assert not Edition.objects.filter(pk=world["provisional"].pk).exists()
    assert Disclosure.objects.filter(item__edition=real, item__code="O27").count() == 1


# --- The operators' review page -------------------------------------------------------


def review_url(provisional: Edition, real: Edition) -> str:
    return reverse("edition_replace:review", args=[provisional.code, real.code])


@pytest.fixture
def operator(db):
    return make_user("operator", is_superuser=True, is_staff=True)


def test_the_review_page_lists_the_mapping_and_applies_it(world, operator):
    real = edition_load(data=real_2570_spec()).edition
    client = logged_in(operator)
    url = review_url(world["provisional"], real)

    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "O27" in body and "O5" in body
    fingerprint = response.context["plan"].fingerprint

    refused = client.post(url, {"fingerprint": fingerprint, "apply": "1"})
    assert refused.status_code == 200
    assert Edition.objects.filter(pk=world["provisional"].pk).exists()

    done = client.post(url, {"fingerprint": fingerprint, "item-O5": "O27", "apply": "1"})
    assert done.status_code == 302
    assert not Edition.objects.filter(pk=world["provisional"].pk).exists()
    assert Assessment.objects.get(pk=world["assessment"].pk).edition == real


def test_the_review_page_refuses_a_stale_mapping(world, operator):
    real = edition_load(data=real_2570_spec()).edition
    client = logged_in(operator)
    url = review_url(world["provisional"], real)
    fingerprint = client.get(url).context["plan"].fingerprint
    Item.objects.filter(edition=real, code="O27").update(title_th="แก้ไขแล้ว")

    response = client.post(url, {"fingerprint": fingerprint, "item-O5": "O27", "apply": "1"})

    assert response.status_code == 409
    assert Edition.objects.filter(pk=world["provisional"].pk).exists()


@pytest.mark.parametrize("who", ["anonymous", "administrator", "staff flag"])
def test_the_replacement_pages_are_for_operators_only(world, who, client):
    real = edition_load(data=real_2570_spec()).edition
    if who != "anonymous":
        user = make_user("someone", world["org"], is_staff=who == "staff flag")
        if who == "administrator":
            from assessments.models import Membership, Role

            Membership.objects.filter(user=user).update(role=Role.ADMINISTRATOR)
        client.force_login(user)
    url = review_url(world["provisional"], real)

    for response in (
        client.get(reverse("edition_replace:index")),
        client.get(url),
        client.post(url, {"item-O5": "O27", "apply": "1"}),
    ):
        assert response.status_code in (302, 403, 404)
    assert Edition.objects.filter(pk=world["provisional"].pk).exists()


def test_a_wrong_address_is_a_404(world, operator):
    client = logged_in(operator)
    assert (
        client.get(reverse("edition_replace:review", args=["nope", "nacc-2569"])).status_code == 404
    )
    # A real edition in the provisional's place is not something to replace.
    assert (
        client.get(reverse("edition_replace:review", args=["nacc-2569", "nacc-2568"])).status_code
        == 404
    )


def test_the_index_lists_provisional_editions_and_their_candidates(world, operator):
    real = edition_load(data=real_2570_spec()).edition
    response = logged_in(operator).get(reverse("edition_replace:index"))

    assert response.status_code == 200
    assert review_url(world["provisional"], real) in response.content.decode()
