import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_production_settings_pass_check_deploy():
    env = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "x" * 20 + "-production-secret-key-with-enough-entropy-1234567890",
        "DJANGO_ALLOWED_HOSTS": "ita.example.go.th",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    env.update({"DJANGO_DEBUG": "false", "DJANGO_ALLOWED_HOSTS": "ita.example.go.th"})
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "x" * 20 + "-production-secret-key-with-enough-entropy-1234567890",
    "DJANGO_ALLOWED_HOSTS": "ita.example.go.th",
}


def _production_python(code: str, **extra: str) -> subprocess.CompletedProcess:
    env = {**os.environ, **PRODUCTION, "DJANGO_SETTINGS_MODULE": "ita_portal.settings", **extra}
    return subprocess.run(  # noqa: S603 - the test's own code, no outside input
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_reports_errors_to_admins_without_form_data():
    result = _production_python(
        "from django.conf import settings\n"
        "import logging\n"
        "print(settings.ADMINS)\n"
        "print(settings.DEFAULT_EXCEPTION_REPORTER_FILTER)\n"
        "print([type(h).__name__ for h in logging.getLogger('django').handlers])\n",
        DJANGO_ADMINS="Somchai Ops <ops@example.go.th>, duty@example.go.th",
    )
    assert result.returncode == 0, result.stderr
    admins, reporter_filter, handlers = result.stdout.splitlines()
    assert admins == "[('Somchai Ops', 'ops@example.go.th'), ('', 'duty@example.go.th')]"
    assert reporter_filter == "ita_portal.reporting.NoPostDataFilter"
    assert handlers == "['AdminEmailHandler']"


def test_sentry_starts_only_with_a_dsn_and_without_personal_data():
    code = (
        "import sentry_sdk\n"
        "client = sentry_sdk.get_client()\n"
        "print(client.is_active(), bool(client.options.get('send_default_pii')))\n"
    )
    without = _production_python(code)
    assert without.stdout.split() == ["False", "False"], without.stderr
    with_dsn = _production_python(code, SENTRY_DSN="https://public@sentry.invalid/1")
    assert with_dsn.stdout.split() == ["True", "False"], with_dsn.stderr


def test_production_lock_out_settings_come_from_the_environment():
    result = _production_python(
        "from django.conf import settings\n"
        "print(settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME.total_seconds())\n",
        AXES_FAILURE_LIMIT="3",
        AXES_COOLOFF_MINUTES="30",
    )
    assert result.stdout.split() == ["3", "1800.0"], result.stderr
