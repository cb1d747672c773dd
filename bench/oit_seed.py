"""Seeding for ``bench/oit.py``: runs in a child process, Django set up on one
bench database (split from oit.py by subject)."""

# A benchmark's seeded generators are for repeatable data, not secrets.
# ruff: noqa: S311

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
import uuid
from contextlib import nullcontext
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

YEARS = range(2564, 2569)
ENTRIES_PER_ITEM = 3
DRAFT_SHARE = 0.08  # items still in draft: their pages are not public
DOCUMENT_SHARE = 0.25  # the rest of the entries are links
FOCUS_SLUG = "agency-0001"  # the one organisation of the small set, also in the large one
BENCH_FILE = "disclosure-entries/bench.pdf"
EXPLANATION = (
    "<p>หน่วยงานเผยแพร่ข้อมูลตามที่ข้อนี้กำหนด โดยรวบรวมเอกสารและลิงก์ที่เกี่ยวข้อง"
    "ไว้ในหน้านี้ เพื่อให้ประชาชนและผู้ตรวจประเมินเข้าถึงได้</p>"
)


# --- Seeding: runs in a child process, Django set up on one bench database ---


def _copy(cursor, model, fields: list[str], rows) -> int:
    """COPY rows (tuples in ``fields`` order) into the model's table."""
    from django.db import connection

    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    count = 0
    with cursor.copy(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def seed(*, orgs: int, media_root: Path) -> dict:
    """Organisations, units, disclosures and entries; COPY for the two large tables."""
    from django.core.management.color import no_style
    from django.db import connection, transaction

    from assessments.framework import edition_for_year
    from assessments.models import Item, Organisation, OrganisationKind, Unit
    from disclosures.models import Disclosure, DisclosureStatus, Entry, EntryKind

    (media_root / BENCH_FILE).parent.mkdir(parents=True, exist_ok=True)
    (media_root / BENCH_FILE).write_bytes(b"%PDF-1.4\n% bench\n%%EOF\n")
    items = {
        year: list(Item.objects.filter(edition=edition_for_year(year)).order_by("number"))
        for year in YEARS
    }
    assert all(items.values()), items.keys()  # every year has a shipped edition
    kinds = [OrganisationKind.PRIMARY_ESA, OrganisationKind.SECONDARY_ESA, OrganisationKind.SCHOOL]
    organisations = Organisation.objects.bulk_create(
        Organisation(
            slug=f"agency-{n:04d}",
            name_th=f"สำนักงานเขตพื้นที่การศึกษาทดสอบ เขต {n}",
            kind=kinds[n % len(kinds)],
            affiliation="สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน\nกระทรวงศึกษาธิการ",
        )
        for n in range(1, orgs + 1)
    )
    units = Unit.objects.bulk_create(
        Unit(organisation=org, name=name, order=order)
        for org in organisations
        for order, name in enumerate(("กลุ่มอำนวยการ", "กลุ่มบริหารงานการเงิน", "กลุ่มนโยบายและแผน"))
    )
    units_of: dict[int, list[int]] = {}
    for unit in units:
        units_of.setdefault(unit.organisation_id, []).append(unit.pk)

    now = dt.datetime.now(dt.UTC)
    # Written in random order, as years of edits by many offices leave them: an
    # organisation's rows are spread over the table, not side by side.
    keys = [(index, year, item) for index in range(orgs) for year in YEARS for item in items[year]]
    random.Random(7).shuffle(keys)
    made: list[tuple] = []  # (disclosure id, seed, slug, year, item, published on)

    def disclosures():
        for disclosure_id, (index, year, item) in enumerate(keys, start=1):
            org = organisations[index]
            # Seeded by organisation, year and item: agency-0001 is the same in both sets.
            seed = (index * 10_000 + year) * 100 + item.number
            rng = random.Random(seed)
            published = rng.random() >= DRAFT_SHARE
            start = dt.datetime(year - 544, 10, 1, 2, tzinfo=dt.UTC)  # 1 October, Bangkok
            first = start + dt.timedelta(days=rng.randrange(300), minutes=rng.randrange(600))
            updated = first + dt.timedelta(days=rng.randrange(60))
            made.append((disclosure_id, seed, org.slug, year, item, first))
            yield (
                disclosure_id,
                org.pk,
                year,
                item.pk,
                rng.choice(units_of[org.pk]) if rng.random() < 0.8 else None,
                EXPLANATION if rng.random() < 0.3 else "",
                DisclosureStatus.PUBLISHED if published else DisclosureStatus.DRAFT,
                False,
                first if published else None,
                updated,
                first,
                updated,
            )

    def entries():
        entry_id = 0
        # One pass per position, each in its own order: an item's entries were
        # added at different times, so they are not side by side either.
        for order in range(1, ENTRIES_PER_ITEM + 1):
            shuffled = made.copy()
            random.Random(order).shuffle(shuffled)
            for disclosure_id, seed, slug, year, item, first in shuffled:
                entry_id += 1
                rng = random.Random(10**12 + seed * 10 + order)
                document = rng.random() < DOCUMENT_SHARE
                yield (
                    entry_id,
                    disclosure_id,
                    uuid.UUID(int=rng.getrandbits(128), version=4),
                    order,
                    EntryKind.DOCUMENT if document else EntryKind.LINK,
                    f"{item.title_th[:120]} ปีงบประมาณ พ.ศ. {year} (ฉบับที่ {order})",
                    (first - dt.timedelta(days=rng.randrange(30))).date(),
                    BENCH_FILE if document else "",
                    "pdf" if document else "",
                    rng.randrange(40_000, 3_000_000) if document else 0,
                    ""
                    if document
                    else f"https://www.{slug}.example.go.th/oit/{year}/{item.code.lower()}-{order}.html",
                    now,
                    None,
                    False,  # signed
                    "",  # link_error (never checked)
                )

    with transaction.atomic(), connection.cursor() as cursor:
        n_disclosures = _copy(
            cursor,
            Disclosure,
            [
                "id",
                "organisation",
                "fiscal_year",
                "item",
                "unit",
                "explanation",
                "status",
                "to_review",
                "first_published_at",
                "content_updated_at",
                "created_at",
                "updated_at",
            ],
            disclosures(),
        )
        n_entries = _copy(
            cursor,
            Entry,
            [
                "id",
                "disclosure",
                "key",
                "order",
                "kind",
                "title",
                "date",
                "file",
                "file_type",
                "size",
                "url",
                "created_at",
                "created_by",
                "signed",
                "link_error",
            ],
            entries(),
        )
        for sql in connection.ops.sequence_reset_sql(no_style(), [Disclosure, Entry]):
            cursor.execute(sql)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # what autovacuum would have done by the time it matters
    return {"organisations": len(organisations), "disclosures": n_disclosures, "entries": n_entries}


def sample_paths(*, index_paths: int, item_paths: int) -> dict[str, list[str]]:
    """Index pages of random organisations and years; random published item pages."""
    from assessments.models import Organisation
    from disclosures.models import Disclosure, DisclosureStatus

    rng = random.Random(42)
    slugs = list(Organisation.objects.values_list("slug", flat=True))
    pairs = [(slug, year) for slug in slugs for year in YEARS]
    index = [
        f"/{slug}/oit/{year}/" for slug, year in rng.sample(pairs, min(index_paths, len(pairs)))
    ]
    published = (
        Disclosure.objects.filter(status=DisclosureStatus.PUBLISHED)
        .order_by("?")
        .values_list("organisation__slug", "fiscal_year", "item__code")[:item_paths]
    )
    items = [f"/{slug}/oit/{year}/{code}/" for slug, year, code in published]
    return {"index": index, "item": items}


def diagnose(*, explain: bool) -> dict:
    """Queries of each page, rendered (cache empty) and from the page cache.

    For each: how many queries, and the database's own time for them
    (EXPLAIN ANALYZE of each captured query).
    """
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    client = Client()
    out = {}
    pages = {
        "index": f"/{FOCUS_SLUG}/oit/2565/",
        "item": f"/{FOCUS_SLUG}/oit/2565/O1/",
        "item O42 (generated)": f"/{FOCUS_SLUG}/oit/2565/O42/",
    }
    # Rendered: with no cache at all, so a shared cache (redis) is never cleared.
    from django.conf import settings

    dummy = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    no_cache = {alias: dummy for alias in settings.CACHES}
    for name, url in pages.items():
        client.get(url)
        for state in ("rendered", "cached"):
            with (
                override_settings(CACHES=no_cache) if state == "rendered" else nullcontext(),
                CaptureQueriesContext(connection) as queries,
            ):
                response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            timings = []
            with connection.cursor() as cursor:
                for query in queries.captured_queries:
                    cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {query['sql']}")
                    plan = cursor.fetchone()[0][0]
                    timings.append(plan["Execution Time"])
                    if explain and state == "rendered":
                        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {query['sql']}")
                        text = "\n".join(row[0] for row in cursor.fetchall())
                        print(f"--- {name}: {query['sql']}\n{text}\n", file=sys.stderr)
            out[f"{name}, {state}"] = {
                "queries": len(timings),
                "sql_ms": round(sum(timings), 3),
                "slowest_ms": round(max(timings, default=0), 3),
                "bytes": len(response.content),
            }
    return out


def seed_main(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from assessments.models import Organisation
    from disclosures.models import Disclosure, Entry

    result: dict = {}
    started = time.perf_counter()
    call_command("migrate", verbosity=0)  # a kept database may predate newer migrations
    if not args.reuse:
        call_command("load_framework", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
        result["schema_s"] = round(time.perf_counter() - started, 1)
        started = time.perf_counter()
        seed(orgs=args.orgs, media_root=Path(os.environ["DJANGO_MEDIA_ROOT"]))
        result["seed_s"] = round(time.perf_counter() - started, 1)
    result["counts"] = {
        "organisations": Organisation.objects.count(),
        "disclosures": Disclosure.objects.count(),
        "entries": Entry.objects.count(),
    }
    result["paths"] = sample_paths(index_paths=500, item_paths=1000)
    result["diagnosis"] = diagnose(explain=args.explain)
    print("RESULT " + json.dumps(result, ensure_ascii=False))
