"""The schema, as ordered migrations.

Migrations are plain SQL run through the standard library's sqlite3 so that opening (and creating) a
database never waits for SQLAlchemy to import: the first screen is painted before the ORM is loaded.
The SQLModel classes in `models.py` map the same tables for writes; a test keeps the two in step.

Rules: a released migration is never edited; a change is a new migration appended to `MIGRATIONS`.
The version lives in `PRAGMA user_version`, which SQLite changes inside the same transaction as the
migration, so a database is always at exactly one known version.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

# Written to `PRAGMA application_id` so that a SQLite file made by another program is recognised as
# such and left alone ("NXTU" in ASCII).
APPLICATION_ID = 0x4E585455


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    description: str
    statements: tuple[str, ...]


# Any insert into a table of user content marks the database as having held data, so the default hub
# is offered only to a database that never held anything (and never comes back once removed).
_HELD_DATA_TABLES = ("categories", "topics", "notes", "challenges", "collaborators", "repos")


def _held_data_trigger(table: str) -> str:
    return (
        f"CREATE TRIGGER {table}_mark_held_data AFTER INSERT ON {table} BEGIN "
        "INSERT OR IGNORE INTO meta (key, value) VALUES ('held_data', datetime('now')); END"
    )


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        version=1,
        description="topics, notes, challenges, collaborators and watched repositories",
        statements=(
            """CREATE TABLE meta (
                key TEXT PRIMARY KEY,
                value TEXT NOT NULL
            )""",
            """CREATE TABLE categories (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                kind TEXT NOT NULL DEFAULT 'other'
                    CHECK (kind IN ('technology', 'concept', 'other')),
                position INTEGER NOT NULL DEFAULT 0,
                origin TEXT NOT NULL DEFAULT 'user',
                created_at TIMESTAMP NOT NULL,
                updated_at TIMESTAMP NOT NULL
            )""",
            """CREATE TABLE topics (
                id INTEGER PRIMARY KEY,
                category_id INTEGER NOT NULL REFERENCES categories (id) ON DELETE RESTRICT,
                name TEXT NOT NULL,
                status TEXT NOT NULL DEFAULT 'not_started'
                    CHECK (status IN ('not_started', 'learning', 'practising', 'confident')),
                position INTEGER NOT NULL DEFAULT 0,
                origin TEXT NOT NULL DEFAULT 'user',
                created_at TIMESTAMP NOT NULL,
                updated_at TIMESTAMP NOT NULL,
                UNIQUE (category_id, name)
            )""",
            """CREATE TABLE notes (
                id INTEGER PRIMARY KEY,
                topic_id INTEGER NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
                title TEXT NOT NULL,
                body TEXT NOT NULL DEFAULT '',
                tags TEXT NOT NULL DEFAULT '[]',
                pinned BOOLEAN NOT NULL DEFAULT 0,
                origin TEXT NOT NULL DEFAULT 'user',
                created_at TIMESTAMP NOT NULL,
                updated_at TIMESTAMP NOT NULL
            )""",
            "CREATE INDEX notes_by_topic ON notes (topic_id, pinned DESC, updated_at DESC)",
            """CREATE TABLE challenges (
                id INTEGER PRIMARY KEY,
                title TEXT NOT NULL,
                challenge TEXT NOT NULL DEFAULT '',
                solution TEXT NOT NULL DEFAULT '',
                status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'solved')),
                position INTEGER NOT NULL DEFAULT 0,
                origin TEXT NOT NULL DEFAULT 'user',
                created_at TIMESTAMP NOT NULL,
                updated_at TIMESTAMP NOT NULL
            )""",
            """CREATE TABLE challenge_topics (
                challenge_id INTEGER NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
                topic_id INTEGER NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
                PRIMARY KEY (challenge_id, topic_id)
            )""",
            "CREATE INDEX challenge_topics_by_topic ON challenge_topics (topic_id)",
            """CREATE TABLE challenge_links (
                id INTEGER PRIMARY KEY,
                challenge_id INTEGER NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
                url TEXT NOT NULL,
                label TEXT NOT NULL DEFAULT ''
            )""",
            "CREATE INDEX challenge_links_by_challenge ON challenge_links (challenge_id)",
            """CREATE TABLE collaborators (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                role TEXT NOT NULL DEFAULT 'other'
                    CHECK (role IN ('backend', 'frontend', 'mentor', 'other')),
                github TEXT NOT NULL DEFAULT '',
                discord TEXT NOT NULL DEFAULT '',
                project TEXT NOT NULL DEFAULT '',
                notes TEXT NOT NULL DEFAULT '',
                api_contract TEXT NOT NULL DEFAULT '',
                last_sync DATE,
                next_sync DATE,
                position INTEGER NOT NULL DEFAULT 0,
                origin TEXT NOT NULL DEFAULT 'user',
                created_at TIMESTAMP NOT NULL,
                updated_at TIMESTAMP NOT NULL
            )""",
            """CREATE TABLE repos (
                id INTEGER PRIMARY KEY,
                full_name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                collaborator_id INTEGER REFERENCES collaborators (id) ON DELETE SET NULL,
                created_at TIMESTAMP NOT NULL
            )""",
            *(_held_data_trigger(table) for table in _HELD_DATA_TABLES),
        ),
    ),
)

LATEST_VERSION = MIGRATIONS[-1].version


def schema_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def migrate(conn: sqlite3.Connection, target: int = LATEST_VERSION) -> list[int]:
    """Bring the database up to `target`, one migration per transaction; return versions applied.

    The connection must be in autocommit mode (`isolation_level=None`) so the transactions here are
    the only ones. A migration that fails is rolled back whole and the database keeps its version.
    """
    applied: list[int] = []
    # Checked before taking the write lock, so opening an up-to-date database never waits for
    # another process that is busy writing.
    if schema_version(conn) >= target:
        return applied
    for migration in MIGRATIONS:
        if migration.version > target:
            break
        # BEGIN IMMEDIATE takes the write lock before reading the version, so two processes
        # opening a new database at once cannot both run the same migration.
        conn.execute("BEGIN IMMEDIATE")
        try:
            if schema_version(conn) >= migration.version:
                conn.execute("ROLLBACK")
                continue
            for statement in migration.statements:
                conn.execute(statement)
            if migration.version == 1:
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {migration.version}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        applied.append(migration.version)
    return applied
