"""`nexus-tui search` as a user runs it: a real process on real databases.

Like tests/test_cli.py, every command runs in a subprocess; the autouse fixture in conftest.py has
already pointed the XDG folders at empty per-test ones, and every test names its database with
--db anyway. Searches run on an SQLite file and on PostgreSQL (`seeded_db`, `hub_location`); what
is about SQLite files (missing, foreign, old) names a file.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import _on_server, postgres_schema_url

from nexus_tui.store import Store
from nexus_tui.store.database import insert_row, to_db_time
from nexus_tui.store.search import search
from nexus_tui.store.seed import has_held_data, seed_default_hub

COMMAND = [sys.executable, "-m", "nexus_tui"]
TIMEOUT = 30
STAMP = to_db_time(datetime(2025, 3, 1, 12, 0, tzinfo=UTC))
SELECT_RELATED = "select_related vs prefetch_related (fixing N+1)"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*COMMAND, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=dict(os.environ),
        timeout=TIMEOUT,
        stdin=subprocess.DEVNULL,
    )


def assert_no_traceback(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stderr
    assert "Traceback" not in result.stdout


def assert_one_line_error(result: subprocess.CompletedProcess, *fragments: str) -> None:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("nexus-tui: ")
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    assert_no_traceback(result)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def seeded_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """The default hub, seeded by the test (the command never seeds), in an SQLite file or a
    PostgreSQL schema of this module's own. Searches only read it."""
    if request.param == "sqlite":
        location = str(tmp_path_factory.mktemp("hub") / "nexus.db")
    else:
        schema = f"test_{uuid.uuid4().hex[:12]}"
        location = postgres_schema_url(request.getfixturevalue("postgres_url"), schema)
        _on_server(f"CREATE SCHEMA {schema}")
        request.addfinalizer(
            lambda: _on_server(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                f"WHERE application_name = '{schema}' AND pid <> pg_backend_pid();"
                f"DROP SCHEMA {schema} CASCADE"
            )
        )
    store = Store.open(location)
    assert seed_default_hub(store) is True
    store.close()
    return location


def search_json(db: Path | str, *args: str) -> list[dict]:
    result = run("search", "--db", str(db), "--json", *args)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return json.loads(result.stdout)


# --- results ---------------------------------------------------------------------------------


def test_search_prints_one_line_per_result_best_first(seeded_db):
    result = run("search", "--db", str(seeded_db), "select_rel")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    expected = Store.open(seeded_db).read(search, "select_rel", 50)
    assert len(lines) == len(expected) > 1
    first = lines[0]
    assert first.startswith("note  ")
    assert f"  {SELECT_RELATED} — " in first
    # The snippet is on the same line, plain: no markers, no newline.
    assert "select_related" in first.split(" — ", 1)[1]
    for line, item in zip(lines, expected, strict=True):
        assert line.split()[0] == item.kind
        assert item.title in line
    assert "\x02" not in result.stdout and "\x03" not in result.stdout


def test_json_is_a_list_of_results_best_first(seeded_db):
    rows = search_json(seeded_db, "select_rel")
    expected = Store.open(seeded_db).read(search, "select_rel", 50)
    assert [(row["kind"], row["id"], row["title"], row["snippet"]) for row in rows] == [
        (item.kind, item.id, item.title, item.snippet) for item in expected
    ]
    assert rows[0]["title"] == SELECT_RELATED
    for row in rows:
        assert set(row) == {"kind", "id", "title", "snippet"}
        assert row["kind"] in {"topic", "note", "challenge", "collaborator"}
        assert isinstance(row["id"], int)
        assert "\x02" not in row["snippet"] and "\x03" not in row["snippet"]


def test_query_words_are_joined(seeded_db):
    assert search_json(seeded_db, "django", "orm") == search_json(seeded_db, "django orm")
    assert len(search_json(seeded_db, "django", "orm")) < len(search_json(seeded_db, "django"))


def test_limit_caps_the_results(seeded_db):
    everything = search_json(seeded_db, "de", "--limit", "500")
    assert len(everything) > 3
    assert search_json(seeded_db, "de", "--limit", "3") == everything[:3]
    result = run("search", "--db", str(seeded_db), "--limit", "2", "python")
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 2


def test_the_default_limit_is_50(seeded_db):
    assert len(search_json(seeded_db, "in", "--limit", "500")) > 50
    assert len(search_json(seeded_db, "in")) == 50


def test_nothing_found_is_exit_status_1(seeded_db):
    result = run("search", "--db", str(seeded_db), "zzyzxwordnotthere")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith("nexus-tui: nothing found")
    assert_no_traceback(result)
    as_json = run("search", "--db", str(seeded_db), "--json", "zzyzxwordnotthere")
    assert as_json.returncode == 1
    assert json.loads(as_json.stdout) == []


@pytest.mark.parametrize(
    "query",
    [
        ['"unbalanced', "python"],
        ["python", "AND", "(", "OR", "NOT"],
        ["NEAR(python", "django)"],
        ["title:python"],
        ["^python*"],
        ["--", "-python"],
        ["🙂", "python"],
        ["python\x1b[2J"],
        ["x" * 5000],
    ],
    ids=repr,
)
def test_a_hostile_query_is_searched_as_words(seeded_db, query):
    result = run("search", "--db", str(seeded_db), *query)
    # Found or not, never an error: the words are searched as they are.
    assert result.returncode in (0, 1), result.stderr
    assert_no_traceback(result)
    words = [word for word in query if word != "--"]
    assert result.returncode == (
        0 if Store.open(seeded_db).read(search, " ".join(words), 50) else 1
    )


def test_a_query_with_no_words_finds_nothing(seeded_db):
    result = run("search", "--db", str(seeded_db), "--json", "--", '"', "*", "()", "-")
    assert result.returncode == 1
    assert json.loads(result.stdout) == []


def test_control_characters_in_stored_text_are_made_visible(hub_location):
    db = hub_location
    store = Store.open(db)

    def add(conn) -> None:
        times = {"created_at": STAMP, "updated_at": STAMP}
        category = insert_row(
            conn, "categories", ("name", "created_at", "updated_at"), {"name": "Misc", **times}
        )
        topic = insert_row(
            conn,
            "topics",
            ("category_id", "name", "created_at", "updated_at"),
            {"category_id": category, "name": "T", **times},
        )
        conn.execute(
            """INSERT INTO notes (topic_id, title, body, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?)""",
            (
                topic,
                "Evil\x1b]0;pwned\x07 title\nsecond row",
                "body \x1b[31m needle\x9b",
                STAMP,
                STAMP,
            ),
        )

    store.write(add)
    result = run("search", "--db", str(db), "needle")
    assert result.returncode == 0, result.stderr
    assert (
        "\x1b" not in result.stdout and "\x07" not in result.stdout and "\x9b" not in result.stdout
    )
    [line] = result.stdout.splitlines()
    assert line.startswith("note  ")
    assert "Evil␛]0;pwned␇ title second row — body ␛[31m needle" in line
    as_json = run("search", "--db", str(db), "--json", "needle")
    assert as_json.returncode == 0, as_json.stderr
    # JSON escapes every control character (and, ensure_ascii, everything else non-ASCII).
    assert as_json.stdout.isascii()
    [row] = json.loads(as_json.stdout)
    assert row["title"] == "Evil\x1b]0;pwned\x07 title\nsecond row"


# --- what the command leaves alone -----------------------------------------------------------


def test_search_never_seeds_the_default_hub(hub_location):
    db = hub_location
    Store.open(db)  # a database that never held data: the app would seed it, search won't
    result = run("search", "--db", db, "python")
    assert result.returncode == 1
    store = Store.open(db)
    assert store.read(has_held_data) is False
    assert store.read(lambda conn: conn.execute("SELECT count(*) FROM topics").fetchone()[0]) == 0


def test_a_database_that_does_not_exist_is_not_created(tmp_path):
    db = tmp_path / "not-yet" / "nexus.db"
    result = run("search", "--db", str(db), "python")
    assert result.returncode == 1
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("nexus-tui: ")
    assert "does not exist yet" in line
    assert str(db) in line
    assert_no_traceback(result)
    assert not db.exists()
    assert not db.parent.exists()
    as_json = run("search", "--db", str(db), "--json", "python")
    assert as_json.returncode == 1
    assert json.loads(as_json.stdout) == []
    assert not db.parent.exists()


def test_nexus_tui_db_names_the_database_too(seeded_db):
    environment = dict(os.environ, NEXUS_TUI_DB=str(seeded_db))
    result = subprocess.run(
        [*COMMAND, "search", "--json", "select_rel"],
        capture_output=True, text=True, encoding="utf-8", env=environment, timeout=TIMEOUT,
        stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["title"] == SELECT_RELATED


def test_a_release_0_1_0_database_is_migrated_and_searched(tmp_path):
    db = tmp_path / "nexus.db"
    conn = sqlite3.connect(db)
    try:
        dump = Path(__file__).parent / "data" / "nexus-schema-v1.sql"
        conn.executescript(dump.read_text(encoding="utf-8"))
    finally:
        conn.close()
    rows = search_json(db, "docker")
    assert [(row["kind"], row["id"], row["title"]) for row in rows] == [
        ("challenge", 2, "Containerise the app")
    ]


# --- errors: exit status 2, one line -----------------------------------------------------------


@pytest.mark.parametrize("limit", ["0", "501", "-3", "ten", "2.5", ""])
def test_a_bad_limit_is_a_usage_error(seeded_db, limit):
    result = run("search", "--db", str(seeded_db), "--limit", limit, "python")
    assert_one_line_error(result, "--limit", "--help")


def test_a_query_is_required(seeded_db):
    assert_one_line_error(run("search", "--db", str(seeded_db)), "QUERY")


def test_a_file_that_is_not_a_database_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "notes.txt"
    content = b"just some text, not SQLite\n"
    path.write_bytes(content)
    assert_one_line_error(run("search", "--db", str(path), "python"), str(path), "not a nexus-tui")
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_a_folder_is_refused(tmp_path):
    assert_one_line_error(run("search", "--db", str(tmp_path), "python"), "is a folder")


def test_an_unsupported_url_is_refused(tmp_path):
    assert_one_line_error(run("search", "--db", "mysql://localhost/hub", "x"), "mysql://")


def test_search_help_exits_0():
    result = run("search", "--help")
    assert result.returncode == 0
    assert result.stdout.startswith("usage: nexus-tui search")
    for word in ("QUERY", "--json", "--limit"):
        assert word in result.stdout
