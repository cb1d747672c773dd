from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from complaints.services import complainant_data_purge, retention_cutoff
from ita_portal.thai import parse_thai_date


class Command(BaseCommand):
    help = (
        "Blank the complainant's identity and contact details of cases closed before the "
        "retention cut-off (COMPLAINT_RETENTION_YEARS), and record it on each case."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--before",
            help="cut-off date (YYYY-MM-DD, a BE year is accepted); default: "
            "today minus the retention period",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="count the cases, change nothing"
        )

    def handle(self, *args, before: str | None, dry_run: bool, **options) -> None:
        cutoff = self._cutoff(before)
        cases = complainant_data_purge(before=cutoff, dry_run=dry_run)
        # A count and a date only: never a name, a code or anything else of a case.
        when = timezone.localtime(cutoff).date().isoformat()
        if dry_run:
            self.stdout.write(
                f"Dry run: {len(cases)} case(s) closed before {when} would have their "
                "identity erased. Nothing was changed."
            )
        else:
            self.stdout.write(
                f"Erased the complainant's identity of {len(cases)} case(s) closed before {when}."
            )

    def _cutoff(self, before: str | None) -> dt.datetime:
        if not before:
            return retention_cutoff()
        try:
            day = parse_thai_date(before)
        except ValueError:
            day = None
        if day is None:
            raise CommandError(f"Not a date: {before!r} (write it as YYYY-MM-DD).")
        if day > timezone.localdate():
            raise CommandError("The cut-off cannot be in the future.")
        return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
