"""The database refuses to change a frozen run's result.

Once a run is frozen (or published) its quarter, scheme version, metric values, result snapshot
and hash, and its per-account and per-unit result rows can no longer be updated: only the move
from frozen to published (status, published_at, published_by) is let through. On PostgreSQL a
frozen run and its rows can't be deleted either; SQLite's test flush deletes rows, so there only
updates are refused (as for the audit log).
"""
# ruff: noqa: S608 - fixed SQL built from constants of this file, no input

from django.db import migrations

FROZEN = "('frozen', 'published')"
LOCKED = ("quarter", "scheme_version_id", "scheme_name", "metrics", "sources", "result",
          "result_hash", "check_date", "frozen_at", "frozen_by_id", "computed_at")  # fmt: skip
RESULT_TABLES = ("assessment_runaccountresult", "assessment_rununitresult")

_changed_sqlite = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in LOCKED)
_changed_pg = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in LOCKED)

SQLITE_UP = [
    f"""CREATE TRIGGER assessment_run_frozen BEFORE UPDATE ON assessment_assessmentrun
    WHEN OLD.status IN {FROZEN} AND (
        {_changed_sqlite}
        OR NEW.status NOT IN {FROZEN}
        OR (OLD.status = 'published' AND (NEW.status IS NOT OLD.status
                                          OR NEW.published_at IS NOT OLD.published_at))
    )
    BEGIN SELECT RAISE(ABORT, 'a frozen assessment run cannot be changed'); END;""",
    *(
        f"""CREATE TRIGGER {table}_frozen BEFORE UPDATE ON {table}
        WHEN (SELECT status FROM assessment_assessmentrun WHERE id = OLD.run_id) IN {FROZEN}
        BEGIN SELECT RAISE(ABORT, 'results of a frozen assessment run cannot be changed'); END;"""
        for table in RESULT_TABLES
    ),
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS assessment_run_frozen;",
    *(f"DROP TRIGGER IF EXISTS {table}_frozen;" for table in RESULT_TABLES),
]
POSTGRES_UP = [
    f"""CREATE OR REPLACE FUNCTION assessment_run_frozen() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            IF OLD.status IN {FROZEN} THEN
                RAISE EXCEPTION 'a frozen assessment run cannot be removed';
            END IF;
            RETURN OLD;
        END IF;
        IF OLD.status IN {FROZEN} AND (
            {_changed_pg}
            OR NEW.status NOT IN {FROZEN}
            OR (OLD.status = 'published' AND (NEW.status IS DISTINCT FROM OLD.status
                                              OR NEW.published_at IS DISTINCT FROM OLD.published_at))
        ) THEN
            RAISE EXCEPTION 'a frozen assessment run cannot be changed';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER assessment_run_frozen BEFORE UPDATE OR DELETE ON assessment_assessmentrun
    FOR EACH ROW EXECUTE FUNCTION assessment_run_frozen();""",
    f"""CREATE OR REPLACE FUNCTION assessment_result_frozen() RETURNS trigger AS $$
    BEGIN
        IF (SELECT status FROM assessment_assessmentrun WHERE id = OLD.run_id) IN {FROZEN} THEN
            RAISE EXCEPTION 'results of a frozen assessment run cannot be changed';
        END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;""",
    *(
        f"""CREATE TRIGGER {table}_frozen BEFORE UPDATE OR DELETE ON {table}
        FOR EACH ROW EXECUTE FUNCTION assessment_result_frozen();"""
        for table in RESULT_TABLES
    ),
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS assessment_run_frozen ON assessment_assessmentrun;",
    *(f"DROP TRIGGER IF EXISTS {table}_frozen ON {table};" for table in RESULT_TABLES),
    "DROP FUNCTION IF EXISTS assessment_run_frozen();",
    "DROP FUNCTION IF EXISTS assessment_result_frozen();",
]


def _run(sql_by_vendor):
    def run(apps, schema_editor):
        for statement in sql_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("assessment", "0002_seed_schemes")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_UP, "sqlite": SQLITE_UP}),
            _run({"postgresql": POSTGRES_DOWN, "sqlite": SQLITE_DOWN}),
        )
    ]
