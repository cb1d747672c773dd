from __future__ import annotations

import io
import socket

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the shipped framework editions loaded."""
    with django_db_blocker.unblock():
        call_command("load_framework", stdout=io.StringIO())


@pytest.fixture(autouse=True)
def _thai(settings):
    # Tests read the interface as a Thai visitor sees it unless they switch.
    settings.LANGUAGE_CODE = "th"


@pytest.fixture
def edition(db):
    from assessments.models import Edition

    return Edition.objects.get(code="ita-2564-2565")


@pytest.fixture
def org(db):
    from tests.builders import make_org

    return make_org("office")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    # Uploads and stored PDFs go to a fresh folder per test, never the real MEDIA_ROOT.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _cache(settings):
    # Cached public pages must not leak from one test's database into the next.
    from django.core.cache import caches

    for alias in settings.CACHES:
        caches[alias].clear()
    yield
    for alias in settings.CACHES:
        caches[alias].clear()


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    # Complaint PINs and passwords are hashed with PBKDF2 in production; in tests
    # the cost would only slow the suite down.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _framework_after_flush(request):
    """Transactional tests end with a flush that empties every table, the framework
    editions included; the next one that needs them loads them again."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("transactional_db")
    from assessments.models import Edition

    if not Edition.objects.exists():
        call_command("load_framework", stdout=io.StringIO())


def _flushes(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    """After a test that ended with a flush, the framework is loaded again at once.

    With the suite spread over processes (pytest-xdist, a file at a time), a
    transactional test is no longer run after every other test of its
    process, so the next test may expect the framework the flush removed.
    """
    result = yield
    if nextitem is not None and _flushes(item):
        from pytest_django.plugin import blocking_manager_key

        from assessments.models import Edition

        with item.config.stash[blocking_manager_key].unblock():
            if not Edition.objects.exists():
                call_command("load_framework", stdout=io.StringIO())
    return result


@pytest.fixture
def two_editors(org):
    """Two editors of ``org``, each in a browser of their own."""
    from assessments.models import Role
    from tests.builders import logged_in, make_user

    return (
        logged_in(make_user("somchai", org, Role.EDITOR)),
        logged_in(make_user("malee", org, Role.EDITOR)),
    )


@pytest.fixture
def units(org):
    from assessments.models import Unit

    return (
        Unit.objects.create(organisation=org, name="กลุ่มอำนวยการ"),
        Unit.objects.create(organisation=org, name="กลุ่มกฎหมายและคดี"),
    )


@pytest.fixture
def limited(client, org, units):
    """The test client, signed in as an editor of the first unit only."""
    from assessments.models import Membership, Role
    from tests.builders import make_user

    user = make_user("unit-editor", org, Role.EDITOR)
    Membership.objects.get(user=user).units.set([units[0]])
    client.force_login(user)
    return client


@pytest.fixture
def refusing_smtp(settings) -> int:
    """Django's real SMTP backend, pointed at a local port nothing listens on: a mail
    server that refuses, for the tests of "a failing mail server never breaks a request"."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again when the block ends
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_TIMEOUT = 2
    return port
