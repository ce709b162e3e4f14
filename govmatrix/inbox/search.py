"""Chinese full-text search over messages, on PostgreSQL and on SQLite.

Chinese has no spaces, so neither database can find words in it by itself. Each message keeps
its jieba search-mode words in `search_text`, separated by spaces (`textintel.classify.
search_words`: 噪音扰民 is stored as 噪音 扰民 噪音扰民). The databases index those words:

* **PostgreSQL**: a GIN index on `to_tsvector('simple', search_text)` (the `simple`
  configuration keeps each word as it is); a query is `@@ plainto_tsquery('simple', …)`.
* **SQLite**: an FTS5 table `inbox_message_fts` over the same column (external content, kept
  in step by triggers); a query is `MATCH '"噪音" "扰民"'`.

The query is cut the same way, and only its smallest words are kept (噪音扰民 → 噪音 AND 扰民),
so a message that says 噪音严重扰民 is found too. Filler characters (了, 的, 吗 …) are dropped.
Every word must occur (AND). Migration 0003 creates the index, the FTS table and its triggers.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL

from govmatrix.textintel.classify import search_words

FTS_TABLE = "inbox_message_fts"
_FILLER = frozenset("了的吗呢啊吧呀是在和与及或也都就还很太被把给对向从")


def query_words(query: str) -> list[str]:
    """The words every match must contain: the smallest of jieba's search-mode words."""
    words = [w for w in search_words(query) if w not in _FILLER]
    kept = [w for w in words if not any(o != w and o in w and len(o) >= 2 for o in words)]
    return kept[:12]


def _fts_literal(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def search(rows: QuerySet[Any], query: str) -> QuerySet[Any]:
    """The messages among `rows` that contain every word of `query`."""
    words = query_words(query)
    if not words:
        return rows.none() if query.strip() else rows
    vendor = connection.vendor
    if vendor == "postgresql":
        return rows.filter(
            RawSQL(
                "to_tsvector('simple', inbox_message.search_text) @@ plainto_tsquery('simple', %s)",
                [" ".join(words)],
                output_field=BooleanField(),
            )
        )
    if vendor == "sqlite":
        match = " ".join(_fts_literal(w) for w in words)
        # The words are a bound parameter; the table name is our constant.
        fts = "SELECT rowid FROM inbox_message_fts WHERE inbox_message_fts MATCH %s"
        return rows.filter(pk__in=RawSQL(fts, [match]))  # noqa: S611
    condition = Q()
    for word in words:
        condition &= Q(search_text__contains=word)
    return rows.filter(condition)


_SQLITE_TRIGGERS = (
    "inbox_message_fts_insert",
    "inbox_message_fts_delete",
    "inbox_message_fts_update",
)


def ensure_index(db: Any) -> bool:
    """Re-create the SQLite FTS table and triggers when missing; True when it had to.

    SQLite rebuilds a table to alter it, which drops its triggers: after every `migrate` this
    puts them back (and re-fills the index from the column) so search never silently stops.
    """
    if db.vendor != "sqlite":
        return False
    with db.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('trigger', 'table') "
            "AND name IN (%s, %s, %s, %s)",
            [FTS_TABLE, *_SQLITE_TRIGGERS],
        )
        present = {row[0] for row in cursor.fetchall()}
        if present >= {FTS_TABLE, *_SQLITE_TRIGGERS}:
            return False
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'inbox_message'")
        if cursor.fetchone() is None:
            return False
        for statement in _sqlite_statements():
            cursor.execute(statement)
    return True


def _sqlite_statements() -> list[str]:
    import importlib

    migration = importlib.import_module("govmatrix.inbox.migrations.0003_search_index")
    return list(migration.SQLITE_CREATE)
