"""Profile pages against an existing data set: time per page and where the time goes.

    HOSHIN_DATA_DIR=/tmp/data python -m bench.profile [--pages list home] [--requests 20]
        [--cprofile] [--explain 3]

Signs in as the bench quality manager (bench.generate), times each page interleaved
with the bare view, and lists every SQL query of one request with its own duration
(measured around the cursor call, finer than Django's captured times), so the queries
that dominate a page stand out. ``--cprofile`` adds the top Python functions (``--sort tottime``: by their own time);
``--explain N`` the plan of the N slowest queries (SQLite ``EXPLAIN QUERY PLAN``,
PostgreSQL ``EXPLAIN (ANALYZE, BUFFERS)``). Pages default to those of every register
that holds records (bench.run.REGISTER_PAGES).

Used to try a proposed application change: copy the project to a scratch folder, apply
the change there and run the same command with PYTHONPATH pointing at the copy.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> None:
    from bench.run import PAGES, REGISTER_PAGES, percentile

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", nargs="+", choices=[p for p, _x in PAGES if p != "bare"])
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--cprofile", action="store_true")
    parser.add_argument(
        "--sort",
        choices=["cumulative", "tottime"],
        default="cumulative",
        help="order of the --cprofile functions (tottime: where the time is spent itself)",
    )
    parser.add_argument("--top", type=int, default=25, help="--cprofile: functions shown")
    parser.add_argument("--sql", type=int, default=8, help="show the N slowest queries")
    parser.add_argument("--explain", type=int, default=0, help="plans of the N slowest queries")
    args = parser.parse_args(argv)

    import os

    os.environ.setdefault("HOSHIN_HTTPS", "false")
    os.environ.setdefault("HOSHIN_ALLOWED_HOSTS", "testserver")
    from bench.generate import setup_django

    setup_django()
    from django.db import connection

    import hoshin
    from bench.run import signed_in_client
    from hoshin.improvement.models import Nonconformity
    from hoshin.planning.models import Kpi, Measurement, Risk
    from hoshin.support.models import Document

    registers = (
        sorted({r for r, pages in REGISTER_PAGES.items() for p, _x in pages if p in args.pages})
        if args.pages
        else None
    )
    client, paths = signed_in_client(registers)
    args.pages = args.pages or [p for p in paths if p != "bare"]
    print(
        f"hoshin from {Path(hoshin.__file__).parent}; {Nonconformity.objects.count()} NCs, "
        f"{Document.objects.count()} documents, {Risk.objects.count()} risks, "
        f"{Kpi.objects.count()} KPIs with {Measurement.objects.count()} figures "
        f"({connection.vendor})"
    )
    for name in ["bare", *args.pages]:
        for _i in range(3):
            assert client.get(paths[name]).status_code == 200, name
    timings: dict[str, list[float]] = {name: [] for name in ["bare", *args.pages]}
    for _round in range(args.requests):
        for name in timings:
            t0 = time.perf_counter()
            client.get(paths[name])
            timings[name].append((time.perf_counter() - t0) * 1000)
    bare = statistics.median(timings["bare"])
    for name in args.pages:
        queries: list[tuple[float, str]] = []
        raw: list[tuple[float, str, Any]] = []

        def timed(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                ms = (time.perf_counter() - t0) * 1000
                try:
                    text = sql % tuple(repr(p) for p in (params or ()))
                except (TypeError, ValueError):
                    text = sql
                queries.append((ms, text))  # noqa: B023
                raw.append((ms, sql, params))  # noqa: B023

        with connection.execute_wrapper(timed):
            client.get(paths[name])
        p50 = statistics.median(timings[name])
        total_sql = sum(ms for ms, _s in queries)
        print(
            f"\n{name} {paths[name]}: p50 {p50:.1f} ms, p95 {percentile(timings[name], 0.95):.1f} ms"
            f" ({p50 / bare:.1f}x bare {bare:.2f} ms); {len(queries)} queries, {total_sql:.1f} ms SQL"
        )
        for ms, sql in sorted(queries, key=lambda q: -q[0])[: args.sql]:
            print(f"  {ms:8.2f} ms  {sql[:400]}")
        for ms, sql, params in sorted(raw, key=lambda q: -q[0])[: args.explain]:
            print(f"\n  plan of the {ms:.2f} ms query:")
            for line in explain(connection, sql, params):
                print(f"    {line}")
        if args.cprofile:
            profiler = cProfile.Profile()
            profiler.enable()
            for _i in range(5):
                client.get(paths[name])
            profiler.disable()
            buffer = io.StringIO()
            pstats.Stats(profiler, stream=buffer).sort_stats(args.sort).print_stats(args.top)
            print(buffer.getvalue()[: 250 * (args.top + 10)])


def explain(connection: Any, sql: str, params: Any) -> list[str]:
    if not sql.lstrip().upper().startswith("SELECT"):
        return ["(not a SELECT)"]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        rows = cursor.fetchall()  # (id, parent, notused, detail)
    depth = {0: -1}
    lines = []
    for node, parent, _unused, detail in rows:
        depth[node] = depth.get(parent, -1) + 1
        lines.append("  " * depth[node] + str(detail))
    return lines


if __name__ == "__main__":
    main()
