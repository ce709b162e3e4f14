"""The database refuses to change a case's frozen evidence and any filed document.

The evidence columns of a harmful-comment case (the comment as it was when flagged, its
canonical serialisation and SHA-256) cannot be updated once written, and a filed document
(every version of every application and letter) cannot be updated at all. On PostgreSQL neither
can be deleted either; SQLite's test flush deletes rows, so there only updates are refused (as
for the audit log and frozen assessment runs).
"""
# ruff: noqa: S608 - fixed SQL built from constants of this file, no input

from django.db import migrations

FROZEN = ("platform", "comment_id", "comment_text", "author_id", "author_name", "comment_url",
          "post_id", "comment_at", "flagged_at", "evidence_canonical", "evidence_sha256",
          "source_message_id", "account_id")  # fmt: skip

_changed_sqlite = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in FROZEN)
_changed_pg = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in FROZEN)

SQLITE_UP = [
    f"""CREATE TRIGGER moderation_case_evidence_frozen BEFORE UPDATE ON moderation_harmcase
    WHEN {_changed_sqlite}
    BEGIN SELECT RAISE(ABORT, 'the evidence of a harmful-comment case cannot be changed'); END;""",
    """CREATE TRIGGER moderation_document_filed BEFORE UPDATE ON moderation_casedocument
    BEGIN SELECT RAISE(ABORT, 'a filed document cannot be changed'); END;""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS moderation_case_evidence_frozen;",
    "DROP TRIGGER IF EXISTS moderation_document_filed;",
]
POSTGRES_UP = [
    f"""CREATE OR REPLACE FUNCTION moderation_case_evidence_frozen() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            RAISE EXCEPTION 'a harmful-comment case cannot be removed';
        END IF;
        IF {_changed_pg} THEN
            RAISE EXCEPTION 'the evidence of a harmful-comment case cannot be changed';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER moderation_case_evidence_frozen BEFORE UPDATE OR DELETE ON moderation_harmcase
    FOR EACH ROW EXECUTE FUNCTION moderation_case_evidence_frozen();""",
    """CREATE OR REPLACE FUNCTION moderation_document_filed() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'a filed document cannot be changed or removed';
    END;
    $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER moderation_document_filed BEFORE UPDATE OR DELETE ON moderation_casedocument
    FOR EACH ROW EXECUTE FUNCTION moderation_document_filed();""",
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS moderation_case_evidence_frozen ON moderation_harmcase;",
    "DROP TRIGGER IF EXISTS moderation_document_filed ON moderation_casedocument;",
    "DROP FUNCTION IF EXISTS moderation_case_evidence_frozen();",
    "DROP FUNCTION IF EXISTS moderation_document_filed();",
]


def _apply(schema_editor, statements):  # type: ignore[no-untyped-def]
    for sql in statements.get(schema_editor.connection.vendor, ()):
        schema_editor.execute(sql)


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    _apply(schema_editor, {"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP})


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    _apply(schema_editor, {"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN})


class Migration(migrations.Migration):
    dependencies = [("moderation", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
