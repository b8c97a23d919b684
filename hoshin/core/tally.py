"""Tallies: the figures the home page and the dashboards show, kept current in the
transaction that changes a record, so that reading them costs the same at a thousand
records as at a million.

A model says what it adds to the tallies by yielding ``(name, label, day, amount)`` from
``tallies()`` (every register counts its open records by state and due date; the
nonconformity register adds its months by source and cause, and its costs). A child
whose rows a parent's tallies read (a cost line) sets ``tallied_in_parent``. Saving
records through ``TrailedModel.save`` applies the difference between what the record
added before and after, under the record's row lock; a bulk load (the benchmark's
generator) calls :func:`rebuild` afterwards, and ``hoshin tally --check`` compares the
rows with a recount.

Why rows updated in the writing transaction rather than a cache or a periodic task: the
figures are exact at every moment (a new nonconformity shows at once, on every worker),
and the cost is a few single-row upserts per save; a cache would show different figures
on different workers, a task would lag behind the records it summarises.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.apps import apps
from django.core.paginator import Paginator as DjangoPaginator
from django.db import connection, models, transaction
from django.db.models import Q, Sum, prefetch_related_objects

from hoshin.core.models.tally import NO_DAY, Tally

# (name, label, day) -> [count, amount]
Totals = dict[tuple[str, str, datetime.date], list[Any]]

BUILT = "_built"  # the marker row: the tallies were built for this database...
VERSION = "2"  # ...by this version of the tallies (2: every register's row count)


def contribution(record: Any) -> Totals:
    """What one record (with the children it reads) adds to the tallies."""
    totals: Totals = defaultdict(lambda: [0, Decimal(0)])
    for name, label, day, amount in record.tallies():
        entry = totals[(name, label or "", day or NO_DAY)]
        entry[0] += 1
        entry[1] += amount or Decimal(0)
    return totals


def difference(before: Totals, after: Totals) -> Totals:
    delta: Totals = {}
    for key in before.keys() | after.keys():
        b = before.get(key, (0, Decimal(0)))
        a = after.get(key, (0, Decimal(0)))
        count, amount = a[0] - b[0], a[1] - b[1]
        if count or amount:
            delta[key] = [count, amount]
    return delta


def apply(delta: Totals) -> None:
    """Add ``delta`` to the rows, creating the missing ones (one upsert per key: the row
    is locked until the transaction ends, so concurrent writers add up, never lose)."""
    if not delta:
        return
    table = connection.ops.quote_name(Tally._meta.db_table)
    q = connection.ops.quote_name
    # Only quoted identifiers are put into the text; the values are parameters.
    sql = (
        f"INSERT INTO {table} ({q('name')}, {q('label')}, {q('day')}, {q('count')}, "  # noqa: S608
        f"{q('amount')}) VALUES (%s, %s, %s, %s, %s) "
        f"ON CONFLICT ({q('name')}, {q('label')}, {q('day')}) DO UPDATE SET "
        f"{q('count')} = {table}.{q('count')} + excluded.{q('count')}, "
        f"{q('amount')} = {table}.{q('amount')} + excluded.{q('amount')}"
    )
    with connection.cursor() as cursor:
        # Sorted, so two writers touching the same rows lock them in the same order.
        for (name, label, day), (count, amount) in sorted(delta.items()):
            cursor.execute(sql, [name, label, day, count, amount])


def is_tallied(model: type[models.Model]) -> bool:
    from hoshin.core.models.record import TrailedModel

    tallies = getattr(model, "tallies", None)
    return tallies is not None and tallies is not TrailedModel.tallies


def root_of(instance: Any) -> Any | None:
    """The record whose tallies change when ``instance`` is saved: itself, or for a
    child marked ``tallied_in_parent`` its parent; None when nothing is tallied."""
    if is_tallied(type(instance)):
        return instance
    if getattr(instance, "tallied_in_parent", False):
        parent = instance.trail_parent
        if parent is not None and is_tallied(type(parent)):
            return parent
    return None


@contextmanager
def tracking(root: Any) -> Iterator[None]:
    """Around a change the record itself does not save (a child's row, a derived column
    set by UPDATE): lock the record, and add what the change made differ."""
    manager = type(root)._default_manager
    with transaction.atomic():
        before = contribution(manager.select_for_update().get(pk=root.pk))
        yield
        apply(difference(before, contribution(manager.get(pk=root.pk))))


@contextmanager
def children_as(instance: Any, source: Any | None) -> Iterator[None]:
    """While counting ``instance``: the children its tallies read (``tally_prefetch``)
    taken from ``source``, the same record as read before its own save (which changes
    none of them), or none at all for a new record. For that count only: the instance
    lives on, and may get children later."""
    names = getattr(type(instance), "tally_prefetch", ())
    cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
    added = [name for name in names if name not in cache]
    if source is not None and added:
        prefetch_related_objects([source], *added)
    for name in added:
        if source is None:
            cache[name] = getattr(instance, name).none()
        else:
            cache[name] = source._prefetched_objects_cache[name]
    try:
        yield
    finally:
        for name in added:
            cache.pop(name, None)


def tallied_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if is_tallied(m)]


def recount() -> Totals:
    """Every tally computed from the records themselves."""
    totals: Totals = defaultdict(lambda: [0, Decimal(0)])
    for model in tallied_models():
        rows = model._default_manager.all().order_by("pk")
        prefetch = getattr(model, "tally_prefetch", ())
        if prefetch:
            rows = rows.prefetch_related(*prefetch)
        for record in rows.iterator(chunk_size=2000):
            for key, (count, amount) in contribution(record).items():
                totals[key][0] += count
                totals[key][1] += amount
    return totals


def rebuild() -> int:
    """Replace every tally row with a recount (after a bulk load or a restore from an old
    backup); returns the number of rows written."""
    totals = recount()
    with transaction.atomic():
        Tally.objects.all().delete()
        Tally.objects.bulk_create(
            [
                Tally(name=name, label=label, day=day, count=count, amount=amount)
                for (name, label, day), (count, amount) in totals.items()
            ]
            + [Tally(name=BUILT, label=VERSION)],
            batch_size=1000,
        )
    return len(totals)


def mismatches() -> list[str]:
    """Where the rows differ from a recount (empty when they agree)."""
    cent = Decimal("0.01")
    expected: Totals = {k: v for k, v in recount().items() if v[0] or v[1]}
    stored: Totals = {
        (t.name, t.label, t.day): [t.count, t.amount]
        for t in Tally.objects.exclude(name=BUILT)
        if t.count or t.amount
    }
    problems = []
    for key in sorted(expected.keys() | stored.keys()):
        want = expected.get(key, [0, Decimal(0)])
        have = stored.get(key, [0, Decimal(0)])
        # Amounts to the cent: SQLite sums decimals as floating point.
        if want[0] != have[0] or Decimal(want[1]).quantize(cent) != Decimal(have[1]).quantize(cent):
            problems.append(f"{key[0]} {key[1]!r} {key[2]}: {have} stored, {want} counted")
    return problems


def build_if_missing(**kwargs: Any) -> None:
    """After ``migrate``: build the tallies of a database that has none yet (a new one,
    or one upgraded from a version without them or with fewer of them)."""
    if Tally._meta.db_table not in connection.introspection.table_names():
        return  # migrated to a state before the tallies
    if not Tally.objects.filter(name=BUILT, label=VERSION).exists():
        rebuild()


# --- reading ------------------------------------------------------------------------
def open_name(model: type[models.Model]) -> str:
    return f"{model._meta.label_lower}.open"


def all_name(model: type[models.Model]) -> str:
    return f"{model._meta.label_lower}.all"


def count_all(queryset: Any) -> int | None:
    """The number of rows of a query set that filters nothing (a register's list for
    someone who sees every record, unfiltered), from its tally: one small read instead of
    a count that grows with the register. None when the query set filters or the model
    keeps no such tally."""
    query = getattr(queryset, "query", None)
    if query is None or query.where or query.distinct or query.is_sliced or query.combinator:
        return None
    if not is_tallied(queryset.model) or not hasattr(queryset.model, "workflow"):
        return None
    total = Tally.objects.filter(name=all_name(queryset.model)).aggregate(n=Sum("count"))["n"]
    return int(total or 0)


class Paginator(DjangoPaginator):
    """Django's paginator, counting an unfiltered register from its tally."""

    @cached_property
    def count(self) -> int:
        counted = count_all(self.object_list)
        return counted if counted is not None else int(super().count)


def open_counts(
    models_: Iterable[type[models.Model]], today: datetime.date
) -> dict[type[models.Model], tuple[int, int]]:
    """(overdue, open) records per register, in one query."""
    by_name = {open_name(m): m for m in models_}
    rows = (
        Tally.objects.filter(name__in=by_name)
        .values("name")
        .annotate(
            total=Sum("count"),
            late=Sum("count", filter=Q(day__lt=today) & ~Q(day=NO_DAY)),
        )
        .order_by()
    )
    found = {by_name[r["name"]]: (int(r["late"] or 0), int(r["total"] or 0)) for r in rows}
    return {m: found.get(m, (0, 0)) for m in by_name.values()}


def rows(
    names: Iterable[str], since: datetime.date | None = None
) -> dict[str, list[tuple[str, datetime.date, int, Decimal]]]:
    """The non-zero rows of these tallies (from ``since`` when given), by tally name."""
    query = Tally.objects.filter(name__in=list(names)).exclude(count=0, amount=0)
    if since is not None:
        query = query.filter(day__gte=since)
    found: dict[str, list[tuple[str, datetime.date, int, Decimal]]] = defaultdict(list)
    for name, label, day, count, amount in query.values_list(
        "name", "label", "day", "count", "amount"
    ):
        found[name].append((label, day, count, amount))
    return found
