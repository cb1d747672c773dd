"""Import survey responses (paper, Google Forms) into an organisation's round."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from assessments.framework import edition_for
from assessments.models import Organisation, SurveyRound
from assessments.surveys.bank import survey_bank
from assessments.surveys.imports import responses_check, responses_file_import
from assessments.surveys.services import SurveyError, round_create
from ita_portal.thai import fiscal_year_end, fiscal_year_start


class Command(BaseCommand):
    help = (
        "Import survey responses from a CSV or XLSX file: one row per respondent, one "
        "column per sub-item code (I1.1, I2 …), values as the choice labels or their "
        "numbers 0/33/67/100 (the choice ticked, also for reverse-scored items). Other "
        "columns are ignored. All rows or none. Creates the year's round when there is none."
    )

    def add_arguments(self, parser):
        parser.add_argument("org", help="organisation slug")
        parser.add_argument("year", type=int, help="fiscal year (BE)")
        parser.add_argument("instrument", help="IIT or EIT")
        parser.add_argument("file", help="a .csv or .xlsx file")
        parser.add_argument("--dry-run", action="store_true", help="check only; store nothing")

    def handle(self, *args, org, year, instrument, file, dry_run=False, **options):
        organisation = Organisation.objects.filter(slug=org).first()
        if organisation is None:
            raise CommandError(f"no organisation {org!r}")
        instrument = instrument.upper()
        path = Path(file)
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror}") from exc
        survey_round = SurveyRound.objects.filter(
            organisation=organisation, fiscal_year=year, instrument_code=instrument
        ).first()
        today = timezone.localdate()
        bank = survey_bank(edition_for(organisation, year), instrument)
        if not bank:
            raise CommandError(f"the framework of {year} has no {instrument} questions")
        # Check before a round is created: a refused file leaves nothing behind.
        checked = responses_check(bank=bank, content=content, file_name=path.name)
        if not checked.ok:
            for error in checked.errors:
                self.stderr.write(error)
            raise CommandError(f"{len(checked.errors)} problem(s); nothing was stored")
        if checked.ignored_columns:
            self.stdout.write(f"ignored columns: {', '.join(checked.ignored_columns)}")
        if dry_run:
            where = "its round" if survey_round else "a new round"
            self.stdout.write(f"dry run: {len(checked.rows)} responses would be stored in {where}")
            return
        if survey_round is None:
            try:
                survey_round = round_create(
                    organisation=organisation,
                    fiscal_year=year,
                    instrument_code=instrument,
                    opens_on=fiscal_year_start(year),
                    closes_on=fiscal_year_end(year),
                )
            except SurveyError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(
                f"created the {instrument} round of {year} (public code {survey_round.code})"
            )
        report = responses_file_import(
            survey_round=survey_round,
            content=content,
            file_name=path.name,
            today=today,
            bank=bank,
        )
        if not report.ok:  # the file cannot change between the two reads, but be sure
            for error in report.errors:
                self.stderr.write(error)
            raise CommandError("nothing was stored")
        total = survey_round.responses.count()
        self.stdout.write(
            f"stored {report.stored} responses in {organisation.slug} {instrument} {year} "
            f"({total} in the round)"
        )
