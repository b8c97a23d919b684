"""Writing and verifying the audit trail."""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone

from hoshin.core import actor as actor_ctx
from hoshin.core.models.trail import GENESIS, TrailAction, TrailEvent


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


__all__ = ["TrailAction", "append", "jsonable", "record_history", "stream_for", "verify"]
