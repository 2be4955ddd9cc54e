"""Several processes on one database, and processes killed mid-write: real processes, real files.

Writers are small scripts that save through `Store.write`, as the app's screens do; searches are
`nexus-tui search` runs. Nobody may see "database is locked", no write may go missing, an edit
made from a stale copy is refused rather than saved over another, and a process killed with
SIGKILL (mid-loop, mid-transaction) leaves a database that passes `PRAGMA integrity_check`,
opens, and holds either all of the killed transaction or none of it.
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from contextlib import closing
from pathlib import Path

import pytest
from test_cli import COMMAND

from nexus_tui.store import Store
from nexus_tui.store.seed import seed_default_hub

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

TIMEOUT = 60
NOTES_PER_WRITER = 400
BULK_NOTES = 50_000

WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from nexus_tui.store import Store
    from nexus_tui.store.changes import add_note
    from nexus_tui.store.database import utc_now

    path, topic, who, count = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    go = Path(sys.argv[5]) if len(sys.argv) > 5 else None
    store = Store.open(path)
    print("ready", flush=True)
    while go is not None and not go.exists():
        time.sleep(0.005)
    for number in range(count):
        store.write(add_note, topic, f"{who} {number}", f"{who} wrote note {number}", [who],
                    utc_now())
        print(f"saved {number}", flush=True)
    """
)

BULK_WRITER = textwrap.dedent(
    """
    import sys, time
    from nexus_tui.store import Store
    from nexus_tui.store.changes import add_note
    from nexus_tui.store.database import utc_now

    path, topic, count, pause = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]

    def insert_all(conn):
        for number in range(count):
            add_note(conn, topic, f"bulk {number}", "x" * 200, ["bulk"], utc_now())
            if number == count // 2:
                print("halfway", flush=True)
                if pause == "pause":
                    time.sleep(60)

    Store.open(path).write(insert_all)
    print("committed", flush=True)
    """
)

EDITOR = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from nexus_tui.store import Store
    from nexus_tui.store.changes import update_note
    from nexus_tui.store.database import from_db_time, utc_now

    path, note, who, go = sys.argv[1], int(sys.argv[2]), sys.argv[3], Path(sys.argv[4])
    store = Store.open(path)
    # What the editor read when it opened the note.
    query = "SELECT updated_at FROM notes WHERE id = ?"
    seen = store.read(lambda conn: conn.execute(query, (note,)).fetchone()[0])
    print("ready", flush=True)
    while not go.exists():
        time.sleep(0.005)
    saved = store.write(update_note, note, "Edited", f"by {who}", [], from_db_time(seen), utc_now())
    print("saved" if saved else "conflict", flush=True)
    """
)


def python(script: str, *args: object, **popen: object) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", script, *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **popen,
    )


def finish(process: subprocess.Popen) -> tuple[str, str]:
    out, err = process.communicate(timeout=TIMEOUT)
    return out, err


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "nexus.db"
    seed_default_hub(Store.open(str(path)))
    return path


def first_topic(path: Path) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("SELECT min(id) FROM topics").fetchone()[0]


def titles_like(path: Path, pattern: str) -> list[str]:
    with closing(sqlite3.connect(path)) as conn:
        rows = conn.execute("SELECT title FROM notes WHERE title LIKE ?", (pattern,))
        return [row[0] for row in rows]


def assert_intact(path: Path) -> None:
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        # The search index is an FTS5 table: it has its own check.
        conn.execute("INSERT INTO search_index (search_index) VALUES ('integrity-check')")
    Store.open(str(path))


def test_two_writers_and_searches_at_once_lose_nothing_and_never_see_locked(database, tmp_path):
    topic = first_topic(database)
    go = tmp_path / "go"
    writers = [
        python(WRITER, database, topic, who, NOTES_PER_WRITER, go) for who in ("alice", "bob")
    ]
    for writer in writers:
        assert writer.stdout.readline() == "ready\n"
    # Both start writing together.
    go.touch()
    searches = []
    # Searches for as long as the writers write, each a whole `nexus-tui search` process.
    while any(writer.poll() is None for writer in writers) or not searches:
        searches.append(
            subprocess.run(
                [*COMMAND, "search", "--db", str(database), "wrote"],
                capture_output=True,
                text=True,
                timeout=TIMEOUT,
                stdin=subprocess.DEVNULL,
            )
        )
    for writer in writers:
        out, err = finish(writer)
        assert writer.returncode == 0, err
        assert err == ""
        assert out.splitlines()[-1] == f"saved {NOTES_PER_WRITER - 1}"
    assert len(searches) >= 2
    for search in searches:
        # Found something (0), or nothing yet (1); never an error (2) or a traceback.
        assert search.returncode in (0, 1), search.stderr
        assert "locked" not in search.stderr and "busy" not in search.stderr
        assert "Traceback" not in search.stderr
    for who in ("alice", "bob"):
        assert sorted(titles_like(database, f"{who} %")) == sorted(
            f"{who} {number}" for number in range(NOTES_PER_WRITER)
        )
    assert_intact(database)


def test_an_edit_from_a_stale_copy_is_refused_not_saved_over_another(database, tmp_path):
    note = 1
    go = tmp_path / "go"
    editors = [python(EDITOR, database, note, who, go) for who in ("alice", "bob")]
    for editor in editors:
        assert editor.stdout.readline() == "ready\n"
    # Both read the same version of the note; now both save at once.
    go.touch()
    results = []
    for editor in editors:
        out, err = finish(editor)
        assert editor.returncode == 0, err
        results.append(out.strip())
    assert sorted(results) == ["conflict", "saved"]
    winner = ("alice", "bob")[results.index("saved")]
    with closing(sqlite3.connect(database)) as conn:
        assert conn.execute("SELECT body FROM notes WHERE id = ?", (note,)).fetchone() == (
            f"by {winner}",
        )


def test_a_writer_killed_in_its_save_loop_leaves_every_committed_note(database):
    writer = python(WRITER, database, first_topic(database), "killed", 100_000)
    try:
        assert writer.stdout.readline() == "ready\n"
        for line in writer.stdout:
            if line == "saved 40\n":
                break
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=TIMEOUT)
    finally:
        writer.kill()
        writer.communicate(timeout=TIMEOUT)
    assert writer.returncode == -signal.SIGKILL
    assert_intact(database)
    saved = titles_like(database, "killed %")
    # Every note the writer reported saved is there, and the notes are whole: no gap, no
    # half-written row, at most one more than it lived to report.
    assert len(saved) >= 41
    assert sorted(saved) == sorted(f"killed {number}" for number in range(len(saved)))
    with closing(sqlite3.connect(database)) as conn:
        bodies = conn.execute("SELECT title, body FROM notes WHERE title LIKE 'killed %'")
        for title, body in bodies:
            assert body == f"killed wrote note {title.split()[1]}"


@pytest.mark.parametrize(
    ("pause", "outcomes"),
    [("pause", {0}), ("no pause", {0, BULK_NOTES})],
    ids=["held mid-transaction", "killed wherever it got to"],
)
def test_a_writer_killed_in_a_long_transaction_leaves_all_or_none_of_it(database, pause, outcomes):
    writer = python(BULK_WRITER, database, first_topic(database), BULK_NOTES, pause)
    try:
        assert writer.stdout.readline() == "halfway\n"
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=TIMEOUT)
    finally:
        writer.kill()
        writer.communicate(timeout=TIMEOUT)
    assert writer.returncode == -signal.SIGKILL
    assert_intact(database)
    assert len(titles_like(database, "bulk %")) in outcomes
    # And the database takes writes again.
    out, err = finish(python(WRITER, database, first_topic(database), "after", 3))
    assert err == "" and out.splitlines()[-1] == "saved 2"


def write_lock_taken(path: Path) -> bool:
    """Whether another connection holds the database's write lock right now."""
    with closing(sqlite3.connect(path, timeout=0, isolation_level=None)) as conn:
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            assert "locked" in str(error), error
            return True
        conn.execute("ROLLBACK")
        return False


def test_nexus_tui_import_killed_mid_import_leaves_all_or_none_of_it(database, tmp_path):
    from nexus_tui.hub.backup import dump_backup
    from nexus_tui.hub.content import HubContent, NoteContent, TopicContent
    from nexus_tui.store.backups import list_backups

    notes = [NoteContent(f"imported {n}", "words " * 40) for n in range(30_000)]
    backup = tmp_path / "big.json"
    backup.write_text(dump_backup(HubContent(topics=[TopicContent("Bulk", "Tools", notes=notes)])))
    before = len(titles_like(database, "%"))
    importer = subprocess.Popen(
        [sys.executable, "-m", "nexus_tui", "--db", str(database), "import", str(backup)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + TIMEOUT
        # Killed while its one transaction is open: it holds the write lock then. The lock can
        # also be held for a moment before (closing the backup's connection to the hub may
        # checkpoint the log), so only a lock seen once the backup is there counts.
        while not (list_backups(database) and write_lock_taken(database)):
            assert importer.poll() is None, "the import ended before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.01)
        importer.send_signal(signal.SIGKILL)
        importer.wait(timeout=TIMEOUT)
    finally:
        importer.kill()
        importer.communicate(timeout=TIMEOUT)
    assert importer.returncode == -signal.SIGKILL
    assert_intact(database)
    assert len(titles_like(database, "%")) == before
    # The copy taken before the import is there for `nexus-tui restore`.
    assert [copy.reason for copy in list_backups(database)] == ["import"]
    # Run again to the end, the import adds all of it.
    done = subprocess.run(
        [sys.executable, "-m", "nexus_tui", "--db", str(database), "import", str(backup)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert done.returncode == 0, done.stderr
    assert len(titles_like(database, "imported %")) == 30_000
