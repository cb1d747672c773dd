"""Small builders for test data (no fixtures files)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from html.parser import HTMLParser

from django.contrib.auth import get_user_model
from django.test import Client

from assessments.models import Assessment, Membership, Organisation, OrganisationKind, Role
from assessments.services import assessment_get_or_create, assessment_update

# Reference 003's indicator scores (FY 2564).
REFERENCE_003 = [
    "99.13",
    "90.34",
    "95.28",
    "95.00",
    "93.17",
    "97.93",
    "97.65",
    "96.33",
    "75.92",
    "93.75",
]
PASSWORD = "a-long-test-password"


def make_org(slug: str, **fields) -> Organisation:
    fields.setdefault("name_th", f"หน่วยงาน {slug}")
    fields.setdefault("kind", OrganisationKind.SECONDARY_ESA)
    return Organisation.objects.create(slug=slug, **fields)


def make_user(username: str, org: Organisation | None = None, role: Role = Role.EDITOR, **fields):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, **fields)
    if org is not None:
        Membership.objects.create(user=user, organisation=org, role=role)
    return user


def make_assessment(
    org: Organisation,
    year: int,
    scores: list[str | None] | None = None,
    *,
    official_total: str | None = None,
    rank: int | None = None,
    ranked_out_of: int | None = None,
) -> Assessment:
    assessment = assessment_get_or_create(organisation=org, fiscal_year=year)
    values = {
        number: (Decimal(value) if value is not None else None)
        for number, value in enumerate(scores or [], start=1)
    }
    return assessment_update(
        assessment=assessment,
        scores=values,
        official_total=Decimal(official_total) if official_total else None,
        rank=rank,
        ranked_out_of=ranked_out_of,
        notes="",
    )


class _HiddenInputs(HTMLParser):
    def __init__(self, name: str) -> None:
        super().__init__()
        self.name, self.values = name, []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "input" and found.get("type") == "hidden" and found.get("name") == self.name:
            self.values.append(found.get("value") or "")


def form_token(client, url: str, name: str = "edit_token") -> str:
    """The hidden ``edit_token`` of the edit form at ``url``, read from the page as a browser would."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    parser = _HiddenInputs(name)
    parser.feed(response.content.decode())
    assert len(parser.values) == 1, f"{len(parser.values)} hidden {name} inputs on {url}"
    assert parser.values[0], f"an empty {name} on {url}"
    return parser.values[0]


def post_edit(client, url: str, data: dict, **extra):
    """POST an edit form as a browser would: with the ``edit_token`` the page carries."""
    return client.post(url, {"edit_token": form_token(client, url), **data}, **extra)


def logged_in(user) -> Client:
    """A browser of its own, signed in as ``user`` (for two people at once)."""
    client = Client()
    client.force_login(user)
    return client


def content_version(org: Organisation) -> int:
    """The organisation's content version as stored (the public cache's key)."""
    return Organisation.objects.values_list("content_version", flat=True).get(pk=org.pk)


def assert_version_moves(org: Organisation, change: Callable[[], object]) -> None:
    before = content_version(org)
    change()
    assert content_version(org) > before
