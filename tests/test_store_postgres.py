"""What only the PostgreSQL store has to get right: logins, the database it is given, its migration
and its write lock, against the test server (NEXUS_TUI_TEST_PG)."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit, urlunsplit

import pytest
from conftest import open_store

from nexus_tui.store import Store, queries
from nexus_tui.store.changes import add_note, add_topic, update_note
from nexus_tui.store.database import StoreError, to_db_time
from nexus_tui.store.pg_migrations import LATEST_VERSION

WHEN = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)

# Every test here runs on the PostgreSQL store only.
pytestmark = pytest.mark.parametrize("hub_location", ["postgresql"], indirect=True)


def on_server(location: str, *statements: str) -> list[tuple]:
    """Run statements on the test's database outside the store, in the test's schema; the rows
    of the last one."""
    import psycopg

    from nexus_tui.store.postgres import libpq_url

    with psycopg.connect(libpq_url(location), autocommit=True) as conn:
        for statement in statements:
            cursor = conn.execute(statement)
        return cursor.fetchall() if cursor.description else []


def with_password(url: str, password: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    return urlunsplit(parts._replace(netloc=f"{parts.username}:{password}@{host}"))


def test_a_wrong_password_is_named_without_the_password(hub_location, monkeypatch, tmp_path):
    password = "not-the-Password-4711"
    url = with_password(hub_location, password)
    # Only while opening: the fixture needs the real password to drop the test's schema.
    with monkeypatch.context() as environment, pytest.raises(StoreError) as refused:
        # Neither the environment nor a password file may log in in its stead.
        environment.delenv("PGPASSWORD", raising=False)
        environment.setenv("PGPASSFILE", str(tmp_path / "no-such-pgpass"))
        open_store(url)
    message = str(refused.value)
    assert password not in message
    server = urlsplit(hub_location)
    assert f"{server.username}:***@{server.hostname}:{server.port}" in message
    assert "refused the login" in message
    assert "password" in message  # says what to check
    # Nor does the exception it was made from carry the password along into a traceback.
    assert password not in repr(refused.value.__cause__)


def test_a_database_that_holds_another_programs_table_is_refused_and_left_alone(hub_location):
    on_server(
        hub_location,
        "CREATE TABLE invoices (id integer PRIMARY KEY, amount numeric)",
        "INSERT INTO invoices VALUES (1, 12.5)",
    )
    with pytest.raises(StoreError) as refused:
        open_store(hub_location)
    assert "already holds tables of another program" in str(refused.value)
    assert "left as it is" in str(refused.value)
    tables = on_server(
        hub_location, "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
    )
    assert tables == [("invoices",)]
    assert on_server(hub_location, "SELECT id, amount::text FROM invoices") == [(1, "12.5")]
    functions = on_server(
        hub_location,
        "SELECT count(*) FROM pg_proc WHERE pronamespace = current_schema()::regnamespace",
    )
    assert functions == [(0,)]


def schema_version(location: str) -> list[tuple]:
    # xmin is the transaction that last wrote the row: a migration run again would change it.
    return on_server(location, "SELECT version, xmin::text FROM schema_version")


def test_opening_a_hub_again_migrates_it_once(hub_location):
    store = open_store(hub_location)
    [(version, written_by)] = schema_version(hub_location)
    assert version == LATEST_VERSION
    category = store.write(
        lambda conn: conn.execute(
            "INSERT INTO categories (name, created_at, updated_at) VALUES ('Kept', ?, ?) "
            "RETURNING id",
            (to_db_time(WHEN), to_db_time(WHEN)),
        ).fetchone()[0]
    )
    again = open_store(hub_location)
    assert schema_version(hub_location) == [(LATEST_VERSION, written_by)]
    assert [c.id for c in again.read(queries.categories_with_topics)] == [category]


def test_two_windows_opening_a_new_hub_at_once_migrate_it_once(hub_location):
    both_ready = threading.Barrier(2, timeout=10)

    def open_it() -> Store:
        both_ready.wait()
        return open_store(hub_location)

    with ThreadPoolExecutor(max_workers=2) as pool:
        stores = [future.result(timeout=60) for future in [pool.submit(open_it) for _ in "ab"]]
    assert [version for version, _ in schema_version(hub_location)] == [LATEST_VERSION]
    assert all(store.read(queries.categories_with_topics) == [] for store in stores)


def waiting_for_a_lock(store: Store) -> int:
    """How many of the test's connections wait for a lock (the test schema names them)."""
    return store.read(
        lambda conn: conn.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE application_name = current_setting('application_name') "
            "AND wait_event_type = 'Lock'"
        ).fetchone()[0]
    )


def test_two_writes_at_once_both_land_one_after_the_other(hub_location):
    store = open_store(hub_location)
    store.write(lambda conn: conn.execute("INSERT INTO meta (key, value) VALUES ('counter', '0')"))
    first_inside, go_on = threading.Event(), threading.Event()

    def increment(conn, pause: bool) -> None:
        # Read, then write what was read plus one: without one writer at a time, the second
        # would read the same value and one increment would be lost.
        (value,) = conn.execute("SELECT value FROM meta WHERE key = 'counter'").fetchone()
        if pause:
            first_inside.set()
            assert go_on.wait(timeout=10)
        conn.execute("UPDATE meta SET value = ? WHERE key = 'counter'", (str(int(value) + 1),))

    with ThreadPoolExecutor(max_workers=2) as pool:
        first = pool.submit(store.write, increment, True)
        assert first_inside.wait(timeout=10)
        second = pool.submit(store.write, increment, False)
        deadline = time.monotonic() + 10
        while waiting_for_a_lock(store) == 0:
            assert time.monotonic() < deadline, "the second write never waited"
            time.sleep(0.02)
        assert not second.done()
        go_on.set()
        first.result(timeout=10)
        second.result(timeout=10)
    counter = store.read(
        lambda conn: conn.execute("SELECT value FROM meta WHERE key = 'counter'").fetchone()[0]
    )
    assert counter == "2"


def a_note(store: Store) -> int:
    def write(conn) -> int:
        category = conn.execute(
            "INSERT INTO categories (name, created_at, updated_at) VALUES ('C', ?, ?) RETURNING id",
            (to_db_time(WHEN), to_db_time(WHEN)),
        ).fetchone()[0]
        topic = add_topic(conn, category, "T", WHEN)
        return add_note(conn, topic, "First words", "", [], WHEN)

    return store.write(write)


def test_an_edit_started_before_another_windows_save_is_refused(hub_location):
    here, there = open_store(hub_location), open_store(hub_location)
    note_id = a_note(here)
    seen = here.read(queries.note, note_id).updated_at
    assert there.write(update_note, note_id, "Theirs", "", [], seen, WHEN + timedelta(minutes=1))
    assert not here.write(update_note, note_id, "Mine", "", [], seen, WHEN + timedelta(minutes=2))
    assert here.read(queries.note, note_id).title == "Theirs"
    # Started from what is stored now, the edit is saved.
    seen = here.read(queries.note, note_id).updated_at
    assert here.write(update_note, note_id, "Mine", "", [], seen, WHEN + timedelta(minutes=3))
    assert there.read(queries.note, note_id).title == "Mine"


def test_of_two_edits_saved_at_once_from_the_same_version_one_lands(hub_location):
    windows = [open_store(hub_location), open_store(hub_location)]
    note_id = a_note(windows[0])
    seen = windows[0].read(queries.note, note_id).updated_at
    both_ready = threading.Barrier(2, timeout=10)

    def save(store: Store, title: str, minutes: int) -> bool:
        both_ready.wait()
        return store.write(
            update_note, note_id, title, "", [], seen, WHEN + timedelta(minutes=minutes)
        )

    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = [pool.submit(save, windows[0], "A", 1), pool.submit(save, windows[1], "B", 2)]
        results = [future.result(timeout=30) for future in futures]
    assert sorted(results) == [False, True]
    landed = "A" if results[0] else "B"
    assert windows[1].read(queries.note, note_id).title == landed
