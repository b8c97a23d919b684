# ruff: noqa: S608  (table and field names come from code; what people type is a parameter)
"""Full-text search over a register's text fields.

SQLite: an FTS5 index kept in step with the table by triggers. PostgreSQL: a GIN
index on the text-search vector of the same fields. Both are created by a
migration (``SearchIndex``) and queried here, so a search does not read every row
of the register as a ``LIKE '%…%'`` would. Each word typed matches words that start
with it, and every word must match.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django.db import connection, migrations
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_WORD = re.compile(r"[^\W_]+")
MAX_TERMS = 8


def terms(text: str) -> list[str]:
    """The words of a query, lower-cased, without punctuation (nothing a query language reads)."""
    return [w.lower() for w in _WORD.findall(text)][:MAX_TERMS]


def _fts_table(db_table: str) -> str:
    return f"{db_table}_fts"


def _document(fields: Sequence[str]) -> str:
    """The PostgreSQL text of the fields, punctuation made spaces: its parser would read
    "NC-2026-0002" as a word and two negative numbers."""
    joined = " || ' ' || ".join(f"coalesce({f}, '')" for f in fields)
    return f"regexp_replace({joined}, '[^[:alnum:]]+', ' ', 'g')"


def _vector(table: str, fields: Sequence[str], stored: bool) -> str:
    """The PostgreSQL text-search vector: the stored column, or computed from the fields."""
    if stored:
        return f'"{table}".{STORED_COLUMN}'
    qualified = ['"' + table + '".' + f for f in fields]
    return f"to_tsvector('simple', {_document(qualified)})"


def matching(
    queryset: QuerySet[Any], fields: Sequence[str], text: str, *, stored: bool = False
) -> QuerySet[Any]:
    """The records of ``queryset`` whose ``fields`` contain every word of ``text``.

    ``stored``: on PostgreSQL the table keeps its vector in a stored column
    (:class:`StoredSearchVector`), so a match or a rank never re-parses the text."""
    words = terms(text)
    if not words:
        return queryset
    table = queryset.model._meta.db_table
    query = _query(words)
    if connection.vendor == "sqlite":
        fts = _fts_table(table)
        return queryset.filter(
            pk__in=RawSQL(f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s", [query])  # noqa: S611
        )
    if connection.vendor == "postgresql":
        vector = _vector(table, fields, stored)
        sql = f"SELECT id FROM \"{table}\" WHERE {vector} @@ to_tsquery('simple', %s)"
        return queryset.filter(pk__in=RawSQL(sql, [query]))  # noqa: S611
    for word in words:  # other databases: a plain scan
        condition = Q()
        for field in fields:
            condition |= Q(**{f"{field}__icontains": word})
        queryset = queryset.filter(condition)
    return queryset


def _query(words: list[str]) -> str:
    if connection.vendor == "sqlite":
        return " ".join(f'"{w}"*' for w in words)
    return " & ".join(f"{w}:*" for w in words)


def ranked(
    queryset: QuerySet[Any], fields: Sequence[str], text: str, *, stored: bool = False
) -> QuerySet[Any]:
    """Like :func:`matching`, best matches first (BM25 on SQLite, ``ts_rank`` on PostgreSQL)."""
    words = terms(text)
    if not words:
        return queryset
    table = queryset.model._meta.db_table
    if connection.vendor == "sqlite":
        fts = _fts_table(table)
        # A join with the index: SQLite reads the matches from it, then each row by id.
        return queryset.extra(  # noqa: S610
            tables=[fts],
            where=[f"{fts}.rowid = {table}.id", f"{fts} MATCH %s"],
            params=[_query(words)],
            select={"search_rank": f"{fts}.rank"},
        ).order_by("search_rank", "pk")
    if connection.vendor == "postgresql":
        # With a stored vector neither the match nor the rank re-parses each row's text.
        # The match is a condition on the ranked rows (a bitmap scan of the GIN index), not
        # matching()'s id IN (…): with that semi-join the planner may rank every row of
        # the table in rank order and keep those that match (0.9 s at 100k documents).
        vector, query = _vector(table, fields, stored), _query(words)
        match = RawSQL(  # noqa: S611
            f"{vector} @@ to_tsquery('simple', %s)", [query], output_field=BooleanField()
        )
        rank = RawSQL(f"ts_rank({vector}, to_tsquery('simple', %s))", [query])  # noqa: S611
        return queryset.filter(match).annotate(search_rank=rank).order_by("-search_rank", "pk")
    return matching(queryset, fields, text)


MARK_START, MARK_END = "\x02", "\x03"
ELLIPSIS = "…"
STORED_COLUMN = "search_vector"
# PostgreSQL: how much of each end of a record's text is read to tell whether its passage
# starts or ends there (a passage is at most 30 words).
_END_CHARS = 2000
_ELLIPSES = re.compile(r"…(?:\s*…)+")


def passages(
    model: type[Any], fields: Sequence[str], ids: Sequence[int], text: str
) -> dict[int, str]:
    """The best matching passage of each record, with the matched words between
    ``MARK_START`` and ``MARK_END`` (escape the text, then turn those into highlights),
    and an ellipsis where the record's text is cut, only there and only one."""
    words = terms(text)
    if not words or not ids:
        return {}
    table = model._meta.db_table
    placeholders = ", ".join(["%s"] * len(ids))
    if connection.vendor == "sqlite":
        # snippet() puts the ellipsis at an end only where it cuts the text.
        fts = _fts_table(table)
        sql = (
            f"SELECT rowid, snippet({fts}, -1, '{MARK_START}', '{MARK_END}', '{ELLIPSIS}', 24) "
            f"FROM {fts} WHERE {fts} MATCH %s AND rowid IN ({placeholders})"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [_query(words), *ids])
            return {row[0]: row[1] or "" for row in cursor.fetchall()}
    if connection.vendor != "postgresql":
        return {}
    # ts_headline marks no cut at either end: compare the passage with the ends of the
    # text, field by field (SQLite's snippet shows one field, so a passage that starts the
    # title or the text is not cut there either).
    document = _document(fields)
    n = len(fields)
    heads = [f"left({_document(fields[i:])}, {_END_CHARS})" for i in range(n)]
    tails = [f"right({_document(fields[: i + 1])}, {_END_CHARS})" for i in range(n)]
    sql = (
        f"SELECT id, ts_headline('simple', {document}, to_tsquery('simple', %s), "
        f"'StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=30, MinWords=12, "
        f'MaxFragments=2, FragmentDelimiter=" {ELLIPSIS} "\'), '
        f"{', '.join(heads + tails)} FROM {table} WHERE id IN ({placeholders})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [_query(words), *ids])
        return {
            row[0]: _with_cuts(row[1] or "", row[2 : 2 + n], row[2 + n :])
            for row in cursor.fetchall()
        }


def _with_cuts(passage: str, heads: Sequence[str], tails: Sequence[str]) -> str:
    """``passage`` with an ellipsis before it unless it starts where a field starts (the
    first characters from each field on are ``heads``), and after it unless it ends where
    a field ends (the last characters up to each field are ``tails``)."""
    if not passage:
        return ""
    plain = passage.replace(MARK_START, "").replace(MARK_END, "")
    fragments = [f.split() for f in plain.split(ELLIPSIS)]
    first, last = fragments[0], fragments[-1]
    starts = bool(first) and any(h.split()[: len(first)] == first for h in heads)
    ends = bool(last) and any(t.split()[-len(last) :] == last for t in tails)
    return f"{'' if starts else ELLIPSIS + ' '}{passage.strip()}{'' if ends else ' ' + ELLIPSIS}"


def highlight(passage: str) -> SafeString:
    """A passage from :func:`passages` as safe HTML with ``<mark>`` around the matches
    (and never two ellipses in a row, should the text itself end in one)."""
    html = _ELLIPSES.sub(ELLIPSIS, escape(" ".join(passage.split())))
    return mark_safe(html.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))  # noqa: S308


class SearchIndex(migrations.RunPython):
    """Migration operation creating the full-text index of ``fields`` of a model's table."""

    def __init__(self, db_table: str, fields: Sequence[str]) -> None:
        self.db_table = db_table
        self.fields = list(fields)
        super().__init__(self._create, self._drop)

    def _create(self, apps: Any, schema_editor: Any) -> None:
        table, fields = self.db_table, self.fields
        vendor = schema_editor.connection.vendor
        if vendor == "sqlite":
            fts = _fts_table(table)
            cols = ", ".join(fields)
            new = ", ".join(f"new.{f}" for f in fields)
            old = ", ".join(f"old.{f}" for f in fields)
            for sql in (
                f"CREATE VIRTUAL TABLE {fts} USING fts5({cols}, content='{table}', "
                "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
                f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN "
                f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END",
                f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN "
                f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); END",
                f"CREATE TRIGGER {fts}_au AFTER UPDATE OF {cols} ON {table} BEGIN "
                f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); "
                f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END",
                f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
            ):
                schema_editor.execute(sql, params=None)
        elif vendor == "postgresql":
            schema_editor.execute(
                f"CREATE INDEX {table}_fts ON {table} "
                f"USING gin (to_tsvector('simple', {_document(fields)}))",
                params=None,
            )

    def _drop(self, apps: Any, schema_editor: Any) -> None:
        table = self.db_table
        vendor = schema_editor.connection.vendor
        if vendor == "sqlite":
            fts = _fts_table(table)
            for suffix in ("ai", "ad", "au"):
                schema_editor.execute(f"DROP TRIGGER {fts}_{suffix}", params=None)
            schema_editor.execute(f"DROP TABLE {fts}", params=None)
        elif vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX {table}_fts", params=None)

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (
            f"{type(self).__module__}.{type(self).__name__}",
            [],
            {"db_table": self.db_table, "fields": self.fields},
        )


class StoredSearchVector(migrations.RunPython):
    """Migration operation: on PostgreSQL, keep the text-search vector of ``fields`` in a
    stored generated column with a GIN index (replacing the expression index that
    :class:`SearchIndex` made), so ranking many matches does not re-parse their text.
    SQLite keeps its FTS5 table: nothing to do there."""

    def __init__(self, db_table: str, fields: Sequence[str]) -> None:
        self.db_table = db_table
        self.fields = list(fields)
        super().__init__(self._create, self._drop)

    def _create(self, apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        table = self.db_table
        for sql in (
            f"DROP INDEX IF EXISTS {table}_fts",
            f"ALTER TABLE {table} ADD COLUMN {STORED_COLUMN} tsvector GENERATED ALWAYS AS "
            f"(to_tsvector('simple', {_document(self.fields)})) STORED",
            f"CREATE INDEX {table}_fts ON {table} USING gin ({STORED_COLUMN})",
        ):
            schema_editor.execute(sql, params=None)

    def _drop(self, apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        table = self.db_table
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_fts", params=None)
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN {STORED_COLUMN}", params=None)
        schema_editor.execute(
            f"CREATE INDEX {table}_fts ON {table} "
            f"USING gin (to_tsvector('simple', {_document(self.fields)}))",
            params=None,
        )

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (
            f"{type(self).__module__}.{type(self).__name__}",
            [],
            {"db_table": self.db_table, "fields": self.fields},
        )
