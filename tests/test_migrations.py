"""Schema migrations on real SQLite files: order, kept data, old databases, failures."""

import graphlib
import re
import sqlite3
import threading
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from nexus_tui.store import migrations, queries
from nexus_tui.store.database import Store, StoreError
from nexus_tui.store.migrations import (
    APPLICATION_ID,
    LATEST_VERSION,
    MIGRATIONS,
    Migration,
    migrate,
    schema_version,
)
from nexus_tui.store.records import (
    CategorySummary,
    Challenge,
    ChallengeSummary,
    Collaborator,
    CollaboratorSummary,
    Link,
    Note,
    NoteSummary,
    TopicRef,
    TopicSummary,
    WatchedRepo,
)
from nexus_tui.store.seed import has_held_data, seed_default_hub

V1_DUMP = Path(__file__).parent / "data" / "nexus-schema-v1.sql"

# Every table the first release created; later releases may add tables but never lose these.
V1_TABLES = {
    "meta",
    "categories",
    "topics",
    "notes",
    "challenges",
    "challenge_topics",
    "challenge_links",
    "collaborators",
    "repos",
}


def connect(path: Path) -> sqlite3.Connection:
    # Store.connect, not a bare connection: migrations must work with foreign keys on, as in the app
    # (a table rebuild with foreign keys on would cascade-delete rows, and this catches that).
    return Store(path).connect()


def tables(conn: sqlite3.Connection) -> set[str]:
    # Ordinary tables only: a virtual table (the FTS5 search index) and its shadow tables belong to
    # their module, which fills them itself; sample rows written into them would corrupt it.
    rows = conn.execute(
        "SELECT name FROM pragma_table_list"
        " WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    return {name for (name,) in rows}


# --- sample rows for whatever tables exist ------------------------------------------
# Generated from the live schema (PRAGMA table_info / foreign_key_list and CHECK (x IN (...))
# clauses), so the per-migration test keeps working for tables added by future migrations.

_CHECK_IN = re.compile(r"CHECK\s*\(\s*(\w+)\s+IN\s*\(([^)]*)\)\s*\)", re.IGNORECASE)


def _allowed_values(create_sql: str) -> dict[str, list[str]]:
    return {
        column: [value.replace("''", "'") for value in re.findall(r"'((?:[^']|'')*)'", values)]
        for column, values in _CHECK_IN.findall(create_sql)
    }


def _sample_value(table: str, column: str, declared: str, allowed: list[str] | None, i: int):
    kind = declared.upper()
    if allowed:
        # From the end of the list: defaults usually come first, and a default value would not
        # show that the column itself was carried over.
        return allowed[-1 - i % len(allowed)]
    if "BOOL" in kind:
        return 1 - i % 2
    if "INT" in kind:
        return 40 + i
    if "TIMESTAMP" in kind or "DATETIME" in kind:
        return f"2024-0{i + 1}-02 03:04:05.00000{i}"
    if "DATE" in kind:
        return f"2024-0{i + 1}-15"
    if any(word in kind for word in ("REAL", "FLOA", "DOUB")):
        return 1.25 + i
    if "BLOB" in kind:
        return bytes([i, 255 - i])
    return f"sample {table}.{column} #{i} — 'quoted'"


def insert_sample_rows(conn: sqlite3.Connection, per_table: int = 2) -> None:
    """Put `per_table` rows in every table, parents before children, filling every column."""
    names = tables(conn)
    parents = {
        table: {fk[2] for fk in conn.execute(f"PRAGMA foreign_key_list({table})")} - {table}
        for table in names
    }
    inserted: dict[str, list[dict]] = {}
    conn.execute("BEGIN IMMEDIATE")
    for table in graphlib.TopologicalSorter(parents).static_order():
        create_sql = conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
        ).fetchone()[0]
        allowed = _allowed_values(create_sql)
        columns = conn.execute(f"PRAGMA table_info({table})").fetchall()
        primary_key = [c[1] for c in columns if c[5]]
        references = {
            fk[3]: (fk[2], fk[4]) for fk in conn.execute(f"PRAGMA foreign_key_list({table})")
        }
        inserted[table] = []
        for i in range(per_table):
            values = {}
            for _cid, column, declared, _notnull, _default, pk in columns:
                if column in references:
                    parent, parent_column = references[column]
                    parent_rows = inserted.get(parent, [])
                    parent_column = parent_column or "rowid"
                    values[column] = (
                        parent_rows[i % len(parent_rows)][parent_column] if parent_rows else None
                    )
                elif pk and len(primary_key) == 1 and declared.upper() == "INTEGER":
                    continue  # an alias of the rowid: SQLite numbers it
                else:
                    values[column] = _sample_value(table, column, declared, allowed.get(column), i)
            placeholders = ", ".join("?" for _ in values)
            rowid = conn.execute(
                f"INSERT INTO {table} ({', '.join(values)}) VALUES ({placeholders})",
                tuple(values.values()),
            ).lastrowid
            row = conn.execute(f"SELECT rowid, * FROM {table} WHERE rowid = ?", (rowid,))
            described = [d[0] for d in row.description]
            inserted[table].append(dict(zip(described, row.fetchone(), strict=True)))
    conn.execute("COMMIT")


def all_rows(conn: sqlite3.Connection) -> dict[str, tuple[tuple[str, ...], Counter]]:
    """Every row of every table, with the column names, order-insensitive."""
    result = {}
    for table in tables(conn):
        columns = tuple(c[1] for c in conn.execute(f"PRAGMA table_info({table})"))
        result[table] = (columns, Counter(conn.execute(f"SELECT * FROM {table}").fetchall()))
    return result


def rows_now(conn: sqlite3.Connection, before: dict) -> dict[str, tuple[tuple[str, ...], Counter]]:
    """The same tables and columns as `before`, read again (new columns are ignored)."""
    result = {}
    for table, (columns, _rows) in before.items():
        listed = ", ".join(columns)
        result[table] = (columns, Counter(conn.execute(f"SELECT {listed} FROM {table}").fetchall()))
    return result


# --- applying migrations -----------------------------------------------------------


def test_versions_are_numbered_one_by_one():
    # migrate() and user_version rely on this: a gap or a repeat would skip or rerun a migration.
    assert [m.version for m in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))
    assert MIGRATIONS[-1].version == LATEST_VERSION
    assert all(m.description and m.statements for m in MIGRATIONS)


def test_migrate_an_empty_database_applies_every_version_in_order(tmp_path):
    conn = connect(tmp_path / "nexus.db")
    try:
        assert migrate(conn) == [m.version for m in MIGRATIONS]
        assert schema_version(conn) == LATEST_VERSION
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert tables(conn) >= V1_TABLES
        assert not conn.in_transaction
        assert migrate(conn) == []
        assert schema_version(conn) == LATEST_VERSION
    finally:
        conn.close()


def test_migrate_stops_at_the_target(tmp_path):
    conn = connect(tmp_path / "nexus.db")
    try:
        assert migrate(conn, target=0) == []
        assert schema_version(conn) == 0
        assert tables(conn) == set()
        assert migrate(conn, target=1) == [1]
        assert schema_version(conn) == 1
        assert tables(conn) == V1_TABLES
    finally:
        conn.close()


@pytest.mark.parametrize("migration", MIGRATIONS, ids=lambda m: f"v{m.version}")
def test_migration_keeps_every_existing_row(tmp_path, migration):
    path = tmp_path / "nexus.db"
    conn = connect(path)
    try:
        earlier = [m.version for m in MIGRATIONS if m.version < migration.version]
        assert migrate(conn, target=migration.version - 1) == earlier
        insert_sample_rows(conn)
        before = all_rows(conn)
        # Every table that exists holds rows, or the test would prove nothing about it.
        assert all(rows for _columns, rows in before.values())

        assert migrate(conn, target=migration.version) == [migration.version]

        assert schema_version(conn) == migration.version
        assert rows_now(conn, before) == before
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()
    # What a later connection sees, not what this one cached.
    with_fresh = connect(path)
    try:
        assert schema_version(with_fresh) == migration.version
    finally:
        with_fresh.close()


def test_sample_rows_fill_every_table_of_the_latest_schema(tmp_path):
    # Guards the generator used above: every table, every column, no NULL in a filled column.
    conn = connect(tmp_path / "nexus.db")
    try:
        migrate(conn)
        insert_sample_rows(conn)
        for table, (columns, rows) in all_rows(conn).items():
            if table == "meta":
                continue  # also holds the trigger's held_data row
            assert sum(rows.values()) == 2, table
            for row in rows:
                assert None not in row, (table, columns, row)
    finally:
        conn.close()


# --- a database of release 0.1.0 ------------------------------------------------


def load_dump(path: Path, dump: Path) -> None:
    """Rebuild a database file from a text dump, including the PRAGMA lines at its top."""
    conn = sqlite3.connect(path)
    try:
        # executescript runs every statement of the file, the PRAGMAs included (iterdump does not
        # write application_id / user_version, so the fixture carries them as its first lines).
        conn.executescript(dump.read_text(encoding="utf-8"))
    finally:
        conn.close()


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


T0 = at("2025-01-10 09:00:00")
T1 = at("2025-01-11 18:30:15.250000")
T2 = at("2025-01-12 07:45:00.000001")


def test_v1_fixture_is_a_frozen_version_1_dump():
    text = V1_DUMP.read_text(encoding="utf-8")
    assert text.startswith("-- ")
    assert "FROZEN" in text.splitlines()[1]
    assert "PRAGMA application_id=1314411605;" in text
    assert "PRAGMA user_version=1;" in text
    assert APPLICATION_ID == 1314411605


def test_a_release_0_1_0_database_opens_with_all_its_rows(tmp_path):
    path = tmp_path / "nexus.db"
    load_dump(path, V1_DUMP)
    raw = sqlite3.connect(path)
    try:
        assert raw.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert raw.execute("PRAGMA user_version").fetchone()[0] == 1
    finally:
        raw.close()

    store = Store.open(str(path))

    assert store.read(schema_version) == LATEST_VERSION
    languages = (
        TopicSummary(1, "Python", "not_started", 1, "Languages", 2),
        TopicSummary(2, "Rust", "learning", 1, "Languages", 0),
    )
    assert store.read(queries.categories_with_topics) == [
        CategorySummary(1, "Languages", "technology", languages),
        CategorySummary(
            2,
            "Architecture",
            "concept",
            (TopicSummary(3, "Caching", "practising", 2, "Architecture", 1),),
        ),
        CategorySummary(
            3,
            "Odds & Ends",
            "other",
            (TopicSummary(4, "Shell", "confident", 3, "Odds & Ends", 0),),
        ),
    ]
    assert store.read(queries.notes_of_topic, 1) == [
        NoteSummary(2, 1, "Pinned: my Python notes", ("python",), True, T2),
        NoteSummary(1, 1, "Python for backend work", ("python", "language"), False, T0),
    ]
    assert store.read(queries.notes_of_topic, 3) == [
        NoteSummary(3, 3, "Cache invalidation", (), False, T1)
    ]
    assert store.read(queries.note, 2) == Note(
        2,
        1,
        "Python",
        "Pinned: my Python notes",
        'It\'s "quoted", café ☕ and a\nsecond line.',
        ("python",),
        True,
        T1,
        T2,
    )
    assert store.read(queries.challenges) == [
        ChallengeSummary(1, "Speed up list endpoint", "open"),
        ChallengeSummary(2, "Containerise the app", "solved"),
    ]
    assert store.read(queries.challenge, 1) == Challenge(
        1,
        "Speed up list endpoint",
        "N+1 queries",
        "",
        "open",
        (TopicRef(3, "Caching"), TopicRef(1, "Python")),
        (
            Link("https://example.com/n-plus-one", "N+1 explained"),
            Link("https://example.com/bare", ""),
        ),
        T1,
        T1,
    )
    assert store.read(queries.challenge, 2) == Challenge(
        2,
        "Containerise the app",
        "Works on my machine",
        "Docker compose",
        "solved",
        (TopicRef(4, "Shell"),),
        (),
        T0,
        T0,
    )
    assert store.read(queries.collaborators) == [
        CollaboratorSummary(3, "Mo", "mentor", date(2025, 1, 15)),
        CollaboratorSummary(1, "Ada", "backend", date(2025, 1, 19)),
        CollaboratorSummary(2, "Bea", "frontend", None),
        CollaboratorSummary(4, "Olga", "other", None),
    ]
    assert store.read(queries.collaborator, 1) == Collaborator(
        1,
        "Ada",
        "backend",
        "ada-dev",
        "ada#0001",
        "Nexus API",
        "Reviews my PRs",
        "",
        date(2025, 1, 5),
        date(2025, 1, 19),
        ("octo/nexus-api",),
    )
    assert store.read(queries.collaborator, 2) == Collaborator(
        2, "Bea", "frontend", "bea-ui", "", "Nexus web", "", "GET /api/v1/books", None, None, ()
    )
    assert store.read(queries.watched_repos) == [
        WatchedRepo("octo/nexus-api", "Ada"),
        WatchedRepo("Octo/Nexus-Web", None),
    ]
    # The user's hub already held data: the default hub must not be poured into it.
    assert store.read(has_held_data) is True
    assert seed_default_hub(store) is False
    assert store.read(lambda conn: conn.execute("SELECT count(*) FROM topics").fetchone()[0]) == 4


# --- a migration that fails ----------------------------------------------------


@pytest.mark.parametrize(
    "first_statement",
    [
        "CREATE TABLE migration_probe (x INTEGER)",
        "UPDATE meta SET value = 'changed by the broken migration'",
    ],
    ids=["schema-change", "data-change"],
)
def test_a_failing_migration_changes_nothing(tmp_path, monkeypatch, first_statement):
    path = tmp_path / "nexus.db"
    conn = connect(path)
    try:
        migrate(conn)
        insert_sample_rows(conn)
        before = all_rows(conn)
        broken = Migration(
            version=LATEST_VERSION + 1,
            description="broken on purpose",
            statements=(first_statement, "THIS IS NOT SQL", "CREATE TABLE never_made (y)"),
        )
        monkeypatch.setattr(migrations, "MIGRATIONS", (*MIGRATIONS, broken))

        with pytest.raises(sqlite3.OperationalError):
            migrate(conn, target=broken.version)

        assert not conn.in_transaction
        assert schema_version(conn) == LATEST_VERSION
        assert all_rows(conn) == before
        assert "migration_probe" not in tables(conn)
        assert "never_made" not in tables(conn)

        # The database stays usable: a corrected migration of the same version then applies.
        fixed = Migration(LATEST_VERSION + 1, "fixed", ("CREATE TABLE migration_probe (x)",))
        monkeypatch.setattr(migrations, "MIGRATIONS", (*MIGRATIONS, fixed))
        assert migrate(conn, target=fixed.version) == [fixed.version]
        assert "migration_probe" in tables(conn)
    finally:
        conn.close()


def test_a_failing_first_migration_leaves_a_new_database_at_version_0(tmp_path, monkeypatch):
    broken = Migration(1, "broken on purpose", ("CREATE TABLE meta (key TEXT)", "NOT SQL"))
    monkeypatch.setattr(migrations, "MIGRATIONS", (broken,))
    conn = connect(tmp_path / "nexus.db")
    try:
        with pytest.raises(sqlite3.OperationalError):
            migrate(conn, target=1)
        assert schema_version(conn) == 0
        # application_id is set with version 1 only, so a half-made file is not claimed either.
        assert conn.execute("PRAGMA application_id").fetchone()[0] == 0
        assert tables(conn) == set()
    finally:
        conn.close()


# --- opening at the same time ------------------------------------------------------


def test_concurrent_migrate_applies_each_version_once(tmp_path):
    path = tmp_path / "nexus.db"
    # A new, schema-less database already in WAL mode, so only migrate() itself is under test.
    setup = sqlite3.connect(path)
    assert setup.execute("PRAGMA journal_mode = WAL").fetchone()[0] == "wal"
    setup.close()

    threads = 8
    start = threading.Barrier(threads, timeout=10)
    applied: list[list[int]] = []
    errors: list[BaseException] = []

    def run() -> None:
        conn = connect(path)
        try:
            start.wait()
            applied.append(migrate(conn))
        except BaseException as error:  # reported below, with the others
            errors.append(error)
        finally:
            conn.close()

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert errors == []
    assert sorted(version for versions in applied for version in versions) == [
        m.version for m in MIGRATIONS
    ]
    conn = connect(path)
    try:
        assert schema_version(conn) == LATEST_VERSION
    finally:
        conn.close()


def test_threads_opening_the_same_new_file_at_once_all_succeed(tmp_path):
    # More than two threads and many rounds: the window between creating the file and committing
    # the schema is short, and two threads alone hit it in about 1 round in 100.
    threads, rounds = 8, 50
    failures: list[str] = []
    for round_ in range(rounds):
        path = tmp_path / f"round{round_}" / "nexus.db"
        start = threading.Barrier(threads, timeout=10)

        def run(path=path, start=start, round_=round_) -> None:
            start.wait()
            try:
                Store.open(str(path))
            except StoreError as error:
                failures.append(f"round {round_}: {error}")

        workers = [threading.Thread(target=run) for _ in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()

        conn = sqlite3.connect(path)
        try:
            assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
            assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
            assert tables(conn) >= V1_TABLES
        finally:
            conn.close()
    assert failures == []
