"""Chinese full-text search (govmatrix/inbox/search.py): a GIN index over the jieba words on
PostgreSQL, an FTS5 table kept in step by triggers on SQLite. The statements are copied here,
so the migration stays as it is when the code moves on."""

from django.db import migrations

POSTGRES_CREATE = [
    "CREATE INDEX IF NOT EXISTS inbox_message_search ON inbox_message "
    "USING gin (to_tsvector('simple', search_text))",
]
POSTGRES_DROP = ["DROP INDEX IF EXISTS inbox_message_search"]
SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS inbox_message_fts USING fts5("
    "search_text, content='inbox_message', content_rowid='id', tokenize='unicode61')",
    "CREATE TRIGGER IF NOT EXISTS inbox_message_fts_insert AFTER INSERT ON inbox_message BEGIN "
    "INSERT INTO inbox_message_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS inbox_message_fts_delete AFTER DELETE ON inbox_message BEGIN "
    "INSERT INTO inbox_message_fts(inbox_message_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS inbox_message_fts_update AFTER UPDATE OF search_text "
    "ON inbox_message BEGIN "
    "INSERT INTO inbox_message_fts(inbox_message_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO inbox_message_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO inbox_message_fts(inbox_message_fts) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS inbox_message_fts_insert",
    "DROP TRIGGER IF EXISTS inbox_message_fts_delete",
    "DROP TRIGGER IF EXISTS inbox_message_fts_update",
    "DROP TABLE IF EXISTS inbox_message_fts",
]


def _run(schema_editor, statements):
    with schema_editor.connection.cursor() as cursor:
        for statement in statements.get(schema_editor.connection.vendor, []):
            cursor.execute(statement)


def create(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRES_CREATE, "sqlite": SQLITE_CREATE})


def drop(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRES_DROP, "sqlite": SQLITE_DROP})


class Migration(migrations.Migration):
    dependencies = [("inbox", "0002_seed_topics")]

    operations = [migrations.RunPython(create, drop)]
