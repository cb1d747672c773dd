"""Who may open and post to every staff page, the admin and the file addresses.

The URL list is read from the resolver, so a page added later without a row
here fails ``test_every_staff_url_has_an_expectation``. Each URL is tried
with GET and POST by anonymous visitors, every role of the organisation, a
member limited to another unit, every role of another organisation and a
superuser. A refused POST must leave the database as it was.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from assessments.models import Membership, OneTimeCode, Organisation, Role, SurveyRound, Unit
from assessments.surveys.services import codes_generate, round_create
from complaints.models import Complaint, Event
from disclosures.models import Disclosure, Entry
from measures.models import Announcement, Evidence, FollowUp, Measure, ReportSettings
from tests.builders import make_assessment, make_org, make_user
from tests.complaints.builders import make_complaint
from tests.disclosures.builders import make_disclosure
from tests.measures.builders import PDF_BYTES, make_follow_up, make_measure, upload

STAFF_NAMESPACES = (
    "staff",
    "assessments_staff",
    "measures_staff",
    "disclosures_staff",
    "complaints_staff",
    "surveys_staff",
)

ORG_ROLES = ("admin", "editor", "viewer", "officer", "unit_editor")
OTHER_ROLES = ("other_admin", "other_editor", "other_viewer", "other_officer")
EVERYONE = ("anonymous", *ORG_ROLES, *OTHER_ROLES, "superuser")

MEMBERS = frozenset({"admin", "editor", "viewer", "officer", "unit_editor", "superuser"})
EDITORS = frozenset({"admin", "editor", "unit_editor", "superuser"})
WHOLE_ORG_EDITORS = EDITORS - {"unit_editor"}
# Records of another unit than the limited member's own.
EDITORS_OF_UNIT_1 = WHOLE_ORG_EDITORS
ADMINS = frozenset({"admin", "superuser"})
OFFICERS = frozenset({"officer"})
SUPERUSER = frozenset({"superuser"})
NOBODY = frozenset()
ANY_USER = frozenset(set(EVERYONE) - {"anonymous"})


@dataclass(frozen=True)
class Rule:
    get: frozenset[str]
    post: frozenset[str]
    # Pages that answer the public too (files of published items): anonymous is allowed.
    public: bool = False


# url name → who may GET, who may POST. Everyone else: 404 (or the login page
# for anonymous visitors). "Allowed" means anything but 403/404/500 or the login page.
RULES: dict[str, Rule] = {
    "staff:dashboard": Rule(ANY_USER, ANY_USER),
    "staff:password-change": Rule(ANY_USER, ANY_USER),
    "staff:password-change-done": Rule(ANY_USER, NOBODY),
    "assessments_staff:results": Rule(MEMBERS, NOBODY),
    "assessments_staff:year-add": Rule(NOBODY, EDITORS),
    "assessments_staff:year": Rule(MEMBERS, EDITORS),
    "assessments_staff:items": Rule(MEMBERS, EDITORS),
    "assessments_staff:scores-download": Rule(MEMBERS - {"officer"}, NOBODY),
    "assessments_staff:instrument-scores-download": Rule(MEMBERS - {"officer"}, NOBODY),
    "assessments_staff:settings": Rule(EDITORS, EDITORS),
    # The organisation's own administration.
    "assessments_staff:organisation-new": Rule(SUPERUSER, SUPERUSER),
    "assessments_staff:organisation": Rule(ADMINS, ADMINS),
    "assessments_staff:units": Rule(ADMINS, ADMINS),
    "assessments_staff:unit": Rule(ADMINS, ADMINS),
    "assessments_staff:unit-move": Rule(NOBODY, ADMINS),
    "assessments_staff:unit-merge": Rule(NOBODY, ADMINS),
    "assessments_staff:unit-retire": Rule(NOBODY, ADMINS),
    "assessments_staff:unit-delete": Rule(NOBODY, ADMINS),
    "assessments_staff:members": Rule(ADMINS, ADMINS),
    "assessments_staff:member-invite": Rule(ADMINS, ADMINS),
    "assessments_staff:member-new": Rule(ADMINS, ADMINS),
    "assessments_staff:member": Rule(ADMINS, ADMINS),
    "assessments_staff:member-remove": Rule(NOBODY, ADMINS),
    "assessments_staff:member-unlock": Rule(NOBODY, ADMINS),
    "assessments_staff:history": Rule(ADMINS, NOBODY),
    "assessments_staff:schools-import": Rule(ADMINS, ADMINS),
    "measures_staff:years": Rule(MEMBERS, NOBODY),
    "measures_staff:year": Rule(MEMBERS, NOBODY),
    "measures_staff:measure-add": Rule(EDITORS, EDITORS),
    # Year-wide steps touch every unit's records: not for a member limited to units.
    "measures_staff:plan": Rule(NOBODY, WHOLE_ORG_EDITORS),
    "measures_staff:copy": Rule(WHOLE_ORG_EDITORS, WHOLE_ORG_EDITORS),
    "measures_staff:report-settings": Rule(MEMBERS, EDITORS),
    "measures_staff:report-publish": Rule(NOBODY, ADMINS),
    "measures_staff:documents": Rule(MEMBERS, NOBODY),
    "measures_staff:document-settings": Rule(MEMBERS, EDITORS),
    "measures_staff:document-publish": Rule(NOBODY, ADMINS),
    # The analysis in the office's words: every member reads, editors write (like the settings).
    "measures_staff:analysis-texts": Rule(MEMBERS, EDITORS),
    "measures_staff:announcements": Rule(MEMBERS, NOBODY),
    "measures_staff:announcement-add": Rule(EDITORS, EDITORS),
    "measures_staff:announcement": Rule(MEMBERS, EDITORS),
    "measures_staff:announcement-preview": Rule(MEMBERS, NOBODY),
    "measures_staff:announcement-delete": Rule(EDITORS, EDITORS),
    "measures_staff:measure": Rule(MEMBERS, EDITORS_OF_UNIT_1),
    "measures_staff:measure-delete": Rule(EDITORS_OF_UNIT_1, EDITORS_OF_UNIT_1),
    "measures_staff:measure-move": Rule(NOBODY, EDITORS_OF_UNIT_1),
    "measures_staff:follow-ups": Rule(MEMBERS, NOBODY),
    "measures_staff:follow-up-add": Rule(EDITORS_OF_UNIT_1, EDITORS_OF_UNIT_1),
    "measures_staff:follow-up": Rule(MEMBERS, EDITORS_OF_UNIT_1),
    "measures_staff:evidence-upload": Rule(NOBODY, EDITORS_OF_UNIT_1),
    "measures_staff:evidence-link": Rule(NOBODY, EDITORS_OF_UNIT_1),
    "measures_staff:evidence-update": Rule(NOBODY, EDITORS_OF_UNIT_1),
    "measures_staff:evidence-delete": Rule(NOBODY, EDITORS_OF_UNIT_1),
    "disclosures_staff:links-mine-csv": Rule(ANY_USER, NOBODY),
    "disclosures_staff:links-mine-xlsx": Rule(ANY_USER, NOBODY),
    "disclosures_staff:years": Rule(MEMBERS, NOBODY),
    "disclosures_staff:year": Rule(MEMBERS, NOBODY),
    "disclosures_staff:copy": Rule(WHOLE_ORG_EDITORS, WHOLE_ORG_EDITORS),
    "disclosures_staff:start-provisional": Rule(NOBODY, EDITORS),
    "disclosures_staff:links-csv": Rule(MEMBERS, NOBODY),
    "disclosures_staff:links-xlsx": Rule(MEMBERS, NOBODY),
    # An ESA's roll-up of its schools: every member but complaint officers; nothing to post.
    "disclosures_staff:rollup-current": Rule(MEMBERS - {"officer"}, NOBODY),
    "disclosures_staff:rollup": Rule(MEMBERS - {"officer"}, NOBODY),
    "disclosures_staff:rollup-xlsx": Rule(MEMBERS - {"officer"}, NOBODY),
    "disclosures_staff:item": Rule(MEMBERS, EDITORS_OF_UNIT_1),
    "disclosures_staff:publish": Rule(NOBODY, EDITORS_OF_UNIT_1),
    "disclosures_staff:upload": Rule(NOBODY, EDITORS_OF_UNIT_1),
    "disclosures_staff:link": Rule(NOBODY, EDITORS_OF_UNIT_1),
    "disclosures_staff:entry": Rule(MEMBERS, EDITORS_OF_UNIT_1),
    "disclosures_staff:entry-delete": Rule(NOBODY, EDITORS_OF_UNIT_1),
    "disclosures_staff:entry-move": Rule(NOBODY, EDITORS_OF_UNIT_1),
    "disclosures_staff:entry-signed": Rule(NOBODY, EDITORS_OF_UNIT_1),
    "disclosures_staff:contents": Rule(NOBODY, EDITORS_OF_UNIT_1),
    # The self-assessment review. The world has no submission and no assessor, so the
    # steps on a submission are a 404 for all here; tests/disclosures/test_review_access.py
    # tries them with assessors of the parent, of the organisation and of a stranger.
    "disclosures_staff:reviews": Rule(ANY_USER, NOBODY),
    "disclosures_staff:self-assessment": Rule(MEMBERS, NOBODY),
    "disclosures_staff:self-assessment-submit": Rule(NOBODY, WHOLE_ORG_EDITORS),
    "disclosures_staff:self-assessment-withdraw": Rule(NOBODY, ADMINS),
    "disclosures_staff:self-assessment-publish": Rule(NOBODY, ADMINS),
    "disclosures_staff:self-assessment-clarify": Rule(NOBODY, NOBODY),
    "disclosures_staff:clarification-file": Rule(NOBODY, NOBODY),
    "disclosures_staff:review": Rule(SUPERUSER, NOBODY),
    # The predicted (self-assessed) result: read by members, recorded for the whole year.
    "disclosures_staff:predicted": Rule(MEMBERS, NOBODY),
    "disclosures_staff:predicted-record": Rule(NOBODY, WHOLE_ORG_EDITORS),
    "disclosures_staff:review-deadline": Rule(NOBODY, NOBODY),
    "disclosures_staff:review-confirm": Rule(NOBODY, NOBODY),
    "disclosures_staff:review-item": Rule(NOBODY, NOBODY),
    "complaints_staff:queue": Rule(OFFICERS, NOBODY),
    "complaints_staff:record": Rule(OFFICERS, OFFICERS),
    "complaints_staff:case": Rule(OFFICERS, NOBODY),
    "complaints_staff:reveal": Rule(NOBODY, OFFICERS),
    "complaints_staff:attachment": Rule(OFFICERS, NOBODY),
    "complaints_staff:assign": Rule(NOBODY, OFFICERS),
    "complaints_staff:accept": Rule(NOBODY, OFFICERS),
    "complaints_staff:reject": Rule(NOBODY, OFFICERS),
    "complaints_staff:investigate": Rule(NOBODY, OFFICERS),
    "complaints_staff:conclude": Rule(NOBODY, OFFICERS),
    "complaints_staff:forward": Rule(NOBODY, OFFICERS),
    "complaints_staff:message": Rule(NOBODY, OFFICERS),
    "complaints_staff:note": Rule(NOBODY, OFFICERS),
    # Importing a survey round's answers: the whole organisation's editors; the empty
    # template (the questions, no answers) for every member.
    "surveys_staff:import": Rule(WHOLE_ORG_EDITORS, WHOLE_ORG_EDITORS),
    "surveys_staff:import-template": Rule(MEMBERS, NOBODY),
    # Survey rounds: every member sees (aggregates only); the whole organisation's editors
    # open and change rounds and make codes; the ESA's administrators open its schools'.
    "surveys_staff:surveys": Rule(MEMBERS, WHOLE_ORG_EDITORS),
    "surveys_staff:round": Rule(MEMBERS, NOBODY),
    "surveys_staff:round-edit": Rule(WHOLE_ORG_EDITORS, WHOLE_ORG_EDITORS),
    "surveys_staff:poster": Rule(MEMBERS, NOBODY),
    "surveys_staff:scores-download": Rule(MEMBERS, NOBODY),
    "surveys_staff:codes": Rule(MEMBERS, WHOLE_ORG_EDITORS),
    "surveys_staff:codes-slips": Rule(MEMBERS, NOBODY),
    "surveys_staff:codes-email": Rule(WHOLE_ORG_EDITORS, WHOLE_ORG_EDITORS),
    "surveys_staff:schools": Rule(ADMINS, ADMINS),
}

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
