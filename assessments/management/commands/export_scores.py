from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.imports import scores_export
from assessments.models import Organisation


class Command(BaseCommand):
    help = (
        "Export indicator scores (or, with --instruments, instrument scores) in the import "
        "format (CSV or XLSX by the file's suffix)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "-o", "--output", type=Path, help="file to write; default: CSV to standard output"
        )
        parser.add_argument(
            "--instruments",
            action="store_true",
            help="export the instrument scores entered for years without indicator scores",
        )
        parser.add_argument(
            "--organisation", action="append", default=[], help="organisation slug (repeatable)"
        )

    def handle(
        self,
        *args,
        output: Path | None,
        organisation: list[str],
        instruments: bool = False,
        **options,
    ) -> None:
        organisations = None
        if organisation:
            organisations = Organisation.objects.filter(slug__in=organisation)
            missing = set(organisation) - set(organisations.values_list("slug", flat=True))
            if missing:
                raise CommandError(f"unknown organisation: {', '.join(sorted(missing))}")
        fmt = "xlsx" if output and output.suffix.lower() == ".xlsx" else "csv"
        kind = "instrument" if instruments else "indicator"
        content = scores_export(organisations=organisations, fmt=fmt, kind=kind)
        if output is None:
            sys.stdout.write(content)
        elif isinstance(content, bytes):
            output.write_bytes(content)
        else:
            output.write_text(content, encoding="utf-8-sig")
