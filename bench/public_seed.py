"""Seeding for ``bench/public.py``: runs in a child process, Django set up on one
bench database.

One organisation is made by the project's own demo code (``setup_demo``'s
steps: results of several years, OIT items with entries, measures and
follow-ups, announcements, reports, complaints, survey rounds with their
question banks), plus a published self-assessment summary and the annual
report's PDF made once. For 1,000 organisations that office is then copied
999 times inside PostgreSQL (``INSERT … SELECT`` over ``generate_series``),
every row the office owns (what deleting it would delete), with ids shifted
and unique values suffixed: a few seconds instead of an hour of demo code.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SLUG = "demo"
YEAR = 2569  # the demo's last complete year: results, OIT items, reports, complaints
SURVEY_YEAR = 2570  # the demo's open survey rounds
REPORT_YEAR = 2565  # the demo's published annual measures report
ID_STEP = 1_000_000  # clone k's ids are the office's + k × ID_STEP (ids stay under 2**31)
MARKER = "bench_public_seeded"


def _demo() -> None:
    """What ``manage.py setup_demo`` does, without printing the accounts."""
    from django.core.management import call_command

    from assessments.demo import demo_load, demo_users
    from assessments.surveys.demo import demo_surveys_load
    from complaints.demo import demo_complaints_load
    from disclosures.demo import demo_disclosures
    from measures.demo import demo_measures_load, demo_planned_year_load

    call_command("load_framework", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    office = demo_load()
    demo_measures_load(office)
    demo_planned_year_load(office, 2569)
    demo_planned_year_load(office, 2570)
    demo_disclosures(office)
    demo_surveys_load()
    demo_users(password="bench-public-not-a-secret-1")  # noqa: S106 - a throw-away database
    demo_complaints_load(office)


def _publish() -> None:
    """The year's self-assessment summary and the report's announcement, published."""
    from django.contrib.auth import get_user_model

    from assessments.models import Organisation
    from disclosures.review.services import submission_submit, summary_publish
    from measures.models import DocumentKind
    from measures.services import report_publish

    office = Organisation.objects.get(slug=SLUG)
    user = get_user_model().objects.filter(is_superuser=True).first()
    submission = submission_submit(organisation=office, fiscal_year=YEAR, user=user)
    summary_publish(submission=submission, published=True, user=user)
    report_publish(
        organisation=office,
        fiscal_year=REPORT_YEAR,
        user=user,
        published=True,
        kind=DocumentKind.ANNOUNCEMENT,
    )


def _one_organisation() -> None:
    """The demo's school goes: the small set is exactly one organisation."""
    from assessments.models import Organisation

    Organisation.objects.filter(parent__slug=SLUG).delete()


def _owned_rows() -> dict:
    """Every row the office owns, by model: what deleting it would delete."""
    from django.apps import apps
    from django.db import router
    from django.db.models.deletion import CASCADE, PROTECT, Collector

    from assessments.models import Organisation

    office = Organisation.objects.get(slug=SLUG)
    collector = Collector(using=router.db_for_write(Organisation))
    # Complaints (and the like) protect their organisation; here they are the office's own.
    protecting = [
        field
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if field.is_relation and field.remote_field.on_delete is PROTECT
    ]
    for field in protecting:
        field.remote_field.on_delete = CASCADE
    try:
        collector.collect([office])
    finally:
        for field in protecting:
            field.remote_field.on_delete = PROTECT
    owned: dict = {}
    for model, instances in collector.data.items():
        owned.setdefault(model, set()).update(obj.pk for obj in instances)
    for qs in collector.fast_deletes:
        owned.setdefault(qs.model, set()).update(qs.values_list("pk", flat=True))
    return {model: sorted(pks) for model, pks in owned.items() if pks}


def _ordered(models: list) -> list:
    """Models in an order where each comes after the owned models it points to."""
    done: list = []
    pending = list(models)
    while pending:
        for model in pending:
            targets = {
                f.related_model
                for f in model._meta.concrete_fields
                if f.is_relation and f.related_model in models and f.related_model is not model
            }
            if targets <= set(done):
                done.append(model)
                pending.remove(model)
                break
        else:
            raise SystemExit(f"cannot order {pending}")
    return done


def _shifted(column: str, uuid: bool, k: str) -> str:
    """Clone ``k``'s id: an integer moved by k × ID_STEP; a UUID's last digits made k's
    and its version digit 0, so no copy can equal an original (random UUIDs are
    version 4, and one ending in 00001–00999 is not rare among hundreds)."""
    from django.db import connection

    if not uuid:
        return f"{column} + {k} * {ID_STEP}"  # NULL stays NULL
    if connection.vendor == "postgresql":
        return (
            f"overlay(overlay({column}::text placing '0' from 15)"
            f" placing lpad({k}::text, 5, '0') from 32)::uuid"
        )
    # SQLite: 32 hex digits, the version digit the 13th.
    return f"substr({column}, 1, 12) || '0' || substr({column}, 14, 14) || printf('%05d', {k})"


def _column(field, owned_models: set, k: str) -> str:
    """The SQL giving clone ``k``'s value of a column: ids shifted, unique values suffixed."""
    from django.db import connection, models

    column = connection.ops.quote_name(field.column)
    if field.primary_key:
        return _shifted(column, isinstance(field, models.UUIDField), k)
    if field.is_relation and field.related_model in owned_models:
        return _shifted(column, isinstance(field.target_field, models.UUIDField), k)
    if field.unique:
        if isinstance(field, models.UUIDField):
            return _shifted(column, True, k)
        if isinstance(field, models.CharField):
            keep = (field.max_length or 200) - 6
            if connection.vendor == "postgresql":
                return f"left({column}, {keep}) || '-' || lpad({k}::text, 5, '0')"
            return f"substr({column}, 1, {keep}) || '-' || printf('%05d', {k})"
        raise SystemExit(f"unique field {field} of unknown kind")
    return column


def clone(copies: int) -> dict:
    """Copy the office (and everything it owns) ``copies`` times, in the database."""
    from django.core.management.color import no_style
    from django.db import connection, transaction

    owned = _owned_rows()
    models = _ordered(list(owned))
    owned_models = set(models)
    quote = connection.ops.quote_name
    counts = {}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE bench_copies (k integer)")
        cursor.executemany(
            "INSERT INTO bench_copies VALUES (%s)", [(k,) for k in range(1, copies + 1)]
        )
        for model in models:
            pks = owned[model]
            if isinstance(pks[0], int) and max(pks) >= ID_STEP:
                raise SystemExit(f"{model.__name__} ids reach {ID_STEP}")
            fields = model._meta.concrete_fields
            table = quote(model._meta.db_table)
            columns = ", ".join(quote(f.column) for f in fields)
            values = ", ".join(_column(f, owned_models, "bench_copies.k") for f in fields)
            pk = quote(model._meta.pk.column)
            ids = ", ".join(
                str(int(v))
                if isinstance(v, int)
                else f"'{model._meta.pk.get_db_prep_value(v, connection)}'"
                for v in pks
            )
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT {values} "  # noqa: S608 - names and ints
                f"FROM {table} CROSS JOIN bench_copies WHERE {table}.{pk} IN ({ids})"
            )
            counts[model._meta.label] = cursor.rowcount
        cursor.execute("DROP TABLE bench_copies")
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)
    return counts


def _clone_stored_pdfs(copies: int) -> int:
    """The copies' report PDFs are the office's file under their own keys: a copy's
    content version is the office's, so the stored file is current for it too."""
    from assessments.models import Organisation
    from ita_portal.models import StoredPdf

    office = Organisation.objects.get(slug=SLUG)
    prefix = f"document:{office.pk}:"
    rows = [
        StoredPdf(
            key=f"document:{office.pk + k * ID_STEP}:" + stored.key.removeprefix(prefix),
            version=stored.version,
            file=stored.file.name,
            rendered_at=stored.rendered_at,
        )
        for stored in StoredPdf.objects.filter(key__startswith=prefix).exclude(file="")
        for k in range(1, copies + 1)
    ]
    return len(StoredPdf.objects.bulk_create(rows, batch_size=2000))


def _render_pdf() -> dict:
    """Have the annual report's PDF made and stored before it is measured: ask for it
    (which queues it), run the background worker until the queue is empty, ask again."""
    from django.core.management import call_command
    from django.test import Client

    address = f"/{SLUG}/reports/{REPORT_YEAR}.pdf"
    started = time.perf_counter()
    first = Client().get(address)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    response = Client().get(address)
    body = b"".join(response) if response.streaming else response.content
    return {
        "first": f"{first.status_code} {first['Content-Type']}",
        "status": response.status_code,
        "type": response["Content-Type"],
        "bytes": len(body),
        "seconds": round(time.perf_counter() - started, 1),
    }


def bench_paths() -> dict[str, list[str]]:
    """Every page kind's addresses, one per organisation (or round), in a fixed order."""
    from assessments.framework import edition_for_year
    from assessments.models import Item, ItemRole, Organisation, SurveyRound

    slugs = list(Organisation.objects.order_by("pk").values_list("slug", flat=True))
    generated = Item.objects.get(edition=edition_for_year(YEAR), role=ItemRole.MEASURES).code
    rounds = SurveyRound.objects.filter(
        fiscal_year=SURVEY_YEAR, instrument_code="EIT", uses_codes=False
    ).order_by("pk")
    per_org = {
        "agency home": "/{s}/",
        "year result": f"/{{s}}/ita/{YEAR}/",
        "OIT index": f"/{{s}}/oit/{YEAR}/",
        "OIT item": f"/{{s}}/oit/{YEAR}/O1/",
        f"generated item ({generated})": f"/{{s}}/oit/{YEAR}/{generated}/",
        "complaint statistics": f"/{{s}}/complaints/statistics/{YEAR}/",
        "annual report": f"/{{s}}/reports/{REPORT_YEAR}/",
        "announcement": f"/{{s}}/reports/{REPORT_YEAR}/announcement/",
        "open data JSON": f"/{{s}}/oit/{YEAR}.json",
        "self-assessment summary": f"/{{s}}/oit/{YEAR}/self-assessment/",
    }
    paths = {"organisation list": ["/"]}
    paths |= {page: [pattern.format(s=slug) for slug in slugs] for page, pattern in per_org.items()}
    paths["survey form"] = [f"/s/{code}/" for code in rounds.values_list("code", flat=True)]
    # Made once by the seeding (the office's), shared by its copies (_clone_stored_pdfs).
    paths["report PDF (stored)"] = [f"/{s}/reports/{REPORT_YEAR}.pdf" for s in slugs]
    return paths


def _seeded() -> int | None:
    from django.db import connection

    if MARKER not in connection.introspection.table_names():
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT orgs FROM {MARKER}")  # noqa: S608 - a constant
        return cursor.fetchone()[0]


def seed_main(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from assessments.models import Organisation

    result: dict = {}
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    marker = _seeded()
    if marker != args.orgs:
        if marker is None:  # an empty database (otherwise a copy of the 1-organisation set)
            _demo()
            _publish()
            _one_organisation()
            result["demo_s"] = round(time.perf_counter() - started, 1)
            result["pdf"] = _render_pdf()
        if args.orgs > 1:
            started = time.perf_counter()
            result["cloned"] = clone(args.orgs - 1)
            result["stored_pdfs_copied"] = _clone_stored_pdfs(args.orgs - 1)
            result["clone_s"] = round(time.perf_counter() - started, 1)
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {MARKER}")
            cursor.execute(f"CREATE TABLE {MARKER} (orgs integer)")
            cursor.execute(f"INSERT INTO {MARKER} VALUES (%s)", [args.orgs])  # noqa: S608
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    else:
        result["reused"] = True
    result["organisations"] = Organisation.objects.count()
    result["paths"] = bench_paths()
    print("RESULT " + json.dumps(result, ensure_ascii=False))
