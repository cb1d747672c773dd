"""Whatever anyone sends to any address of the site, the answer is never a server error.

Every URL pattern is taken from the root resolver, so a page added later is
fuzzed without changing this file. For each pattern: every kind of visitor
(anonymous, the organisation's administrator, editor, viewer and complaint
officer, a superuser) opens it with real objects of the seeded demo
organisation; then Hypothesis sends requests with hostile path parameters,
query strings and form fields (the real field names, read from the forms of
the pages crawled first) and files. Each request runs in a savepoint that is
rolled back, so every one starts from the same data (a fuzzed "delete" does
not hide the object from the next request) and a run is reproducible.

``FUZZ_EXAMPLES`` sets the number of fuzzed requests per pattern after the
visits (default 2: about 2,100 requests in all, some 40 s of CPU on SQLite);
``FUZZ_EXAMPLES=20`` runs a longer campaign (about 6,800 requests).
"""

from __future__ import annotations

import os
import re
import uuid
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import quote, urlencode, urlsplit

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from hypothesis import strategies as st

from assessments.models import Item, Organisation, Role
from tests.builders import make_user
from tests.measures.builders import PDF_BYTES, image_bytes

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "2"))
FUZZ = examples(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same requests on every run and in CI
    database=None,
    suppress_health_check=list(HealthCheck),
)
VISITORS = ("anonymous", "administrator", "editor", "viewer", "officer", "superuser")

# --- The URL patterns ----------------------------------------------------------------

PARAM = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


@dataclass
class Route:
    name: str  # the URL name with its namespaces, e.g. "disclosures_staff:item"
    template: str  # the path with {param} holes
    params: dict[str, str] = field(default_factory=dict)  # name -> converter or regex

    def __str__(self) -> str:
        return f"{self.name} /{self.template}"


def _regex_template(regex: str) -> tuple[str, dict[str, str]]:
    """'^(?P<app_label>a|b)/$' -> ('{app_label}/', {'app_label': 'a|b'}); groups only at top level."""
    regex = regex.removeprefix("^").removesuffix("$").removesuffix(r"\Z")
    out, params, i, unnamed = [], {}, 0, 0
    while i < len(regex):
        if regex[i] == "(":
            depth, j = 1, i + 1
            while depth:
                depth += {"(": 1, ")": -1}.get(regex[j], 0) if regex[j - 1] != "\\" else 0
                j += 1
            group = regex[i + 1 : j - 1]
            named = re.match(r"\?P<(\w+)>(.*)", group, re.S)
            name, body = named.groups() if named else (f"_{unnamed}", group)
            unnamed += not named
            params[name] = body
            out.append("{" + name + "}")
            i = j
        else:
            out.append(regex[i + 1] if regex[i] == "\\" else regex[i])
            i += 2 if regex[i] == "\\" else 1
    # simple_history's item pages: the object, then its historical record.
    if list(params) == ["_0", "_1"]:
        params = {"object_id": params["_0"], "history_id": params["_1"]}
        out = [{"{_0}": "{object_id}", "{_1}": "{history_id}"}.get(p, p) for p in out]
    return "".join(out), params


def _piece(pattern) -> tuple[str, dict[str, str]]:
    text = str(pattern.pattern)
    if type(pattern.pattern).__name__ == "RegexPattern":
        return _regex_template(text)
    params = {m["name"]: m["converter"] or "str" for m in PARAM.finditer(text)}
    return PARAM.sub(lambda m: "{" + m["name"] + "}", text), params


def routes(patterns=None, prefix: str = "", params=None, namespace: str = "") -> list[Route]:
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        template, more = _piece(pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found += routes(
                pattern.url_patterns, prefix + template, {**(params or {}), **more}, inner
            )
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name or pattern.lookup_str}"
            found.append(Route(name, prefix + template, {**(params or {}), **more}))
    return found


ROUTES = routes()

# --- Values ----------------------------------------------------------------------------

HOSTILE_TEXT = [
    "\x00",
    "O1\x00",
    "..",
    "%2e%2e",
    "../../etc/passwd",
    "' OR 1=1 --",
    "1; DROP TABLE auth_user",
    '<script>alert("x")</script>',
    '"><img src=x onerror=alert(1)>',
    "\u202e\ufeff\u200b",
    "ก" * 300,
    "🙂" * 50,
    "x" * 5000,
    "0",
    "-1",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "2566-02-30",
    "31/02/2567",
    " ",
    "",
]
odd_text = st.one_of(
    st.sampled_from(HOSTILE_TEXT),
    st.text(max_size=30),
    st.integers(-(2**70), 2**70).map(str),
)
HOSTILE_INT = ["0", "1", "2147483648", "9223372036854775808", "9" * 40, "00002565", "543"]


@st.composite
def uploads(draw) -> SimpleUploadedFile:
    name = draw(st.sampled_from(["a.pdf", "a.jpg", "a.png", "a.exe", "a.docx", "", "ก.PDF"]))
    content = draw(
        st.one_of(
            st.just(b""),
            st.just(PDF_BYTES),
            st.just(image_bytes()),
            st.binary(max_size=512),
            st.binary(max_size=64).map(lambda tail: b"%PDF-1.4\n" + tail),
            st.just(b"<html><script>alert(1)</script>%PDF-1.4"),
        )
    )
    return SimpleUploadedFile(name or "file", content)


class World:
    """The seeded data a fuzzed request picks its real parameters from."""

    def __init__(self) -> None:
        from assessments.demo import demo_load, demo_users
        from complaints.demo import demo_complaints_load
        from disclosures.demo import demo_disclosures
        from measures.demo import demo_measures_load

        office = demo_load()
        demo_measures_load(office)
        demo_disclosures(office)
        demo_users(password="a-long-demo-password")
        demo_complaints_load(office)
        self.org = office
        self.members = {
            "administrator": make_user("fz-admin", office, Role.ADMINISTRATOR),
            "editor": make_user("fz-editor", office, Role.EDITOR),
            "viewer": make_user("fz-viewer", office, Role.VIEWER),
            "officer": make_user("fz-officer", office, Role.COMPLAINT_OFFICER),
            "superuser": make_user("fz-root", is_superuser=True, is_staff=True),
        }
        self.codes = sorted(set(Item.objects.values_list("code", flat=True)))[:60]
        self.slugs = list(Organisation.objects.values_list("slug", flat=True))
        self.objects = self._objects()

    def _objects(self) -> dict[str, list[str]]:
        """Primary keys and file keys by the path segment that precedes them."""
        from complaints.models import Attachment, Complaint
        from disclosures.models import Entry
        from measures.models import Announcement, Evidence, FollowUp, Measure

        def ids(model, attr="pk") -> list[str]:
            return [str(getattr(o, attr)) for o in model.objects.all()[:8]]

        return {
            "measure": ids(Measure),
            "follow-up": ids(FollowUp),
            "evidence": ids(Evidence) + ids(Evidence, "key"),
            "announcement": ids(Announcement),
            "announcements": ids(Announcement, "key"),
            "complaints": ids(Complaint),
            "files": ids(Attachment, "key"),
            "entries": ids(Entry, "key"),
            "oit": ids(Entry, "key"),
        }

    def real(self, route: Route, name: str, spec: str) -> list[str]:
        """Real values for a path parameter, the likeliest first."""
        return self._real(route, name, spec) or ["1"]

    def _real(self, route: Route, name: str, spec: str) -> list[str]:
        segments = route.template.split("/")
        before = next(
            (segments[i - 1] for i, s in enumerate(segments) if "{" + name + "}" in s and i), ""
        )
        model = _admin_model(route)
        if name == "org":
            return ["demo", *self.slugs]
        if name == "year":
            return ["2565", "2566", "2564", "2567"]
        if name == "code":
            return ["O1", "O31", "O42", "O43", *self.codes]
        if name == "fmt":
            return ["csv", "xlsx", "json"]
        if name in ("pk", "key") and self.objects.get(before):
            return self.objects[before]
        if name == "object_id" and model is not None:
            return [str(pk) for pk in model._default_manager.values_list("pk", flat=True)[:5]]
        if name == "history_id" and model is not None and hasattr(model, "history"):
            return [str(i) for i in model.history.values_list("history_id", flat=True)[:5]]
        if name == "content_type_id":
            return [str(ContentType.objects.get_for_model(model or Organisation).pk)]
        if name == "id":
            return [str(self.members["editor"].pk)]
        if "|" in spec and "(" not in spec:
            return spec.split("|")
        return ["demo", "O1", "1", str(uuid.UUID(int=2565))]


def _admin_model(route: Route):
    if not route.name.startswith("admin:"):
        return None
    for model in apps.get_models():
        if route.name.startswith(f"admin:{model._meta.app_label}_{model._meta.model_name}_"):
            return model
    return None


def hostile_param(spec: str):
    if spec == "int":
        return st.sampled_from([*HOSTILE_INT, "-1", "1.5", "x"])
    if spec == "uuid":
        return st.sampled_from([str(uuid.UUID(int=7)), "0" * 36, "x", "%00"])
    return odd_text


def _path(route: Route, values: dict[str, str]) -> str:
    # The path converter takes slashes; every other value is one segment.
    quoted = {
        name: quote(value, safe="/" if route.params[name] in ("path", ".*") else "")
        for name, value in values.items()
    }
    return "/" + route.template.format(**quoted)


# --- Forms read from the pages -------------------------------------------------------


@dataclass
class FormField:
    name: str
    kind: str  # input type, "textarea" or "select"
    value: str = ""
    options: list[str] = field(default_factory=list)


class FormReader(HTMLParser):
    """Every form of a page: its method, action and fields (names, kinds, values)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, str, list[FormField]]] = []
        self._select: FormField | None = None

    def handle_starttag(self, tag: str, attrs) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append((a.get("method", "get").lower(), a.get("action", ""), []))
        elif not self.forms or not a.get("name"):
            return
        elif tag in ("input", "button", "textarea"):
            kind = a.get("type", "text").lower() if tag != "textarea" else "textarea"
            self.forms[-1][2].append(FormField(a["name"], kind, a.get("value", "")))
        elif tag == "select":
            self._select = FormField(a["name"], "select")
            self.forms[-1][2].append(self._select)
        if tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def _read_forms(html: str, page_path: str, fields_by_route: dict) -> None:
    reader = FormReader()
    reader.feed(html)
    for method, action, fields in reader.forms:
        try:
            target = resolve(urlsplit(action or page_path).path)
        except Resolver404:
            continue
        known = fields_by_route.setdefault((method, target.view_name), {})
        for form_field in fields:
            known.setdefault(form_field.name, form_field)


@st.composite
def field_value(draw, form_field: FormField):
    if form_field.kind == "file":
        return draw(st.lists(uploads(), max_size=2))
    plausible = (
        st.sampled_from(form_field.options)
        if form_field.options
        else st.just(form_field.value or ("on" if form_field.kind == "checkbox" else "1"))
    )
    return draw(st.one_of(plausible, plausible, odd_text))


QUERY_KEYS = ["q", "page", "org", "unit", "mine", "fiscal_year", "next", "language", "status"]


@st.composite
def fuzzed_fields(draw, known: dict[str, FormField], extra: list[str]) -> dict:
    names = draw(st.lists(st.sampled_from(sorted(known) or extra), unique=True, max_size=12))
    data = {name: draw(field_value(known[name])) for name in names if name in known}
    data.update({name: draw(odd_text) for name in names if name not in known})
    if draw(st.booleans()):
        data[draw(st.sampled_from(extra))] = draw(odd_text)
    return data


# --- The test --------------------------------------------------------------------------


class Visitors:
    def __init__(self, world: World) -> None:
        self.clients = {"anonymous": Client(raise_request_exception=True)}
        for kind, user in world.members.items():
            client = Client(raise_request_exception=True)
            client.force_login(user)
            self.clients[kind] = client
        self.cookies = {
            kind: {name: morsel.value for name, morsel in c.cookies.items()}
            for kind, c in self.clients.items()
        }
        self.requests = 0
        self.statuses: dict[int, int] = {}

    def send(self, kind: str, method: str, path: str, data=None, headers=None) -> HttpResponse:
        client = self.clients[kind]
        # A fuzzed logout or password change must not sign the visitor out for good.
        client.cookies = SimpleCookie()
        for name, value in self.cookies[kind].items():
            client.cookies[name] = value
        with transaction.atomic():
            response = getattr(client, method)(path, data or {}, headers=headers or {})
            transaction.set_rollback(True)
        if response.streaming:
            # Read to the end: the test client then closes the file and the request.
            b"".join(response.streaming_content)
        self.requests += 1
        self.statuses[response.status_code] = self.statuses.get(response.status_code, 0) + 1
        assert response.status_code < 500, f"{method.upper()} {path} as {kind}"
        return response


@pytest.fixture
def world(db, settings):
    settings.COMPLAINT_FILE_RATE = "100000/h"
    settings.COMPLAINT_TRACK_RATE = "100000/h"
    # Behind a proxy: the fuzzed requests carry no address header, a wrong one or a real one.
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    return World()


ADDRESSES = st.sampled_from([None, None, "", "not-an-ip", "203.0.113.9", "::1", "1.2.3.4, 5.6.7.8"])


def _baseline(world: World, visitors: Visitors, fields_by_route: dict) -> None:
    """Every visitor opens every page with the likeliest real objects; forms found are read."""
    for route in ROUTES:
        first = {n: world.real(route, n, s)[0] for n, s in route.params.items()}
        path = _path(route, first)
        paths = [(kind, path) for kind in VISITORS]
        # Other objects' pages show other forms (a case at another step, evidence).
        for name, spec in route.params.items():
            if name in ("pk", "key"):
                for value in world.real(route, name, spec)[1:4]:
                    paths.append(("superuser", _path(route, {**first, name: value})))
        for kind, path in paths:
            response = visitors.send(kind, "get", path)
            if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                _read_forms(response.content.decode(errors="replace"), path, fields_by_route)


def _fuzz(route: Route, world: World, visitors: Visitors, fields_by_route: dict) -> None:
    posts = fields_by_route.get(("post", route.name), {})
    gets = fields_by_route.get(("get", route.name), {})

    @FUZZ
    @given(data=st.data())
    def fuzz(data) -> None:
        draw = data.draw
        values = {
            name: draw(
                st.one_of(
                    st.sampled_from(world.real(route, name, spec)),
                    st.sampled_from(world.real(route, name, spec)),
                    hostile_param(spec),
                )
            )
            for name, spec in route.params.items()
        }
        path = _path(route, values)
        kind = draw(st.sampled_from(VISITORS))
        address = draw(ADDRESSES)
        headers = {} if address is None else {"X-Real-IP": address}
        if draw(st.integers(0, 3) if posts else st.just(0)) or draw(st.booleans()):
            fields = draw(fuzzed_fields(posts, QUERY_KEYS))
            visitors.send(kind, "post", path, fields, headers)
        else:
            query = draw(fuzzed_fields(gets, QUERY_KEYS))
            visitors.send(kind, "get", f"{path}?{urlencode(query, doseq=True)}", None, headers)

    fuzz()


def test_no_request_to_any_page_is_a_server_error(world, capsys):
    visitors = Visitors(world)
    fields_by_route: dict = {}
    _baseline(world, visitors, fields_by_route)
    failures = []
    for route in ROUTES:
        # Every pattern is tried even when one fails, so a run lists all of them.
        try:
            _fuzz(route, world, visitors, fields_by_route)
        except Exception as error:
            failures.append(f"{route}: {type(error).__name__}: {error}")
    with capsys.disabled():
        print(
            f"\nfuzz: {visitors.requests} requests to {len(ROUTES)} URL patterns, "
            f"{len(failures)} failing; statuses {dict(sorted(visitors.statuses.items()))}"
        )
    assert not failures, "\n".join(failures)
