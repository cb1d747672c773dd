from __future__ import annotations

import os

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
        call_command("load_framework", stdout=self.stdout)
        office = demo_load()
        demo_measures_load(office)
        # Last year's and the current year's measures, each planned from the year before.
        demo_planned_year_load(office, 2569)
        demo_planned_year_load(office, 2570)
        demo_disclosures(office)
        demo_surveys_load()
        password = os.environ.get("DEMO_PASSWORD") or (
            PASSWORD_FILE.read_text().strip() if PASSWORD_FILE.exists() else None
        )
        password, accounts = demo_users(password=password)
        # After the accounts: the demo cases are handled by the demo complaint officer.
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


def _queue_published_pdfs() -> int:
    """The worker `make run` starts makes the demo's published PDFs before anyone asks."""
    settings_rows = ReportSettings.objects.filter(published=True).select_related("organisation")
    for row in settings_rows:
        document_queue(organisation=row.organisation, fiscal_year=row.fiscal_year, kind=row.kind)
    return len(settings_rows)
