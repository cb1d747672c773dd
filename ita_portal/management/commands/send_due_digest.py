"""Send the weekly e-mail of what is due (cron: once a week; a rerun the same week sends nothing)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from ita_portal.digest import digest_send


class Command(BaseCommand):
    help = "Send each staff user the weekly e-mail of the work due and overdue in their agencies."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Print the e-mails instead of sending them."
        )

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        outcome = digest_send(dry_run=dry_run)
        for preview in outcome.previews:
            self.stdout.write(preview)
        self.stdout.write(
            f"sent: {len(outcome.sent)}, nothing due: {outcome.nothing_due}, "
            f"failed: {len(outcome.failed)}"
            + (f" (user ids {', '.join(map(str, outcome.failed))})" if outcome.failed else "")
            + (f", dry run: {len(outcome.previews)} not sent" if dry_run else "")
        )
