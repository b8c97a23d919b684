"""Load test: concurrent people on a served data set (locust), and concurrent writers.

    python -m bench.load --db sqlite --users 50 --count 100000
    python -m bench.load --db postgres --count 100000 --phases day steps writers
    python -m bench.load --data-dir /tmp/x --reuse --phases writers   # data generated before

One run: generate the data (``bench.generate --count N --documents N/10 --migrate``, under
``nice``; skipped with ``--reuse``), serve it with gunicorn (``bench.serve.Server``: --workers
sync workers, --preload, DEBUG off), make an API token for each generated person, then the
phases, each a headless locust run of bench/locustfile.py against that one server:

* ``day``: --users people (every generated person but the read-only external auditor, in
  turn) on the day mix with a think time of 1-5 s, for --seconds after the warm-up;
* ``steps``: the same people and mix paced at each --rates (tasks a second per person),
  --step-seconds each, in one locust run; the throughput at which the overall p95 crosses
  200 ms is read from it;
* ``writers``: --writers clients each reporting nonconformities through the API one after
  another, no think time, for --writer-seconds.

Figures are computed from every request's own time (the locustfile writes them), after the
warm-up (all signed in, plus --warmup s; in a step, its first --settle s are left out).
Prints the tables and writes everything, with the load average before and after each phase,
to bench/results/load-<db>-<date>-<time>.json.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.generate import BENCH_PASSWORD  # noqa: E402
from bench.run import RESULTS, Postgres, bench_env, percentile  # noqa: E402
from bench.serve import BIN, Server, cpu_seconds, pss_mib  # noqa: E402

LOCUSTFILE = ROOT / "bench" / "locustfile.py"
P95_LIMIT_MS = 200.0
# Every generated person but the read-only external auditor (who may not write), with
# their API token and the nonconformities they own (quality managers may edit any, but
# each is given only their own so that two people never edit one record): open ones to
# edit, reported ones without nonconforming output to contain (no authorisation needed).
PEOPLE = """
import json
from rest_framework.authtoken.models import Token
from hoshin.core import roles
from hoshin.core.models import User
from hoshin.improvement.models import Nonconformity
people = []
for user in User.objects.exclude(username="extaudit").order_by("pk"):
    own = Nonconformity.objects.filter(owner=user).order_by("-pk")
    people.append({
        "username": user.username,
        "pk": user.pk,
        "token": Token.objects.get_or_create(user=user)[0].key,
        "manager": bool(user.roles & roles.EDIT_ALL),
        "open": list(own.exclude(status__in=["closed", "void"]).values_list("pk", flat=True)[:40]),
        "reported": list(own.filter(status="reported", quantity_nonconforming__isnull=True)
                         .values_list("pk", flat=True)[:40]),
    })
print(json.dumps(people))
"""


def loadavg() -> str:
    return Path("/proc/loadavg").read_text().strip()


# --- one locust run -------------------------------------------------------------------------
def run_locust(
    server: Server,
    work: Path,
    name: str,
    *,
    user_class: str,
    users: int,
    people: list[dict[str, Any]],
    schedule: list[tuple[float, float]],
) -> tuple[float, list[dict[str, Any]], dict[str, Any]]:
    """Runs locust for the schedule's total time; its start and every request sample."""
    samples = work / f"samples-{name}.jsonl"
    config = work / f"config-{name}.json"
    config.write_text(
        json.dumps(
            {
                "people": people,
                "password": BENCH_PASSWORD,
                "schedule": schedule,
                "samples": str(samples),
            }
        )
    )
    seconds = sum(s for s, _r in schedule)
    cmd = [
        str(BIN / "locust"), "-f", str(LOCUSTFILE), "--headless", "--host", server.base,
        "--users", str(users), "--spawn-rate", str(min(users, 10)),
        "--run-time", f"{int(seconds)}s", "--stop-timeout", "10", "--only-summary",
        "--loglevel", "WARNING", user_class,
    ]  # fmt: skip
    env = dict(os.environ, HOSHIN_LOAD_CONFIG=str(config))
    load: dict[str, Any] = {"before": loadavg()}
    # CPU the server and locust used: load-independent cost per request (other work on
    # the machine stretches the latencies, not the CPU time).
    server_cpu = cpu_seconds(server.pids())
    with open(work / f"locust-{name}.log", "w") as log:
        child = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        _pid, _status, usage = os.wait4(child.pid, 0)
    load["after"] = loadavg()
    load["server_cpu_s"] = round(cpu_seconds(server.pids()) - server_cpu, 1)
    load["locust_cpu_s"] = round(usage.ru_utime + usage.ru_stime, 1)
    lines = [json.loads(line) for line in samples.read_text().splitlines()]
    return lines[0]["start"], lines[1:], load


def summarise(rows: list[dict[str, Any]], seconds: float) -> dict[str, Any]:
    """p50/p95/p99/max per request name and overall, failures and requests a second."""
    by_name: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_name[row["n"]].append(row)

    def stats(group: list[dict[str, Any]]) -> dict[str, Any]:
        times = [r["ms"] for r in group]
        errors: dict[str, int] = defaultdict(int)
        for r in group:
            if r["e"]:
                errors[r["e"]] += 1
        return {
            "requests": len(group),
            "per_s": round(len(group) / seconds, 2),
            "p50": round(percentile(times, 0.50), 1),
            "p95": round(percentile(times, 0.95), 1),
            "p99": round(percentile(times, 0.99), 1),
            "max": round(max(times), 1),
            "failures": sum(errors.values()),
            "errors": dict(errors),
        }

    out = {n: stats(g) for n, g in sorted(by_name.items())}
    if rows:
        out["all"] = stats(rows)
    return out


def measured(rows: list[dict[str, Any]], start: float, end: float) -> list[dict[str, Any]]:
    return [r for r in rows if start <= r["t"] < end and not r["n"].startswith("login")]


def signed_in_at(rows: list[dict[str, Any]]) -> float:
    logins = [r["t"] for r in rows if r["n"] == "login"]
    return max(logins) if logins else rows[0]["t"]


# --- phases ---------------------------------------------------------------------------------
def day(server: Server, work: Path, people: list[dict[str, Any]], args: Any) -> dict[str, Any]:
    _start, rows, load = run_locust(
        server, work, "day", user_class="Person", users=args.users, people=people,
        schedule=[(args.warmup_budget + args.seconds, 0.0)],
    )  # fmt: skip
    begin = signed_in_at(rows) + args.warmup
    end = max(r["t"] for r in rows)
    table = summarise(measured(rows, begin, end), end - begin)
    logins = summarise([r for r in rows if r["n"] == "login"], 1.0).get("login")
    print_table(f"day mix, {args.users} users, think time 1-5 s, {end - begin:.0f} s", table)
    cost = cpu_per_request(load, rows)
    return {
        "seconds": round(end - begin, 1),
        "load": load,
        "table": table,
        "logins": logins,
        "server_cpu_ms_per_request": cost,
    }


def steps(server: Server, work: Path, people: list[dict[str, Any]], args: Any) -> dict[str, Any]:
    schedule = [(args.warmup_budget, args.rates[0])] + [(args.step_seconds, r) for r in args.rates]
    start, rows, load = run_locust(
        server, work, "steps", user_class="Person", users=args.users, people=people,
        schedule=schedule,
    )  # fmt: skip
    out = []
    at = start + args.warmup_budget
    for rate in args.rates:
        begin, end = at + args.settle, at + args.step_seconds
        overall = summarise(measured(rows, begin, end), end - begin).get("all", {})
        out.append({"rate_per_user": rate, "offered_tasks_per_s": rate * args.users, **overall})
        at += args.step_seconds
    crossing = next((s for s in out if s.get("p95", 0) > P95_LIMIT_MS), None)
    below = [s for s in out if s.get("p95", 0) <= P95_LIMIT_MS]
    print(f"\nsteps, {args.users} users, {args.step_seconds:.0f} s each")
    cost = cpu_per_request(load, rows)
    print(f"{'tasks/s/user':>12} {'offered':>8} {'req/s':>7} {'p50':>7} {'p95':>7} {'p99':>7} fail")
    for s in out:
        print(
            f"{s['rate_per_user']:>12} {s['offered_tasks_per_s']:>8.0f} {s.get('per_s', 0):>7} "
            f"{s.get('p50', '-'):>7} {s.get('p95', '-'):>7} {s.get('p99', '-'):>7} "
            f"{s.get('failures', '-')}"
        )
    return {
        "step_seconds": args.step_seconds,
        "settle": args.settle,
        "load": load,
        "steps": out,
        "server_cpu_ms_per_request": cost,
        "last_below_200ms_req_per_s": below[-1]["per_s"] if below else None,
        "first_above_200ms_req_per_s": crossing["per_s"] if crossing else None,
    }


def writers(server: Server, work: Path, people: list[dict[str, Any]], args: Any) -> dict[str, Any]:
    chosen = [p for p in people if p["username"].startswith(("owner", "employee"))]
    start, rows, load = run_locust(
        server, work, "writers", user_class="Writer", users=args.writers, people=chosen,
        schedule=[(args.writer_seconds + 5, 0.0)],
    )  # fmt: skip
    begin = start + 5
    end = max(r["t"] for r in rows)
    table = summarise(measured(rows, begin, end), end - begin)
    print_table(f"writers: {args.writers} clients creating through the API", table)
    cost = cpu_per_request(load, rows)
    return {
        "seconds": round(end - begin, 1),
        "load": load,
        "table": table,
        "server_cpu_ms_per_request": cost,
    }


def cpu_per_request(load: dict[str, Any], rows: list[dict[str, Any]]) -> float:
    """The server's CPU milliseconds per request over the whole run (sign-ins included)."""
    cost = round(1000 * load["server_cpu_s"] / max(len(rows), 1), 1)
    print(f"load average {load['before']} -> {load['after']}")
    print(
        f"server CPU {load['server_cpu_s']} s for {len(rows)} requests ({cost} ms each, "
        f"sign-ins included); locust {load['locust_cpu_s']} s"
    )
    return cost


def print_table(title: str, table: dict[str, Any]) -> None:
    print(f"\n{title}")
    print(f"{'request':<28} {'n':>6} {'req/s':>7} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>8} fail")
    for name, s in table.items():
        print(
            f"{name:<28} {s['requests']:>6} {s['per_s']:>7} {s['p50']:>7} {s['p95']:>7} "
            f"{s['p99']:>7} {s['max']:>8} {s['failures']}"
        )
        for error, n in s["errors"].items():
            print(f"    {n} x {error}")


# --- set-up ---------------------------------------------------------------------------------
def generate(env: dict[str, str], args: Any) -> dict[str, Any]:
    documents = args.count // 10 if args.documents is None else args.documents
    cmd = ["nice", "-n", "10", sys.executable, "-m", "bench.generate", "--count", str(args.count)]
    cmd += ["--documents", str(documents), "--migrate"]
    began, load = time.time(), loadavg()
    subprocess.run(cmd, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return {"seconds": round(time.time() - began, 1), "documents": documents, "load": load}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--count", type=int, default=10000, help="nonconformities")
    parser.add_argument("--documents", type=int, default=None, help="default: count / 10")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--workers", type=int, default=5, help="gunicorn workers")
    parser.add_argument(
        "--threads", type=int, default=1, help="per worker (hoshin/gunicorn_conf.py: 4)"
    )
    parser.add_argument("--port", type=int, default=8200)
    parser.add_argument("--phases", nargs="+", default=["day", "steps", "writers"])
    parser.add_argument("--seconds", type=float, default=120.0, help="day mix, measured")
    parser.add_argument("--warmup", type=float, default=10.0, help="after the last sign-in")
    parser.add_argument("--warmup-budget", type=float, default=40.0, help="time to sign in")
    parser.add_argument(
        "--rates", type=float, nargs="+", default=[0.3, 0.5, 0.7, 0.9, 1.2, 1.6, 2.0]
    )
    parser.add_argument("--step-seconds", type=float, default=45.0)
    parser.add_argument("--settle", type=float, default=10.0, help="left out of each step")
    parser.add_argument("--writers", type=int, default=10)
    parser.add_argument("--writer-seconds", type=float, default=30.0)
    parser.add_argument("--data-dir", help="keep the data here (default: a temporary folder)")
    parser.add_argument("--reuse", action="store_true", help="the data are there: no generate")
    parser.add_argument("--pg-url", help="a PostgreSQL server (default: a throwaway cluster)")
    parser.add_argument("--pg-database", default="hoshin_load")
    args = parser.parse_args(argv)

    work = Path(args.data_dir or tempfile.mkdtemp(prefix="hoshin-load-"))
    work.mkdir(parents=True, exist_ok=True)
    pg = Postgres(args.pg_url, work) if args.db == "postgres" else None
    result: dict[str, Any] = {
        "db": args.db,
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "args": vars(args),
    }
    server = None
    try:
        if pg:
            url = pg.database_url(args.pg_database) if args.reuse else pg.create(args.pg_database)
            result["postgresql"] = pg.version()
        else:
            url = None
        env = bench_env(str(work), url)
        if not args.reuse:
            result["generate"] = generate(env, args)
        server = Server(
            work, database_url=url, port=args.port, workers=args.workers, threads=args.threads
        ).start()
        result["pss_mib_at_start"] = round(pss_mib(server.pids()), 1)
        for phase in args.phases:
            # Read again before each phase: the one before contained some of the records.
            people = json.loads(server.hoshin("shell", "-c", PEOPLE).strip().splitlines()[-1])
            result[phase] = {"day": day, "steps": steps, "writers": writers}[phase](
                server, work, people, args
            )
        result["pss_mib_at_end"] = round(pss_mib(server.pids()), 1)
    finally:
        if server:
            server.stop()
        if pg:
            if not args.data_dir:
                pg.drop(args.pg_database)
            pg.stop()
        if not args.data_dir:
            shutil.rmtree(work, ignore_errors=True)
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y-%m-%d-%H%M%S")  # one file per run
    path = RESULTS / f"load-{args.db}-{stamp}.json"
    path.write_text(json.dumps(result, indent=1))
    print(f"\nwritten to {path}")


if __name__ == "__main__":
    main()
