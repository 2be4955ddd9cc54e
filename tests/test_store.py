"""The store: opening and refusing SQLite files; transactions, seeding and queries on both stores
(an SQLite file and PostgreSQL)."""

import sqlite3
import threading
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from datetime import UTC, date, datetime, timedelta
from importlib.resources import files
from pathlib import Path

import pytest

from nexus_tui.store import queries
from nexus_tui.store.database import Store, StoreError, database_path, to_db_time
from nexus_tui.store.migrations import APPLICATION_ID, LATEST_VERSION, migrate
from nexus_tui.store.records import WatchedRepo
from nexus_tui.store.seed import has_held_data, remove_default_hub, seed_default_hub

# A fixed clock, so seeded timestamps are known and "edited later" is unambiguous.
SEED_TIME = datetime(2025, 1, 10, 9, 0, tzinfo=UTC)
LATER = SEED_TIME + timedelta(days=3)

# Tables whose rows carry an origin ('default' or 'user').
ORIGIN_TABLES = ("categories", "topics", "notes", "challenges", "collaborators")


def hub_toml() -> dict:
    # Parsed independently of seed.load_default_hub, so a loader bug cannot hide itself.
    text = files("nexus_tui").joinpath("assets", "default_hub.toml").read_text("utf-8")
    return tomllib.loads(text)


def open_store(location: str | Path) -> Store:
    return Store.open(str(location), clock=lambda: SEED_TIME)


@pytest.fixture
def store(hub_location) -> Store:
    return open_store(hub_location)


@pytest.fixture
def sqlite_store(tmp_path) -> Store:
    """For tests of the SQLite file itself."""
    return open_store(tmp_path / "nexus.db")


@pytest.fixture
def seeded(store) -> Store:
    assert seed_default_hub(store) is True
    return store


def count(store: Store, table: str, where: str = "1 = 1") -> int:
    return store.read(
        lambda conn: conn.execute(f"SELECT count(*) FROM {table} WHERE {where}").fetchone()[0]
    )


def snapshot(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


def add_user_topic(conn: sqlite3.Connection, category: str, topic: str) -> int:
    stamp = to_db_time(LATER)
    category_id = conn.execute(
        "INSERT INTO categories (name, created_at, updated_at) VALUES (?, ?, ?) RETURNING id",
        (category, stamp, stamp),
    ).fetchone()[0]
    return conn.execute(
        "INSERT INTO topics (category_id, name, created_at, updated_at) VALUES (?, ?, ?, ?) "
        "RETURNING id",
        (category_id, topic, stamp, stamp),
    ).fetchone()[0]


def add_note(
    conn: sqlite3.Connection,
    topic_id: int,
    title: str,
    *,
    pinned: bool = False,
    updated: datetime = LATER,
) -> int:
    return conn.execute(
        """INSERT INTO notes (topic_id, title, pinned, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?) RETURNING id""",
        (topic_id, title, pinned, to_db_time(LATER), to_db_time(updated)),
    ).fetchone()[0]


def topic_id(store: Store, name: str) -> int:
    return store.read(
        lambda conn: conn.execute("SELECT id FROM topics WHERE name = ?", (name,)).fetchone()[0]
    )


def names(store: Store, table: str, column: str = "name") -> set[str]:
    rows = store.read(lambda conn: conn.execute(f"SELECT {column} FROM {table}").fetchall())
    return {row[0] for row in rows}


# --- opening -----------------------------------------------------------------


def test_the_tree_reads_every_topic_in_order_with_its_name_as_stored(store):
    # On SQLite the topics are read as one row of JSON (queries._topic_rows): names that JSON
    # must escape come back exactly, in the tree's order (position, then name without case).
    hostile = [
        'say "hi"',
        "back\\slash",
        "tab\tand \x1b[31m escape",
        "Émile 🧪",
        "it's \u2028 apart",
    ]

    def add(conn: sqlite3.Connection) -> None:
        first = add_user_topic(conn, "Hostile", "zulu")
        category = conn.execute("SELECT category_id FROM topics WHERE id = ?", (first,))
        category_id = category.fetchone()[0]
        stamp = to_db_time(LATER)
        rows = [(position, name) for position, name in enumerate(hostile, start=1)]
        rows += [(9, "beta"), (9, "Alpha"), (9, "charlie")]
        for position, name in rows:
            topic = conn.execute(
                "INSERT INTO topics (category_id, name, position, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?) RETURNING id",
                (category_id, name, position, stamp, stamp),
            ).fetchone()[0]
            for number in range(position):
                add_note(conn, topic, f"{name} {number}")

    store.write(add)
    (category,) = store.read(queries.categories_with_topics)
    assert [topic.name for topic in category.topics] == [
        "zulu",
        *hostile,
        "Alpha",
        "beta",
        "charlie",
    ]
    assert [topic.note_count for topic in category.topics] == [0, 1, 2, 3, 4, 5, 9, 9, 9]
    assert {topic.category for topic in category.topics} == {"Hostile"}
    assert {topic.category_id for topic in category.topics} == {category.id}


def test_open_creates_the_file_in_a_new_nested_folder(tmp_path):
    path = tmp_path / "does" / "not" / "exist" / "nexus.db"
    store = Store.open(str(path))
    assert store.path == path
    assert path.is_file()
    assert path.read_bytes().startswith(b"SQLite format 3\x00")


def test_connections_are_set_up_for_the_app(sqlite_store):
    conn = sqlite_store.connect()
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        # Without a busy timeout a second window would fail at once instead of waiting its turn.
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] > 0
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
        # Autocommit: no statement may silently open a transaction that stays open.
        conn.execute("SELECT count(*) FROM categories").fetchone()
        assert not conn.in_transaction
    finally:
        conn.close()


def test_wal_mode_and_schema_are_stored_in_the_file(sqlite_store):
    # A plain connection (not Store.connect) sees what was persisted in the file itself.
    conn = sqlite3.connect(sqlite_store.path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    finally:
        conn.close()


def test_open_accepts_a_sqlite_url(tmp_path):
    path = tmp_path / "url" / "nexus.db"
    store = Store.open(f"sqlite:///{path}")
    assert store.path == path
    assert path.is_file()


def test_reopening_keeps_the_data(store, hub_location):
    store.write(add_user_topic, "Mine", "My topic")
    again = open_store(hub_location)
    assert names(again, "topics") == {"My topic"}


# --- database_path ------------------------------------------------------------


def test_database_path_of_a_plain_path():
    assert database_path("/var/data/nexus.db") == Path("/var/data/nexus.db")
    assert database_path("data/nexus.db") == Path("data/nexus.db")


def test_database_path_expands_the_home_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    assert database_path("~/hub/nexus.db") == tmp_path / "hub" / "nexus.db"


def test_database_path_of_an_absolute_sqlite_url():
    # Four slashes: "sqlite:///" and then the absolute path.
    assert database_path("sqlite:////abs/path/nexus.db") == Path("/abs/path/nexus.db")


def test_database_path_of_a_relative_sqlite_url():
    path = database_path("sqlite:///relative/nexus.db")
    assert path == Path("relative/nexus.db")
    assert not path.is_absolute()


def test_database_path_accepts_a_sqlite_driver_suffix():
    assert database_path("sqlite+pysqlite:////abs/nexus.db") == Path("/abs/nexus.db")


def test_database_path_refuses_other_databases():
    with pytest.raises(StoreError) as caught:
        database_path("postgresql+psycopg://user:secret@db.example.com/nexus")
    message = str(caught.value)
    assert "postgresql+psycopg://" in message
    assert "not supported" in message
    assert "sqlite:///" in message  # says what to use instead


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:", "sqlite:///"])
def test_database_path_refuses_urls_without_a_file(url):
    with pytest.raises(StoreError) as caught:
        database_path(url)
    assert "does not name a database file" in str(caught.value)
    assert "sqlite:///path/to/nexus.db" in str(caught.value)


def test_open_refuses_a_memory_database_and_creates_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(StoreError):
        Store.open("sqlite://")
    assert list(tmp_path.iterdir()) == []


# --- files that are refused and left alone ----------------------------------------


def refuse(path: Path) -> str:
    """Open `path`, expect a StoreError, check the file is unchanged; return the message."""
    before = snapshot(path)
    with pytest.raises(StoreError) as caught:
        Store.open(str(path))
    assert snapshot(path) == before
    assert str(path) in str(caught.value)
    return str(caught.value)


def test_refuses_a_text_file(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n", encoding="utf-8")
    assert "not an SQLite file" in refuse(path)


def test_refuses_a_truncated_nexus_database(sqlite_store, tmp_path):
    assert seed_default_hub(sqlite_store)
    real = sqlite_store.path.read_bytes()
    assert len(real) > 1000
    path = tmp_path / "truncated.db"
    path.write_bytes(real[:1000])
    # pytest.raises(StoreError) in refuse() already rules out a bare sqlite3 exception.
    message = refuse(path)
    assert "damaged" in message
    assert "malformed" in message


def test_refuses_the_database_of_another_program(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount REAL)")
    conn.execute("INSERT INTO invoices (amount) VALUES (12.5)")
    conn.commit()
    conn.close()
    assert "another program" in refuse(path)


def test_refuses_a_sqlite_file_with_a_foreign_application_id(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 42")
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    assert "another program" in refuse(path)


def test_refuses_a_database_of_a_newer_nexus_tui(sqlite_store):
    conn = sqlite3.connect(sqlite_store.path)
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.close()
    message = refuse(sqlite_store.path)
    assert "newer nexus-tui" in message
    assert f"schema version {LATEST_VERSION + 1}" in message


def test_refuses_a_folder(tmp_path):
    folder = tmp_path / "nexus.db"
    folder.mkdir()
    (folder / "keep.txt").write_text("x", encoding="utf-8")
    mtime = folder.stat().st_mtime_ns
    with pytest.raises(StoreError) as caught:
        Store.open(str(folder))
    assert "is a folder" in str(caught.value)
    assert sorted(p.name for p in folder.iterdir()) == ["keep.txt"]
    assert folder.stat().st_mtime_ns == mtime


def test_an_empty_file_is_refused_and_left_alone(tmp_path):
    # A new database is never seen empty (it is made aside and linked into place whole), so an
    # empty file is a hub lost to something else; starting a new hub in it would hide that.
    path = tmp_path / "nexus.db"
    path.touch()
    message = refuse(path)
    assert "empty" in message
    assert "nexus-tui restore" in message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nexus.db"]


# --- transactions ------------------------------------------------------------


def test_write_returns_the_result_and_read_sees_it(store):
    new_id = store.write(add_user_topic, "Mine", "My topic")
    rows = store.read(queries.categories_with_topics)
    assert [(c.name, [t.id for t in c.topics]) for c in rows] == [("Mine", [new_id])]


def test_write_that_raises_saves_nothing(store):
    def change(conn):
        add_user_topic(conn, "Half", "Half done")
        raise RuntimeError("changed my mind")

    with pytest.raises(RuntimeError, match="changed my mind"):
        store.write(change)
    assert count(store, "categories") == 0
    assert count(store, "topics") == 0
    # The held-data mark set by the schema's trigger went with the rollback, so the default hub
    # is still offered.
    assert store.read(has_held_data) is False


def test_write_that_breaks_a_constraint_saves_nothing(store):
    def change(conn):
        add_user_topic(conn, "Kept?", "No")
        add_user_topic(conn, "Kept?", "Duplicate category name")

    with pytest.raises(StoreError) as caught:
        store.write(change)
    assert str(caught.value).startswith("Not saved: ")
    # sqlite3's IntegrityError, or psycopg's (UniqueViolation is one).
    assert "IntegrityError" in {cls.__name__ for cls in type(caught.value.__cause__).__mro__}
    assert count(store, "categories") == 0


def test_read_discards_anything_written_inside_it(store):
    # Reads run in a transaction that is always rolled back, so a stray write cannot stick.
    if store.dialect == "postgresql":
        # There the transaction is read-only too: the write is refused outright.
        with pytest.raises(StoreError, match="read-only transaction"):
            store.read(add_user_topic, "Sneaky", "Write")
    else:
        store.read(add_user_topic, "Sneaky", "Write")
    assert count(store, "topics") == 0


def test_reads_from_two_threads_at_once(seeded):
    both_inside = threading.Barrier(2, timeout=5)

    def query(conn):
        rows = queries.categories_with_topics(conn)
        # Both read transactions must be open at the same moment to get past this.
        both_inside.wait()
        return rows

    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = [pool.submit(seeded.read, query) for _ in range(2)]
        first, second = (future.result(timeout=10) for future in futures)
    assert first == second
    assert len(first) == len(hub_toml()["categories"])


def test_a_read_succeeds_while_another_store_holds_a_write_transaction(sqlite_store):
    reader = open_store(sqlite_store.path)
    writer = sqlite_store.connect()
    try:
        writer.execute("BEGIN IMMEDIATE")
        add_user_topic(writer, "Uncommitted", "Not yet")
        started = time.monotonic()
        seen = reader.read(queries.categories_with_topics)
        # WAL: the reader neither waits for the busy timeout nor sees uncommitted rows.
        assert time.monotonic() - started < 2
        assert seen == []
        writer.execute("COMMIT")
    finally:
        writer.close()
    assert [c.name for c in reader.read(queries.categories_with_topics)] == ["Uncommitted"]


def test_open_waits_for_a_writer_before_switching_to_wal(tmp_path):
    """Store.open must wait (busy timeout) for a writer instead of failing at once.

    Switching a file in rollback-journal mode to WAL needs its write lock; SQLite answers "locked"
    at once, without its busy handler, while a raw connection in BEGIN IMMEDIATE holds it.
    """
    path = tmp_path / "nexus.db"
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    # A database made without WAL (say, by a nexus-tui killed before it switched) is switched
    # by the next opener, which needs the write lock for that.
    migrate(other)
    other.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.5, other.execute, ("ROLLBACK",))
    release.start()
    try:
        store = Store.open(str(path))
    finally:
        release.join()
        other.close()
    assert store.read(lambda conn: conn.execute("PRAGMA user_version").fetchone()[0]) == (
        LATEST_VERSION
    )


class _RacingStore(Store):
    """A Store whose pre-open check lets another opener migrate the file between two of its reads.

    Real file, real code: the hook only fixes the moment at which a second nexus-tui, opening the
    same new file, commits the schema. It fires after the check read `application_id`.
    """

    def _connect_read_only(self):
        conn = super()._connect_read_only()
        state = {"read_application_id": False, "fired": False}

        def between_statements(sql: str) -> None:
            if state["read_application_id"] and not state["fired"]:
                state["fired"] = True
                # Short timeout: if the check holds a consistent snapshot the other opener cannot
                # commit now, which is fine; it is then simply not interleaved.
                other = sqlite3.connect(self.path, timeout=0.2, isolation_level=None)
                try:
                    other.execute("PRAGMA journal_mode = WAL")
                    migrate(other)
                except sqlite3.OperationalError:
                    pass
                finally:
                    other.close()
            if "application_id" in sql:
                state["read_application_id"] = True

        conn.set_trace_callback(between_statements)
        return conn


def test_open_of_a_new_file_another_opener_migrates_meanwhile(tmp_path):
    # An SQLite file with no schema yet, as a second window finds one that the first has just
    # created (older versions created new databases in place).
    path = tmp_path / "nexus.db"
    with closing(sqlite3.connect(path)) as first_window:
        first_window.execute("PRAGMA journal_mode = WAL")
        # Still open, so its write-ahead log is there and the check asks SQLite, with its locks.
        first_window.execute("SELECT count(*) FROM sqlite_master").fetchone()
        store = _RacingStore.open(str(path))
    assert store.read(lambda conn: conn.execute("PRAGMA application_id").fetchone()[0]) == (
        APPLICATION_ID
    )


# --- seeding -----------------------------------------------------------------


def test_seed_loads_the_whole_default_hub(store):
    hub = hub_toml()
    assert seed_default_hub(store) is True
    assert count(store, "categories") == len(hub["categories"])
    assert count(store, "topics") == len(hub["topics"])
    assert count(store, "notes") == sum(len(t.get("notes", [])) for t in hub["topics"])
    assert count(store, "challenges") == len(hub["challenges"])
    assert count(store, "collaborators") == len(hub["collaborators"])
    assert count(store, "challenge_topics") == sum(len(set(c["topics"])) for c in hub["challenges"])
    assert count(store, "challenge_links") == sum(
        len(c.get("links", [])) for c in hub["challenges"]
    )
    assert names(store, "categories") == {c["name"] for c in hub["categories"]}
    assert names(store, "topics") == {t["name"] for t in hub["topics"]}
    assert names(store, "challenges", "title") == {c["title"] for c in hub["challenges"]}
    assert names(store, "collaborators") == {c["name"] for c in hub["collaborators"]}
    note_titles = {n["title"] for t in hub["topics"] for n in t.get("notes", [])}
    assert names(store, "notes", "title") == note_titles


def test_seeded_facts(seeded):
    categories = seeded.read(queries.categories_with_topics)
    drf = [
        (c.name, t.category)
        for c in categories
        for t in c.topics
        if t.name == "Django REST Framework (DRF)"
    ]
    assert drf == [("Programming & Frameworks", "Programming & Frameworks")]

    docker = next(
        c
        for c in seeded.read(queries.challenges)
        if c.title == "Mastering Docker and containerized deployments"
    )
    assert docker.status == "solved"
    detail = seeded.read(queries.challenge, docker.id)
    assert {t.name for t in detail.topics} == {
        "Docker & Containerization",
        "PostgreSQL",
        "Linux & Shell Scripting",
    }
    assert "docker compose up --build" in detail.solution
    assert detail.created_at == SEED_TIME

    frontend = next(
        c for c in seeded.read(queries.collaborators) if c.name == "ProDev Frontend Learners"
    )
    assert frontend.role == "frontend"
    person = seeded.read(queries.collaborator, frontend.id)
    assert person.project == "ALX Project Nexus"
    assert "API consistency" in person.api_contract


def test_seeded_notes_keep_their_tags_and_body(seeded):
    python = topic_id(seeded, "Python")
    [summary] = seeded.read(queries.notes_of_topic, python)
    assert summary.title == "Python for backend work"
    assert summary.tags == ("python", "language")
    assert summary.pinned is False
    note = seeded.read(queries.note, summary.id)
    assert note.topic == "Python"
    assert "python -m venv .venv" in note.body
    assert note.created_at == note.updated_at == SEED_TIME


def test_every_seeded_row_is_marked_default(seeded):
    for table in ORIGIN_TABLES:
        origins = seeded.read(
            lambda conn, t=table: {row[0] for row in conn.execute(f"SELECT origin FROM {t}")}
        )
        assert origins == {"default"}, table


def test_seed_twice_adds_nothing(seeded):
    before = {table: count(seeded, table) for table in ORIGIN_TABLES}
    assert seed_default_hub(seeded) is False
    assert {table: count(seeded, table) for table in ORIGIN_TABLES} == before


def test_a_database_emptied_by_the_user_is_not_seeded_again(seeded):
    def delete_everything(conn):
        for table in ("notes", "challenges", "collaborators", "topics", "categories"):
            conn.execute(f"DELETE FROM {table}")

    seeded.write(delete_everything)
    assert seed_default_hub(seeded) is False
    for table in ORIGIN_TABLES:
        assert count(seeded, table) == 0, table


def test_a_database_that_held_user_data_first_is_never_seeded(store):
    store.write(add_user_topic, "Mine", "My topic")
    assert seed_default_hub(store) is False
    assert names(store, "topics") == {"My topic"}
    assert count(store, "categories", "origin = 'default'") == 0


# --- removing the default hub --------------------------------------------------


def test_remove_untouched_default_hub_deletes_all_of_it(seeded):
    total = sum(count(seeded, table) for table in ORIGIN_TABLES)
    assert remove_default_hub(seeded) == total
    for table in (*ORIGIN_TABLES, "challenge_topics", "challenge_links"):
        assert count(seeded, table) == 0, table
    # Once removed, the default hub does not come back on the next start.
    assert seed_default_hub(seeded) is False


def test_remove_default_hub_keeps_what_the_user_touched(seeded):
    drf = topic_id(seeded, "Django REST Framework (DRF)")
    [drf_note] = seeded.read(queries.notes_of_topic, drf)
    python = topic_id(seeded, "Python")
    postgres = topic_id(seeded, "PostgreSQL")

    def user_work(conn):
        # The user edits a default note: its updated_at moves on.
        conn.execute(
            "UPDATE notes SET body = 'my own words', updated_at = ? WHERE id = ?",
            (to_db_time(LATER), drf_note.id),
        )
        # ... adds a note of their own to a default topic,
        add_note(conn, python, "My Python note")
        # ... links a challenge of their own to a default topic,
        challenge_id = conn.execute(
            "INSERT INTO challenges (title, created_at, updated_at) VALUES ('Mine', ?, ?) "
            "RETURNING id",
            (to_db_time(LATER), to_db_time(LATER)),
        ).fetchone()[0]
        conn.execute(
            "INSERT INTO challenge_topics (challenge_id, topic_id) VALUES (?, ?)",
            (challenge_id, postgres),
        )
        # ... and writes things entirely their own.
        add_note(conn, add_user_topic(conn, "My category", "My topic"), "My note")
        conn.execute(
            "INSERT INTO collaborators (name, created_at, updated_at) VALUES ('Pat', ?, ?)",
            (to_db_time(LATER), to_db_time(LATER)),
        )

    seeded.write(user_work)
    defaults_before = sum(count(seeded, t, "origin = 'default'") for t in ORIGIN_TABLES)

    deleted = remove_default_hub(seeded)

    defaults_after = sum(count(seeded, t, "origin = 'default'") for t in ORIGIN_TABLES)
    assert deleted == defaults_before - defaults_after
    assert names(seeded, "notes", "title") == {drf_note.title, "My Python note", "My note"}
    assert seeded.read(queries.note, drf_note.id).body == "my own words"
    assert names(seeded, "topics") == {
        "Django REST Framework (DRF)",  # holds the edited note
        "Python",  # holds the user's note
        "PostgreSQL",  # linked to the user's challenge
        "My topic",
    }
    assert names(seeded, "categories") == {
        "Programming & Frameworks",
        "Backend & Infrastructure Tools",
        "My category",
    }
    assert names(seeded, "challenges", "title") == {"Mine"}
    assert names(seeded, "collaborators") == {"Pat"}
    # The kept default rows are still marked default; nothing of the user's changed origin.
    assert count(seeded, "notes", "origin = 'default'") == 1
    assert count(seeded, "topics", "origin = 'user'") == 1


# --- queries -----------------------------------------------------------------


def test_categories_and_topics_follow_the_hub_order(seeded):
    hub = hub_toml()
    result = seeded.read(queries.categories_with_topics)
    assert [c.name for c in result] == [c["name"] for c in hub["categories"]]
    assert [c.kind for c in result] == [c["kind"] for c in hub["categories"]]
    for category in result:
        expected = [t for t in hub["topics"] if t["category"] == category.name]
        assert [t.name for t in category.topics] == [t["name"] for t in expected]
        assert [t.note_count for t in category.topics] == [
            len(t.get("notes", [])) for t in expected
        ]
        assert all(t.category_id == category.id for t in category.topics)


def test_notes_of_topic_puts_pinned_first_then_newest(store):
    def notes(conn):
        topic = add_user_topic(conn, "C", "T")
        old_pinned = add_note(conn, topic, "old pinned", pinned=True, updated=SEED_TIME)
        newest = add_note(conn, topic, "newest", updated=LATER + timedelta(hours=2))
        newer = add_note(conn, topic, "newer", updated=LATER)
        return topic, [old_pinned, newest, newer]

    topic, expected = store.write(notes)
    result = store.read(queries.notes_of_topic, topic)
    assert [n.id for n in result] == expected
    assert [n.pinned for n in result] == [True, False, False]
    assert result[0].updated_at == SEED_TIME


@pytest.mark.parametrize("query", [queries.note, queries.challenge, queries.collaborator])
def test_single_record_queries_return_none_for_a_missing_id(seeded, query):
    assert seeded.read(query, 999_999) is None


def test_collaborators_with_the_earliest_sync_come_first(seeded):
    def set_syncs(conn):
        conn.execute(
            "UPDATE collaborators SET next_sync = '2025-03-01' WHERE name = ?",
            ("Discord #ProDevProjectNexus",),
        )
        conn.execute(
            "UPDATE collaborators SET next_sync = '2025-02-01' WHERE name = ?",
            ("ProDev Frontend Learners",),
        )

    seeded.write(set_syncs)
    result = seeded.read(queries.collaborators)
    assert [(c.name, c.next_sync) for c in result] == [
        ("ProDev Frontend Learners", date(2025, 2, 1)),
        ("Discord #ProDevProjectNexus", date(2025, 3, 1)),
        ("ProDev Backend Learners", None),
    ]


def test_watched_repos_name_their_collaborator(seeded):
    def add_repos(conn):
        frontend = conn.execute(
            "SELECT id FROM collaborators WHERE name = 'ProDev Frontend Learners'"
        ).fetchone()[0]
        stamp = to_db_time(LATER)
        conn.executemany(
            "INSERT INTO repos (full_name, collaborator_id, created_at) VALUES (?, ?, ?)",
            [("zeta/app", None, stamp), ("Alpha/web", frontend, stamp)],
        )
        return frontend

    frontend = seeded.write(add_repos)
    assert seeded.read(queries.watched_repos) == [
        WatchedRepo("Alpha/web", "ProDev Frontend Learners"),
        WatchedRepo("zeta/app", None),
    ]
    assert seeded.read(queries.collaborator, frontend).repos == ("Alpha/web",)


def test_names_sort_by_code_point_with_only_ascii_letters_folded(store):
    # As SQLite compares text; a PostgreSQL database's own collation (en_US, say) would skip
    # spaces and punctuation, and its lower() would fold "Ä" too.
    names_in_order_written = ["ab", "a b", "a-c", "B", "_z", "Z", "Äx", "äx", "Öx", "ß", "Zeta"]

    def add(conn):
        stamp = to_db_time(LATER)
        for name in names_in_order_written:
            conn.execute(
                "INSERT INTO categories (name, created_at, updated_at) VALUES (?, ?, ?)",
                (name, stamp, stamp),
            )
            conn.execute(
                "INSERT INTO collaborators (name, created_at, updated_at) VALUES (?, ?, ?)",
                (name, stamp, stamp),
            )
        # GitHub's names are ASCII.
        conn.executemany(
            "INSERT INTO repos (full_name, created_at) VALUES (?, ?)",
            [(name, stamp) for name in ("ab/r", "a-c/r", "B/r", "Z/r", "Zeta/r", "_z/r")],
        )

    store.write(add)
    expected = ["_z", "a b", "a-c", "ab", "B", "Z", "Zeta", "Äx", "Öx", "ß", "äx"]
    assert [c.name for c in store.read(queries.categories_with_topics)] == expected
    assert [c.name for c in store.read(queries.collaborators)] == expected
    assert [r.full_name for r in store.read(queries.watched_repos)] == [
        "_z/r", "a-c/r", "ab/r", "B/r", "Z/r", "Zeta/r",
    ]  # fmt: skip


def test_notes_per_week_counts_writes_and_changes_in_their_weeks(store):
    now = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)

    def note(created: datetime, updated: datetime) -> None:
        def insert(conn: sqlite3.Connection) -> None:
            if conn.execute("SELECT count(*) FROM topics").fetchone()[0] == 0:
                stamp = to_db_time(now)
                conn.execute(
                    "INSERT INTO categories (name, created_at, updated_at) VALUES ('C', ?, ?)",
                    (stamp, stamp),
                )
                conn.execute(
                    "INSERT INTO topics (category_id, name, created_at, updated_at)"
                    " VALUES (1, 'T', ?, ?)",
                    (stamp, stamp),
                )
            conn.execute(
                "INSERT INTO notes (topic_id, title, created_at, updated_at) VALUES (1, 'n', ?, ?)",
                (to_db_time(created), to_db_time(updated)),
            )

        store.write(insert)

    day = timedelta(days=1)
    note(now - day, now - day)  # this week, once
    note(now - 2 * day, now - day)  # written and changed this week: still once
    note(now - 10 * day, now - 3 * day)  # written last week, changed this week
    note(now - 30 * day, now - 30 * day)  # five weeks ago: outside a four-week chart
    note(now + day, now + day)  # a clock ahead of ours: this week
    assert store.read(queries.notes_per_week, now, 4) == [0, 0, 1, 4]
    assert store.read(queries.notes_per_week, now, 6) == [0, 1, 0, 0, 1, 4]


def test_notes_per_week_reads_the_index_only(sqlite_store):
    plan = sqlite_store.read(
        lambda conn: conn.execute(
            "EXPLAIN QUERY PLAN SELECT created_at, updated_at FROM notes WHERE updated_at >= ?",
            ("a",),
        ).fetchall()
    )
    assert "COVERING INDEX notes_by_change" in plan[0][-1]
