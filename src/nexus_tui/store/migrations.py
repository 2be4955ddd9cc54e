"""The schema, as ordered migrations.

Migrations are plain SQL run through the standard library's sqlite3 so that opening (and creating) a
database never waits for SQLAlchemy to import: the first screen is painted before the ORM is loaded.
The SQLModel classes in `models.py` map the same tables for writes; a test keeps the two in step.

Rules: a released migration is never edited; a change is a new migration appended to `MIGRATIONS`.
The version lives in `PRAGMA user_version`, which SQLite changes inside the same transaction as the
migration, so a database is always at exactly one known version.
"""

import sqlite3
from typing import NamedTuple

# Written to `PRAGMA application_id` so that a SQLite file made by another program is recognised as
# such and left alone ("NXTU" in ASCII).
APPLICATION_ID = 0x4E585455


# Named tuples rather than frozen dataclasses: this module is imported before the first frame,
# and a frozen dataclass costs a millisecond or more to define (a tuple class a tenth of that).
class Migration(NamedTuple):
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


# --- version 2: the search index --------------------------------------------------------------
# Part of a released migration once shipped: change nothing below, append a new migration instead.


class _V2Source(NamedTuple):
    """One table whose rows are searchable, and how a row becomes a `search_index` row."""

    table: str
    kind: str
    # Row ids in `search_index` are `id * 8 + code`, so a trigger finds a row by rowid (a b-tree
    # lookup) rather than scanning the UNINDEXED kind/item_id columns. Eight leaves room for later
    # kinds; ids stay far below 2**60 in practice.
    code: int
    # SQL over the source row (aliased as the table's name) and any joined tables.
    title: str
    body: str
    joins: str
    # The columns whose change changes the indexed text.
    columns: tuple[str, ...]


def _v2_text(expression: str) -> str:
    # \x02 and \x03 mark the matched words in snippet() output (see store/search.py); taken out of
    # the indexed copy so text the user typed can never pose as a marker.
    return f"replace(replace(coalesce({expression}, ''), char(2), ' '), char(3), ' ')"


def _v2_lines(*expressions: str) -> str:
    # One field per line; trim drops the blank lines that empty fields at either end would leave.
    fields = " || char(10) || ".join(f"coalesce({expression}, '')" for expression in expressions)
    return f"trim({fields}, char(10))"


# Tags are a JSON list; indexed as words, decoded so "café" is not searched as "caf\u00e9". Text
# that is not a JSON list (older or hand-edited rows) is indexed as it is rather than failing the
# write.
_V2_NOTE_TAGS = (
    "CASE WHEN json_valid(notes.tags) AND json_type(notes.tags) = 'array' "
    "THEN (SELECT group_concat(value, ' ') FROM json_each(notes.tags)) ELSE notes.tags END"
)

_V2_TOPICS = _V2Source(
    "topics", "topic", 0, "topics.name", "categories.name",
    "LEFT JOIN categories ON categories.id = topics.category_id",
    ("id", "name", "category_id"),
)  # fmt: skip
_V2_INDEXED = (
    _V2_TOPICS,
    _V2Source(
        "notes", "note", 1, "notes.title", _v2_lines("notes.body", _V2_NOTE_TAGS), "",
        ("id", "title", "body", "tags"),
    ),
    _V2Source(
        "challenges", "challenge", 2, "challenges.title",
        _v2_lines("challenges.challenge", "challenges.solution"), "",
        ("id", "title", "challenge", "solution"),
    ),
    _V2Source(
        "collaborators", "collaborator", 3, "collaborators.name",
        _v2_lines(
            "collaborators.github", "collaborators.discord", "collaborators.project",
            "collaborators.notes", "collaborators.api_contract",
        ),
        "",
        ("id", "name", "github", "discord", "project", "notes", "api_contract"),
    ),
)  # fmt: skip


def _v2_index_rows(source: _V2Source, where: str, base: int = 0) -> str:
    """(Re)write the index rows of the source rows matching `where`.

    INSERT OR REPLACE: a row with that rowid is replaced, so the same statement serves inserts,
    updates, the back-fill, and `INSERT OR REPLACE` into a source table (which fires no DELETE
    trigger unless recursive triggers are on). `base` is added to every row id (version 6; 0
    writes exactly version 2's statements).
    """
    table = source.table
    first = f"{base} + " if base else ""
    return (
        "INSERT OR REPLACE INTO search_index (rowid, kind, item_id, title, body) "
        f"SELECT {first}{table}.id * 8 + {source.code}, '{source.kind}', {table}.id, "
        f"{_v2_text(source.title)}, {_v2_text(source.body)} "
        f"FROM {table} {source.joins} WHERE {where}"
    )


def _v2_index_trigger(source: _V2Source, event: str, base: int = 0) -> str:
    table = source.table
    name = f"{table}_search_{event.lower()}"
    first = f"{base} + " if base else ""
    delete_old = f"DELETE FROM search_index WHERE rowid = {first}old.id * 8 + {source.code};"
    write_new = f"{_v2_index_rows(source, f'{table}.id = new.id', base)};"
    if event == "INSERT":
        return f"CREATE TRIGGER {name} AFTER INSERT ON {table} BEGIN {write_new} END"
    if event == "DELETE":
        return f"CREATE TRIGGER {name} AFTER DELETE ON {table} BEGIN {delete_old} END"
    # Only when indexed text changes: reordering or ticking off items rewrites no index rows.
    columns = ", ".join(source.columns)
    return (
        f"CREATE TRIGGER {name} AFTER UPDATE OF {columns} ON {table} "
        f"BEGIN {delete_old} {write_new} END"
    )


# --- version 6: topics, challenges and collaborators above every note in the search index ------
# Search ranks every matching topic, challenge and collaborator and the newest matching notes
# (store/search.py). With those rows above the notes, one walk down the index from the top finds
# them all and then the newest notes; below the notes, a second query had to look for them, and
# FTS5 counted every match of each word again for its ranking (3-6 ms of a 4-10 ms search).

# Added to the row ids of every kind but notes: far above any note's id * 8 + 1.
SEARCH_HIGH_BASE = 1 << 50
_V6_MOVED = tuple(source for source in _V2_INDEXED if source.kind != "note")

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
    Migration(
        version=2,
        description="full-text search over notes, topics, challenges and collaborators",
        statements=(
            # FTS5 keeps its own copy of the text (no external content): the rows are built from
            # several columns and, for topics, from another table, which external content cannot
            # express. remove_diacritics 2 lets "resume" find "résumé"; the prefix indexes make
            # the "word"* queries that search-as-you-type sends cheap for short prefixes.
            """CREATE VIRTUAL TABLE search_index USING fts5 (
                kind UNINDEXED,
                item_id UNINDEXED,
                title,
                body,
                tokenize = 'unicode61 remove_diacritics 2',
                prefix = '2 3 4'
            )""",
            *(
                statement
                for source in _V2_INDEXED
                for statement in (
                    _v2_index_trigger(source, "INSERT"),
                    _v2_index_trigger(source, "UPDATE"),
                    _v2_index_trigger(source, "DELETE"),
                )
            ),
            # A topic's row holds its category's name, so renaming the category rewrites them.
            f"""CREATE TRIGGER categories_search_rename AFTER UPDATE OF name ON categories BEGIN
                {_v2_index_rows(_V2_TOPICS, "topics.category_id = new.id")};
            END""",
            # Back-fill: rows written before this version are searchable at once.
            *(f"{_v2_index_rows(source, '1')}" for source in _V2_INDEXED),
        ),
    ),
    Migration(
        version=3,
        description="an index of notes by time of change, for the activity chart",
        statements=(
            # Covering: the chart counts notes written or changed per week from this index
            # alone, reading only the weeks it shows, whatever the size of the hub.
            "CREATE INDEX notes_by_change ON notes (updated_at, created_at)",
        ),
    ),
    Migration(
        version=4,
        description="GitHub: cached API responses and each repository's last known CI state",
        statements=(
            # One row per GET address: its validators are sent back (If-None-Match,
            # If-Modified-Since) by the next request, also by the next process, and a 304 answer
            # reuses the body and its `link` header (the next page). No request headers are
            # kept: the token never reaches the disk.
            """CREATE TABLE http_cache (
                url TEXT NOT NULL PRIMARY KEY,
                etag TEXT,
                last_modified TEXT,
                link TEXT,
                body TEXT NOT NULL,
                fetched_at TIMESTAMP NOT NULL
            )""",
            "CREATE INDEX http_cache_by_age ON http_cache (fetched_at)",
            # What the strip and `nexus-tui ci` show before (or without) the network. A failed
            # refresh keeps the last state GitHub gave and records why it failed.
            """CREATE TABLE ci_status (
                repo TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
                state TEXT NOT NULL DEFAULT 'unknown'
                    CHECK (state IN ('success', 'failure', 'pending', 'unknown')),
                default_branch TEXT,
                runs TEXT NOT NULL DEFAULT '[]',
                fetched_at TIMESTAMP,
                checked_at TIMESTAMP NOT NULL,
                error TEXT
            )""",
        ),
    ),
    Migration(
        version=5,
        description="who changed each entry last",
        # Filled by per-connection triggers that only nexus-tui's write connections have (see
        # `Store.write`), so another program writing the file is never refused for lack of them.
        statements=tuple(
            f"ALTER TABLE {table} ADD COLUMN changed_by TEXT NOT NULL DEFAULT ''"
            for table in ("categories", "topics", "notes", "challenges", "collaborators")
        ),
    ),
    Migration(
        version=6,
        description="search: topics, challenges and collaborators indexed above every note",
        statements=(
            *(
                f"DROP TRIGGER {source.table}_search_{event}"
                for source in _V6_MOVED
                for event in ("insert", "update", "delete")
            ),
            "DROP TRIGGER categories_search_rename",
            "DELETE FROM search_index WHERE rowid % 8 != 1",
            *(
                statement
                for source in _V6_MOVED
                for statement in (
                    _v2_index_trigger(source, "INSERT", SEARCH_HIGH_BASE),
                    _v2_index_trigger(source, "UPDATE", SEARCH_HIGH_BASE),
                    _v2_index_trigger(source, "DELETE", SEARCH_HIGH_BASE),
                )
            ),
            # In row id order: FTS5 writes out its pending rows each time a row id is lower than
            # the last, and rows in name order made the back-fill of 1,000 topics take 5 s.
            f"""CREATE TRIGGER categories_search_rename AFTER UPDATE OF name ON categories BEGIN
                {_v2_index_rows(_V2_TOPICS, "topics.category_id = new.id", SEARCH_HIGH_BASE)}
                ORDER BY topics.id;
            END""",
            *(
                f"{_v2_index_rows(source, '1', SEARCH_HIGH_BASE)} ORDER BY {source.table}.id"
                for source in _V6_MOVED
            ),
        ),
    ),
)

LATEST_VERSION = MIGRATIONS[-1].version

# Tables whose rows record who changed them last (migration 5; `Store.write` fills the column).
CHANGED_BY_TABLES = ("categories", "topics", "notes", "challenges", "collaborators")


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
