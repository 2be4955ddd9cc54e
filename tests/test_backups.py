"""Backups before risk: a copy through SQLite's online backup API before a migration, an import or
a restore, the newest few kept, and `nexus-tui restore` putting one back. Real files throughout;
the crash test kills a real process in the middle of a restore.
"""

from __future__ import annotations

import hashlib
import os
import re
import signal
import sqlite3
import subprocess
import sys
import textwrap
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest
from terminal import Terminal
from test_cli import assert_no_traceback, needs_pty
from test_cli import run as nexus

from nexus_tui.store import Store, StoreError
from nexus_tui.store.backups import (
    BACKUPS_KEPT,
    backup_before_import,
    backup_database,
    backups_folder,
    list_backups,
    restore_backup,
)
from nexus_tui.store.changes import add_note
from nexus_tui.store.database import to_db_time
from nexus_tui.store.migrations import LATEST_VERSION
from nexus_tui.store.seed import seed_default_hub

V1_DUMP = Path(__file__).parent / "data" / "nexus-schema-v1.sql"
NOW = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
NAME = r"nexus-\d{8}T\d{6}\.\d{6}Z-(migration|import|restore)\.sqlite3"


def hub(path: Path) -> Store:
    store = Store.open(str(path))
    seed_default_hub(store)
    return store


def note_titles(path: Path) -> list[str]:
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
        return [row[0] for row in conn.execute("SELECT title FROM notes ORDER BY id")]


def first_topic(store: Store) -> int:
    return store.read(lambda conn: conn.execute("SELECT min(id) FROM topics").fetchone()[0])


def add(store: Store, title: str) -> None:
    store.write(add_note, first_topic(store), title, "body", [], NOW)


def integrity(path: Path) -> str:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def v1_database(path: Path) -> None:
    with closing(sqlite3.connect(path)) as conn:
        conn.executescript(V1_DUMP.read_text(encoding="utf-8"))


# --- making backups ---------------------------------------------------------------------------


def test_a_backup_is_a_whole_single_file_copy_in_the_backups_folder(tmp_path):
    database = tmp_path / "nexus.db"
    store = hub(database)
    add(store, "Written just before the backup")
    copy = backup_database(database, "import")
    assert copy.parent == tmp_path / "backups" == backups_folder(database)
    assert re.fullmatch(NAME, copy.name)
    assert note_titles(copy) == note_titles(database)
    assert integrity(copy) == "ok"
    with closing(sqlite3.connect(copy)) as conn:
        # Opening a backup must not need a log beside it.
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert sorted(p.name for p in copy.parent.iterdir()) == [copy.name]


def test_a_backup_is_consistent_while_another_connection_is_writing(tmp_path):
    database = tmp_path / "nexus.db"
    store = hub(database)
    before = note_titles(database)
    writer = store.connect()
    try:
        writer.execute("BEGIN IMMEDIATE")
        add_note(writer, first_topic(store), "Not committed yet", "", [], NOW)
        copy = backup_database(database, "import")
        writer.execute("COMMIT")
    finally:
        writer.close()
    assert note_titles(copy) == before
    assert "Not committed yet" in note_titles(database)


def test_only_the_newest_backups_of_each_database_are_kept(tmp_path):
    database = tmp_path / "nexus.db"
    hub(database)
    other = tmp_path / "nexus-old.db"
    hub(other)
    others = backup_database(other, "import")
    made = [backup_database(database, "import") for _ in range(BACKUPS_KEPT + 3)]
    listed = list_backups(database)
    assert [info.path for info in listed] == made[::-1][:BACKUPS_KEPT]
    assert all(not path.exists() for path in made[:3])
    # Another database's backups share the folder, never the count.
    assert others.exists() and [info.path for info in list_backups(other)] == [others]
    newest = listed[0]
    assert newest.reason == "import"
    assert newest.size == newest.path.stat().st_size > 0
    assert newest.taken_at.tzinfo is UTC


def test_backup_before_import_is_none_without_a_database(tmp_path):
    database = tmp_path / "nexus.db"
    assert backup_before_import(str(database)) is None
    assert not tmp_path.joinpath("backups").exists()
    hub(database)
    copy = backup_before_import(f"sqlite:///{database}")
    assert copy is not None and copy.name.endswith("-import.sqlite3")


def test_a_backup_that_cannot_be_written_is_a_store_error(tmp_path):
    database = tmp_path / "nexus.db"
    hub(database)
    # A file where the folder has to go: fails for root too.
    (tmp_path / "backups").write_text("in the way\n")
    with pytest.raises(StoreError) as caught:
        backup_database(database, "import")
    assert str(tmp_path / "backups") in str(caught.value)
    assert "nothing was changed" in str(caught.value)


# --- before a migration -----------------------------------------------------------------------


def test_a_migration_is_preceded_by_a_backup_of_the_old_version(tmp_path):
    database = tmp_path / "nexus.db"
    v1_database(database)
    old_titles = note_titles(database)
    assert old_titles
    Store.open(str(database))
    (backup,) = list_backups(database)
    assert backup.reason == "migration"
    with closing(sqlite3.connect(backup.path)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert note_titles(backup.path) == old_titles
    # Opening it again migrates nothing, so no second backup.
    Store.open(str(database))
    assert len(list_backups(database)) == 1


def test_a_new_or_current_database_is_not_backed_up(tmp_path):
    database = tmp_path / "nexus.db"
    hub(database)
    Store.open(str(database))
    assert list_backups(database) == []
    assert not (tmp_path / "backups").exists()


def test_no_migration_without_its_backup(tmp_path):
    database = tmp_path / "nexus.db"
    v1_database(database)
    before = digest(database)
    (tmp_path / "backups").write_text("in the way\n")
    with pytest.raises(StoreError) as caught:
        Store.open(str(database))
    assert "before the migration" in str(caught.value)
    assert digest(database) == before
    with closing(sqlite3.connect(database)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1


# --- restoring --------------------------------------------------------------------------------


def test_restore_puts_a_backup_back_and_keeps_what_it_replaced(tmp_path):
    database = tmp_path / "nexus.db"
    store = hub(database)
    before = note_titles(database)
    copy = backup_database(database, "import")
    add(store, "Written after the backup")
    replaced = restore_backup(copy, database)
    assert note_titles(database) == before
    assert replaced is not None and replaced.name.endswith("-restore.sqlite3")
    assert "Written after the backup" in note_titles(replaced)
    assert integrity(database) == "ok"
    # The store keeps working on the restored file.
    add(Store.open(str(database)), "After the restore")
    assert note_titles(database)[-1] == "After the restore"


def test_restore_never_removes_the_backup_it_restores(tmp_path):
    database = tmp_path / "nexus.db"
    store = hub(database)
    oldest = backup_database(database, "import")
    for number in range(BACKUPS_KEPT - 1):
        add(store, f"Note {number}")
        backup_database(database, "import")
    # The backup of what is replaced would push the oldest out of the newest five.
    restore_backup(oldest, database)
    assert oldest.exists()
    assert note_titles(database) == note_titles(oldest)


@pytest.mark.parametrize(
    "damage",
    [lambda data: data[: len(data) // 2], lambda data: b"", lambda data: b"not sqlite\n" * 50],
    ids=["cut in half", "empty", "not SQLite"],
)
def test_restore_replaces_a_damaged_database_and_keeps_its_bytes(tmp_path, damage):
    database = tmp_path / "nexus.db"
    hub(database)
    copy = backup_database(database, "import")
    with closing(sqlite3.connect(database)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    damaged = damage(database.read_bytes())
    database.write_bytes(damaged)
    replaced = restore_backup(copy, database)
    assert replaced is not None and replaced.read_bytes() == damaged
    assert note_titles(database) == note_titles(copy)
    assert integrity(database) == "ok"
    Store.open(str(database))


def test_restore_refuses_a_damaged_backup_and_changes_nothing(tmp_path):
    database = tmp_path / "nexus.db"
    hub(database)
    copy = backup_database(database, "import")
    copy.write_bytes(copy.read_bytes()[:3000])
    before = digest(database)
    with pytest.raises(StoreError) as caught:
        restore_backup(copy, database)
    assert "Not restored" in str(caught.value) and str(copy) in str(caught.value)
    assert digest(database) == before
    assert len(list_backups(database)) == 1


def test_a_backup_of_an_older_version_is_migrated_when_next_opened(tmp_path):
    database = tmp_path / "nexus.db"
    v1_database(database)
    Store.open(str(database))
    (v1_backup,) = list_backups(database)
    restore_backup(v1_backup.path, database)
    with closing(sqlite3.connect(database)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    store = Store.open(str(database))
    assert store.read(lambda conn: conn.execute("PRAGMA user_version").fetchone()[0]) == (
        LATEST_VERSION
    )


RESTORER = textwrap.dedent(
    """
    import sys, time
    from nexus_tui.store.backups import restore_backup

    def progress(left, total):
        if left < total:
            print("halfway", flush=True)
            time.sleep(60)

    restore_backup(sys.argv[1], sys.argv[2], progress=progress)
    print("done", flush=True)
    """
)


def test_a_restore_killed_midway_leaves_the_database_as_it_was(tmp_path):
    database = tmp_path / "nexus.db"
    store = hub(database)
    # Big enough for several steps of the copy.
    store.write(
        lambda conn: conn.executemany(
            "INSERT INTO notes (topic_id, title, body, tags, created_at, updated_at)"
            " VALUES (?, ?, ?, '[]', ?, ?)",
            [(first_topic(store), f"Old {n}", "x" * 2000, to_db_time(NOW), to_db_time(NOW))
             for n in range(3000)],
        )
    )  # fmt: skip
    copy = backup_database(database, "import")
    store.write(lambda conn: conn.execute("DELETE FROM notes WHERE title LIKE 'Old %'"))
    add(store, "Only in the current database")
    current = note_titles(database)
    child = subprocess.Popen(
        [sys.executable, "-c", RESTORER, str(copy), str(database)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline() == "halfway\n"
        # Meanwhile, other windows still see the database as it was.
        assert note_titles(database) == current
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        child.wait(timeout=30)
        child.stdout.close()
    assert child.returncode == -signal.SIGKILL
    assert integrity(database) == "ok"
    Store.open(str(database))
    assert note_titles(database) == current


# --- nexus-tui restore ------------------------------------------------------------------------


@pytest.fixture
def cli_hub(tmp_path: Path) -> Path:
    database = tmp_path / "data" / "nexus.db"
    database.parent.mkdir()
    store = hub(database)
    backup_database(database, "migration")
    add(store, "Added after the first backup")
    backup_database(database, "import")
    add(store, "Added after both backups")
    return database


def test_restore_without_an_argument_lists_the_backups(cli_hub):
    result = nexus("restore", "--db", str(cli_hub))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    newest, oldest = (line.split() for line in lines)
    assert newest[0] == "1" and newest[3:6] == ["UTC", "before", "import"]
    assert oldest[0] == "2" and oldest[3:6] == ["UTC", "before", "migration"]
    assert "KB" in lines[0] and lines[0].endswith("-import.sqlite3")


def test_restore_lists_nothing_for_a_database_without_backups(tmp_path):
    result = nexus("restore", "--db", str(tmp_path / "nexus.db"))
    assert result.returncode == 0
    assert result.stdout == ""
    assert "no backups" in result.stderr


def test_restore_n_with_yes_restores_and_says_what_it_replaced(cli_hub):
    oldest = list_backups(cli_hub)[1].path
    result = nexus("restore", "2", "--yes", "--db", str(cli_hub))
    assert result.returncode == 0, result.stderr
    assert_no_traceback(result)
    assert f"replaces the database {cli_hub}" in result.stdout
    assert "Added after the first backup" not in note_titles(cli_hub)
    assert note_titles(cli_hub) == note_titles(oldest)
    kept = result.stdout.rsplit("kept as ", 1)[1].strip().rstrip(".")
    assert "Added after both backups" in note_titles(Path(kept))


def test_restore_a_file_by_name(cli_hub, tmp_path):
    elsewhere = tmp_path / "saved.sqlite3"
    elsewhere.write_bytes(list_backups(cli_hub)[0].path.read_bytes())
    result = nexus("restore", str(elsewhere), "--yes", "--db", str(cli_hub))
    assert result.returncode == 0, result.stderr
    assert note_titles(cli_hub)[-1] == "Added after the first backup"


def test_restore_without_yes_and_without_a_terminal_changes_nothing(cli_hub):
    before = digest(cli_hub)
    result = nexus("restore", "1", "--db", str(cli_hub))
    assert result.returncode == 2
    assert "--yes" in result.stderr and "terminal" in result.stderr
    assert_no_traceback(result)
    assert digest(cli_hub) == before
    assert len(list_backups(cli_hub)) == 2


@pytest.mark.parametrize("which", ["3", "0", "no-such-file.sqlite3"])
def test_restore_of_a_backup_that_is_not_there_is_exit_status_2(cli_hub, which):
    before = digest(cli_hub)
    result = nexus("restore", which, "--yes", "--db", str(cli_hub))
    assert result.returncode == 2
    assert which in result.stderr
    assert_no_traceback(result)
    assert digest(cli_hub) == before


def test_restore_of_a_file_that_is_not_a_backup_is_refused(cli_hub, tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("not a backup\n")
    before = digest(cli_hub)
    result = nexus("restore", str(text), "--yes", "--db", str(cli_hub))
    assert result.returncode == 2
    assert "Not restored" in result.stderr and str(text) in result.stderr
    assert digest(cli_hub) == before


@needs_pty
@pytest.mark.parametrize(("answer", "status"), [("n", 1), ("y", 0)])
def test_restore_asks_on_a_terminal(cli_hub, tmp_path, answer, status):
    before = note_titles(cli_hub)
    command = [sys.executable, "-m", "nexus_tui", "restore", "1", "--db", str(cli_hub)]
    with Terminal(command, env=dict(os.environ), cwd=tmp_path) as terminal:
        terminal.wait_for("Restore? [y/N]")
        terminal.send(f"{answer}\r")
        assert terminal.wait_exit(timeout=20) == status
    if answer == "n":
        assert note_titles(cli_hub) == before
    else:
        assert note_titles(cli_hub) == before[:-1]
