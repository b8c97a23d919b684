"""Time ``hoshin seal`` and ``hoshin verify-trail`` (full and incremental) on a large trail.

    python -m bench.trail --events 1000000 [--per-record 10] [--migrate] [--reuse] [--no-full]

Makes ``events / per-record`` nonconformities, each with a real create event (the one
``Record.save`` wrote for a template record, with its stored values) and ``per-record - 1``
title changes, chained per stream with the hash ``TrailEvent.compute_hash`` gives; rows
and events are written in batches (``bulk_create`` and ``executemany``), bypassing
``save()`` for speed. The rows hold what the trail says, so the cross-check of records
runs its full comparison. Then, timed in-process:

1. ``verify-trail --full`` with no seal (every event recomputed, every record replayed);
2. the first ``seal`` (every stream's head);
3. one comment event appended to 1% of the records (new events after the seal);
4. ``verify-trail`` (incremental: the seal chain, the sealed heads, the new events, and
   the records and signatures against their trail);
5. ``verify-trail --full`` with the seal;
6. the second ``seal`` (only the moved heads);
7. the parts of a check apart: the hash chains alone (full and incremental) and the
   cross-check of records alone.

The database (``HOSHIN_DATA_DIR`` or ``HOSHIN_DATABASE_URL``) must be migrated and hold
no nonconformity; ``--migrate`` migrates it.
"""

from __future__ import annotations

import argparse
import copy
import datetime
import hashlib
import io
import json
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate import setup_django


def chain_hash(payload: dict[str, Any]) -> str:
    blob = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def template() -> Any:
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from hoshin.core import roles
    from hoshin.core.actor import acting_as
    from hoshin.core.models import User
    from hoshin.improvement.models import Nonconformity

    user, _ = User.objects.get_or_create(
        username="bench-trail", defaults={"email": "q@example.com"}
    )
    user.groups.add(Group.objects.get(name=roles.QUALITY_MANAGER))
    with acting_as(user):
        nc = Nonconformity(
            title="Burr on bore of housing H-220",
            description="Found at final inspection, 12 of 200 parts.",
            source="process_monitoring",
            severity="major",
            owner=user,
            detected_on=timezone.localdate(),
        )
        nc.save()
    return nc, user


def generate(events: int, per_record: int, batch: int = 5000) -> tuple[int, int]:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.db.models.base import ModelState
    from django.utils import timezone

    from hoshin.core.models import TrailEvent
    from hoshin.core.models.trail import GENESIS
    from hoshin.core.trail import stream_for
    from hoshin.improvement.models import Nonconformity

    base, user = template()
    create = TrailEvent.objects.get(stream=stream_for(base))
    ct = ContentType.objects.get_for_model(Nonconformity).pk
    records = max(1, events // per_record)
    table = TrailEvent._meta.db_table
    columns = (
        "stream, seq, at, actor_id, actor_label, action, content_type_id, object_id, "
        "reference, changes, message, prev_hash, hash"
    )
    insert = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * 13)})"  # noqa: S608
    start = timezone.now() - datetime.timedelta(days=365)
    year = base.created_at.year
    written = 0
    for first in range(0, records, batch):
        rows = []
        for n in range(first, min(first + batch, records)):
            row = copy.copy(base)
            row._state = ModelState()
            row.pk = None
            row.reference = f"NC-{year}-B{n:07d}"
            row.title = f"{base.title} rev {per_record - 1}" if per_record > 1 else base.title
            row._state.adding = True
            rows.append(row)
        with transaction.atomic():
            Nonconformity.objects.bulk_create(rows, batch_size=1000)
            params = []
            for row in rows:
                stream = stream_for(row)
                prev = GENESIS
                at = start + datetime.timedelta(seconds=row.pk)
                title = base.title
                for seq in range(1, per_record + 1):
                    if seq == 1:
                        action, changes = "create", copy.deepcopy(create.changes)
                        changes["reference"]["after"] = changes["reference"]["value"] = (
                            row.reference
                        )
                    else:
                        new = f"{base.title} rev {seq - 1}"
                        action = "change"
                        changes = {
                            "title": {"label": "title", "before": title, "after": new, "value": new}
                        }
                        title = new
                    at += datetime.timedelta(microseconds=1)
                    payload = {
                        "stream": stream,
                        "seq": seq,
                        "at": at.isoformat(timespec="microseconds"),
                        "actor": user.pk,
                        "actor_label": user.username,
                        "action": action,
                        "content_type": ct,
                        "object_id": row.pk,
                        "reference": row.reference,
                        "changes": changes,
                        "message": "",
                        "prev_hash": prev,
                    }
                    digest = chain_hash(payload)
                    params.append(
                        (
                            stream,
                            seq,
                            at,
                            user.pk,
                            user.username,
                            action,
                            ct,
                            row.pk,
                            row.reference,
                            json.dumps(changes),
                            "",
                            prev,
                            digest,
                        )
                    )
                    prev = digest
            with connection.cursor() as cursor:
                cursor.executemany(insert, params)
        written += len(params)
        print(f"  {written:,} events", end="\r", flush=True)
    print()
    return records, written + 1


def append_comments(share: float) -> int:
    """One comment event (no field change) on a share of the records, through append()."""
    from hoshin.core import trail
    from hoshin.improvement.models import Nonconformity

    step = max(1, round(1 / share))
    count = 0
    ids = list(Nonconformity.objects.order_by("pk").values_list("pk", flat=True))[::step]
    for nc in Nonconformity.objects.filter(pk__in=ids).only("pk", "reference"):
        trail.append(action=trail.TrailAction.COMMENT, instance=nc, message="Checked again")
        count += 1
    return count


def timed(label: str, fn: Any, figures: dict[str, float]) -> Any:
    began = time.perf_counter()
    result = fn()
    figures[label] = time.perf_counter() - began
    print(f"{label:<48} {figures[label]:8.1f} s")
    return result


def command(*args: str) -> str:
    from django.core.management import call_command

    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--per-record", type=int, default=10)
    parser.add_argument("--migrate", action="store_true")
    parser.add_argument(
        "--reuse", action="store_true", help="time the commands on the records already made"
    )
    parser.add_argument(
        "--no-full",
        action="store_true",
        help="leave out the full checks and the parts (their time grows with the events: at "
        "10M, time the seals and the incremental check alone)",
    )
    args = parser.parse_args()
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from hoshin.core import trail
    from hoshin.core.registry import registry

    if args.migrate:
        call_command("migrate", "-v0")
    figures: dict[str, float] = {}
    print(f"{connection.vendor}, {args.events:,} events, {args.per_record} per record")
    if args.reuse:
        from hoshin.core.models import TrailEvent
        from hoshin.improvement.models import Nonconformity

        records, events = Nonconformity.objects.count(), TrailEvent.objects.count()
    else:
        records, events = timed("generate", lambda: generate(args.events, args.per_record), figures)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"{records:,} records, {events:,} events")
    if not args.no_full:
        print(
            timed(
                "verify-trail --full (no seal)", lambda: command("verify_trail", "--full"), figures
            )
        )
    print(timed("seal (first: every stream)", lambda: command("seal"), figures))
    added = timed("append 1% comments", lambda: append_comments(0.01), figures)
    print(f"{added:,} events appended")
    print(timed("verify-trail (incremental)", lambda: command("verify_trail"), figures))
    if args.no_full:
        print(timed("seal (second: moved heads)", lambda: command("seal"), figures))
        return
    print(timed("verify-trail --full (sealed)", lambda: command("verify_trail", "--full"), figures))
    print(timed("seal (second: moved heads)", lambda: command("seal"), figures))
    timed("  chains only, full", lambda: trail.check(full=True), figures)
    timed("  chains only, incremental", lambda: trail.check(), figures)
    models = [rt.model for rt in registry]
    from hoshin.core.trail import _cross_check_records, _cross_check_signatures

    timed(
        "  records cross-check",
        lambda: [_cross_check_records(m, [], 5000) for m in models],
        figures,
    )
    heads = trail.current_heads()
    sealed, states = trail._sealed()
    timed(
        "  records cross-check, against the sealed states",
        lambda: [
            _cross_check_records(m, [], 5000, heads=heads, sealed=sealed, states=states)
            for m in models
        ],
        figures,
    )
    timed("  signatures cross-check", lambda: _cross_check_signatures([]), figures)
    full = figures["verify-trail --full (sealed)"]
    print(f"events verified per second (full): {events / full:,.0f}")


if __name__ == "__main__":
    main()
