"""Benchmark: scoring a large survey round, and 200 respondents sending at once.

Needs PostgreSQL (``BENCH_PG_URL``, default ``postgres://postgres@127.0.0.1:5432``);
it creates and drops the throw-away database ``ita_bench_surveys``.

(1) Scoring. An IIT round of 2,000 respondents × 51 answers (102,000 answers,
    answered as offices do: mostly "มาก"/"มากที่สุด", reverse-scored yes/no
    items mostly "ไม่มี") is scored with ``round_scores`` — what the staff page,
    the prediction and ``survey_scores`` call — timed over ``--runs`` runs with
    its SQL query count, against a baseline measured alongside: a plain
    ``SELECT count(*)`` of the round's answers.

(2) Submissions. gunicorn (``--workers`` sync workers, the production settings
    with DEBUG off, ``bench/public_settings.py``) serves the public form of an open
    EIT round at ``/s/<code>/``. 200 simulated respondents, each with its own
    cookies and one of 50 client addresses (a shared mobile address; the proxy
    header ``X-Real-IP``, so the per-address limits are live), load the form,
    wait for each other, then all post their answers at once. Every answer
    must end on the thanks page (an error is anything else), and the database
    must then hold 200 responses. Baseline: the same 200 threads posting at
    once to a minimal view of the same servers.

    .venv/bin/python bench/surveys.py [--respondents 2000] [--runs 20]
        [--posts 200] [--workers 2] [--cache-url redis://127.0.0.1:6379/7]

Nothing asserts a time; the figures go to bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, HTTPRedirectHandler, Request, build_opener

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.public import PG_URL, Server, admin_sql  # noqa: E402

DATABASE = "ita_bench_surveys"
YEAR = 2569
ADDRESSES = 50


def median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def percentile_ms(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] * 1000


# --- (1) scoring ---------------------------------------------------------------------


def _answer(question, rng: random.Random) -> int:
    if question.scale == "scale4":
        return rng.choices([100, 67, 33, 0], weights=[45, 40, 10, 5])[0]
    # Yes/no and ever/never questions ask about misconduct: mostly "no".
    return rng.choices([0, 100], weights=[85, 15])[0]


def seed(respondents: int):
    from assessments.models import Organisation, OrganisationKind
    from assessments.surveys.services import responses_import, round_bank, round_create

    organisation = Organisation.objects.create(
        slug="bench-office",
        name_th="สำนักงานเขตพื้นที่การศึกษามัธยมศึกษา (ทดสอบ)",
        kind=OrganisationKind.SECONDARY_ESA,
    )
    today = dt.date.today()
    iit = round_create(
        organisation=organisation,
        fiscal_year=YEAR,
        instrument_code="IIT",
        opens_on=today - dt.timedelta(days=30),
        closes_on=today + dt.timedelta(days=30),
        population=respondents + 500,
    )
    bank = round_bank(iit)
    rng = random.Random(14)  # noqa: S311 - made-up answers, the same every run
    rows = [
        {item.code: _answer(q, rng) for q in bank.questions for item in q.items.all()}
        for _ in range(respondents)
    ]
    responses_import(survey_round=iit, rows=rows, day=today, bank=bank)
    eit = round_create(
        organisation=organisation,
        fiscal_year=YEAR,
        instrument_code="EIT",
        opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=30),
        population=5000,
    )
    return iit, eit


def bench_scoring(survey_round, runs: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from assessments.models import Answer
    from assessments.surveys.scores import item_sums, round_scores

    def baseline():
        return Answer.objects.filter(response__round=survey_round).count()

    def scoring():
        return round_scores(survey_round)

    def sums():
        return item_sums(survey_round)

    # Warm-up (and the query counts).
    answers = baseline()
    with CaptureQueriesContext(connection) as captured:
        scores = scoring()
    queries = len(captured.captured_queries)
    sums()
    times: dict[str, list[float]] = {"baseline": [], "scoring": [], "sums": []}
    for _ in range(runs):  # interleaved, so drift hits all alike
        for name, fn in (("baseline", baseline), ("scoring", scoring), ("sums", sums)):
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {
        "answers": answers,
        "responses": scores.responses,
        "score": scores.score,
        "queries": queries,
        "times": times,
    }


# --- (2) concurrent submissions ------------------------------------------------------


class _FormInputs(HTMLParser):
    """The form's hidden fields and radio groups, as a browser would send them."""

    def __init__(self) -> None:
        super().__init__()
        self.hidden: dict[str, str] = {}
        self.radios: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "input":
            return
        found = dict(attrs)
        name, kind = found.get("name"), found.get("type")
        if not name:
            return
        if kind == "hidden":
            self.hidden[name] = found.get("value") or ""
        elif kind == "radio":
            self.radios.setdefault(name, []).append(found.get("value") or "")


class _NoRedirect(HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # the 302 itself is the answer looked for


def _respondent(base: str, path: str, address: int, ready: threading.Barrier, seed_n: int):
    """Load the form, wait for everyone, post; returns (start, end of the POST, problem)."""
    opener = build_opener(HTTPCookieProcessor(CookieJar()), _NoRedirect())
    headers = {"X-Real-IP": f"203.0.113.{address}", "User-Agent": "bench-respondent"}
    try:
        with opener.open(Request(base + path, headers=headers), timeout=120) as page:  # noqa: S310
            parser = _FormInputs()
            parser.feed(page.read().decode())
    except Exception as exc:  # every failure is a counted error
        ready.abort()
        return None, None, f"GET: {exc}"
    rng = random.Random(seed_n)  # noqa: S311 - a made-up respondent's choices
    data = dict(parser.hidden)
    data.update({name: rng.choice(values) for name, values in parser.radios.items()})
    body = urlencode(data).encode()
    try:
        ready.wait(timeout=120)
    except threading.BrokenBarrierError:
        return None, None, "another respondent failed before posting"
    start = time.perf_counter()
    try:
        with opener.open(Request(base + path, data=body, headers=headers), timeout=120) as r:  # noqa: S310
            status, location = r.status, r.headers.get("Location", "")
    except HTTPError as exc:
        status, location = exc.code, exc.headers.get("Location", "")
    except Exception as exc:
        return start, time.perf_counter(), f"POST: {exc}"
    end = time.perf_counter()
    if status != 302 or not location.rstrip("/").endswith("/thanks"):
        return start, end, f"POST answered {status} {location}"
    return start, end, ""


def _minimal(base: str, ready: threading.Barrier):
    """The baseline: the same middleware, no database, no template (a GET: a POST
    without a form is refused by the CSRF check before the view)."""
    opener = build_opener(_NoRedirect())
    ready.wait(timeout=120)
    start = time.perf_counter()
    try:
        with opener.open(Request(base + "/bench/minimal/"), timeout=120) as r:  # noqa: S310
            ok = r.status == 200
    except Exception:
        ok = False
    return start, time.perf_counter(), "" if ok else "minimal view failed"


def bench_posts(base: str, path: str, posts: int) -> dict:
    ready = threading.Barrier(posts)
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=posts) as pool:
        futures = [
            pool.submit(_respondent, base, path, n % ADDRESSES + 1, ready, n) for n in range(posts)
        ]
        results = [f.result() for f in futures]
    wall = time.perf_counter() - start
    ready = threading.Barrier(posts)
    with ThreadPoolExecutor(max_workers=posts) as pool:
        minimal = [f.result() for f in [pool.submit(_minimal, base, ready) for _ in range(posts)]]
    return {"results": results, "wall": wall, "minimal": minimal}


# --- the run -------------------------------------------------------------------------


def child_env(tmp: Path, cache_url: str) -> dict[str, str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "bench.public_settings",
        "BENCH_CONFIG": "production",
        "BENCH_DATABASE_URL": f"{PG_URL}/{DATABASE}",
        "BENCH_STATIC_DIR": str(tmp / "bench-static"),
        "DJANGO_DEBUG": "false",
        "DJANGO_MEDIA_ROOT": str(tmp / "media"),
        "DJANGO_STATIC_ROOT": str(tmp / "static"),
        # Behind the proxy: the client's address comes in X-Real-IP.
        "DJANGO_CLIENT_IP_HEADER": "HTTP_X_REAL_IP",
    }
    if cache_url:
        env["CACHE_URL"] = cache_url
    return env


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--respondents", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cache-url", default="", help="e.g. redis://127.0.0.1:6379/7")
    parser.add_argument("--keep", action="store_true", help="leave the database in place")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="ita-bench-surveys-"))
    (tmp / "bench-static").mkdir()
    env = child_env(tmp, args.cache_url)
    os.environ.update(env)
    admin_sql(f"DROP DATABASE IF EXISTS {DATABASE}", f"CREATE DATABASE {DATABASE}")
    server = None
    try:
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        call_command("load_framework", stdout=io.StringIO())
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity=0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        start = time.perf_counter()
        iit, eit = seed(args.respondents)
        print(f"seeded {args.respondents:,} IIT respondents in {time.perf_counter() - start:.1f} s")

        scoring = bench_scoring(iit, args.runs)
        t = scoring["times"]
        base_ms, score_ms, sums_ms = (median_ms(t[k]) for k in ("baseline", "scoring", "sums"))
        print(
            f"\n(1) scoring {scoring['responses']:,} responses × 51 = {scoring['answers']:,} "
            f"answers, PostgreSQL, {args.runs} runs, medians (min–max)"
        )
        for label, key, ms in (
            ("SELECT count(*) of the answers (baseline)", "baseline", base_ms),
            ("round_scores (whole: bank, count, rule, sums)", "scoring", score_ms),
            ("  of which the GROUP BY of the answers", "sums", sums_ms),
        ):
            low, high = min(t[key]) * 1000, max(t[key]) * 1000
            print(f"  {label:48} {ms:8.1f} ms ({low:.1f}–{high:.1f})")
        print(
            f"  round_scores: {scoring['queries']} SQL queries; ratio to the baseline "
            f"{score_ms / base_ms:.2f}; IIT score {scoring['score']}; target < 1 s: "
            f"{'met' if score_ms < 1000 else 'NOT met'}"
        )

        server = Server(DATABASE, env, args.workers, tmp)
        server.wait()
        path = f"/s/{eit.code}/"
        posted = bench_posts(server.base, path, args.posts)
        results = posted["results"]
        errors = [problem for _s, _e, problem in results if problem]
        from assessments.models import Answer, Response

        stored = Response.objects.filter(round=eit).count()
        answers = Answer.objects.filter(response__round=eit).count()
        print(
            f"\n(2) {args.posts} respondents posting the EIT form at once, gunicorn "
            f"{args.workers} sync workers, cache {args.cache_url or 'per process (locmem)'}"
        )
        for label, rows in (
            ("POST /s/<code>/ (the form)", results),
            ("GET minimal view (baseline)", posted["minimal"]),
        ):
            done = [(s, e) for s, e, problem in rows if not problem]
            if not done:
                continue
            took = [e - s for s, e in done]
            span = max(e for _s, e in done) - min(s for s, _e in done)
            print(
                f"  {label:30} p50 {median_ms(took):6.0f} ms, p95 {percentile_ms(took, 0.95):6.0f}"
                f" ms, max {max(took) * 1000:6.0f} ms; all {len(done)} in {span:.2f} s "
                f"= {len(done) / span:.0f}/s"
            )
        print(
            f"  errors: {len(errors)}; stored responses: {stored} ({answers} answers); "
            f"load + post of all: {posted['wall']:.1f} s"
        )
        for problem in sorted(set(errors))[:10]:
            print(f"    {problem}")
    finally:
        if server is not None:
            server.stop()
        from django.db import connections

        connections.close_all()
        if not args.keep:
            admin_sql(f"DROP DATABASE IF EXISTS {DATABASE}")


if __name__ == "__main__":
    main()
