"""How often, and for how long, one create through the API takes SQLite's write lock.

    HOSHIN_DATA_DIR=/tmp/x python -m bench.writelock [--user employee1] [--creates 50]

On an existing data set (bench.generate; it adds --creates nonconformities to it), one
process, no other writer: every create goes through the API as in production (the test
client, token authentication) while an execute wrapper notes each write transaction, from
its ``BEGIN IMMEDIATE`` to its commit, and each write made outside a transaction
(autocommit: the lock is taken and released by that one statement). Under concurrent
writers each of these is a separate wait for the lock; with SQLite's busy handler a
waiting writer sleeps and polls (1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, then 100 ms),
so it can be overtaken by later writers again and again.
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from bench.generate import setup_django


class LockLog:
    """Write-lock holds of the default connection: (kind, milliseconds, what)."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self.holds: list[tuple[str, float, str]] = []
        self._began: float | None = None
        self._statements = 0
        self._commit = connection._commit
        connection._commit = self.commit

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            head = sql.lstrip().split(None, 1)[0].upper()
            if head == "BEGIN":
                self._began, self._statements = started, 0
            elif self._began is not None:
                self._statements += 1
            elif head in ("INSERT", "UPDATE", "DELETE", "REPLACE"):
                table = sql.split('"')[1] if '"' in sql else sql[:40]
                self.holds.append(("autocommit", ms(started), f"{head} {table}"))

    def commit(self) -> None:
        self._commit()
        if self._began is not None:
            self.holds.append(("transaction", ms(self._began), f"{self._statements} statements"))
            self._began = None


def ms(since: float) -> float:
    return (time.perf_counter() - since) * 1000


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--user", default="employee1")
    parser.add_argument("--creates", type=int, default=50)
    args = parser.parse_args(argv)
    setup_django()
    from django.db import connection
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from hoshin.core.models import User

    user = User.objects.get(username=args.user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    body = {
        "title": "Write-lock probe",
        "description": "One create, its write transactions timed.",
        "source": "employee_report",
        "severity": "minor",
        "detected_on": datetime.date.today().isoformat(),
    }
    log = LockLog(connection)
    totals, per_create = [], []
    with connection.execute_wrapper(log):
        for _ in range(args.creates):
            log.holds = []
            started = time.perf_counter()
            response = client.post("/api/nonconformities/", body, format="json")
            totals.append(ms(started))
            if response.status_code != 201:
                raise SystemExit(f"create refused: {response.status_code} {response.content!r}")
            per_create.append(log.holds)
    kinds = Counter(f"{kind}: {what}" for holds in per_create for kind, _ms, what in holds)
    tx = [sum(t for k, t, _w in holds if k == "transaction") for holds in per_create]
    held = [sum(t for _k, t, _w in holds) for holds in per_create]
    print(f"{args.creates} creates as {args.user} ({connection.vendor})")
    print(f"request p50 {statistics.median(totals):.1f} ms, max {max(totals):.1f} ms")
    print(f"write locks taken per create: {len(per_create[-1])}")
    for what, n in kinds.most_common():
        print(f"  {what}: {n} times in {args.creates} creates")
    print(
        f"the create transaction holds the lock p50 {statistics.median(tx):.1f} ms, "
        f"max {max(tx):.1f} ms; all holds together p50 {statistics.median(held):.1f} ms"
    )


if __name__ == "__main__":
    main()
