"""Who may open and post to every staff page, the admin and the file addresses.

The URL list is read from the resolver, so a page added later without a row in
``tests/access_rules.py`` fails ``test_every_staff_url_has_an_expectation``. Each URL is tried
with GET and POST by anonymous visitors, every role of the organisation, a
member limited to another unit, every role of another organisation and a
superuser. A refused POST must leave the database as it was.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from assessments.models import Membership, OneTimeCode, Organisation, Role, SurveyRound, Unit
from assessments.surveys.services import codes_generate, round_create
from complaints.models import Complaint, Event
from disclosures.models import Disclosure, Entry
from measures.models import Announcement, Evidence, FollowUp, Measure, ReportSettings
from tests.access_rules import (
    EVERYONE,
    MEMBERS,
    OFFICERS,
    RULES,
    STAFF_NAMESPACES,
)
from tests.builders import make_assessment, make_org, make_user
from tests.complaints.builders import make_complaint
from tests.disclosures.builders import make_disclosure
from tests.measures.builders import PDF_BYTES, make_follow_up, make_measure, upload

# What a POST sends, where an empty one would be refused as malformed whoever sends it.
POST_DATA = {
    "measures_staff:measure-move": {"direction": "down"},
    "disclosures_staff:entry-move": {"direction": "down"},
}

# Staff pages reached without an organisation in the address, or by GET only
# through a redirect, that need no object: filled in by name below.
UNCHECKED_STAFF = frozenset(
    {
        # Before logging in: for everybody (lock-outs and resets have their own tests).
        "staff:login",
        "staff:logout",
        "staff:password-reset",
        "staff:password-reset-done",
        "staff:password-reset-confirm",
        "staff:password-reset-complete",
        # Reached from the digest's e-mail with a signed token, without logging in
        # (tests/ita_portal/test_digest.py: a forged token is a 404).
        "staff:unsubscribe",
    }
)


def _staff_patterns() -> list[tuple[str, tuple[str, ...]]]:
    """(namespace:name, its path parameters) of every named staff URL."""
    found = []

    def walk(patterns, namespace: str | None) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name and namespace:
                params = tuple(getattr(pattern.pattern, "converters", {}))
                found.append((f"{namespace}:{pattern.name}", params))

    walk(get_resolver().url_patterns, None)
    return [(name, route) for name, route in found if name.split(":")[0] in STAFF_NAMESPACES]


def test_every_staff_url_has_an_expectation():
    names = {name for name, _params in _staff_patterns()} - UNCHECKED_STAFF
    missing = sorted(names - set(RULES))
    assert not missing, f"add these staff URLs to RULES: {missing}"


# --- The world the matrix runs in ---------------------------------------------------


@pytest.fixture
def world(db):
    org = make_org("office")
    other = make_org("other")
    unit_1 = Unit.objects.create(organisation=org, name="กลุ่มอำนวยการ")
    unit_2 = Unit.objects.create(organisation=org, name="กลุ่มกฎหมายและคดี")
    users = {"anonymous": None}
    for role_name, role in (
        ("admin", Role.ADMINISTRATOR),
        ("editor", Role.EDITOR),
        ("viewer", Role.VIEWER),
        ("officer", Role.COMPLAINT_OFFICER),
    ):
        users[role_name] = make_user(role_name, org, role)
        users[f"other_{role_name}"] = make_user(f"other_{role_name}", other, role)
    users["unit_editor"] = make_user("unit_editor", org, Role.EDITOR)
    Membership.objects.get(user=users["unit_editor"]).units.set([unit_2])
    users["superuser"] = get_user_model().objects.create_superuser(
        "root", "root@example.com", "a-long-test-password"
    )

    make_assessment(org, 2565, ["90"] * 10)
    # The IIT round of 2565, for the survey pages (<instrument> = IIT).
    survey_round = round_create(
        organisation=org,
        fiscal_year=2565,
        instrument_code="IIT",
        opens_on=dt.date(2021, 10, 1),
        closes_on=dt.date(2022, 9, 30),
        uses_codes=True,  # so that its codes pages exist
    )
    codes_generate(survey_round=survey_round, count=2)
    measure = make_measure(org, 2565)
    measure.responsible_units.set([unit_1])
    follow_up = make_follow_up(measure, images=1)
    evidence = follow_up.evidence.first()
    announcement = Announcement.objects.create(
        organisation=org, fiscal_year=2565, title="ประกาศมาตรการ", date=dt.date(2022, 3, 1)
    )
    disclosure = make_disclosure(org, "O1", 2565, documents=1, links=1, unit=unit_1)
    entry = disclosure.entries.order_by("order").first()
    filed = make_complaint(org, files=[upload("evidence.pdf", PDF_BYTES)])
    complaint = filed.complaint
    attachment = complaint.attachments.get()
    member = Membership.objects.get(user=users["editor"])
    params = {
        "org": org.slug,
        "year": 2565,
        "code": "O1",
        "fmt": "csv",
        "instrument": "IIT",
    }
    by_name = {
        "measures_staff": {"pk": measure.pk},
        "measures_staff:follow-up": {"pk": follow_up.pk},
        "measures_staff:evidence-upload": {"pk": follow_up.pk},
        "measures_staff:evidence-link": {"pk": follow_up.pk},
        "measures_staff:evidence-update": {"pk": follow_up.pk},
        "measures_staff:evidence-delete": {"pk": evidence.pk},
        "measures_staff:announcement": {"pk": announcement.pk},
        "measures_staff:announcement-preview": {"pk": announcement.pk},
        "measures_staff:announcement-delete": {"pk": announcement.pk},
        "measures_staff:document-settings": {"kind": "announcement"},
        "measures_staff:document-publish": {"kind": "announcement"},
        "disclosures_staff": {"key": entry.key},
        "assessments_staff": {"pk": unit_1.pk},
        "assessments_staff:member": {"pk": member.pk},
        "assessments_staff:member-remove": {"pk": member.pk},
        "assessments_staff:member-unlock": {"pk": member.pk},
        "complaints_staff": {"pk": complaint.pk, "key": attachment.key},
    }
    return {
        "org": org,
        "users": users,
        "params": params,
        "by_name": by_name,
        "objects": {
            "measure": measure,
            "evidence": evidence,
            "entry": entry,
            "attachment": attachment,
        },
    }


def _fingerprint() -> tuple:
    """What a refused request must not change."""
    return (
        list(Measure.objects.order_by("pk").values_list("pk", "number", "title", "updated_at")),
        list(FollowUp.objects.order_by("pk").values_list("pk", "summary", "status")),
        list(Evidence.objects.order_by("pk").values_list("pk", "caption", "order")),
        list(Announcement.objects.order_by("pk").values_list("pk", "title")),
        list(ReportSettings.objects.order_by("pk").values_list("pk", "published_at")),
        list(Disclosure.objects.order_by("pk").values_list("pk", "status", "explanation")),
        list(Entry.objects.order_by("pk").values_list("pk", "title", "order")),
        list(Complaint.objects.order_by("pk").values_list("pk", "status", "assigned_to")),
        Event.objects.count(),
        list(Membership.objects.order_by("pk").values_list("pk", "role")),
        list(Unit.objects.order_by("pk").values_list("pk", "name")),
        list(Organisation.objects.order_by("pk").values_list("pk", "name_th", "website")),
        list(
            SurveyRound.objects.order_by("pk").values_list(
                "pk", "opens_on", "closes_on", "population", "uses_codes"
            )
        ),
        OneTimeCode.objects.count(),
    )


def _kwargs(world, name: str, wanted: tuple[str, ...]) -> dict:
    values = {**world["params"]}
    values.update(world["by_name"].get(name.split(":")[0], {}))
    values.update(world["by_name"].get(name, {}))
    kwargs = {}
    for key in wanted:
        assert key in values, f"no value for <{key}> of {name}"
        kwargs[key] = values[key]
    return kwargs


def _outcome(response, login_url: str) -> str:
    if response.status_code >= 500:
        return "error"
    # 405: a POST-only step opened with GET shows nothing to anybody.
    if response.status_code in (403, 404, 405):
        return "denied"
    if response.status_code == 302 and response["Location"].startswith(login_url):
        return "login"
    return "allowed"


def _url(world, name: str, params: tuple[str, ...]) -> str:
    return reverse(name, kwargs=_kwargs(world, name, params))


def _try(client, world, name: str, url: str, method: str, who: str) -> str:
    rule = RULES[name]
    allowed = (rule.get if method == "GET" else rule.post) | (
        {"anonymous"} if rule.public else set()
    )
    login_url = reverse("staff:login")
    before = _fingerprint() if method == "POST" else None
    with transaction.atomic():
        if method == "POST":
            response = client.post(url, POST_DATA.get(name, {}))
        else:
            response = client.get(url)
        outcome = _outcome(response, login_url)
        changed = method == "POST" and _fingerprint() != before
        transaction.set_rollback(True)
    readers = rule.get | ({"anonymous"} if rule.public else set())
    if who in allowed:
        expected = {"allowed"}
    elif method == "POST" and who in readers:
        # A reader posting to a page: whatever it answers, it must change nothing.
        expected = {"allowed", "denied"}
    elif who == "anonymous":
        expected = {"login"}
    else:
        expected = {"denied"}
    problem = None
    if outcome not in expected:
        problem = (
            f"{method} {url} as {who}: {outcome} ({response.status_code}), expected {expected}"
        )
    elif changed and who not in allowed:
        problem = f"{method} {url} as {who}: refused but the database changed"
    return problem or ""


@pytest.mark.parametrize(
    "name,params",
    [pytest.param(n, p, id=n) for n, p in _staff_patterns() if n not in UNCHECKED_STAFF],
)
def test_staff_url_matrix(world, client, name, params):
    url = _url(world, name, params)
    problems = []
    for who in EVERYONE:
        client.logout()
        user = world["users"][who]
        if user is not None:
            client.force_login(user)
        for method in ("GET", "POST"):
            problem = _try(client, world, name, url, method, who)
            if problem:
                problems.append(problem)
    assert not problems, "\n".join(problems)


# --- File addresses: public only once published, staff of the organisation always --


def test_file_urls_matrix(world, client):
    org = world["org"].slug
    objects = world["objects"]
    files = {
        # An unpublished report's evidence and a draft item's document: staff only.
        "evidence": reverse("measures:evidence-file", args=[org, objects["evidence"].key]),
        "evidence-preview": reverse(
            "measures:evidence-preview", args=[org, objects["evidence"].key]
        ),
    }
    document = Entry.objects.filter(disclosure__organisation=world["org"]).exclude(file="").first()
    files["entry"] = reverse("disclosures:entry-file", args=[org, document.key])
    # The complaint attachment is reached only through the officers' workspace.
    attachment = objects["attachment"]
    files["attachment"] = reverse(
        "complaints_staff:attachment", args=[org, attachment.complaint_id, attachment.key]
    )
    allowed = {
        "evidence": MEMBERS,
        "evidence-preview": MEMBERS,
        "entry": MEMBERS,
        "attachment": OFFICERS,
    }
    problems = []
    for who in EVERYONE:
        client.logout()
        user = world["users"][who]
        if user is not None:
            client.force_login(user)
        for kind, url in files.items():
            response = client.get(url)
            ok = response.status_code == 200
            if ok != (who in allowed[kind]):
                problems.append(f"{kind} {url} as {who}: {response.status_code}")
    assert not problems, "\n".join(problems)


def test_published_files_are_public(world, client):
    from disclosures.services import disclosure_publish

    document = Entry.objects.filter(disclosure__organisation=world["org"]).exclude(file="").first()
    disclosure_publish(disclosure=document.disclosure, published=True)
    assert (
        client.get(reverse("disclosures:entry-file", args=["office", document.key])).status_code
        == 200
    )
    # Another organisation's address for the same key is not a way in.
    assert (
        client.get(reverse("disclosures:entry-file", args=["other", document.key])).status_code
        == 404
    )


# --- The Django admin: operators only ----------------------------------------------


ADMIN_URLS = (
    "/admin/",
    "/admin/assessments/organisation/",
    "/admin/assessments/membership/",
    "/admin/assessments/edition/import-xlsx/",
    "/admin/measures/measure/",
    "/admin/complaints/complaint/",
    "/admin/editions/replace/",
)


def test_admin_is_for_superusers_only(world, client):
    problems = []
    for who in EVERYONE:
        client.logout()
        user = world["users"][who]
        if user is not None:
            # Staff flag and every permission: still not an operator.
            if who != "superuser":
                user.is_staff = True
                user.save(update_fields=["is_staff"])
            client.force_login(user)
        for url in ADMIN_URLS:
            response = client.get(url)
            ok = response.status_code == 200
            if ok != (who == "superuser"):
                problems.append(f"{url} as {who}: {response.status_code}")
    assert not problems, "\n".join(problems)
