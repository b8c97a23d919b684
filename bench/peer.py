"""Hoshin's REST API side by side with ERPNext's, in one run on one machine (issue 11).

    python -m bench.peer --count 100000 [--reuse] [--db sqlite|postgres] [--rounds 200]
        [--seconds 10] [--connections 10] [--erp-base http://127.0.0.1:8001] ...

ERPNext must already be served (MariaDB, Redis, gunicorn: its own scripts); this tool only
talks to it over HTTP, with the settings given on the command line. Hoshin's side: a data
set of N nonconformities (``bench.generate --count N --migrate`` into ``--data-dir``, or the
one already there with ``--reuse``), served by ``bench.serve.Server`` (gunicorn, 5 sync
workers, --preload, as ERPNext's production config).

The same cases against both: a list of 20, a list of 20 filtered by status, page 200 of
20, one record, create, update (the title), a workflow transition (Hoshin: ``void`` with
its comment, a step that carries no fields; ERPNext: status Open -> Resolved). Hoshin's
reads are measured in the full representation, ``?view=brief`` and ``?fields=`` with the
six fields ERPNext's list is asked for (ERPNext returns only what is asked).

1. Sequential latency, one client with keep-alive: every case, the servers interleaved
   request by request, round after round, so a load swing hits both (p50/p95/p99).
2. Throughput with wrk at ``--connections`` for each read case and create, one server
   after the other per case (req/s, wrk's p50/p95, non-2xx answers).
   The served set's CPU time per request is taken around each wrk run (/proc/<pid>/stat):
   on a shared machine it tells what each server costs where req/s tells who got the CPU.
3. PSS of each served process set: Hoshin's gunicorn master and workers; ERPNext's gunicorn,
   MariaDB and both Redis servers (the processes listening on ``--erp-ports``).

Prints a markdown table with the load average at the start and end, and writes everything
to ``bench/results/peer-<db>-<count>-<date>.json``.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.run import RESULTS, Postgres, bench_env, machine, percentile  # noqa: E402
from bench.serve import Server, cpu_seconds, pss_mib  # noqa: E402

API = "/api/nonconformities/"
ERP_RESOURCE = "/api/resource/" + quote("Non Conformance")
# The fields ERPNext's list is asked for, and Hoshin's equivalents (name is the reference).
ERP_FIELDS = ("name", "subject", "status", "procedure", "process_owner", "modified")
LEAN_FIELDS = ("reference", "title", "status", "process", "owner", "updated_at")
# What Hoshin's create sends: the fields of the form any employee uses.
CREATE_FIELDS = (
    "description",
    "source",
    "severity",
    "process",
    "site",
    "product_ref",
    "lot_ref",
    "quantity_nonconforming",
    "detected_on",
)
READS = ("list 20", "list 20 filtered", "list 20 page 200", "one record")
WRITES = ("create", "update", "transition")
VARIANTS = {"full": "", "brief": "view=brief", "fields": "fields=" + ",".join(LEAN_FIELDS)}

# wrk: a random path from $WRK_PATHS (one a line) or the URL's, method $WRK_METHOD, body
# $WRK_BODY with RND replaced per request; one JSON line at the end.
WRK_LUA = r"""
local paths = {}
local method = os.getenv("WRK_METHOD") or "GET"
local body = os.getenv("WRK_BODY")
local f = os.getenv("WRK_PATHS")
if f and f ~= "" then for l in io.lines(f) do if l ~= "" then paths[#paths + 1] = l end end end
math.randomseed(os.time())
request = function()
  local p = (#paths > 0) and paths[math.random(#paths)] or wrk.path
  if body then
    local b = body:gsub("RND", tostring(math.random(1, 1000000000)))
    return wrk.format(method, p, nil, b)
  end
  return wrk.format(method, p)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('JSON {"requests": %d, "secs": %.2f, "rps": %.1f, "p50_ms": %.1f, "p95_ms": %.1f, "p99_ms": %.1f, "max_ms": %.1f, "non2xx": %d, "connect_err": %d, "read_err": %d, "timeouts": %d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / summary.duration * 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, e.status, e.connect, e.read, e.timeout))
end
"""


# --- HTTP: one keep-alive connection per server, the same client for both -------------
class Client:
    def __init__(self, base: str, headers: dict[str, str]) -> None:
        parts = urlsplit(base)
        self.base = base
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.headers = {"Accept": "application/json", **headers}
        self.conn: http.client.HTTPConnection | None = None

    def request(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> tuple[int, bytes, http.client.HTTPResponse]:
        data = None if body is None else json.dumps(body).encode()
        hdrs = {**self.headers, **(headers or {})}
        if data is not None:
            hdrs["Content-Type"] = "application/json"
        for attempt in (1, 2):  # once more on a fresh connection (a worker recycled)
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
            try:
                self.conn.request(method, path, body=data, headers=hdrs)
                response = self.conn.getresponse()
                return response.status, response.read(), response
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def json(self, method: str, path: str, body: Any = None) -> Any:
        status, content, _r = self.request(method, path, body)
        if status >= 400:
            raise RuntimeError(f"{method} {self.base}{path}: {status} {content[:300]!r}")
        return json.loads(content)


@dataclass
class Case:
    """One request kind on one server: a callable for the sequential run and, for the
    throughput run, what wrk sends (paths, method, body with RND)."""

    name: str
    server: str  # "hoshin" or "erpnext"
    variant: str  # Hoshin's representation ("full", "brief", "fields"); "" for ERPNext
    call: Callable[[], tuple[int, bytes]]
    expect: int = 200
    wrk_paths: list[str] = field(default_factory=list)
    wrk_method: str = "GET"
    wrk_body: str | None = None

    @property
    def label(self) -> str:
        return f"{self.server} {self.name}" + (f" ({self.variant})" if self.variant else "")


def _call(client: Client, method: str, path: str, body: Any = None) -> tuple[int, bytes]:
    status, content, _r = client.request(method, path, body)
    return status, content


def deep_page(total: int) -> int:
    """Page 200 of 20, or the last full page of a smaller register."""
    return max(1, min(200, total // 20))


# --- Hoshin's cases -----------------------------------------------------------------
def hoshin_cases(client: Client, status: str, pool: int) -> list[Case]:
    rng = random.Random(1)
    total = client.json("GET", f"{API}?fields=id&page_size=1")["count"]
    ids = _hoshin_ids(client, total, rng)
    editable = _hoshin_rows(client, "actions", 100)
    voidable = _hoshin_rows(client, "reported", pool) + _hoshin_rows(client, "contained", pool)
    if len(voidable) < pool:
        raise SystemExit(f"only {len(voidable)} reported/contained NCs for {pool} transitions")
    sample = client.json("GET", f"{API}{ids[0]}/")
    body = {k: sample[k] for k in CREATE_FIELDS if sample.get(k) is not None}
    cases = []
    for variant, query in VARIANTS.items():
        q = f"&{query}" if query else ""
        one_paths = [f"{API}{i}/" + (f"?{query}" if query else "") for i in ids]
        reads = {
            "list 20": f"{API}?page_size=20{q}",
            "list 20 filtered": f"{API}?page_size=20&status={status}{q}",
            "list 20 page 200": f"{API}?page_size=20&page={deep_page(total)}{q}",
        }
        for name, path in reads.items():
            cases.append(Case(name, "hoshin", variant, _fixed(client, path), wrk_paths=[path]))
        cases.append(
            Case(
                "one record",
                "hoshin",
                variant,
                _random(client, one_paths, rng),
                wrk_paths=one_paths,
            )
        )
    create = dict(body, title="peer RND")
    cases.append(
        Case(
            "create",
            "hoshin",
            "",
            lambda: _call(client, "POST", API, {**body, "title": f"peer {rng.randrange(10**9)}"}),
            expect=201,
            wrk_paths=[API],
            wrk_method="POST",
            wrk_body=json.dumps(create),
        )
    )
    cases.append(Case("update", "hoshin", "", _hoshin_update(client, editable, rng)))
    cases.append(Case("transition", "hoshin", "", _hoshin_void(client, voidable)))
    return cases


def _hoshin_ids(client: Client, total: int, rng: random.Random) -> list[int]:
    """500 ids from five random pages of the whole register."""
    pages = max(1, total // 100)
    ids: list[int] = []
    for page in rng.sample(range(1, pages + 1), min(5, pages)):
        rows = client.json("GET", f"{API}?fields=id&page_size=100&page={page}")["results"]
        ids += [r["id"] for r in rows]
    return ids


def _hoshin_rows(client: Client, status: str, n: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    page = 1
    while len(rows) < n:
        answer = client.json(
            "GET", f"{API}?status={status}&fields=id,version&page_size=500&page={page}"
        )
        rows += answer["results"]
        if not answer["next"]:
            break
        page += 1
    return rows[:n]


def _fixed(client: Client, path: str) -> Callable[[], tuple[int, bytes]]:
    return lambda: _call(client, "GET", path)


def _random(
    client: Client, paths: list[str], rng: random.Random
) -> Callable[[], tuple[int, bytes]]:
    return lambda: _call(client, "GET", rng.choice(paths))


def _hoshin_update(
    client: Client, rows: list[dict[str, Any]], rng: random.Random
) -> Callable[[], tuple[int, bytes]]:
    """PATCH the title with the version last read (kept from each answer)."""
    versions = {r["id"]: r["version"] for r in rows}
    order = list(versions)

    def call() -> tuple[int, bytes]:
        pk = order[rng.randrange(len(order))]
        body = {"title": f"peer update {rng.randrange(10**9)}", "version": versions[pk]}
        status, content = _call(client, "PATCH", f"{API}{pk}/", body)
        if status == 200:
            versions[pk] = json.loads(content)["version"]
        return status, content

    return call


def _hoshin_void(client: Client, rows: list[dict[str, Any]]) -> Callable[[], tuple[int, bytes]]:
    todo = iter(rows)

    def call() -> tuple[int, bytes]:
        row = next(todo)
        body = {
            "transition": "void",
            "comment": "Raised twice (peer bench).",
            "version": row["version"],
        }
        return _call(client, "POST", f"{API}{row['id']}/transition/", body)

    return call


# --- ERPNext's cases ----------------------------------------------------------------
def erp_login(client: Client, user: str, password: str) -> str:
    status, content, response = client.request(
        "POST", "/api/method/login", {"usr": user, "pwd": password}
    )
    if status != 200:
        raise SystemExit(f"ERPNext login failed: {status} {content[:200]!r}")
    for header, value in response.getheaders():
        if header.lower() == "set-cookie" and value.startswith("sid="):
            return value.split(";", 1)[0].split("=", 1)[1]
    raise SystemExit("ERPNext login gave no sid cookie")


def erp_cases(client: Client, pool: int) -> list[Case]:
    rng = random.Random(1)
    fields = json.dumps(list(ERP_FIELDS))
    open_filter = json.dumps([["status", "=", "Open"]])

    def res(**params: Any) -> str:
        return f"{ERP_RESOURCE}?{urlencode(params)}"

    def names(**params: Any) -> list[str]:
        return [d["name"] for d in client.json("GET", res(**params))["data"]]

    procs = [
        d["name"]
        for d in client.json(
            "GET", "/api/resource/" + quote("Quality Procedure") + "?limit_page_length=100"
        )["data"]
    ]
    total = erp_count(client)
    some: list[str] = []
    for start in rng.sample(range(0, max(1, total - 100)), 5):
        some += names(limit_page_length=100, limit_start=start)
    editable = names(filters=open_filter, limit_page_length=100)
    resolvable = names(filters=open_filter, limit_page_length=pool, limit_start=100)
    if len(resolvable) < pool:
        raise SystemExit(f"only {len(resolvable)} Open NCs for {pool} transitions")
    reads = {
        "list 20": res(limit_page_length=20, fields=fields),
        "list 20 filtered": res(limit_page_length=20, fields=fields, filters=open_filter),
        "list 20 page 200": res(
            limit_page_length=20, limit_start=(deep_page(total) - 1) * 20, fields=fields
        ),
    }
    cases = [Case(n, "erpnext", "", _fixed(client, p), wrk_paths=[p]) for n, p in reads.items()]
    one_paths = [f"{ERP_RESOURCE}/{quote(n)}" for n in some]
    cases.append(
        Case("one record", "erpnext", "", _random(client, one_paths, rng), wrk_paths=one_paths)
    )

    def body() -> dict[str, str]:
        return {
            "subject": f"peer {rng.randrange(10**9)}",
            "procedure": rng.choice(procs),
            "status": "Open",
            "details": "<p>Found during audit.</p>",
        }

    create = dict(body(), subject="peer RND")
    cases.append(
        Case(
            "create",
            "erpnext",
            "",
            lambda: _call(client, "POST", ERP_RESOURCE, body()),
            wrk_paths=[ERP_RESOURCE],
            wrk_method="POST",
            wrk_body=json.dumps(create),
        )
    )
    cases.append(
        Case(
            "update",
            "erpnext",
            "",
            lambda: _call(
                client,
                "PUT",
                f"{ERP_RESOURCE}/{quote(rng.choice(editable))}",
                {"subject": f"peer update {rng.randrange(10**9)}"},
            ),
        )
    )
    todo = iter(resolvable)
    cases.append(
        Case(
            "transition",
            "erpnext",
            "",
            lambda: _call(
                client, "PUT", f"{ERP_RESOURCE}/{quote(next(todo))}", {"status": "Resolved"}
            ),
        )
    )
    return cases


def erp_count(client: Client, filters: str = "[]") -> int:
    query = urlencode({"doctype": "Non Conformance", "filters": filters})
    return int(client.json("GET", f"/api/method/frappe.client.get_count?{query}")["message"])


def erp_versions(client: Client) -> dict[str, str]:
    try:
        answer = client.json("GET", "/api/method/frappe.utils.change_log.get_versions")
        return {app: v.get("version", "?") for app, v in answer["message"].items()}
    except (RuntimeError, KeyError, ValueError, AttributeError):
        return {}


# --- 1. sequential latency, interleaved -----------------------------------------------
def sequential(cases: list[Case], rounds: int, warmup: int) -> dict[str, dict[str, Any]]:
    """Round after round, every case once on each server in turn (one case's Hoshin
    variants then ERPNext, then the next case), so that load swings hit both alike."""
    times: dict[str, list[float]] = {c.label: [] for c in cases}
    sizes: dict[str, int] = {}
    errors: dict[str, list[str]] = {c.label: [] for c in cases}
    for r in range(warmup + rounds):
        for case in cases:
            started = time.perf_counter()
            status, content = case.call()
            elapsed = (time.perf_counter() - started) * 1000
            if status != case.expect:
                errors[case.label].append(f"{status} {content[:200]!r}")
                if len(errors[case.label]) > 5:
                    raise SystemExit(f"{case.label}: {errors[case.label]}")
                continue
            if r >= warmup:
                times[case.label].append(elapsed)
                sizes[case.label] = len(content)
    out = {}
    for case in cases:
        t = times[case.label]
        out[case.label] = {
            "p50_ms": round(percentile(t, 0.5), 2) if t else None,
            "p95_ms": round(percentile(t, 0.95), 2) if t else None,
            "p99_ms": round(percentile(t, 0.99), 2) if t else None,
            "mean_ms": round(statistics.mean(t), 2) if t else None,
            "n": len(t),
            "bytes": sizes.get(case.label),
            "errors": errors[case.label],
        }
    return out


# --- 2. throughput with wrk -------------------------------------------------------------
def wrk(
    case: Case, base: str, headers: dict[str, str], workdir: Path, seconds: int, connections: int
) -> dict[str, Any]:
    lua = workdir / "peer.lua"
    lua.write_text(WRK_LUA)
    env = dict(os.environ, WRK_METHOD=case.wrk_method)
    env.pop("WRK_BODY", None)
    env.pop("WRK_PATHS", None)
    hdrs = dict(headers)
    if case.wrk_body is not None:
        env["WRK_BODY"] = case.wrk_body
        hdrs["Content-Type"] = "application/json"
    if len(case.wrk_paths) > 1:
        paths = workdir / "paths.txt"
        paths.write_text("\n".join(case.wrk_paths) + "\n")
        env["WRK_PATHS"] = str(paths)
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "-s", str(lua)]
    for key, value in hdrs.items():
        cmd += ["-H", f"{key}: {value}"]
    cmd.append(base + case.wrk_paths[0])
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("JSON "))
    result: dict[str, Any] = json.loads(line[5:])
    return result


# --- 3. memory ----------------------------------------------------------------------------
def listening_pids(ports: list[int]) -> dict[int, list[int]]:
    """The processes holding a listening socket on each port (gunicorn's workers share
    their master's), from /proc: the served process set of a server we did not start."""
    inodes: dict[str, int] = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            parts = line.split()
            port = int(parts[1].rsplit(":", 1)[1], 16)
            if parts[3] == "0A" and port in ports:  # 0A: LISTEN
                inodes[f"socket:[{parts[9]}]"] = port
    found: dict[int, set[int]] = {p: set() for p in ports}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fds = list((entry / "fd").iterdir())
        except OSError:
            continue
        for fd in fds:
            try:
                link = os.readlink(fd)
            except OSError:  # closed meanwhile
                continue
            if link in inodes:
                found[inodes[link]].add(int(entry.name))
    return {port: sorted(pids) for port, pids in found.items()}


# --- Hoshin's data set ------------------------------------------------------------------
def prepare_data(
    args: argparse.Namespace, pg: Postgres | None
) -> tuple[Path, str | None, dict[str, Any]]:
    data_dir = Path(
        args.data_dir or Path(tempfile.gettempdir()) / f"hoshin-peer-{args.db}-{args.count}"
    )
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "static").mkdir(exist_ok=True)  # whitenoise warns when STATIC_ROOT is missing
    marker = data_dir / "peer-generated.json"
    database_url = pg.database_url(f"hoshin_peer_{args.count}") if pg else None
    if args.reuse:
        info = json.loads(marker.read_text()) if marker.exists() else {"count": args.count}
        return data_dir, database_url, info
    if pg:
        database_url = pg.create(f"hoshin_peer_{args.count}")
    started = time.perf_counter()
    cmd = ["nice", "-n", str(args.nice), sys.executable, "-m", "bench.generate"]
    cmd += ["--count", str(args.count), "--migrate"]
    subprocess.run(cmd, env=bench_env(str(data_dir), database_url), cwd=ROOT, check=True)
    info = {"count": args.count, "generate_s": round(time.perf_counter() - started, 1)}
    marker.write_text(json.dumps(info))
    return data_dir, database_url, info


# --- report ------------------------------------------------------------------------------
def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def table(result: dict[str, Any]) -> str:
    lat, thr = result["latency"], result["throughput"]
    rows = [
        "| case | Hoshin p50 / p95 ms | Hoshin req/s (CPU ms/req) | ERPNext p50 / p95 ms "
        "| ERPNext req/s (CPU ms/req) | p50 H/E |",
        "|---|---:|---:|---:|---:|---:|",
    ]

    def cell(stats: dict[str, Any] | None) -> str:
        if not stats or stats["p50_ms"] is None:
            return "-"
        return f"{stats['p50_ms']:.1f} / {stats['p95_ms']:.1f}"

    def rps(label: str) -> str:
        t = thr.get(label)
        if not t:
            return "-"
        bad = t["non2xx"] + t["connect_err"] + t["read_err"] + t["timeouts"]
        cpu = f" ({t['cpu_ms_per_request']:.1f})" if "cpu_ms_per_request" in t else ""
        return f"{t['rps']:.0f}{cpu}" + (f", {bad} errors" if bad else "")

    for name in (*READS, *WRITES):
        erp = f"erpnext {name}"
        variants = [f" ({v})" for v in VARIANTS] if name in READS else [""]
        for suffix in variants:
            label = f"hoshin {name}{suffix}"
            h, e = lat.get(label), lat.get(erp)
            ratio = "-"
            if h and e and h["p50_ms"] and e["p50_ms"]:
                ratio = f"{h['p50_ms'] / e['p50_ms']:.2f}"
            rows.append(
                f"| {name}{suffix} | {cell(h)} | {rps(label)} | {cell(e)} | {rps(erp)} | {ratio} |"
            )
    mem = result["pss_mib"]
    erp_total = sum(mem["erpnext"].values())
    parts = ", ".join(f"{k} {v:.0f}" for k, v in mem["erpnext"].items())
    rows.append(f"| PSS MiB | {mem['hoshin']:.0f} | | {erp_total:.0f} ({parts}) | | |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100000, help="Hoshin's nonconformities")
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--pg-url", help="an existing PostgreSQL server (else a throwaway one)")
    parser.add_argument("--data-dir", help="default: <tmp>/hoshin-peer-<db>-<count>")
    parser.add_argument("--reuse", action="store_true", help="use the data set already there")
    parser.add_argument("--keep", action="store_true", help="keep the throwaway PostgreSQL")
    parser.add_argument("--nice", type=int, default=10, help="niceness of the generation")
    parser.add_argument("--port", type=int, default=8100, help="Hoshin's gunicorn")
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument(
        "--threads", type=int, default=1, help="per Hoshin worker (hoshin/gunicorn_conf.py: 4)"
    )
    parser.add_argument("--rounds", type=int, default=200, help="timed rounds per case")
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration per run")
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--status", default="investigated", help="Hoshin's filtered list")
    parser.add_argument("--erp-base", default="http://127.0.0.1:8001")
    parser.add_argument("--erp-host", default="qms.localhost", help="ERPNext's site")
    parser.add_argument("--erp-user", default="Administrator")
    parser.add_argument("--erp-password", default="sbs-admin")
    parser.add_argument(
        "--erp-ports",
        type=int,
        nargs="+",
        default=[8001, 3307, 13000, 11000],
        help="ERPNext's served set for PSS: the processes listening on these (gunicorn, "
        "MariaDB, Redis cache and queue)",
    )
    args = parser.parse_args(argv)
    if args.db == "postgres" and args.reuse and not args.pg_url:
        parser.error("--reuse on PostgreSQL needs --pg-url (the throwaway cluster is deleted)")

    workdir = Path(tempfile.mkdtemp(prefix="hoshin-peer-"))
    pg = Postgres(args.pg_url, workdir) if args.db == "postgres" else None
    try:
        data_dir, database_url, data = prepare_data(args, pg)
        with Server(
            data_dir,
            database_url=database_url,
            port=args.port,
            workers=args.workers,
            threads=args.threads,
        ) as server:
            result = measure(args, server, workdir)
        result["data"] = {**data, "dir": str(data_dir), "db": args.db}
        if pg:
            result["machine"]["postgresql"] = pg.version()
    finally:
        if pg and not args.keep:
            pg.stop()
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M")
    out = RESULTS / f"peer-{args.db}-{args.count}-{stamp}.json"
    out.write_text(json.dumps(result, indent=1))
    print(f"\nHoshin {args.count} NCs ({args.db}) against ERPNext {result['erpnext_versions']}")
    print(f"load average: start {result['load_start']}, end {result['load_end']}\n")
    print(table(result))
    print(f"\nwritten to {out}")


def measure(args: argparse.Namespace, server: Server, workdir: Path) -> dict[str, Any]:
    load_start = loadavg()
    pool = args.rounds + args.warmup
    h_headers = {"Authorization": f"Token {server.token('quality')}"}
    hoshin = Client(server.base, h_headers)
    erp = Client(args.erp_base, {"Host": args.erp_host})
    erp.headers["Cookie"] = f"sid={erp_login(erp, args.erp_user, args.erp_password)}"
    h_cases, e_cases = hoshin_cases(hoshin, args.status, pool), erp_cases(erp, pool)
    by_name = [c for name in (*READS, *WRITES) for c in (*h_cases, *e_cases) if c.name == name]
    print(
        f"load {load_start}; sequential: {args.rounds} rounds of {len(by_name)} requests",
        flush=True,
    )
    latency = sequential(by_name, args.rounds, args.warmup)

    throughput = {}
    headers = {"hoshin": {**hoshin.headers}, "erpnext": {**erp.headers}}
    bases = {"hoshin": server.base, "erpnext": args.erp_base}
    for case in by_name:
        if not case.wrk_paths:
            continue
        print(f"wrk {case.label}", flush=True)
        # The CPU the served set spends per request: what a loaded machine cannot hide.
        pids = server.pids() if case.server == "hoshin" else _all(listening_pids(args.erp_ports))
        cpu = cpu_seconds(pids)
        result = wrk(
            case, bases[case.server], headers[case.server], workdir, args.seconds, args.connections
        )
        cpu = cpu_seconds(pids) - cpu
        result["cpu_ms_per_request"] = round(1000 * cpu / max(1, result["requests"]), 2)
        throughput[case.label] = result

    erp_pids = listening_pids(args.erp_ports)
    names = dict(
        zip(args.erp_ports, ["gunicorn", "mariadb", "redis cache", "redis queue"], strict=False)
    )
    pss = {
        "hoshin": round(pss_mib(server.pids()), 1),
        "erpnext": {names.get(p, str(p)): round(pss_mib(pids), 1) for p, pids in erp_pids.items()},
    }
    return {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "hoshin_commit": _git("rev-parse", "--short", "HEAD"),
        "erpnext_versions": erp_versions(erp),
        "settings": {
            k: getattr(args, k)
            for k in (
                "count",
                "db",
                "rounds",
                "warmup",
                "seconds",
                "connections",
                "status",
                "workers",
                "threads",
            )
        },
        "filtered_share": _shares(hoshin, erp, args.status),
        "load_start": load_start,
        "load_end": loadavg(),
        "latency": latency,
        "throughput": throughput,
        "pss_mib": pss,
        "pids": {"hoshin": server.pids(), "erpnext": erp_pids},
    }


def _all(by_port: dict[int, list[int]]) -> list[int]:
    return sorted({pid for pids in by_port.values() for pid in pids})


def _shares(hoshin: Client, erp: Client, status: str) -> dict[str, float]:
    """How much of each register the filtered list's filter matches."""
    h_all = hoshin.json("GET", f"{API}?fields=id&page_size=1")["count"]
    h_some = hoshin.json("GET", f"{API}?fields=id&page_size=1&status={status}")["count"]
    e_some = erp_count(erp, json.dumps([["status", "=", "Open"]]))
    return {"hoshin": round(h_some / h_all, 3), "erpnext": round(e_some / erp_count(erp), 3)}


def _git(*args: str) -> str:
    out = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    return out.stdout.strip()


if __name__ == "__main__":
    main()
