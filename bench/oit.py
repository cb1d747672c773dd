"""Benchmark: the public OIT pages under load, 1,000 organisations against one.

Seeds two throw-away PostgreSQL databases with the same five fiscal years
(2564–2568) of the shipped NACC editions' OIT items (43, 43, 43, 43 and 26),
each item with 3 entries:

  - large (``ita_bench_oit``): 1,000 organisations, 198,000 disclosures,
    594,000 entries;
  - small (``ita_bench_oit_one``): one organisation, ``agency-0001``, with
    the same data as in the large set.

Each database is served by gunicorn (2 sync workers,
production settings from ``bench/oit_settings.py``, whose URLconf adds a
minimal view), and wrk, from another process, measures the throughput and
latency of

  - the index page ``/<org>/oit/<year>/``, rotating over 500 organisation
    years (the small set has 5);
  - item pages ``/<org>/oit/<year>/<code>/``, rotating over 1,000 published
    items (the small set has all its published items);
  - a minimal Django view (``/bench/minimal/``) on the same servers.

Targets: the index page reaches at least half the minimal view's
throughput; p95 on the large set is within 1.5x of the small set's.

    .venv/bin/python bench/oit.py [--quick] [--keep | --reuse] [--repeat 3]
        [--duration 15] [--warm 5] [--conn-max-age N] [--cache-url URL]
        [--process-cache-entries N]

``--quick`` is a smoke check (50 organisations, 3 s runs). ``--keep`` keeps
the databases, which ``--reuse`` then measures again without seeding.
``--conn-max-age``, ``--cache-url`` and ``--process-cache-entries`` set
DJANGO_CONN_MAX_AGE, CACHE_URL and OIT_PROCESS_CACHE_ENTRIES for the servers
(default: the settings' defaults). PostgreSQL is reached as
``BENCH_PG_URL`` (default postgres://postgres@127.0.0.1:5432).
"""

# Bench data needs repeatable randomness, and the bench runs its own servers and tools:
# ruff: noqa: S310, S603, S607

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
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
LARGE_DB = "ita_bench_oit"
SMALL_DB = "ita_bench_oit_one"
TARGET_THROUGHPUT_RATIO = 0.5
TARGET_P95_RATIO = 1.5

from bench.oit_seed import seed_main  # noqa: E402

# --- Measuring: the parent process -------------------------------------------

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
    "BENCH requests=%d duration_us=%d p50=%d p90=%d p95=%d p99=%d max=%d "
    .. "status=%d connect=%d read=%d write=%d timeout=%d\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(95), latency:percentile(99), latency.max,
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


def child_env(database: str, tmp: Path, args: argparse.Namespace) -> dict[str, str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "bench.oit_settings",
        "BENCH_OIT_DATABASE_URL": f"{PG_URL}/{database}",
        "DJANGO_DEBUG": "false",
        "DJANGO_MEDIA_ROOT": str(tmp / "media"),
        "DJANGO_STATIC_ROOT": str(tmp / "static"),
    }
    if args.conn_max_age is not None:
        env["DJANGO_CONN_MAX_AGE"] = str(args.conn_max_age)
    if args.cache_url:
        env["CACHE_URL"] = args.cache_url
    if args.process_cache_entries is not None:
        env["OIT_PROCESS_CACHE_ENTRIES"] = str(args.process_cache_entries)
    return env


class Server:
    """gunicorn on one bench database, 2 sync workers."""

    def __init__(self, database: str, tmp: Path, env: dict[str, str], workers: int) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = tmp / f"gunicorn-{database}.log"
        # A new session, so stopping it stops its workers too.
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "ita_portal.wsgi:application",
                f"--workers={workers}",
                "--worker-class=sync",
                f"--bind=127.0.0.1:{self.port}",
                f"--chdir={ROOT}",
                "--timeout=60",
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
                with urlopen(f"{self.base}/bench/minimal/", timeout=5) as response:
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


def check_paths(base: str, paths: list[str]) -> float:
    """Every path answers 200 (this also warms both workers); returns the mean size in bytes."""

    def get(path: str) -> int:
        try:
            with urlopen(base + path, timeout=60) as response:
                body = response.read()
                if response.status != 200:
                    raise SystemExit(f"{path}: HTTP {response.status}")
                return len(body)
        except HTTPError as error:
            raise SystemExit(f"{base}{path}: HTTP {error.code}") from error

    with ThreadPoolExecutor(max_workers=4) as pool:
        sizes = list(pool.map(get, paths))
    return statistics.fmean(sizes)


def wrk(
    base: str, paths_file: Path, script: Path, *, seconds: int, threads: int, connections: int
) -> dict:
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout=10s",
        f"-s{script}",
        base,
    ]
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
        "requests": values["requests"],
        **{p: values[p] / 1000 for p in ("p50", "p90", "p95", "p99", "max")},
    }


def run_seed(database: str, orgs: int, tmp: Path, args: argparse.Namespace) -> dict:
    command = [sys.executable, __file__, "--seed-into", database, f"--orgs={orgs}"]
    command += ["--explain"] if args.explain else []
    command += ["--reuse"] if args.reuse else []
    completed = subprocess.run(
        command, env=child_env(database, tmp, args), capture_output=True, text=True
    )
    if completed.returncode:
        sys.stderr.write(completed.stdout + completed.stderr)
        raise SystemExit(f"seeding {database} failed")
    sys.stderr.write(completed.stderr)
    line = next(line for line in completed.stdout.splitlines() if line.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


def drop_databases() -> None:
    admin_sql(*(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)" for db in (LARGE_DB, SMALL_DB)))


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="50 organisations, 3 s runs")
    parser.add_argument("--keep", action="store_true", help="keep the databases and files")
    parser.add_argument("--reuse", action="store_true", help="use the databases --keep left")
    parser.add_argument("--orgs", type=int, help="organisations in the large set (1000)")
    parser.add_argument("--duration", type=int, help="seconds per measurement (15)")
    parser.add_argument("--warm", type=int, help="seconds of warm-up per page (5)")
    parser.add_argument("--repeat", type=int, help="measurement rounds, medians shown (3)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--conn-max-age",
        type=int,
        help="DJANGO_CONN_MAX_AGE for the servers (default: 60, as in production)",
    )
    parser.add_argument("--cache-url", help="CACHE_URL for the servers (default: locmemcache://)")
    parser.add_argument(
        "--process-cache-entries",
        type=int,
        help="OIT_PROCESS_CACHE_ENTRIES for the servers (default: 2000; 0: shared cache only)",
    )
    parser.add_argument("--explain", action="store_true", help="print the query plans")
    parser.add_argument("--seed-into", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed_into:
        seed_main(args)
        return
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed (apt-get install wrk)")
    orgs = args.orgs or (50 if args.quick else 1000)
    seconds = args.duration or (3 if args.quick else 15)
    warm = args.warm if args.warm is not None else (1 if args.quick else 5)
    args.repeat = args.repeat or (1 if args.quick else 3)

    tmp = Path(tempfile.mkdtemp(prefix="ita-bench-oit-"))
    servers: list[Server] = []
    if not args.reuse:
        drop_databases()
        admin_sql(*(f"CREATE DATABASE {db}" for db in (LARGE_DB, SMALL_DB)))
    try:
        # Production static storage (manifest): the pages need its manifest to render.
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity=0"],
            cwd=ROOT,
            env=child_env(SMALL_DB, tmp, args),
            check=True,
        )
        if args.reuse:
            print(f"reusing {SMALL_DB} and {LARGE_DB} …")
        else:
            print(f"seeding {SMALL_DB} (1 organisation) and {LARGE_DB} ({orgs:,} organisations) …")
        seeds = {
            "small": run_seed(SMALL_DB, 1, tmp, args),
            "large": run_seed(LARGE_DB, orgs, tmp, args),
        }
        for name, result in seeds.items():
            c = result["counts"]
            timing = (
                f"; seeded in {result['seed_s']} s (schema and framework {result['schema_s']} s)"
                if "seed_s" in result
                else ""
            )
            print(
                f"  {name}: {c['organisations']:,} organisations, {c['disclosures']:,} "
                f"disclosures, {c['entries']:,} entries{timing}"
            )
        servers = [
            Server(SMALL_DB, tmp, child_env(SMALL_DB, tmp, args), args.workers),
            Server(LARGE_DB, tmp, child_env(LARGE_DB, tmp, args), args.workers),
        ]
        for server in servers:
            server.wait()
        base = {"small": servers[0].base, "large": servers[1].base}

        script = tmp / "rotate.lua"
        script.write_text(WRK_SCRIPT)
        files: dict[tuple[str, str], Path] = {}
        sizes: dict[tuple[str, str], float] = {}
        n_paths: dict[tuple[str, str], int] = {}
        for data_set in ("small", "large"):
            paths = {"minimal": ["/bench/minimal/"], **seeds[data_set]["paths"]}
            for page, page_paths in paths.items():
                file = tmp / f"paths-{page}-{data_set}.txt"
                file.write_text("\n".join(page_paths) + "\n")
                files[page, data_set] = file
                n_paths[page, data_set] = len(page_paths)
                sizes[page, data_set] = check_paths(base[data_set], page_paths)
        print(
            f"all {sum(n_paths.values()):,} measured paths answer 200; measuring "
            f"(after {warm} s of warm-up each) …"
        )

        def measure(page: str, data_set: str, duration: int) -> dict:
            return wrk(
                base[data_set],
                files[page, data_set],
                script,
                seconds=duration,
                threads=args.threads,
                connections=args.connections,
            )

        order = [
            ("minimal", "large"),
            ("index", "large"),
            ("index", "small"),
            ("item", "large"),
            ("item", "small"),
            ("minimal", "small"),
        ]
        runs: dict[tuple[str, str], list[dict]] = {key: [] for key in order}
        for n in range(args.repeat):
            # Interleaved, and each round starts elsewhere, so drift touches every page alike.
            for page, data_set in order[n % len(order) :] + order[: n % len(order)]:
                if warm and n == 0:
                    # Just before: the page cache keeps a page 5 minutes.
                    measure(page, data_set, warm)
                runs[page, data_set].append(measure(page, data_set, seconds))
        result = {
            key: {m: statistics.median(r[m] for r in samples) for m in samples[0]}
            | {"low": min(r["rps"] for r in samples), "high": max(r["rps"] for r in samples)}
            for key, samples in runs.items()
        }
    finally:
        for server in servers:
            server.stop()
        if args.keep:
            print(f"kept: databases {LARGE_DB}, {SMALL_DB}; files in {tmp}")
        else:
            if not args.reuse:
                drop_databases()
            shutil.rmtree(tmp, ignore_errors=True)

    large_label = f"{seeds['large']['counts']['organisations']:,} orgs"
    commit = subprocess.run(
        ["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    print()
    print(f"code: {commit or 'unknown'}")
    print(
        f"gunicorn {args.workers} sync workers, "
        f"CONN_MAX_AGE={args.conn_max_age if args.conn_max_age is not None else 'default'}, "
        f"CACHE_URL={args.cache_url or 'default'}, "
        "OIT_PROCESS_CACHE_ENTRIES="
        f"{args.process_cache_entries if args.process_cache_entries is not None else 'default'}; "
        f"wrk -t{args.threads} -c{args.connections} -d{seconds}s, {args.repeat} round(s); "
        f"{os.cpu_count()} CPUs shared by gunicorn, PostgreSQL and wrk"
    )
    print(
        f"{'page':<8} {'data set':<10} {'paths':>6} {'KB':>6} {'req/s':>8} {'(rounds)':>13} "
        f"{'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
    )
    for page, data_set in sorted(
        order, key=lambda k: (["minimal", "index", "item"].index(k[0]), k[1])
    ):
        r = result[page, data_set]
        label = large_label if data_set == "large" else "1 org"
        spread = f"{r['low']:.0f}–{r['high']:.0f}"
        print(
            f"{page:<8} {label:<10} {n_paths[page, data_set]:>6} "
            f"{sizes[page, data_set] / 1024:>6.1f} {r['rps']:>8.1f} "
            f"{spread:>13} "
            f"{r['p50']:>8.2f} {r['p95']:>8.2f} {r['p99']:>8.2f}"
        )
    print()
    ratio = result["index", "large"]["rps"] / result["minimal", "large"]["rps"]
    print(
        f"index / minimal throughput ({large_label}): {ratio:.3f}  "
        f"(target ≥ {TARGET_THROUGHPUT_RATIO})  {verdict(ratio >= TARGET_THROUGHPUT_RATIO)}"
    )
    small_ratio = result["index", "small"]["rps"] / result["minimal", "small"]["rps"]
    print(f"index / minimal throughput (1 org): {small_ratio:.3f}  (for comparison)")
    for page in ("index", "item"):
        p95 = result[page, "large"]["p95"] / result[page, "small"]["p95"]
        print(
            f"{page} p95 {large_label} / 1 org: {p95:.2f}  "
            f"(target ≤ {TARGET_P95_RATIO})  {verdict(p95 <= TARGET_P95_RATIO)}"
        )
    print()
    print(
        "queries per page for agency-0001 in 2565 (test client; database time by EXPLAIN ANALYZE):"
    )
    for data_set in ("small", "large"):
        for name, d in seeds[data_set]["diagnosis"].items():
            label = large_label if data_set == "large" else "1 org"
            print(
                f"  {label:<10} {name:<30} {d['queries']:>2} queries, {d['sql_ms']:6.2f} ms "
                f"in the database (slowest {d['slowest_ms']:.2f} ms), {d['bytes'] / 1024:.1f} KB"
            )


if __name__ == "__main__":
    main()
