"""Benchmark: every public page kind under load, 1 organisation and 1,000, two configurations.

Seeds four databases with the project's own demo office (results, OIT items
with entries, measures, announcements, reports, complaints, survey rounds, a
published self-assessment summary, the annual report's PDF made once) and,
for the large sets, 999 copies of it (``bench/public_seed.py``):

  - production: PostgreSQL ``ita_bench_1`` and ``ita_bench_1000``, served by
    gunicorn (2 sync workers) with the production settings: DEBUG off,
    ``CONN_MAX_AGE`` 60, ``CACHE_URL`` Redis, manifest static files through
    WhiteNoise, the same middleware;
  - make-run: what ``make run`` leaves at its defaults (DEBUG on, SQLite, the
    cache in process memory, the SQLite connection kept), served by gunicorn
    as ``runserver`` serves: one process, a thread per request (gthread), so
    all visitors share its memory cache (``runserver`` is not a server to
    measure; two processes would each build every page once).

wrk measures each page kind in turn (after a warm-up that asks for every
address once), rotating over the addresses of every organisation, and two
baselines on the same server: a minimal Django view (same middleware, no
database, no template) and a static file the size of the report's PDF
(WhiteNoise, as the portal serves its static files). Printed: req/s, p50,
p95, the ratio to the minimal view (the PDF: to the static file), the
target and the verdict, then p95 of 1,000 organisations over one.

    .venv/bin/python bench/public.py [--reseed] [--duration 5] [--markdown]
        [--configs production,make-run] [--orgs 1,1000]

The seeded databases are kept (with a marker table) and reused by the next
run; ``--reseed`` makes them again. PostgreSQL is reached as ``BENCH_PG_URL``
(default postgres://postgres@127.0.0.1:5432), Redis as ``--cache-url``.
"""

# The bench runs its own servers and tools:
# ruff: noqa: S310, S603, S607

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
DATA = Path(tempfile.gettempdir()) / "ita-bench-public"
MINIMAL = "/bench/minimal/"
STATIC = "/static/bench/report-size.pdf"
TARGETS = {"production": 0.5, "make-run": 0.3}  # × the minimal view (the PDF: × the static file)
TARGET_P95_RATIO = 1.5

from bench.public_seed import MARKER, seed_main  # noqa: E402

# Rotates over the paths in $BENCH_PATHS (each thread from its own offset) and
# prints one line the parent parses; latencies are in microseconds.
WRK_SCRIPT = """
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
local threads = 0
function setup(thread)
  thread:set("offset", threads * 7919)
  threads = threads + 1
end
local n = 0
function request()
  n = n + 1
  return wrk.format("GET", paths[((offset or 0) + n) % #paths + 1])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d p50=%d p95=%d p99=%d "
    .. "status=%d connect=%d read=%d write=%d timeout=%d\\n",
    summary.requests, summary.duration, latency:percentile(50),
    latency:percentile(95), latency:percentile(99),
    e.status, e.connect, e.read, e.write, e.timeout))
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def admin_sql(*statements: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


class Server:
    """gunicorn in its own session (stopping it stops its workers): ``workers`` sync
    processes, or with ``threads`` > 1 one process of that many threads (gthread)."""

    def __init__(
        self, name: str, env: dict[str, str], workers: int, log_dir: Path, threads: int = 1
    ) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log_dir / f"gunicorn-{name}.log"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "ita_portal.wsgi:application",
                f"--workers={workers}",
                f"--threads={threads}",
                "--worker-class=" + ("gthread" if threads > 1 else "sync"),
                f"--bind=127.0.0.1:{self.port}",
                f"--chdir={ROOT}",
                "--timeout=120",
                f"--error-logfile={self.log}",
                "--log-level=warning",
            ],
            env=env,
            start_new_session=True,
        )

    def wait(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited; see {self.log}")
            try:
                with urlopen(f"{self.base}{MINIMAL}", timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise SystemExit(f"gunicorn did not answer in {timeout} s; see {self.log}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # gunicorn's arbiter stops its workers on SIGTERM
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def warm(base: str, paths: list[str]) -> float:
    """Every path answers 200 (and is now cached); returns the mean size in bytes."""

    def get(path: str) -> int:
        try:
            with urlopen(base + path, timeout=120) as response:
                return len(response.read())
        except HTTPError as error:
            raise SystemExit(f"{base}{path}: HTTP {error.code}") from error

    with ThreadPoolExecutor(max_workers=4) as pool:
        return statistics.fmean(pool.map(get, paths))


def wrk(base: str, paths_file: Path, script: Path, args: argparse.Namespace) -> dict:
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s"]
    command += ["--timeout=10s", f"-s{script}", base]
    out = subprocess.run(
        command,
        env={**os.environ, "BENCH_PATHS": str(paths_file)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(line for line in out.splitlines() if line.startswith("BENCH "))
    values = {key: int(value) for key, value in (pair.split("=") for pair in line.split()[1:])}
    errors = sum(values[k] for k in ("status", "connect", "read", "write", "timeout"))
    if errors:
        raise SystemExit(f"wrk saw errors on {base} ({paths_file.name}): {line}")
    return {
        "rps": values["requests"] / values["duration_us"] * 1e6,
        **{p: values[p] / 1000 for p in ("p50", "p95", "p99")},
    }


# --- The data sets --------------------------------------------------------------


def database_url(config: str, orgs: int) -> str:
    if config == "production":
        return f"{PG_URL}/ita_bench_{orgs}"
    return f"sqlite:///{DATA / f'make-run-{orgs}.sqlite3'}"


def seeded(config: str, orgs: int) -> int | None:
    """The organisations a kept database was seeded with (its marker), or None."""
    try:
        if config == "production":
            import psycopg

            with psycopg.connect(database_url(config, orgs)) as conn:
                return conn.execute(f"SELECT orgs FROM {MARKER}").fetchone()[0]  # noqa: S608
        with sqlite3.connect(DATA / f"make-run-{orgs}.sqlite3") as conn:
            return conn.execute(f"SELECT orgs FROM {MARKER}").fetchone()[0]  # noqa: S608
    except Exception:  # no database, no marker: seed it
        return None


def fresh_database(config: str, orgs: int) -> None:
    shutil.rmtree(DATA / f"{config}-{orgs}", ignore_errors=True)
    if config == "production":
        db = f"ita_bench_{orgs}"
        admin_sql(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)", f"CREATE DATABASE {db}")
    else:
        (DATA / f"make-run-{orgs}.sqlite3").unlink(missing_ok=True)
        if orgs > 1 and seeded(config, 1) == 1:
            # The large set starts as a copy of the small one (its demo and PDF made once).
            shutil.copyfile(DATA / "make-run-1.sqlite3", DATA / f"make-run-{orgs}.sqlite3")
            if (DATA / f"{config}-1").exists():
                shutil.copytree(DATA / f"{config}-1", DATA / f"{config}-{orgs}")


def child_env(config: str, orgs: int, args: argparse.Namespace) -> dict[str, str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "bench.public_settings",
        "BENCH_CONFIG": config,
        "BENCH_DATABASE_URL": database_url(config, orgs),
        "BENCH_STATIC_DIR": str(DATA / "bench-static"),
        "DJANGO_MEDIA_ROOT": str(DATA / f"{config}-{orgs}" / "media"),
        "DJANGO_STATIC_ROOT": str(DATA / "static"),
    }
    if config == "production":
        env["CACHE_URL"] = args.cache_url
    return env


def seed(config: str, orgs: int, args: argparse.Namespace) -> dict:
    if args.reseed or seeded(config, orgs) != orgs:
        fresh_database(config, orgs)
    command = [sys.executable, __file__, "--seed-into", config, f"--orgs={orgs}"]
    completed = subprocess.run(
        command, env=child_env(config, orgs, args), capture_output=True, text=True
    )
    if completed.returncode:
        sys.stderr.write(completed.stdout[-5000:] + completed.stderr[-5000:])
        raise SystemExit(f"seeding {config} with {orgs} organisations failed")
    line = next(line for line in completed.stdout.splitlines() if line.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


# --- Measuring ------------------------------------------------------------------


def measure_set(config: str, orgs: int, paths: dict, args: argparse.Namespace) -> dict:
    """Start the server of one data set, measure every page kind, stop it."""
    tmp = Path(tempfile.mkdtemp(prefix="ita-bench-public-"))
    script = tmp / "rotate.lua"
    script.write_text(WRK_SCRIPT)
    # make run serves with runserver: one process, a thread per request, so every
    # visitor shares its memory cache; gunicorn's gthread worker is that, measurable.
    workers, threads = (args.workers, 1) if config == "production" else (1, args.make_run_threads)
    server = Server(f"{config}-{orgs}", child_env(config, orgs, args), workers, DATA, threads)
    pages = {"minimal view": [MINIMAL], "static file": [STATIC], **paths}
    rows: dict[str, dict] = {}
    try:
        server.wait()
        # Each round measures every page kind in turn; a figure is the best of its
        # rounds (baselines too), which filters out a moment the machine was busy.
        for round_ in range(1, args.rounds + 1):
            for page, page_paths in [*pages.items(), ("minimal view (again)", [MINIMAL])]:
                file = tmp / "paths.txt"
                file.write_text("\n".join(page_paths) + "\n")
                # Warmed every round: a process's memory holds 3,000 pages, so with
                # 1,000 organisations the make-run server has dropped earlier kinds.
                size = warm(server.base, page_paths)
                measured = wrk(server.base, file, script, args) | {
                    "paths": len(page_paths),
                    "kb": size / 1024,
                }
                if page not in rows or measured["rps"] > rows[page]["rps"]:
                    rows[page] = measured
                print(
                    f"  {config:<10} {orgs:>5} orgs  {page:<28} {measured['rps']:8.0f} req/s  "
                    f"p50 {measured['p50']:7.2f} ms  p95 {measured['p95']:7.2f} ms"
                    + (f"  (round {round_})" if args.rounds > 1 else ""),
                    file=sys.stderr,
                )
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    again = rows.pop("minimal view (again)")
    # The minimal view is measured first and last; its mean is the baseline.
    rows["minimal view"]["rps"] = (rows["minimal view"]["rps"] + again["rps"]) / 2
    return rows


def table(config: str, orgs: int, rows: dict, markdown: bool) -> list[str]:
    target = TARGETS[config]
    minimal = rows["minimal view"]["rps"]
    static = rows["static file"]["rps"]
    head = ["page", "paths", "KB", "req/s", "p50 ms", "p95 ms", "ratio", "target", "result"]
    body = []
    for page, r in rows.items():
        if page in ("minimal view", "static file"):
            ratio, goal, verdict = "baseline", "", ""
        else:
            base = static if page.startswith("report PDF") else minimal
            value = r["rps"] / base
            ratio = f"{value:.2f}" + (" (static)" if base == static else "")
            goal = f"≥ {target}"
            verdict = "PASS" if value >= target else "MISS"
        body.append(
            [
                page,
                str(r["paths"]),
                f"{r['kb']:.1f}",
                f"{r['rps']:,.0f}",
                f"{r['p50']:.2f}",
                f"{r['p95']:.2f}",
                ratio,
                goal,
                verdict,
            ]
        )
    title = f"{config}, {orgs:,} organisation{'s' if orgs > 1 else ''}"
    return render(title, head, body, markdown)


def p95_table(config: str, results: dict, markdown: bool) -> list[str]:
    small, large = results[config, 1], results[config, 1000]
    head = ["page", "p95 1 org ms", "p95 1,000 orgs ms", "ratio", "target", "result"]
    body = []
    for page in large:
        ratio = large[page]["p95"] / small[page]["p95"]
        baseline = page in ("minimal view", "static file", "minimal view (again)")
        verdict = "PASS" if ratio <= TARGET_P95_RATIO else "MISS"
        body.append(
            [
                page,
                f"{small[page]['p95']:.2f}",
                f"{large[page]['p95']:.2f}",
                f"{ratio:.2f}",
                # The baselines show the run-to-run noise; only page kinds have a target.
                "" if baseline else f"≤ {TARGET_P95_RATIO}",
                "baseline" if baseline else verdict,
            ]
        )
    return render(f"{config}: p95, 1,000 organisations / 1", head, body, markdown)


def render(title: str, head: list[str], body: list[list[str]], markdown: bool) -> list[str]:
    if markdown:
        lines = [f"**{title}**", "", "| " + " | ".join(head) + " |"]
        lines.append("| " + " | ".join("---" for _ in head) + " |")
        lines += ["| " + " | ".join(row) + " |" for row in body]
        return [*lines, ""]
    widths = [max(len(row[i]) for row in [head, *body]) for i in range(len(head))]

    def line(row: list[str]) -> str:
        return "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )

    return [title, line(head), *(line(row) for row in body), ""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reseed", action="store_true", help="seed the databases again")
    parser.add_argument("--configs", default="production,make-run")
    parser.add_argument("--orgs", default="1,1000", help="organisation counts of the data sets")
    parser.add_argument("--duration", type=int, default=5, help="seconds of wrk per page")
    parser.add_argument(
        "--rounds", type=int, default=1, help="measure every page this many times; keep the best"
    )
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="production: sync workers")
    parser.add_argument(
        "--make-run-threads", type=int, default=4, help="make-run: threads of its one process"
    )
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/11")
    parser.add_argument("--markdown", action="store_true", help="print the tables as Markdown")
    parser.add_argument(
        "--sample", type=int, help="rotate over the first N organisations only (default: all)"
    )
    parser.add_argument("--seed-into", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed_into:
        args.orgs = int(args.orgs)
        seed_main(args)
        return
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed to measure: apt-get install wrk")
    configs = args.configs.split(",")
    counts = [int(n) for n in args.orgs.split(",")]
    DATA.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()

    if "production" in configs:
        # The production pages (and the PDF the seeding makes) need the manifest.
        (DATA / "bench-static").mkdir(exist_ok=True)
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity=0"],
            cwd=ROOT,
            env=child_env("production", counts[0], args),
            check=True,
        )
    seeds = {}
    for config in configs:
        for orgs in counts:
            print(f"seeding {config}, {orgs:,} organisations …", file=sys.stderr)
            seeds[config, orgs] = seed(config, orgs, args)
            summary = {k: v for k, v in seeds[config, orgs].items() if k not in ("paths", "cloned")}
            print(f"  {json.dumps(summary)}", file=sys.stderr)
    # The static baseline: a file of the stored PDF's size, served by WhiteNoise from
    # the static folder (make-run, DEBUG: its finders) or STATIC_ROOT (production).
    # A reused data set says nothing of its PDF: the stored files themselves do.
    stored = [f.stat().st_size for f in DATA.glob("*/media/pdfs/*.pdf")]
    pdf_bytes = max([s.get("pdf", {}).get("bytes", 0) for s in seeds.values()] + stored) or 200_000
    content = os.urandom(pdf_bytes)
    for folder in (DATA / "bench-static", DATA / "static"):
        (folder / "bench").mkdir(parents=True, exist_ok=True)
        (folder / "bench" / "report-size.pdf").write_bytes(content)

    commit = subprocess.run(
        ["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    print(
        f"code {commit}; gunicorn: production {args.workers} sync workers, make-run one "
        f"process of {args.make_run_threads} threads (as runserver); wrk -t{args.threads} "
        f"-c{args.connections} -d{args.duration}s per page after a warm-up, best of {args.rounds} round(s); "
        f"{os.cpu_count()} CPUs shared by gunicorn, the database, Redis and wrk\n",
        flush=True,
    )
    results = {}
    for config in configs:
        for orgs in counts:
            print(f"measuring {config}, {orgs:,} organisations …", file=sys.stderr)
            paths = seeds[config, orgs]["paths"]
            if args.sample:  # the first N organisations' addresses of each page kind
                paths = {page: addresses[: args.sample] for page, addresses in paths.items()}
            results[config, orgs] = measure_set(config, orgs, paths, args)
            # Each data set's table as soon as it is measured: a cut-short run keeps them.
            print("\n".join(table(config, orgs, results[config, orgs], args.markdown)), flush=True)
        if 1 in counts and 1000 in counts:
            print("\n".join(p95_table(config, results, args.markdown)), flush=True)
    print(f"run took {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
