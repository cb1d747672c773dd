"""Replace a provisional edition with the real one: ``replace_edition <provisional> <real>``.

The same review and the same all-or-nothing move as the admin page
(``ita_portal.edition_replace``). Items whose code changed are mapped with
``--map OLD=NEW`` (``--map OLD=`` for no counterpart); ``--dry-run`` shows
the mapping and what would move, and changes nothing.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessments.edition_data import FrameworkError
from assessments.models import Edition
from ita_portal.edition_replace import ReplacementPlan, edition_replace, replacement_plan


def parse_maps(values: list[str]) -> dict[str, str | None]:
    targets: dict[str, str | None] = {}
    for value in values:
        old, sep, new = value.partition("=")
        if not sep or not old.strip():
            raise CommandError(f"--map {value!r}: write OLD=NEW, or OLD= for no counterpart")
        targets[old.strip()] = new.strip() or None
    return targets


class Command(BaseCommand):
    help = "Move results, measures and OIT pages from a provisional edition to the real one."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("provisional", help="code of the provisional edition")
        parser.add_argument("real", help="code of the real edition that replaces it")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="OLD=NEW",
            help="the real item a provisional item moves to (repeatable; OLD= for none)",
        )
        parser.add_argument("--dry-run", action="store_true", help="show the plan, change nothing")

    def handle(self, *args, **options) -> None:
        targets = parse_maps(options["map"])
        editions = {
            e.code: e
            for e in Edition.objects.filter(code__in=[options["provisional"], options["real"]])
        }
        for code in (options["provisional"], options["real"]):
            if code not in editions:
                raise CommandError(f"there is no edition {code}")
        plan = replacement_plan(
            provisional=editions[options["provisional"]],
            real=editions[options["real"]],
            item_targets=targets,
        )
        self._show(plan)
        if plan.problems:
            raise CommandError("cannot replace yet:\n" + "\n".join(plan.problems))
        if options["dry_run"]:
            self.stdout.write("dry run: nothing was changed")
            return
        try:
            summary = edition_replace(
                provisional_code=plan.provisional.code,
                real_code=plan.real.code,
                item_targets=plan.targets,
                fingerprint=plan.fingerprint,
            )
        except FrameworkError as exc:
            raise CommandError("\n".join(exc.errors)) from exc
        for line in summary.lines():
            self.stdout.write(self.style.SUCCESS(line))

    def _show(self, plan: ReplacementPlan) -> None:
        self.stdout.write(
            f"{plan.provisional.code} → {plan.real.code}: {plan.assessments} assessments"
        )
        for row in plan.items:
            target = row.target or "(no counterpart)"
            flag = "" if row.target == row.code else "  *"
            self.stdout.write(
                f"  {row.code} → {target} [{row.why or '-'}] "
                f"results {row.results}, pages {row.pages}{flag}"
            )
        for part in plan.parts:
            if part.target is None:
                self.stdout.write(f"  {part.kind} {part.key}: no counterpart (used {part.used})")
