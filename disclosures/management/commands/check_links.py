"""Check every external link of the OIT pages and record the answer (cron-safe)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from assessments.models import Organisation
from disclosures.selfcheck.links import link_entries, links_check


class Command(BaseCommand):
    help = (
        "Check the external links of OIT items (HEAD, then GET; redirects followed; no body "
        "downloaded) and record each answer for the pre-check."
    )

    def add_arguments(self, parser):
        parser.add_argument("--org", help="only this organisation (slug)")
        parser.add_argument("--year", type=int, help="only this fiscal year (BE)")
        parser.add_argument("--timeout", type=float, default=5, help="seconds per request")

    def handle(self, *args, org=None, year=None, timeout=5, **options):
        if org and not Organisation.objects.filter(slug=org).exists():
            raise CommandError(f"no organisation {org!r}")
        if timeout <= 0:
            raise CommandError("--timeout must be positive")
        results = links_check(
            entries=link_entries(organisation_slug=org, year=year), timeout=timeout
        )
        broken = 0
        for entry, result in results:
            if result.ok:
                continue
            broken += 1
            d = entry.disclosure
            answer = result.error or f"HTTP {result.status}"
            self.stdout.write(
                f"{d.organisation.slug} {d.fiscal_year} {d.item.code} {entry.url}: {answer}"
            )
        self.stdout.write(f"{len(results)} links checked, {broken} broken")
