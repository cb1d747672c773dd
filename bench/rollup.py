"""Benchmark: an ESA's roll-up of its schools, 300 schools against one.

Seeds a throw-away SQLite database (or DATABASE_URL) with an ESA that has
300 schools, each with the 2569 edition's 26 items published with 3 entries
(a document-like link, a link, a dated link), a submission for two thirds
of them (every other one confirmed, with a verdict per item) and a last
official result; and an ESA with one such school. Then times, in the same
run and interleaved, the roll-up page and the consolidated XLSX of both,
printing medians, the ratios and the SQL query counts. Nothing asserts a
time: the suite pins the query count instead.

    .venv/bin/python bench/rollup.py [--runs 10] [--schools 300]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
YEAR = 2569
ENTRIES = 3


def seed_esa(slug: str, schools: int, items, user_model) -> object:
    from django.utils import timezone

    from assessments.models import Membership, Organisation, OrganisationKind, Role
    from disclosures.models import (
        Disclosure,
        DisclosureStatus,
        Entry,
        EntryKind,
        ItemReview,
        Submission,
        SubmissionStatus,
        Verdict,
    )
    from tests.builders import make_assessment

    now = timezone.now()
    esa = Organisation.objects.create(
        slug=slug, name_th=f"สำนักงานเขตพื้นที่ {slug}", kind=OrganisationKind.PRIMARY_ESA
    )
    children = Organisation.objects.bulk_create(
        Organisation(
            slug=f"{slug}-s{n:03d}",
            name_th=f"โรงเรียนบ้าน {slug} {n:03d}",
            kind=OrganisationKind.SCHOOL,
            parent=esa,
        )
        for n in range(schools)
    )
    disclosures = Disclosure.objects.bulk_create(
        Disclosure(
            organisation=child,
            fiscal_year=YEAR,
            item=item,
            explanation="คำอธิบาย",
            status=DisclosureStatus.PUBLISHED,
            first_published_at=now,
            content_updated_at=now,
        )
        for child in children
        for item in items
    )
    Entry.objects.bulk_create(
        Entry(
            disclosure=disclosure,
            order=n,
            kind=EntryKind.LINK,
            title=f"หลักฐาน {disclosure.item.code} ชิ้นที่ {n + 1}",
            url=f"https://school.example.go.th/{disclosure.organisation_id}/{disclosure.item.code}/{n}",
            date=dt.date(2026, 1, 10 + n),  # inside fiscal year 2569
        )
        for disclosure in disclosures
        for n in range(ENTRIES)
    )
    for n, child in enumerate(children):
        make_assessment(child, YEAR - 1, official_total=f"{80 + n % 20}.00")
        if n % 3 == 2:
            continue  # a third have not submitted
        confirmed = n % 2 == 0
        submission = Submission.objects.create(
            organisation=child,
            fiscal_year=YEAR,
            submitted_at=now,
            status=SubmissionStatus.CONFIRMED if confirmed else SubmissionStatus.IN_REVIEW,
        )
        ItemReview.objects.bulk_create(
            ItemReview(
                submission=submission,
                item=item,
                verdict=Verdict.FAIL if i % 5 == 0 else Verdict.PASS,
                comment="ครบถ้วน" if i % 5 else "ขาดรายงานรอบ 6 เดือน",
                improvement="" if i % 5 else "เผยแพร่รายงานให้ครบ",
            )
            for i, item in enumerate(items)
        )
    viewer = user_model.objects.create_user(username=f"viewer-{slug}")
    Membership.objects.create(user=viewer, organisation=esa, role=Role.VIEWER)
    return esa, viewer


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--schools", type=int, default=300)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="ita-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_portal.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from assessments.framework import edition_for_year

    call_command("migrate", verbosity=0)
    call_command("load_framework", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    edition = edition_for_year(YEAR)
    items = list(edition.items.select_related("sub_indicator").order_by("number"))
    started = time.perf_counter()
    big, big_user = seed_esa("big", args.schools, items, get_user_model())
    small, small_user = seed_esa("small", 1, items, get_user_model())
    print(
        f"seeded {args.schools} + 1 schools × {len(items)} items × {ENTRIES} entries "
        f"in {time.perf_counter() - started:.1f} s"
    )

    clients = {}
    for name, user in (("big", big_user), ("small", small_user)):
        clients[name] = Client()
        clients[name].force_login(user)
    urls = {
        ("page", "small"): reverse("disclosures_staff:rollup", args=[small.slug, YEAR]),
        ("page", "big"): reverse("disclosures_staff:rollup", args=[big.slug, YEAR]),
        ("xlsx", "small"): reverse("disclosures_staff:rollup-xlsx", args=[small.slug, YEAR]),
        ("xlsx", "big"): reverse("disclosures_staff:rollup-xlsx", args=[big.slug, YEAR]),
    }
    samples: dict[tuple[str, str], list[float]] = {key: [] for key in urls}
    queries: dict[tuple[str, str], int] = {}
    for key, url in urls.items():  # warm up, and count the queries once
        client = clients[key[1]]
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, url
        queries[key] = len(captured)
    for _ in range(args.runs):  # interleaved, so drift hits both sides alike
        for key, url in urls.items():
            start = time.perf_counter()
            clients[key[1]].get(url)
            samples[key].append(time.perf_counter() - start)

    print(f"database: {connection.vendor}; runs each: {args.runs}")
    for what in ("page", "xlsx"):
        small_t = statistics.median(samples[what, "small"])
        big_t = statistics.median(samples[what, "big"])
        label = "roll-up page (50 a page)" if what == "page" else "consolidated XLSX"
        print(f"{label}, 1 school   : {small_t * 1000:8.1f} ms, {queries[what, 'small']} queries")
        print(
            f"{label}, {args.schools} schools: {big_t * 1000:8.1f} ms, {queries[what, 'big']} queries"
        )
        print(f"{label}, ratio: {big_t / small_t:.1f}")


if __name__ == "__main__":
    main()
