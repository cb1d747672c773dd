"""A small world for the review tests: an ESA, its school, a made-up edition of
another shape than the shipped ones (two instruments, four indicators, five
items W1–W5), and one user per part they play."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.urls import reverse

from assessments.models import Edition, Item, Organisation, Role
from disclosures.models import Submission
from disclosures.review import services
from disclosures.services import (
    disclosure_for,
    disclosure_publish,
    disclosure_update,
    entry_add_link,
)
from tests.builders import make_org, make_user
from tests.editions import two_instrument_edition

YEAR = 2590


@dataclass
class World:
    esa: Organisation
    school: Organisation
    stranger_org: Organisation
    edition: Edition
    users: dict

    def item(self, code: str) -> Item:
        return Item.objects.get(edition=self.edition, code=code)


def make_world() -> World:
    edition = two_instrument_edition(YEAR)
    esa = make_org("esa")
    school = make_org("school", parent=esa)
    stranger_org = make_org("elsewhere")
    users = {
        "school_admin": make_user("school_admin", school, Role.ADMINISTRATOR),
        "school_editor": make_user("school_editor", school, Role.EDITOR),
        "school_viewer": make_user("school_viewer", school, Role.VIEWER),
        "esa_assessor": make_user("esa_assessor", esa, Role.ASSESSOR),
        "esa_editor": make_user("esa_editor", esa, Role.EDITOR),
        "internal_assessor": make_user("internal_assessor", school, Role.ASSESSOR),
        "stranger_assessor": make_user("stranger_assessor", stranger_org, Role.ASSESSOR),
        "superuser": get_user_model().objects.create_superuser(
            "root", "root@example.com", "a-long-test-password"
        ),
    }
    world = World(esa, school, stranger_org, edition, users)
    # W1 published with a link, the rest untouched.
    disclosure = disclosure_for(organisation=school, fiscal_year=YEAR, item=world.item("W1"))
    disclosure_update(
        disclosure=disclosure, explanation="<p>คำอธิบายเดิม</p>", unit=None, due_date=None
    )
    entry_add_link(
        disclosure=disclosure, url="https://school.example.go.th/w1", title="ลิงก์เดิม", date=None
    )
    disclosure_publish(disclosure=disclosure, published=True)
    return world


def submit(world: World) -> Submission:
    return services.submission_submit(
        organisation=world.school, fiscal_year=YEAR, user=world.users["school_admin"]
    )


def url(name: str, world: World, *args) -> str:
    return reverse(f"disclosures_staff:{name}", args=[world.school.slug, YEAR, *args])


def give_verdicts(world: World, submission: Submission, failed: tuple[str, ...] = ("W2",)) -> None:
    for review in submission.reviews.select_related("item"):
        services.review_save(
            submission=submission,
            item=review.item,
            token=None,
            verdict="fail" if review.item.code in failed else "pass",
            score=None,
            comment=f"ความเห็น {review.item.code}",
            improvement="ปรับปรุง" if review.item.code in failed else "",
            user=world.users["esa_assessor"],
        )
