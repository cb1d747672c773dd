from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from assessments.demo import demo_load, demo_users
from assessments.surveys.demo import demo_surveys_load
from complaints.demo import demo_complaints_load
from disclosures.demo import demo_disclosures
from measures.demo import demo_measures_load, demo_planned_year_load
from measures.models import ReportSettings
from measures.pdf_store import document_queue

PASSWORD_FILE = settings.BASE_DIR / ".demo-password"


class Command(BaseCommand):
    help = "Load the framework editions and the demo agencies, create demo accounts, print how to log in."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--address",
            default="127.0.0.1:8000",
            help="where the server will listen, for the printed addresses (make run passes it)",
        )

    def handle(self, *args, **options) -> None:
        base = f"http://{options['address']}"
        step = _Steps(self.stdout, total=8)
        with step("the framework editions (2564–2570)"):
            call_command("load_framework", stdout=StringIO())
        with step("the demo agencies and their official results"):
            office = demo_load()
        with step("measures, follow-ups and reports"):
            demo_measures_load(office)
        # Last year's and the current year's measures, each planned from the year before.
        with step("measures of 2569 and 2570"):
            demo_planned_year_load(office, 2569)
            demo_planned_year_load(office, 2570)
        with step("OIT items, entries and the self-assessment"):
            demo_disclosures(office)
        with step("survey rounds and their answers"):
            demo_surveys_load()
        password = os.environ.get("DEMO_PASSWORD") or (
            PASSWORD_FILE.read_text().strip() if PASSWORD_FILE.exists() else None
        )
        with step("demo accounts"):
            password, accounts = demo_users(password=password)
        # After the accounts: the demo cases are handled by the demo complaint officer.
        with step("complaints, and the published PDFs queued for the worker"):
            demo_complaints_load(office)
            queued = _queue_published_pdfs()
        if not PASSWORD_FILE.exists():
            PASSWORD_FILE.write_text(password + "\n")
            PASSWORD_FILE.chmod(0o600)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo ready: {base}/"))
        self.stdout.write(f"Staff login: {base}/staff/login/")
        # The Django admin refuses everyone but superusers; of the demo accounts, only admin.
        self.stdout.write(f"Django admin (site operators only, user admin): {base}/admin/")
        for username, role in accounts:
            self.stdout.write(f"  user {username:<7} password {password}   ({role})")
        self.stdout.write(
            f"The password is kept in {PASSWORD_FILE.name}; change it after logging in."
        )
        if queued:
            self.stdout.write(
                f"{queued} published PDF(s) queued: the background worker makes them in the "
                "first minutes (until then their addresses say they are being prepared)."
            )


class _Steps:
    """Prints each step as it starts and how long it took: `make run` on a fresh
    machine spends a minute or two here, which should not look like a hang."""

    def __init__(self, out, *, total: int) -> None:
        self.out, self.total, self.done = out, total, 0

    @contextmanager
    def __call__(self, label: str) -> Iterator[None]:
        self.done += 1
        self.out.write(f"   [{self.done}/{self.total}] {label} ...", ending="")
        self.out.flush()
        started = time.monotonic()
        yield
        self.out.write(f" {time.monotonic() - started:.1f} s")


def _queue_published_pdfs() -> int:
    """The worker `make run` starts makes the demo's published PDFs before anyone asks."""
    settings_rows = ReportSettings.objects.filter(published=True).select_related("organisation")
    for row in settings_rows:
        document_queue(organisation=row.organisation, fiscal_year=row.fiscal_year, kind=row.kind)
    return len(settings_rows)
