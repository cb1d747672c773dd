"""Benchmark: the public ITA result page as an agency's history grows.

Seeds a throw-away SQLite database (or DATABASE_URL) with one agency that has
1 year of results and another with 16 years, then times the year page of
each in the same run. Prints the times and their ratio: the page should cost
about the same whatever the number of years (the query count is fixed).

    .venv/bin/python bench/pages.py [--runs 50]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="ita-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_portal.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tests.builders import REFERENCE_003, make_assessment, make_org

    call_command("migrate", verbosity=0)
    call_command("load_framework", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    small = make_org("one-year")
    make_assessment(small, 2565, REFERENCE_003)
    large = make_org("sixteen-years")
    for year in range(2550, 2564):
        make_assessment(large, year, official_total="80.00")
    make_assessment(large, 2564, REFERENCE_003)
    make_assessment(large, 2565, REFERENCE_003)

    client = Client()

    def timed(url: str) -> tuple[float, int]:
        client.get(url)  # warm up templates and caches
        samples = []
        for _ in range(args.runs):
            start = time.perf_counter()
            response = client.get(url)
            samples.append(time.perf_counter() - start)
            assert response.status_code == 200, url
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        return statistics.median(samples), len(queries)

    base, base_q = timed("/one-year/ita/2565/")
    big, big_q = timed("/sixteen-years/ita/2565/")
    print(f"database: {connection.vendor}; runs per page: {args.runs}")
    print(
        f"year page, 1 year of history  : {base * 1000:7.1f} ms median, {base_q} queries (baseline)"
    )
    print(f"year page, 16 years of history: {big * 1000:7.1f} ms median, {big_q} queries")
    print(f"ratio 16 years / 1 year: {big / base:.2f}")


if __name__ == "__main__":
    main()
