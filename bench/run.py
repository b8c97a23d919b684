"""Page timings at growing data sizes, against a bare Django view measured in the same run.

    python -m bench.run --sizes 1000 10000 100000 [--db sqlite|postgres] [--requests 50]
    python -m bench.run --register planning --sizes 1000 50000 --kpis 500 [--periods 36]
    python bench/run.py                       # what `make bench` runs: 1k and 10k on SQLite

For the planning register SIZE is the number of risks; --kpis KPIs (one value, or one per
size) get --periods figures each, with ~12 % as many objectives.

For each size, in a fresh child process: a fresh data dir (HOSHIN_DATA_DIR in a temporary
folder; for PostgreSQL also a fresh database on a throwaway cluster started with
scripts/pg-cluster.sh, or on --pg-url), migrate, generate (bench.generate), verify the
trail, then time each page with django.test.Client signed in as a quality manager:
warm-ups, then N timed requests; the query count is taken on one extra request.

Prints a table (p50, p95, queries per request, ratio of p50 to the bare view's p50) and
writes everything, with the slowest queries of each page, to bench/results/<db>-<date>.json.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: python bench/run.py
    sys.path.insert(0, str(ROOT))

from bench.generate import (  # noqa: E402
    RISK_SEARCH,
    SEARCH_COMMON,
    SEARCH_RARE,
    SEARCH_TWO_WORDS,
)

RESULTS = ROOT / "bench" / "results"

BARE = ("bare", "/bare/")
# The empty layout of a signed-in person's page: what every page pays before its content.
LAYOUT = ("layout", "/layout/")
# Pages per register: (name, path). Placeholders, filled in by signed_in_client():
# "{detail}" a nonconformity in state actions with actions and costs; "{doc_detail}" an
# effective document with several versions and a draft; "{doc_type}" the id of the
# largest document type (work instructions, about a third of the register); "{kpi}" a
# monthly KPI with a full series of figures (bench.run: --periods, 36 by default).
REGISTER_PAGES: dict[str, list[tuple[str, str]]] = {
    "nonconformities": [
        ("list", "/nonconformities/"),
        ("list_filtered", "/nonconformities/?status=actions&severity=major&sort=-due_date"),
        ("search", "/nonconformities/?q=burr"),
        ("detail", "/nonconformities/{detail}/"),
        ("api_list", "/api/nonconformities/"),
        ("home", "/"),
    ],
    "documents": [
        ("doc_list", "/documents/"),
        ("doc_list_filtered", "/documents/?doc_type={doc_type}&sort=-effective_on"),
        ("doc_list_q", f"/documents/?q={SEARCH_COMMON}"),
        ("doc_search_rare", f"/documents/search/?q={SEARCH_RARE}"),
        ("doc_search_common", f"/documents/search/?q={SEARCH_COMMON}"),
        ("doc_search_two", f"/documents/search/?q={quote_plus(SEARCH_TWO_WORDS)}"),
        ("doc_detail", "/documents/{doc_detail}/"),
        ("doc_api_list", "/api/documents/"),
    ],
    # SIZE is the number of risks; --kpis KPIs with --periods figures each.
    "planning": [
        ("kpi_overview", "/kpis/overview/"),
        ("kpi_detail", "/kpis/{kpi}/"),
        ("kpi_list", "/kpis/"),
        ("on_track", "/objectives/on-track/"),
        ("risk_list", "/risks/"),
        ("risk_list_filtered", "/risks/?inherent_level=high&sort=-inherent_rating"),
        ("risk_search", f"/risks/?q={RISK_SEARCH}"),
        ("heat_map", "/risks/heat-map/"),
        ("risk_api_list", "/api/risks/"),
        ("kpi_api_figures", "/api/kpis/{kpi}/measurements/"),
        ("home", "/"),
    ],
}
REGISTERS = list(REGISTER_PAGES)
# Every page of every register, the bare view first (bench.profile picks from these);
# the home page is in two registers' lists.
PAGES = list(
    dict.fromkeys([BARE, LAYOUT, *(page for pages in REGISTER_PAGES.values() for page in pages)])
)
TARGET_RATIO = 3.0  # every page within 3x the bare view at the largest size
TARGET_GROWTH = 1.5  # and no figure growing by more than 1.5x from the smallest size
TARGET_SEARCH_P95_MS = 100.0  # document search: p95 under 100 ms at the largest size


def registers_of(choice: str) -> list[str]:
    return REGISTERS if choice == "all" else [choice]


def bench_env(data_dir: str, database_url: str | None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "hoshin.settings",
            "HOSHIN_DATA_DIR": data_dir,
            "HOSHIN_HTTPS": "false",
            "HOSHIN_DEBUG": "false",
            "HOSHIN_ALLOWED_HOSTS": "testserver,localhost,127.0.0.1",
            "HOSHIN_STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
            "HOSHIN_LOG_LEVEL": "ERROR",
            "PYTHONPATH": str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""),
        }
    )
    env.pop("HOSHIN_DATABASE_URL", None)
    if database_url:
        env["HOSHIN_DATABASE_URL"] = database_url
    return env


# --- PostgreSQL: a throwaway cluster, one fresh database per size ---------------------
class Postgres:
    """Starts scripts/pg-cluster.sh with a private state file (never touches another
    person's cluster), or uses --pg-url; creates and drops one database per size."""

    def __init__(self, url: str | None, workdir: Path) -> None:
        self.started = False
        self.env = dict(os.environ, HOSHIN_PG_STATE=str(workdir / "pg-cluster.env"))
        if url is None:
            out = subprocess.run(
                [str(ROOT / "scripts" / "pg-cluster.sh"), "start"],
                env=self.env,
                check=True,
                capture_output=True,
                text=True,
            )
            url = out.stdout.strip().splitlines()[-1]
            self.started = True
        self.url = url

    def database_url(self, name: str) -> str:
        base, _sep, _db = self.url.rpartition("/")
        return f"{base}/{name}"

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(sql)

    def create(self, name: str) -> str:
        self._admin(f'DROP DATABASE IF EXISTS "{name}"')
        self._admin(f'CREATE DATABASE "{name}"')
        return self.database_url(name)

    def drop(self, name: str) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def version(self) -> str:
        import psycopg

        with psycopg.connect(self.url) as conn:
            row = conn.execute("SHOW server_version").fetchone()
        return str(row[0]) if row else "?"

    def stop(self) -> None:
        if self.started:
            subprocess.run(
                [str(ROOT / "scripts" / "pg-cluster.sh"), "stop"], env=self.env, check=False
            )


# --- the child process: one size ------------------------------------------------------
def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def signed_in_client(
    registers: list[str] | None = None,
) -> tuple[Any, dict[str, str]]:
    """A test client signed in as the quality manager, and the benchmarked paths of
    ``registers`` (default: every register that holds records) after the bare view, with
    the bench URLs (which add the bare view) in place. Django must be set up."""
    from django.conf import settings
    from django.test import Client
    from django.urls import clear_url_caches

    from bench.generate import QUALITY_USERNAME
    from hoshin.core.models import User
    from hoshin.improvement.models import CostItem, Nonconformity
    from hoshin.planning.models import Kpi, Risk
    from hoshin.support.models import Document, DocumentType, VersionStatus

    settings.ROOT_URLCONF = "bench.urls"
    clear_url_caches()
    if registers is None:
        registers = [
            name
            for name, model in (
                ("nonconformities", Nonconformity),
                ("documents", Document),
                ("planning", Risk),
            )
            if model.objects.exists() or (name == "planning" and Kpi.objects.exists())
        ]
    values: dict[str, Any] = {}
    if "nonconformities" in registers:
        values["detail"] = (
            Nonconformity.objects.filter(
                status="actions", pk__in=CostItem.objects.values("nonconformity")
            )
            .order_by("-pk")
            .values_list("pk", flat=True)
            .first()
        )
    if "documents" in registers:
        effective = Document.objects.filter(status=Document.EFFECTIVE, current_version__gte=3)
        document = (
            effective.filter(versions__status=VersionStatus.DRAFT).order_by("-pk").first()
            or effective.order_by("-pk").first()
            or Document.objects.order_by("-pk").first()
        )
        values["doc_detail"] = document.pk if document else 0
        values["doc_type"] = DocumentType.objects.get(prefix="WI").pk
    if "planning" in registers:
        from django.db.models import Count

        kpi = (
            Kpi.objects.filter(frequency="monthly", kind="value", automatic="")
            .annotate(n=Count("measurements"))
            .order_by("-n", "pk")
            .first()
        )
        values["kpi"] = kpi.pk if kpi else 0
    client = Client()
    client.force_login(User.objects.get(username=QUALITY_USERNAME))
    pages = [BARE, LAYOUT, *(page for name in registers for page in REGISTER_PAGES[name])]
    return client, {name: template.format(**values) for name, template in pages}


def database_mb() -> float:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database())")
            size = cursor.fetchone()[0]
        else:
            cursor.execute("PRAGMA page_count")
            pages = cursor.fetchone()[0]
            cursor.execute("PRAGMA page_size")
            size = pages * cursor.fetchone()[0]
    return round(size / 1e6, 1)


def document_matches() -> dict[str, int]:
    """How many documents each benchmarked search finds (what its cost follows)."""
    from hoshin.core import search
    from hoshin.support.models import Document
    from hoshin.support.registers import DOCUMENTS

    return {
        q: search.matching(Document.objects.all(), DOCUMENTS.search_fields, q).count()
        for q in (SEARCH_RARE, SEARCH_COMMON, SEARCH_TWO_WORDS)
    }


def planning_counts() -> dict[str, Any]:
    """What the planning pages' cost follows: risks found by the search, open risks, the
    figures read by the KPI overview."""
    from hoshin.core import search
    from hoshin.planning.models import Kpi, Measurement, Objective, Risk
    from hoshin.planning.registers import RISKS
    from hoshin.planning.views import OPEN_RISK_STATES

    found = search.matching(
        Risk.objects.all(), RISKS.search_fields, RISK_SEARCH, stored=RISKS.search_stored
    )
    return {
        "risk_search": {RISK_SEARCH: found.count()},
        "open_risks": Risk.objects.filter(status__in=OPEN_RISK_STATES).count(),
        "high_risks": Risk.objects.filter(inherent_level="high").count(),
        "kpis": Kpi.objects.count(),
        "measurements": Measurement.objects.count(),
        "approved_objectives": Objective.objects.filter(status="approved").count(),
    }


def measure_size(
    size: int,
    requests: int,
    warmup: int,
    seed: int,
    registers: list[str],
    kpis: int = 500,
    periods: int = 36,
) -> dict[str, Any]:
    from bench.generate import setup_django

    setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.generate import generate
    from hoshin.core import trail

    out: dict[str, Any] = {"size": size, "vendor": connection.vendor, "registers": registers}
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    out["migrate_s"] = round(time.perf_counter() - t0, 1)
    out["generated"] = generate(
        size if "nonconformities" in registers else 0,
        seed=seed,
        quiet=False,
        documents=size if "documents" in registers else 0,
        planning={"kpis": kpis, "periods": periods, "risks": size}
        if "planning" in registers
        else None,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # what autovacuum would do shortly after
            cursor.execute("ANALYZE")
    out["database_mb"] = database_mb()
    if "documents" in registers:
        out["doc_matches"] = document_matches()
    if "planning" in registers:
        out["planning_counts"] = planning_counts()
    t0 = time.perf_counter()
    checked, broken = trail.verify()
    out["verify_trail"] = {
        "events": checked,
        "ok": broken is None,
        "seconds": round(time.perf_counter() - t0, 1),
    }
    if broken is not None:
        raise SystemExit(f"verify-trail failed: {broken}")

    client, paths = signed_in_client(registers)
    for path in paths.values():
        for _i in range(warmup):
            response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"{path}: HTTP {response.status_code}")
    # Rounds of one request per page, interleaved: a load swing on a shared machine hits
    # every page (and the bare view) alike, so the ratios stay meaningful.
    timings: dict[str, list[float]] = {name: [] for name in paths}
    for _round in range(requests):
        for name, path in paths.items():
            t0 = time.perf_counter()
            client.get(path)
            timings[name].append((time.perf_counter() - t0) * 1000)
    pages: list[dict[str, Any]] = []
    for name, path in paths.items():
        with CaptureQueriesContext(connection) as ctx:
            client.get(path)
        queries = [(float(q["time"] or 0) * 1000, q["sql"]) for q in ctx.captured_queries]
        t = timings[name]
        pages.append(
            {
                "page": name,
                "path": path,
                "p50_ms": round(statistics.median(t), 2),
                "p95_ms": round(percentile(t, 0.95), 2),
                "mean_ms": round(statistics.fmean(t), 2),
                "queries": len(queries),
                "sql_ms": round(sum(ms for ms, _sql in queries), 2),
                "slowest_queries": [
                    {"ms": round(ms, 2), "sql": sql[:600]}
                    for ms, sql in sorted(queries, key=lambda q: -q[0])[:3]
                ],
            }
        )
    out["loadavg"] = os.getloadavg()
    bare = next(p for p in pages if p["page"] == "bare")["p50_ms"]
    for p in pages:
        p["ratio_to_bare"] = round(p["p50_ms"] / bare, 2) if bare else None
    out["pages"] = pages
    return out


# --- the parent: orchestration, table, JSON -------------------------------------------
def machine() -> dict[str, Any]:
    import sqlite3

    import django

    return {
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "sqlite": sqlite3.sqlite_version,
    }


def run_size(
    size: int, kpis: int, args: argparse.Namespace, pg: Postgres | None, workdir: Path
) -> dict[str, Any]:
    data_dir = tempfile.mkdtemp(prefix=f"size{size}-", dir=workdir)
    (Path(data_dir) / "static").mkdir()  # whitenoise warns when STATIC_ROOT is missing
    db_name = f"bench_{size}"
    database_url = pg.create(db_name) if pg else None
    result_file = Path(data_dir) / "result.json"
    cmd = [
        sys.executable, "-m", "bench.run", "--child", str(size),
        "--requests", str(args.requests), "--warmup", str(args.warmup),
        "--seed", str(args.seed), "--child-out", str(result_file),
        "--register", args.register, "--kpis", str(kpis), "--periods", str(args.periods),
    ]  # fmt: skip
    started = time.perf_counter()
    try:
        subprocess.run(cmd, env=bench_env(data_dir, database_url), cwd=ROOT, check=True)
        result: dict[str, Any] = json.loads(result_file.read_text())
    finally:
        if pg and not args.keep:
            pg.drop(db_name)
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
    result["wall_s"] = round(time.perf_counter() - started, 1)
    return result


def print_table(db: str, results: list[dict[str, Any]]) -> None:
    print(f"\n=== {db} ===")
    header = f"{'size':>7}  {'page':<20} {'p50 ms':>8} {'p95 ms':>8} {'queries':>7} {'x bare':>7}"
    print(header)
    print("-" * len(header))
    for r in results:
        for p in r["pages"]:
            print(
                f"{r['size']:>7}  {p['page']:<20} {p['p50_ms']:>8.1f} {p['p95_ms']:>8.1f} "
                f"{p['queries']:>7} {p['ratio_to_bare']:>7.1f}"
            )
        g = r["generated"]
        made = []
        if g.get("nonconformities"):
            made.append(
                f"{g['nonconformities']} NCs, {g['trail_events']} events in {g['seconds']} s"
            )
        d = g.get("documents")
        if d:
            made.append(
                f"{d['documents']} documents, {d['versions']} versions, {d['body_mb']} MB of "
                f"text, {d['trail_events']} events in {d['seconds']} s"
            )
        pl = g.get("planning")
        if pl:
            made.append(
                f"{pl['kpis']} KPIs, {pl['measurements']} figures, {pl['objectives']} "
                f"objectives, {pl['risks']} risks, {pl['risk_assessments']} assessments, "
                f"{pl['treatment_actions']} actions, {pl['trail_events']} events in "
                f"{pl['seconds']} s"
            )
        print(
            f"{'':>7}  (generated {'; '.join(made)}; verify-trail "
            f"{r['verify_trail']['seconds']} s; database {r.get('database_mb')} MB)"
        )
        if r.get("doc_matches"):
            found = ", ".join(f"{q!r} {n}" for q, n in r["doc_matches"].items())
            print(f"{'':>7}  (documents found: {found})")
        if r.get("planning_counts"):
            c = r["planning_counts"]
            print(
                f"{'':>7}  (risks found by {RISK_SEARCH!r}: {c['risk_search'][RISK_SEARCH]}; "
                f"open {c['open_risks']}, inherent high {c['high_risks']}; "
                f"{c['approved_objectives']} approved objectives)"
            )


def verdict(results: list[dict[str, Any]]) -> list[str]:
    """The issue's aims at the largest size, against the smallest size run."""
    if not results:
        return []
    first, last = results[0], results[-1]
    by_page = {p["page"]: p for p in first["pages"]}
    lines = [f"Aims at {last['size']} records (growth measured from {first['size']}):"]
    for p in last["pages"]:
        if p["page"] == "bare":
            continue
        base = by_page[p["page"]]
        growth = p["p50_ms"] / base["p50_ms"] if base["p50_ms"] else float("nan")
        ok_ratio = p["ratio_to_bare"] <= TARGET_RATIO
        ok_growth = growth <= TARGET_GROWTH
        line = (
            f"  {p['page']:<20} {p['ratio_to_bare']:>6.1f}x bare ({'ok' if ok_ratio else 'MISS'})"
            f"   p50 growth {growth:>6.2f}x ({'ok' if ok_growth else 'MISS'})"
        )
        if p["page"].startswith("doc_search"):
            ok_p95 = p["p95_ms"] < TARGET_SEARCH_P95_MS
            line += f"   p95 {p['p95_ms']:.1f} ms ({'ok' if ok_p95 else 'MISS'})"
        lines.append(line)
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--register",
        choices=[*REGISTERS, "all"],
        default="nonconformities",
        help="which register to fill with SIZE records and bench (default nonconformities; "
        "planning: SIZE risks and --kpis KPIs; all: SIZE of each, every page)",
    )
    parser.add_argument(
        "--kpis",
        type=int,
        nargs="+",
        default=[500],
        help="planning: KPIs per size (one value for every size, or one per size)",
    )
    parser.add_argument("--periods", type=int, default=36, help="planning: figures per KPI")
    parser.add_argument("--pg-url", help="use this PostgreSQL server instead of a throwaway one")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the data dirs and databases")
    parser.add_argument("--out", help="JSON file (default bench/results/<db>-<date>.json)")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--child-out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child is not None:
        result = measure_size(
            args.child,
            args.requests,
            args.warmup,
            args.seed,
            registers_of(args.register),
            kpis=args.kpis[0],
            periods=args.periods,
        )
        Path(args.child_out).write_text(json.dumps(result, indent=2, default=str))
        return

    workdir = Path(tempfile.mkdtemp(prefix="hoshin-bench-"))
    pg = None
    results = []
    try:
        info = machine()
        if args.db == "postgres":
            pg = Postgres(args.pg_url, workdir)
            info["postgresql"] = pg.version()
        if len(args.kpis) not in (1, len(args.sizes)):
            parser.error("--kpis: one value, or one per size")
        kpis = args.kpis * len(args.sizes) if len(args.kpis) == 1 else args.kpis
        for size, n_kpis in zip(args.sizes, kpis, strict=True):
            print(f"--- {args.db}: {size} {args.register}", file=sys.stderr, flush=True)
            results.append(run_size(size, n_kpis, args, pg, workdir))
            print_table(args.db, results[-1:])
    finally:
        if pg:
            pg.stop()
        if args.keep:
            print(f"kept the data dirs in {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    print_table(args.db, results)
    lines = verdict(results)
    print("\n".join(["", *lines]))
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = args.db if args.register == "nonconformities" else f"{args.db}-{args.register}"
    out = Path(args.out) if args.out else RESULTS / f"{name}-{datetime.date.today()}.json"
    payload = {
        "db": args.db,
        "register": args.register,
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": info,
        "requests": args.requests,
        "warmup": args.warmup,
        "kpis": args.kpis,
        "periods": args.periods,
        "results": results,
        "verdict": lines,
    }
    out.write_text(json.dumps(payload, indent=2, default=str))
    print(f"\nwritten {out}")


if __name__ == "__main__":
    main()
