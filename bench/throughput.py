"""Create throughput with concurrent clients, through ``Record.save`` (trail, counter, locks).

    python -m bench.throughput [--db sqlite postgres] [--clients 1 10] [--seconds 10]

For each database: a fresh data dir (and a fresh PostgreSQL database on a throwaway
cluster, or on --pg-url), migrate, generate --base records, then for each client count
start that many worker processes (like gunicorn workers; --mode threads runs them as
threads of one process) that each create nonconformities in a loop as a different
person (``acting_as``) for --seconds. Reports creates/s, p50/p95 create latency and
the failures by message (e.g. "database is locked"), then checks the result: every
trail chain verifies and the references are unique and gap-free.
"""

from __future__ import annotations

import argparse
import datetime
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter as Tally
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: python bench/throughput.py
    sys.path.insert(0, str(ROOT))

from bench.run import RESULTS, Postgres, bench_env, machine, percentile  # noqa: E402


# --- inside a worker process -----------------------------------------------------------
def create_loop(username: str, start: float, seconds: float) -> dict[str, Any]:
    """Create nonconformities as ``username`` from ``start`` for ``seconds``."""
    from django.db import connection
    from django.utils import timezone

    from hoshin.context.models import Process
    from hoshin.core.actor import acting_as
    from hoshin.core.models import User
    from hoshin.improvement.models import Nonconformity

    user = User.objects.get(username=username)
    process = Process.objects.order_by("?").first()
    latencies: list[float] = []
    errors: Tally[str] = Tally()
    time.sleep(max(0.0, start - time.time()))
    end = start + seconds
    n = 0
    while time.time() < end:
        n += 1
        nc = Nonconformity(
            title=f"Burr on bore of housing H-220 ({username} #{n})",
            description="Found at final inspection, 12 of 200 parts.",
            source="process_monitoring",
            severity="major",
            process=process,
            owner=user,
            detected_by=user,
            detected_on=timezone.localdate(),
            due_date=timezone.localdate() + datetime.timedelta(days=30),
        )
        t0 = time.perf_counter()
        try:
            with acting_as(user):
                nc.save()
        except Exception as exc:  # count every failure by its message
            errors[f"{type(exc).__name__}: {str(exc)[:120]}"] += 1
        else:
            latencies.append((time.perf_counter() - t0) * 1000)
    connection.close()
    return {"latencies": latencies, "errors": dict(errors)}


def worker_main(usernames: list[str], start: float, seconds: float, mode: str) -> dict[str, Any]:
    from bench.generate import setup_django

    setup_django()
    if mode == "processes":
        return create_loop(usernames[0], start, seconds)
    results: list[dict[str, Any]] = []
    lock = threading.Lock()

    def run(name: str) -> None:
        result = create_loop(name, start, seconds)
        with lock:
            results.append(result)

    threads = [threading.Thread(target=run, args=(n,)) for n in usernames]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    merged: dict[str, Any] = {"latencies": [], "errors": Tally()}
    for r in results:
        merged["latencies"] += r["latencies"]
        merged["errors"].update(r["errors"])
    merged["errors"] = dict(merged["errors"])
    return merged


def prepare_main(base: int) -> dict[str, Any]:
    from bench.generate import setup_django

    setup_django()
    from django.core.management import call_command

    from bench.generate import generate

    call_command("migrate", verbosity=0, interactive=False)
    return generate(base, quiet=True)


def check_main() -> dict[str, Any]:
    """After the run: chains intact, references unique and gap-free per year."""
    from bench.generate import setup_django

    setup_django()
    from hoshin.core import trail
    from hoshin.core.models import Counter
    from hoshin.improvement.models import Nonconformity

    checked, broken = trail.verify()
    gaps = {}
    for counter in Counter.objects.filter(key__startswith="NC-"):
        numbers = sorted(
            int(ref.rsplit("-", 1)[1])
            for ref in Nonconformity.objects.filter(
                reference__startswith=counter.key + "-"
            ).values_list("reference", flat=True)
        )
        if numbers != list(range(1, counter.value + 1)):
            gaps[counter.key] = {"counter": counter.value, "found": len(numbers)}
    return {
        "trail_events": checked,
        "trail_ok": broken is None,
        "trail_break": str(broken) if broken else None,
        "reference_gaps": gaps,
        "nonconformities": Nonconformity.objects.count(),
    }


# --- the parent ------------------------------------------------------------------------
def child(args: list[str], env: dict[str, str], out: Path) -> dict[str, Any]:
    subprocess.run(
        [sys.executable, "-m", "bench.throughput", *args, "--child-out", str(out)],
        env=env,
        cwd=ROOT,
        check=True,
    )
    result: dict[str, Any] = json.loads(out.read_text())
    return result


USERNAMES = [f"owner{i}" for i in range(1, 13)] + [f"employee{i}" for i in range(1, 41)]


def run_db(db: str, args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    pg = Postgres(args.pg_url, workdir) if db == "postgres" else None
    data_dir = Path(tempfile.mkdtemp(prefix=f"throughput-{db}-", dir=workdir))
    try:
        url = pg.create("bench_throughput") if pg else None
        env = bench_env(str(data_dir), url)
        out: dict[str, Any] = {"db": db, "base": args.base, "runs": []}
        if pg:
            out["postgresql"] = pg.version()
        child(["--prepare", str(args.base)], env, data_dir / "prepare.json")
        for clients in args.clients:
            start = time.time() + 4.0 + clients * 0.3  # after every worker's django.setup()
            procs = []
            if args.mode == "processes":
                groups = [[USERNAMES[i % len(USERNAMES)]] for i in range(clients)]
            else:
                groups = [[USERNAMES[i % len(USERNAMES)] for i in range(clients)]]
            for i, names in enumerate(groups):
                path = data_dir / f"worker-{clients}-{i}.json"
                cmd = [
                    sys.executable, "-m", "bench.throughput", "--worker", ",".join(names),
                    "--start", repr(start), "--seconds", str(args.seconds),
                    "--mode", args.mode, "--child-out", str(path),
                ]  # fmt: skip
                procs.append((subprocess.Popen(cmd, env=env, cwd=ROOT), path))
            latencies: list[float] = []
            errors: Tally[str] = Tally()
            for proc, path in procs:
                if proc.wait() != 0:
                    errors[f"worker exited with status {proc.returncode}"] += 1
                    continue
                r = json.loads(path.read_text())
                latencies += r["latencies"]
                errors.update(r["errors"])
            run = {
                "clients": clients,
                "seconds": args.seconds,
                "creates": len(latencies),
                "creates_per_s": round(len(latencies) / args.seconds, 1),
                "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
                "p95_ms": round(percentile(latencies, 0.95), 1) if latencies else None,
                "max_ms": round(max(latencies), 1) if latencies else None,
                "failures": sum(errors.values()),
                "errors": dict(errors),
            }
            out["runs"].append(run)
            print(
                f"{db:<9} {clients:>3} clients: {run['creates_per_s']:>7} creates/s  "
                f"p50 {run['p50_ms']} ms  p95 {run['p95_ms']} ms  failures {run['failures']}",
                flush=True,
            )
        out["check"] = child(["--check"], env, data_dir / "check.json")
        return out
    finally:
        if pg:
            pg.stop()
        shutil.rmtree(data_dir, ignore_errors=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--db", nargs="+", choices=["sqlite", "postgres"], default=["sqlite", "postgres"]
    )
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--base", type=int, default=1000, help="records generated first")
    parser.add_argument("--mode", choices=["processes", "threads"], default="processes")
    parser.add_argument("--pg-url", help="use this PostgreSQL server instead of a throwaway one")
    parser.add_argument("--out", help="JSON file (default bench/results/throughput-<date>.json)")
    parser.add_argument("--prepare", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--start", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--check", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--child-out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.prepare is not None:
        Path(args.child_out).write_text(json.dumps(prepare_main(args.prepare)))
        return
    if args.worker:
        result = worker_main(args.worker.split(","), args.start, args.seconds, args.mode)
        Path(args.child_out).write_text(json.dumps(result))
        return
    if args.check:
        Path(args.child_out).write_text(json.dumps(check_main()))
        return

    workdir = Path(tempfile.mkdtemp(prefix="hoshin-throughput-"))
    try:
        results = [run_db(db, args, workdir) for db in args.db]
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    for r in results:
        c = r["check"]
        print(
            f"{r['db']}: trail {'intact' if c['trail_ok'] else 'BROKEN ' + str(c['trail_break'])}"
            f" ({c['trail_events']} events), reference gaps: {c['reference_gaps'] or 'none'}"
        )
        for run in r["runs"]:
            for message, n in run["errors"].items():
                print(f"  {run['clients']} clients: {n} x {message}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = Path(args.out) if args.out else RESULTS / f"throughput-{datetime.date.today()}.json"
    payload = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "mode": args.mode,
        "results": results,
    }
    out.write_text(json.dumps(payload, indent=2, default=str))
    print(f"written {out}")


if __name__ == "__main__":
    main()
