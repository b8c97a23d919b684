"""Writing and verifying the audit trail."""

from __future__ import annotations

import datetime
import decimal
import hashlib
import json
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone

from hoshin.core import actor as actor_ctx
from hoshin.core.models.trail import GENESIS, TrailAction, TrailEvent, TrailSeal


def stream_for(instance: models.Model) -> str:
    return f"{instance._meta.label_lower}:{instance.pk}"


def jsonable(value: Any) -> Any:
    """A stable JSON form of a field value (the hash must survive a database round trip)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float | decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return str(value)


def _lock_stream(stream: str) -> None:
    # SQLite: the IMMEDIATE transaction already holds the database write lock.
    # PostgreSQL: a transaction-scoped advisory lock on this stream only.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [stream])


def append(
    *,
    action: str,
    instance: models.Model | None = None,
    stream: str | None = None,
    reference: str = "",
    changes: dict[str, Any] | None = None,
    message: str = "",
    actor: Any = None,
    actor_label: str | None = None,
) -> TrailEvent:
    """Append one event to the trail of ``instance`` (or of a named ``stream``)."""
    if actor is None:
        actor = actor_ctx.current_actor()
    if actor_label is None:
        actor_label = actor.get_username() if actor is not None else actor_ctx.current_label()
    content_type = None
    object_id = None
    if instance is not None:
        trail_owner = instance  # a child's events go to its top-most record's trail
        while getattr(trail_owner, "trail_parent", None) is not None:
            trail_owner = trail_owner.trail_parent  # type: ignore[attr-defined]
        content_type = ContentType.objects.get_for_model(type(trail_owner))
        object_id = trail_owner.pk
        stream = stream or stream_for(trail_owner)
        reference = reference or str(getattr(trail_owner, "reference", "") or trail_owner.pk)
    if not stream:
        raise ValueError("A trail event needs a record or a stream.")
    with transaction.atomic():
        _lock_stream(stream)
        last = (
            TrailEvent.objects.filter(stream=stream)
            .order_by("-seq")
            .values_list("seq", "hash")
            .first()
        )
        seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS)
        event = TrailEvent(
            stream=stream,
            seq=seq,
            at=timezone.now(),
            actor=actor,
            actor_label=actor_label[:150],
            action=action,
            content_type=content_type,
            object_id=object_id,
            reference=reference[:60],
            changes=jsonable(changes or {}),
            message=message,
            prev_hash=prev_hash,
        )
        event.hash = event.compute_hash()
        event.save(force_insert=True)
    return event


def m2m_values(instance: models.Model, names: list[str]) -> dict[str, list[str]]:
    """The current members of many-to-many fields, as sorted labels (for the trail)."""
    return {name: sorted(str(o) for o in getattr(instance, name).all()) for name in names}


def append_m2m_changes(
    instance: models.Model,
    before: dict[str, list[str]],
    after: dict[str, list[str]],
    message: str = "",
) -> None:
    """Many-to-many fields are not columns of the record, so ``save()`` cannot see them
    change: callers that set them write the change here, in the same transaction."""
    changes = {
        name: {
            "label": str(instance._meta.get_field(name).verbose_name),  # type: ignore[union-attr]
            "before": ", ".join(before.get(name, [])) or None,
            "after": ", ".join(values),
        }
        for name, values in after.items()
        if values != before.get(name, [])
    }
    if changes:
        append(action=TrailAction.CHANGE, instance=instance, changes=changes, message=message)


@dataclass
class Break:
    event_id: int
    stream: str
    seq: int
    problem: str

    def __str__(self) -> str:
        return f"event #{self.event_id} (stream {self.stream}, seq {self.seq}): {self.problem}"


def verify(batch: int = 5000) -> tuple[int, Break | None]:
    """Recompute every chain. Returns (events checked, first break by event id or None)."""
    checked = 0
    first: Break | None = None
    stream: str | None = None
    expected_seq = 1
    prev_hash = GENESIS
    for event in _ordered(batch):
        checked += 1
        if event.stream != stream:
            stream, expected_seq, prev_hash = event.stream, 1, GENESIS
        problem = None
        if event.seq != expected_seq:
            problem = (
                f"sequence {event.seq} found where {expected_seq} was expected (missing event)"
            )
        elif event.prev_hash != prev_hash:
            problem = "does not point at the previous event's hash"
        elif event.compute_hash() != event.hash:
            problem = "content does not match its hash (edited)"
        if problem and (first is None or event.pk < first.event_id):
            first = Break(event.pk, event.stream, event.seq, problem)
        expected_seq = event.seq + 1
        prev_hash = event.hash
    return checked, first


def _ordered(batch: int) -> Iterator[TrailEvent]:
    return TrailEvent.objects.order_by("stream", "seq").iterator(chunk_size=batch)


def record_history(instance: models.Model) -> models.QuerySet[TrailEvent]:
    content_type = ContentType.objects.get_for_model(type(instance))
    return (
        TrailEvent.objects.filter(content_type=content_type, object_id=instance.pk)
        .select_related("actor")
        .order_by("id")
    )


# --- Seals -------------------------------------------------------------------------------


class SealRefused(Exception):
    """The trail no longer agrees with the last seal: sealing now would bless tampering."""


def current_heads() -> dict[str, tuple[int, str]]:
    """Every stream's newest event: ``{stream: (seq, hash)}``, in one query."""
    table = connection.ops.quote_name(TrailEvent._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT t.stream, t.seq, t.hash FROM {table} t JOIN "  # noqa: S608 - table name
            f"(SELECT stream, MAX(seq) AS seq FROM {table} GROUP BY stream) h "
            "ON t.stream = h.stream AND t.seq = h.seq"
        )
        return {stream: (seq, digest) for stream, seq, digest in cursor.fetchall()}


def sealed_heads(seals: list[TrailSeal] | None = None) -> dict[str, tuple[int, str]]:
    """Every stream's head as the chain of seals last recorded it."""
    return _sealed(seals)[0]


def _sealed(
    seals: list[TrailSeal] | None = None,
) -> tuple[dict[str, tuple[int, str]], dict[str, str]]:
    """Heads, and the states of the records' rows, as the chain of seals last recorded them.

    A seal's entry is ``[stream, seq, hash]``, with the digest of the record's row as
    found right against its trail when the stream is a record's."""
    heads: dict[str, tuple[int, str]] = {}
    states: dict[str, str] = {}
    for item in seals if seals is not None else TrailSeal.objects.order_by("id"):
        for entry in item.heads:
            heads[entry[0]] = (entry[1], entry[2])
            if len(entry) > 3:
                states[entry[0]] = entry[3]
    return heads, states


def _lock_seals() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended('hoshin-seal', 0))")


def latest_seal() -> TrailSeal | None:
    return TrailSeal.objects.order_by("-id").first()


def seal(
    now: datetime.datetime | None = None,
    registers: Iterable[type[models.Model]] = (),
    batch: int = 5000,
) -> TrailSeal:
    """Write the next seal: the heads that moved since the last one, chained to it,
    with the state of each record of ``registers`` found right against its trail.

    Refused (:class:`SealRefused`) when a stream's head went back, vanished, or
    changed at its sealed sequence, or a record differs from its trail: a new seal
    must never bless that.
    """
    with transaction.atomic():
        _lock_seals()
        seals = list(TrailSeal.objects.order_by("id"))
        before, before_states = _sealed(seals)
        heads = current_heads()
        problems = _head_problems(
            {stream: {seq: (h, "the last seal")} for stream, (seq, h) in before.items()}, heads
        )
        found: dict[str, str] = {}
        for model in registers:
            _cross_check_records(
                model,
                problems,
                batch,
                heads=heads,
                sealed=before,
                states=before_states,
                found=found,
            )
        if problems:
            raise SealRefused("; ".join(problems[:20]))
        moved = sorted(
            [stream, seq, digest, *([found[stream]] if stream in found else [])]
            for stream, (seq, digest) in heads.items()
            if before.get(stream) != (seq, digest)
            or (stream in found and found[stream] != before_states.get(stream))
        )
        last = TrailEvent.objects.order_by("-id").values_list("id", flat=True).first()
        item = TrailSeal(
            at=now or timezone.now(),
            events=TrailEvent.objects.count(),
            streams=len(heads),
            last_event=last or 0,
            heads=moved,
            prev_digest=seals[-1].digest if seals else GENESIS,
        )
        item.digest = item.compute_digest()
        item.save(force_insert=True)
    return item


def record_digest(item: TrailSeal) -> None:
    """Keep the digest outside the database: append it to HOSHIN_SEAL_DIGEST_FILE when set."""
    path = getattr(settings, "HOSHIN_SEAL_DIGEST_FILE", "")
    if not path:
        return
    line = f"{item.at.isoformat(timespec='seconds')} seal #{item.pk} events {item.events} {item.digest}\n"
    with open(path, "a", encoding="utf-8") as out:
        out.write(line)


# --- Verifying -----------------------------------------------------------------------------

Anchors = dict[str, dict[int, tuple[str, str]]]  # stream -> {seq: (hash, which seal)}


@dataclass
class Report:
    full: bool
    events: int = 0  # events whose hash and link were recomputed
    anchors: int = 0  # stream heads compared with the seals
    seals: int = 0
    latest: TrailSeal | None = None
    records: int = 0
    signatures: int = 0
    problems: list[str] = field(default_factory=list)
    sealed: dict[str, tuple[int, str]] = field(default_factory=dict)
    states: dict[str, str] = field(default_factory=dict)

    @property
    def intact(self) -> bool:
        return not self.problems


def _head_problems(anchors: Anchors, heads: dict[str, tuple[int, str]]) -> list[str]:
    problems = []
    for stream in sorted(anchors):
        marks = anchors[stream]
        top = max(marks)
        if stream not in heads:
            problems.append(f"stream {stream} removed: sealed at seq {top}, no event left")
        elif heads[stream][0] < top:
            problems.append(
                f"stream {stream} truncated: sealed at seq {top}, now {heads[stream][0]}"
            )
        elif heads[stream][0] == top and heads[stream][1] != marks[top][0]:
            problems.append(
                f"stream {stream} rewritten: event seq {top}'s hash differs from {marks[top][1]}"
            )
    return problems


def _check_seals(seals: list[TrailSeal], digest: str | None, report: Report) -> Anchors:
    """Recompute the chain of seals; the anchors to check the streams against (and, in
    ``report.sealed``/``report.states``, the latest seal's view)."""
    anchors: Anchors = {}
    views: list[tuple[str, dict[str, tuple[int, str]]]] = []
    heads: dict[str, tuple[int, str]] = {}
    prev = GENESIS
    kept = None
    for item in seals:
        report.seals += 1
        if item.compute_digest() != item.digest:
            report.problems.append(
                f"seal #{item.pk}: its content does not match its digest (edited)"
            )
        if item.prev_digest != prev:
            report.problems.append(
                f"seal #{item.pk}: does not point at the previous seal's digest "
                "(a seal was removed or the chain rewritten)"
            )
        prev = item.digest
        for entry in item.heads:
            heads[entry[0]] = (entry[1], entry[2])
            if len(entry) > 3:
                report.states[entry[0]] = entry[3]
        if digest is not None and item.digest == digest:
            kept = item
            views.append((f"seal #{item.pk} (the kept digest)", dict(heads)))
    if seals:
        report.latest = seals[-1]
        report.sealed = heads
        views.append((f"seal #{seals[-1].pk}", heads))
    if digest is not None and kept is None:
        report.problems.append(
            f"digest {digest} is not the digest of any seal: the chain of seals was "
            "rewritten (or the digest is from another installation)"
        )
    for label, view in views:
        for stream, (seq, h) in view.items():
            marks = anchors.setdefault(stream, {})
            if marks.get(seq, (h,))[0] == h:
                marks[seq] = (h, label)
            else:  # two seals disagree about the same event: one of them was forged
                report.problems.append(
                    f"stream {stream}: seq {seq} sealed with two different hashes ({label})"
                )
    return anchors


_ROW = (
    "id",
    "stream",
    "seq",
    "at",
    "actor_id",
    "actor_label",
    "action",
    "content_type_id",
    "object_id",
    "reference",
    "changes",
    "message",
    "prev_hash",
    "hash",
)


def _row_hash(row: tuple[Any, ...]) -> str:
    """TrailEvent.compute_hash from a values row (no model instance: verifying is faster)."""
    (_id, stream, seq, at, actor, label, action, ct, oid, ref, changes, message, prev, _h) = row
    payload = {
        "stream": stream,
        "seq": seq,
        "at": at.isoformat(timespec="microseconds"),
        "actor": actor,
        "actor_label": label,
        "action": action,
        "content_type": ct,
        "object_id": oid,
        "reference": ref,
        "changes": changes,
        "message": message,
        "prev_hash": prev,
    }
    blob = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def _check_chain(
    stream: str, rows: list[tuple[Any, ...]], start: int, marks: dict[int, tuple[str, str]]
) -> tuple[int, str | None]:
    """Recompute one stream's events from ``start``: (checked, first problem or None)."""
    expected, prev = start, GENESIS if start == 1 else None
    problem = None
    seen = set()
    for row in rows:
        event_id, seq, stored, prev_hash = row[0], row[2], row[13], row[12]
        seen.add(seq)
        what = None
        if seq != expected:
            what = f"sequence {seq} found where {expected} was expected (missing event)"
        elif prev is not None and prev_hash != prev:
            what = "does not point at the previous event's hash"
        elif _row_hash(row) != stored:
            what = "content does not match its hash (edited)"
        elif seq in marks and marks[seq][0] != stored:
            what = f"hash differs from {marks[seq][1]} (the stream was rewritten)"
        if what and problem is None:
            problem = f"event #{event_id} (stream {stream}, seq {seq}): {what}"
        expected, prev = seq + 1, stored
    if problem is None:
        for seq in sorted(marks):
            if seq >= start and seq not in seen and seq < expected:
                problem = f"stream {stream}: sealed event seq {seq} is missing"
                break
    return len(rows), problem


def _by_stream(rows: Iterator[tuple[Any, ...]]) -> Iterator[tuple[str, list[tuple[Any, ...]]]]:
    stream: str | None = None
    chunk: list[tuple[Any, ...]] = []
    for row in rows:
        if row[1] != stream:
            if chunk:
                yield stream, chunk  # type: ignore[misc]
            stream, chunk = row[1], []
        chunk.append(row)
    if chunk:
        yield stream, chunk  # type: ignore[misc]


def check(
    *,
    full: bool = False,
    digest: str | None = None,
    registers: Iterable[type[models.Model]] = (),
    batch: int = 5000,
) -> Report:
    """Everything ``hoshin verify-trail`` checks; every problem is named in the report.

    The chain of seals is recomputed and each stream compared with the seals (a
    stream removed, cut short or rehashed since it was sealed is named). Incremental
    (the default) recomputes only the events after each stream's sealed head and
    compares the sealed heads themselves; ``full`` recomputes every event (an event
    edited in place before the last seal is found only so). Then every record of
    ``registers`` and every signature is compared with what its trail says: a record
    whose stream has not moved since the last seal is compared with the state of its
    row that seal recorded, every other one rebuilt from its events (``full``: all).
    """
    report = Report(full=full)
    seals = list(TrailSeal.objects.order_by("id"))
    anchors = _check_seals(seals, digest, report)
    heads = current_heads()
    report.problems.extend(_head_problems(anchors, heads))
    report.anchors = sum(len(m) for m in anchors.values())
    columns = TrailEvent.objects.values_list(*_ROW)
    if full or not anchors:
        rows = columns.order_by("stream", "seq").iterator(chunk_size=batch)
        for stream, chunk in _by_stream(rows):
            checked, problem = _check_chain(stream, chunk, 1, anchors.get(stream, {}))
            report.events += checked
            if problem:
                report.problems.append(problem)
    else:
        starts = {}
        for stream, (seq, _h) in heads.items():
            marks = anchors.get(stream)
            if not marks:
                starts[stream] = 1  # new since the seal
            elif seq > min(marks):
                starts[stream] = min(marks)
            # else: the head is the sealed event, compared above
        names = sorted(starts)
        step = 200
        for i in range(0, len(names), step):
            q = models.Q()
            for name in names[i : i + step]:
                q |= models.Q(stream=name, seq__gte=starts[name])
            for stream, chunk in _by_stream(iter(columns.filter(q).order_by("stream", "seq"))):
                checked, problem = _check_chain(
                    stream, chunk, starts[stream], anchors.get(stream, {})
                )
                report.events += checked
                if problem:
                    report.problems.append(problem)
    for model in registers:
        report.records += _cross_check_records(
            model,
            report.problems,
            batch,
            heads=heads,
            sealed=report.sealed,
            states={} if full else report.states,
        )
    report.signatures = _cross_check_signatures(report.problems)
    return report


# --- Records and signatures against their trail -------------------------------------------

_EMPTY: tuple[Any, ...] = (None, "", [], {})


def _show(value: Any) -> str:
    text = str(value)
    return f"'{text[:60]}…'" if len(text) > 60 else f"'{text}'"


def _same(field: models.Field[Any, Any], trailed: Any, stored: Any) -> bool:
    if jsonable(trailed) == jsonable(stored):
        return True
    try:
        return bool(field.to_python(trailed) == field.to_python(stored))
    except Exception:  # a value the field cannot read is not the same value
        return False


@dataclass
class _Register:
    """What the cross-check needs of one register's model."""

    model: type[models.Model]

    def __post_init__(self) -> None:
        probe: Any = self.model()
        self.probe = probe
        derived: frozenset[str] = getattr(self.model, "trail_derived_fields", frozenset())
        self.fields: list[Any] = [f for f in probe.tracked_fields() if f.name not in derived]
        self.by_name = {f.name: f for f in self.fields}
        self.prefix = f"{self.model._meta.label_lower}:"
        self.ct = ContentType.objects.get_for_model(self.model)

    def stored(self, row: tuple[Any, ...]) -> list[Any]:
        return [
            self.probe._stored(f, v) if f.name in self.probe.trail_digest_fields else v
            for f, v in zip(self.fields, row[2:], strict=True)
        ]

    def state(self, row: tuple[Any, ...]) -> str:
        """A digest of the row's trailed values as read (kept in a seal for rows found
        right; compared with the row as read again, so no conversion is needed)."""
        blob = json.dumps(row[2:], separators=(",", ":"), default=str)
        return hashlib.sha256(blob.encode()).hexdigest()[:32]

    def compare(self, row: tuple[Any, ...], trail: list[Any], problems: list[str]) -> bool:
        """Replay the record's own events (each field's ``value``) and compare with the row.
        False when the trail has no values to rebuild from (events of an older Hoshin)."""
        reference = row[1]
        state: dict[str, Any] = {}
        for changes in trail:
            for name, change in (changes or {}).items():
                if name in self.by_name and isinstance(change, dict) and "value" in change:
                    state[name] = change["value"]
        if not state:
            return False
        # A record created before events carried values has only its later changes
        # to rebuild from; one created since has every value it was created with.
        complete = any(isinstance(c, dict) and "value" in c for c in (trail[0] or {}).values())
        for f, stored in zip(self.fields, self.stored(row), strict=True):
            if f.name in state:
                if not _same(f, state[f.name], stored):
                    problems.append(
                        f"{reference}: {f.name} is {_show(stored)} in the record, "
                        f"{_show(state[f.name])} in its trail"
                    )
            elif complete and stored not in _EMPTY and not _same(f, f.get_default(), stored):
                problems.append(
                    f"{reference}: {f.name} is {_show(stored)} in the record, "
                    "never set in its trail"
                )
        return True


def _cross_check_records(
    model: type[models.Model],
    problems: list[str],
    batch: int,
    *,
    heads: dict[str, tuple[int, str]] | None = None,
    sealed: dict[str, tuple[int, str]] | None = None,
    states: dict[str, str] | None = None,
    found: dict[str, str] | None = None,
) -> int:
    """Compare every row of ``model`` with its trail, a batch of rows at a time.

    A row whose stream has not moved since the last seal and whose values still hash to
    the state that seal recorded (``states``) is right without reading its events;
    every other row is rebuilt from its events. ``found`` receives the state of each
    row found right (what the next seal records). Returns the rows compared."""
    reg = _Register(model)
    heads = current_heads() if heads is None else heads
    sealed, states = sealed or {}, states or {}
    rows = model._base_manager.order_by("pk").values_list(
        "pk", "reference", *[f.attname for f in reg.fields]
    )
    checked = 0
    seen: set[str] = set()
    after = None
    while True:
        chunk = list(rows.filter(pk__gt=after)[:batch] if after is not None else rows[:batch])
        replay: dict[int, tuple[tuple[Any, ...], str, str]] = {}
        for row in chunk:
            stream = f"{reg.prefix}{row[0]}"
            seen.add(stream)
            if stream not in heads:
                problems.append(f"{row[1]}: no event of this record is left in the trail")
                continue
            state = reg.state(row)
            if stream in states and states[stream] == state and sealed.get(stream) == heads[stream]:
                checked += 1
                if found is not None:
                    found[stream] = state
            else:
                replay[row[0]] = (row, stream, state)
        if replay:
            trails: dict[int, list[Any]] = {}
            events = TrailEvent.objects.filter(content_type=reg.ct).order_by("object_id", "id")
            if len(replay) == len(chunk) and chunk:
                events = events.filter(object_id__gte=chunk[0][0], object_id__lte=chunk[-1][0])
            else:
                events = events.filter(object_id__in=list(replay))
            for oid, changes in events.values_list("object_id", "changes").iterator(
                chunk_size=batch
            ):
                if oid in replay:
                    trails.setdefault(oid, []).append(changes)
            for pk, (row, stream, state) in replay.items():
                before = len(problems)
                if reg.compare(row, trails.get(pk, [{}]), problems):
                    checked += 1
                if found is not None and len(problems) == before:
                    found[stream] = state
        if len(chunk) < batch:
            break
        after = chunk[-1][0]
    for stream in sorted(s for s in heads if s.startswith(reg.prefix) and s not in seen):
        problems.append(
            f"stream {stream}: in the trail but not in its register (the record's row was deleted)"
        )
    return checked


def _cross_check_signatures(problems: list[str]) -> int:
    """Each signature row against the signature events of the trail (signer, meaning and
    signed content's hash): a row without its event, or an event without its row, is named."""
    from hoshin.core.models.journal import Signature

    waiting: dict[tuple[str, str, str], list[tuple[int, str]]] = {}
    for event_id, reference, changes in (
        TrailEvent.objects.filter(action=TrailAction.SIGNATURE)
        .order_by("id")
        .values_list("id", "reference", "changes")
        .iterator()
    ):
        changes = changes or {}
        key = (
            str(changes.get("signer", "")),
            str(changes.get("meaning", "")),
            str(changes.get("content_hash", "")),
        )
        waiting.setdefault(key, []).append((event_id, reference))
    count = 0
    for pk, reference, signer, meaning, content_hash in (
        Signature.objects.order_by("id")
        .values_list("pk", "reference", "signer__username", "meaning", "content_hash")
        .iterator()
    ):
        count += 1
        match = waiting.get((str(signer), meaning, content_hash))
        if match:
            match.pop(0)
        else:
            problems.append(
                f"signature #{pk} of {reference} ({meaning} by {signer}): not in the trail, "
                "or differs from it"
            )
    for (signer, meaning, _hash), left in waiting.items():
        for event_id, reference in left:
            problems.append(
                f"{reference}: the signature of event #{event_id} ({meaning} by {signer}) "
                "has no signature row (removed or changed)"
            )
    return count


__all__ = [
    "Report",
    "SealRefused",
    "TrailAction",
    "append",
    "check",
    "jsonable",
    "record_history",
    "seal",
    "stream_for",
    "verify",
]
