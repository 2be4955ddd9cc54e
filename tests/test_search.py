"""Full-text search in the store, on an SQLite file and on PostgreSQL: the index, ranking,
prefixes, any input."""

from __future__ import annotations

import json
import random
import re
import sqlite3
import subprocess
import sys
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import open_store

from nexus_tui.store import Store, models, orm, pg_migrations
from nexus_tui.store import search as search_module
from nexus_tui.store.database import to_db_time
from nexus_tui.store.migrations import (
    LATEST_VERSION,
    SEARCH_HIGH_BASE,
    migrate,
    schema_version,
)
from nexus_tui.store.records import SearchResult
from nexus_tui.store.search import MAX_LIMIT, match_expression, search, tsquery_text
from nexus_tui.store.seed import seed_default_hub

V1_DUMP = Path(__file__).parent / "data" / "nexus-schema-v1.sql"
STAMP = to_db_time(datetime(2025, 3, 1, 12, 0, tzinfo=UTC))
KINDS = ("topic", "note", "challenge", "collaborator")
# For what one store does its own way (FTS5's checks, PostgreSQL's text search configuration).
sqlite_only = pytest.mark.parametrize("hub_location", ["sqlite"], indirect=True)
postgresql_only = pytest.mark.parametrize("hub_location", ["postgresql"], indirect=True)


@pytest.fixture
def store(hub_location) -> Store:
    store = open_store(hub_location)
    yield store
    store.close()


@pytest.fixture
def seeded(store) -> Store:
    assert seed_default_hub(store) is True
    return store


def find(store: Store, text: str, limit: int = 50) -> list[SearchResult]:
    return store.read(search, text, limit)


def found(store: Store, text: str) -> set[tuple[str, int]]:
    return {(result.kind, result.id) for result in find(store, text)}


def execute(store: Store, sql: str, *params) -> None:
    """One statement in its own write transaction."""
    store.write(lambda conn: conn.execute(sql, params))


def insert(store: Store, sql: str, *params) -> int:
    """One INSERT in its own write transaction; the new row's id."""
    return store.write(lambda conn: conn.execute(f"{sql} RETURNING id", params).fetchone()[0])


def add_category(store: Store, name: str) -> int:
    return insert(
        store,
        "INSERT INTO categories (name, created_at, updated_at) VALUES (?, ?, ?)",
        name, STAMP, STAMP,
    )  # fmt: skip


def holder(store: Store, table: str, make) -> int:
    """The one row named "Holder" that items without a parent of their own go into.

    A word no test searches for, so a note's topic never turns up among the note's results.
    """
    row = store.read(
        lambda conn: conn.execute(f"SELECT id FROM {table} WHERE name = 'Holder'").fetchone()
    )
    return row[0] if row else make()


def add_topic(store: Store, name: str, category_id: int | None = None) -> int:
    if category_id is None:
        category_id = holder(store, "categories", lambda: add_category(store, "Holder"))
    return insert(
        store,
        "INSERT INTO topics (category_id, name, created_at, updated_at) VALUES (?, ?, ?, ?)",
        category_id, name, STAMP, STAMP,
    )  # fmt: skip


def add_note(
    store: Store, title: str, body: str = "", tags: str = "[]", topic_id: int | None = None
) -> int:
    if topic_id is None:
        topic_id = holder(store, "topics", lambda: add_topic(store, "Holder"))
    return insert(
        store,
        """INSERT INTO notes (topic_id, title, body, tags, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?)""",
        topic_id, title, body, tags, STAMP, STAMP,
    )  # fmt: skip


def add_challenge(store: Store, title: str, challenge: str = "", solution: str = "") -> int:
    return insert(
        store,
        """INSERT INTO challenges (title, challenge, solution, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?)""",
        title, challenge, solution, STAMP, STAMP,
    )  # fmt: skip


def add_collaborator(store: Store, name: str, **fields: str) -> int:
    columns = ["name", *fields, "created_at", "updated_at"]
    values = [name, *fields.values(), STAMP, STAMP]
    return insert(
        store,
        f"INSERT INTO collaborators ({', '.join(columns)}) VALUES ({', '.join('?' * len(values))})",
        *values,
    )


def index_rows(store: Store) -> int:
    return store.read(lambda conn: conn.execute("SELECT count(*) FROM search_index").fetchone()[0])


def source_rows(store: Store) -> int:
    return store.read(
        lambda conn: conn.execute(
            "SELECT (SELECT count(*) FROM topics) + (SELECT count(*) FROM notes)"
            " + (SELECT count(*) FROM challenges) + (SELECT count(*) FROM collaborators)"
        ).fetchone()[0]
    )


def assert_index_is_sound(store: Store) -> None:
    """One index row per searchable item, and its words those of its text: FTS5's own check of
    its index on SQLite, each row's tsvector made again from its text on PostgreSQL."""
    assert index_rows(store) == source_rows(store)
    if store.dialect == "sqlite":
        store.write(
            lambda conn: conn.execute(
                "INSERT INTO search_index (search_index) VALUES ('integrity-check')"
            )
        )
        return
    stale = store.read(
        lambda conn: conn.execute(
            "SELECT count(*) FROM search_index"
            " WHERE document IS DISTINCT FROM nexus_search_vector(title, body)"
        ).fetchone()[0]
    )
    assert stale == 0


def fold(text: str) -> str:
    """Lower case without accents, roughly as the unicode61 tokenizer compares words."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def assert_clean(result: SearchResult) -> None:
    """What every result promises a caller: plain one-line text, offsets inside it."""
    assert result.kind in KINDS
    for text in (result.title, result.snippet):
        assert "\x02" not in text
        assert "\x03" not in text
    assert "\n" not in result.snippet
    assert result.snippet == result.snippet.strip()
    for start, end in result.highlights:
        assert 0 <= start < end <= len(result.snippet), (result, start, end)
    # Highlights are in order and never overlap.
    ends = [0, *(offset for span in result.highlights for offset in span)]
    assert ends == sorted(ends)


# --- the index and the migration ----------------------------------------------------------


def test_this_python_has_sqlite_with_fts5():
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute("CREATE VIRTUAL TABLE probe USING fts5 (text)")
    except sqlite3.OperationalError as error:
        pytest.fail(
            f"The SQLite {sqlite3.sqlite_version} in this Python ({sys.executable}) has no FTS5 "
            f"({error}); search and migration 2 need it. Use a Python whose sqlite3 is built "
            "with FTS5 (python.org, uv-managed and most distribution builds are)."
        )
    finally:
        conn.close()


@sqlite_only
def test_a_new_database_has_the_search_index(store):
    assert store.read(schema_version) == LATEST_VERSION >= 2
    sql = store.read(
        lambda conn: conn.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'search_index'"
        ).fetchone()[0]
    )
    assert "fts5" in sql.lower()
    assert "remove_diacritics 2" in sql
    assert index_rows(store) == 0
    assert find(store, "anything") == []


@postgresql_only
def test_a_new_postgresql_hub_has_the_tsvector_index(store):
    version = store.read(lambda conn: conn.execute("SELECT version FROM schema_version").fetchone())
    assert version == (pg_migrations.LATEST_VERSION,)
    index = store.read(
        lambda conn: conn.execute(
            "SELECT indexdef FROM pg_indexes"
            " WHERE tablename = 'search_index' AND indexname = 'search_index_document'"
            " AND schemaname = current_schema()"
        ).fetchone()[0]
    )
    assert "USING gin (document)" in index
    # The configuration the index and the queries share: no stemming, case and accents folded.
    vector = store.read(
        lambda conn: conn.execute(
            "SELECT to_tsvector('nexus_search', 'Résumés RUNNING Straße')::text"
        ).fetchone()[0]
    )
    assert vector == "'resumes':1 'running':2 'strasse':3"
    assert index_rows(store) == 0
    assert find(store, "anything") == []


def test_the_seeded_hub_is_indexed_whole(seeded):
    assert index_rows(seeded) == source_rows(seeded) > 50
    assert_index_is_sound(seeded)


def load_v1(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.executescript(V1_DUMP.read_text(encoding="utf-8"))
    finally:
        conn.close()


def test_a_release_0_1_0_database_is_back_filled(tmp_path):
    # An SQLite file of its own: a PostgreSQL hub was never written by that release.
    path = tmp_path / "nexus.db"
    load_v1(path)
    store = Store.open(str(path))
    assert store.read(schema_version) == LATEST_VERSION
    assert_index_is_sound(store)
    # One of each kind, from rows written long before the index existed.
    assert ("topic", 3) in found(store, "caching")
    assert found(store, "invalidation") == {("note", 3)}
    assert found(store, "docker") == {("challenge", 2)}
    assert found(store, "reviews") == {("collaborator", 1)}
    # A note's text and its tags (a JSON list in the table) are both searchable.
    assert found(store, "cafe") == {("note", 2)}
    assert found(store, "language venv") == {("note", 1)}
    assert found(store, "language") == {("note", 1), ("topic", 1), ("topic", 2)}  # "Languages"
    # A topic carries its category's name.
    assert found(store, "odds ends") == {("topic", 4)}
    assert found(store, "nexus") == {("collaborator", 1), ("collaborator", 2)}
    [pinned] = find(store, "quoted")
    assert pinned.title == "Pinned: my Python notes"
    assert pinned.snippet == 'It\'s "quoted", café ☕ and a second line. python'
    assert [pinned.snippet[start:end] for start, end in pinned.highlights] == ["quoted"]


def test_version_6_moves_topics_challenges_and_people_above_the_notes(tmp_path):
    # Search walks the index from the top, where version 6 puts every kind but notes.
    path = tmp_path / "nexus.db"
    load_v1(path)
    conn = sqlite3.connect(path, isolation_level=None)
    queries = ["caching", "invalidation", "docker", "reviews", "language", "nexus", "quoted"]
    try:
        migrate(conn, target=5)
        rows_before = conn.execute("SELECT rowid, * FROM search_index ORDER BY rowid").fetchall()
        # Few rows: every match is ranked whatever their order, so these are the answers.
        before = {text: search(conn, text) for text in queries}
        assert all(before.values())
        assert migrate(conn) == [6]
        rows_after = conn.execute("SELECT rowid, * FROM search_index ORDER BY rowid").fetchall()
        assert {text: search(conn, text) for text in queries} == before
    finally:
        conn.close()
    moved = [(rowid % SEARCH_HIGH_BASE, *rest) for rowid, *rest in rows_after]
    assert sorted(moved) == rows_before
    for rowid, kind, *_ in rows_after:
        assert (rowid < SEARCH_HIGH_BASE) == (kind == "note"), (rowid, kind)
    store = Store.open(str(path))
    assert_index_is_sound(store)
    # The new triggers keep the moved rows in step.
    execute(store, "UPDATE topics SET name = 'Memcached' WHERE id = 3")
    execute(store, "DELETE FROM challenges WHERE id = 2")
    assert ("topic", 3) in found(store, "memcached")
    assert found(store, "docker") == set()
    assert_index_is_sound(store)


# --- ranking, prefixes, limit ---------------------------------------------------------------


def test_a_title_match_comes_before_a_body_only_match(store):
    # The body-only note is written first, so the order of rows cannot explain the result.
    in_body = add_note(store, "Monday plans", "Read up on caching, caching and more caching.")
    in_title = add_note(store, "Caching", "Things to remember.")
    results = find(store, "caching")
    assert [(r.kind, r.id) for r in results] == [("note", in_title), ("note", in_body)]


def test_a_topic_named_like_the_query_leads_on_the_seeded_hub(seeded):
    first = find(seeded, "python")[0]
    assert (first.kind, first.title) == ("topic", "Python")


def test_prefixes_find_whole_words(store):
    note = add_note(store, "Memoisation", "Keep results of pure functions around.")
    assert found(store, "memo") == {("note", note)}
    assert found(store, "fun") == {("note", note)}
    assert found(store, "memo resu") == {("note", note)}
    # Every word must occur.
    assert found(store, "memo nonexistentword") == set()


def test_a_word_of_one_character_is_matched_whole(store):
    alone = add_note(store, "Plan B", "Option b of three.")
    add_note(store, "Bees", "Bumblebees and bananas.")
    assert found(store, "b") == {("note", alone)}
    # From two characters on, a word is a prefix again.
    assert len(found(store, "bu")) == 1


def test_beyond_the_ranked_matches_the_newest_and_every_topic_are_ranked(store, monkeypatch):
    monkeypatch.setattr(search_module, "RANKED_MATCHES", 5)
    topic = add_topic(store, "Common ground")
    notes = [add_note(store, f"Note {n}", "common words everywhere") for n in range(12)]
    # Topics added later have higher ids than every note.
    for n in range(20):
        add_topic(store, f"Filler {n}")
    results = find(store, "common")
    # The topic (the oldest row, a title match) leads; then the five newest notes, best first.
    assert (results[0].kind, results[0].id) == ("topic", topic)
    assert {r.id for r in results[1:] if r.kind == "note"} == set(notes[-5:])
    # Old notes are not ranked.
    assert len(results) == 1 + 5
    # A narrower query has few enough matches to rank them all.
    assert found(store, "note 3 common") == {("note", notes[3])}


@postgresql_only
def test_matches_older_than_the_newest_rows_are_found_through_the_gin_index(store, monkeypatch):
    # Only the newest two notes are looked at in order; the rest must come from the GIN index.
    monkeypatch.setattr(search_module, "_PG_WINDOW", 2)
    monkeypatch.setattr(search_module, "RANKED_MATCHES", 3)
    old = [add_note(store, f"Rare {n}", "the needle") for n in range(4)]
    for n in range(6):
        add_note(store, f"Filler {n}", "hay")
    # Fewer than RANKED_MATCHES in the window (none), so the older ones are looked up: the newest
    # three of them.
    assert found(store, "needle") == {("note", note) for note in old[-3:]}
    assert found(store, "rare 0 needle") == {("note", old[0])}
    # Newer matches take the older ones' places, whether in the window or not.
    newer = [add_note(store, f"Recent {n}", "needle") for n in range(3)]
    assert found(store, "needle") == {("note", note) for note in newer}


@postgresql_only
def test_matches_are_looked_for_in_the_rows_before_the_window_then_in_all_older(store, monkeypatch):
    # The newest two notes are the window, the four before them the nearer rows, the rest older.
    monkeypatch.setattr(search_module, "_PG_WINDOW", 2)
    monkeypatch.setattr(search_module, "_PG_NEARER_WINDOWS", 2)
    monkeypatch.setattr(search_module, "RANKED_MATCHES", 4)
    bodies = ["needle", "needle", "hay", "hay", "hay", "needle", "hay", "hay", "needle", "needle"]
    notes = [add_note(store, f"Note {n}", body) for n, body in enumerate(bodies)]
    # Two in the window promise as many in each window's worth of nearer rows; one is there, and
    # the fourth is the newest of the older ones. Each once.
    results = find(store, "needle")
    assert [result.id for result in results if result.kind == "note"] == [
        notes[n] for n in (1, 5, 8, 9)
    ]
    # None in the window: the older rows are looked at whole.
    assert found(store, "note 0 needle") == {("note", notes[0])}


def test_select_rel_finds_the_select_related_note_of_the_seeded_hub(seeded):
    # unicode61 splits "select_rel" at "_" into "select" and "rel"; both as prefixes of adjacent
    # tokens still match "select_related".
    results = find(seeded, "select_rel")
    titles = [result.title for result in results]
    assert "select_related vs prefetch_related (fixing N+1)" in titles
    # It says so in its title, so it leads.
    assert titles[0] == "select_related vs prefetch_related (fixing N+1)"
    assert results[0].kind == "note"
    # The first part may be a prefix too.
    assert titles[0] in {result.title for result in find(seeded, "sel_rel")}
    for result in results:
        assert_clean(result)
        assert any(
            fold(result.snippet[start:end]).startswith("select") for start, end in result.highlights
        ), result


def test_punctuation_inside_a_word_keeps_its_parts_together(store):
    together = add_note(store, "The N+1 problem", "One query per row.")
    apart = add_note(store, "N things", "Step 1 of many.")
    assert found(store, "N+1") == {("note", together)}
    # Separated by spaces they are separate words, each anywhere.
    assert found(store, "N 1") == {("note", together), ("note", apart)}


def test_names_addresses_and_versions_are_words_joined_by_punctuation(store):
    # PostgreSQL's parser would keep each of these as one token; FTS5 splits them into words.
    note = add_note(
        store,
        "Deploying",
        "Run node.js as x@example.com from /usr/local/bin, v1.2.3, well-known +1.",
    )
    add_note(store, "Other", "node alone, js far away from it")
    for text in ("node.js", "nod.js", "example.com", "x@example", "usr/local", "local/bin"):
        assert found(store, text) == {("note", note)}, text
    for text in ("v1.2.3", "v1.2", "2.3", "well-known", "well-kn", "known", "+1", "com"):
        assert found(store, text) == {("note", note)}, text
    assert len(found(store, "js")) == 2
    [result] = find(store, "node.js")
    assert [result.snippet[start:end] for start, end in result.highlights] == ["node.js"]


def test_a_phrase_never_runs_from_the_title_into_the_text(store):
    note = add_note(store, "Notes on select", "related reading")
    assert found(store, "select_rel") == set()
    assert found(store, "select rel") == {("note", note)}


def test_results_are_best_first_and_limited(seeded):
    everything = find(seeded, "de", MAX_LIMIT)
    assert len(everything) > 3
    assert find(seeded, "de", 3) == everything[:3]
    assert len(find(seeded, "de", 1)) == 1


@pytest.mark.parametrize("limit", [0, -1, MAX_LIMIT + 1, True, 2.5, "5", None])
def test_a_limit_out_of_bounds_is_refused(store, limit):
    with pytest.raises(ValueError, match="limit"):
        find(store, "x", limit)


# --- whatever the user types ---------------------------------------------------------------

HOSTILE = [
    '"',
    '""',
    '"unbalanced quote',
    "it's",
    "AND",
    "OR",
    "NOT",
    "NEAR",
    "a AND",
    "OR b",
    "NOT NOT",
    "NEAR(python django, 2)",
    "python NOT django",
    "python OR",
    "*",
    "python*",
    "*python",
    "-",
    "-python",
    "python -django",
    ":",
    "title:python",
    "body : python",
    "{title body}:python",
    "^",
    "^python",
    "(",
    ")",
    "((python",
    "python))",
    "(a OR b",
    "+",
    "a + b",
    "🙂",
    "🙂 python 🙂",
    "python🙂django",
    "\x00",
    "\x02python\x03",
    "\x1b[31mred",
    "'; DROP TABLE notes; --",
    # tsquery syntax, and what would end a quoted lexeme in it.
    "'",
    "''",
    "'python'",
    "python'",
    "\\",
    "\\'",
    "python\\",
    "!",
    "!python",
    "python & django",
    "&&",
    "python | django",
    "|",
    "<->",
    "python <-> django",
    "python<2>django",
    "python:*",
    "python:A",
    "python:*A & !django",
    "é" * 1100,
    "x" * 5000,
    "a." * 2500,
    "a " * 2500,
]


def long_random_text(seed: int) -> str:
    rng = random.Random(seed)
    alphabet = "abcdefghijklmnopqrstuvwxyzé_-*:^()\"'+ 🙂"
    return "".join(rng.choice(alphabet) for _ in range(5000))


@pytest.mark.parametrize(
    "text",
    [*HOSTILE, long_random_text(1), long_random_text(2)],
    ids=lambda text: repr(text[:24]),
)
def test_any_input_is_searched_as_literal_words(seeded, text):
    notes_before = seeded.read(lambda conn: conn.execute("SELECT count(*) FROM notes").fetchone())
    results = find(seeded, text)
    assert isinstance(results, list)
    for result in results:
        assert isinstance(result, SearchResult)
        assert_clean(result)
    # Every term is a quoted run of word characters, most marked as a prefix: no operator, column
    # filter or bracket of the user's reaches FTS5, nor PostgreSQL's to_tsquery.
    expression = match_expression(text)
    word = r'"[^\W_]+"\*?'
    term = rf"{word}(?: \+ {word})*"
    assert re.fullmatch(rf"(?:{term}(?: AND {term})*)?", expression), expression
    query = tsquery_text(text)
    lexeme = r"'[^\W_]+'(?::\*)?"
    phrase = rf"(?:{lexeme}|\({lexeme}(?: <-> {lexeme})+\))"
    assert re.fullmatch(rf"(?:{phrase}(?: & {phrase})*)?", query), query
    assert seeded.read(lambda conn: conn.execute("SELECT count(*) FROM notes").fetchone()) == (
        notes_before
    )


@pytest.mark.parametrize("text", ["", "   ", '"', "*", "()", "-:^", "+ + +", "🙂", "___", "\x00\n"])
def test_input_without_words_finds_nothing(seeded, text):
    assert match_expression(text) == ""
    assert tsquery_text(text) == ""
    assert find(seeded, text) == []


@pytest.mark.parametrize("word", ["AND", "OR", "NOT", "NEAR", "and"])
def test_query_operators_are_words_like_any_other(store, word):
    note = add_note(store, f"Rock {word.lower()} roll")
    add_note(store, "Something else entirely")
    assert found(store, word) == {("note", note)}
    assert found(store, f"rock {word} roll") == {("note", note)}


def test_quotes_and_brackets_around_a_word_still_find_it(store):
    note = add_note(store, "Python packaging")
    for text in ('"python', "python)", "((python", "^python", "python*", "*python", '"python"'):
        assert found(store, text) == {("note", note)}, text


# --- keeping the index in step ----------------------------------------------------------------


def rename(store: Store, table: str, column: str, item_id: int, value: str) -> None:
    execute(store, f"UPDATE {table} SET {column} = ? WHERE id = ?", value, item_id)


def test_topics_are_indexed_on_insert_update_and_delete(store):
    category = add_category(store, "Languages")
    topic = add_topic(store, "Haskell", category)
    assert found(store, "haskell") == {("topic", topic)}
    assert found(store, "languages") == {("topic", topic)}

    rename(store, "topics", "name", topic, "Elm")
    assert found(store, "haskell") == set()
    assert found(store, "elm") == {("topic", topic)}

    # Changing a column that is not searched keeps the row in the index.
    execute(store, "UPDATE topics SET status = 'learning', position = 7 WHERE id = ?", topic)
    assert found(store, "elm") == {("topic", topic)}

    # Moving the topic to another category changes the category name it is found by.
    other = add_category(store, "Functional")
    execute(store, "UPDATE topics SET category_id = ? WHERE id = ?", other, topic)
    assert found(store, "functional") == {("topic", topic)}
    assert found(store, "languages") == set()

    execute(store, "DELETE FROM topics WHERE id = ?", topic)
    assert found(store, "elm") == set()
    assert_index_is_sound(store)


def test_renaming_a_category_reindexes_its_topics(store):
    category = add_category(store, "Languages")
    first = add_topic(store, "Go", category)
    second = add_topic(store, "Zig", category)
    untouched = add_topic(store, "Bash")  # in a category of its own
    rename(store, "categories", "name", category, "Systems programming")
    assert found(store, "systems") == {("topic", first), ("topic", second)}
    assert found(store, "languages") == set()
    assert ("topic", untouched) in found(store, "bash")
    assert_index_is_sound(store)


def test_notes_are_indexed_on_insert_update_and_delete(store):
    note = add_note(store, "Kubernetes", "Pods and services.", '["ops", "café"]')
    assert found(store, "kubernetes") == {("note", note)}
    assert found(store, "pods") == {("note", note)}
    # Tags are decoded from JSON: "café" was stored as "caf\u00e9" yet is found as a word.
    assert found(store, "cafe") == {("note", note)}
    assert found(store, "u00e9") == set()

    rename(store, "notes", "body", note, "Deployments now.")
    assert found(store, "pods") == set()
    assert found(store, "deployments") == {("note", note)}
    rename(store, "notes", "tags", note, '["infra"]')
    assert found(store, "ops") == set()
    assert found(store, "infra") == {("note", note)}
    rename(store, "notes", "title", note, "K8s")
    assert found(store, "kubernetes") == set()
    assert found(store, "k8s") == {("note", note)}
    execute(store, "UPDATE notes SET pinned = ? WHERE id = ?", True, note)
    assert found(store, "k8s") == {("note", note)}

    execute(store, "DELETE FROM notes WHERE id = ?", note)
    assert found(store, "k8s") == set()
    assert_index_is_sound(store)


def test_a_text_too_long_to_index_whole_is_saved_and_found(store):
    # A pasted log with a number on every line: its words would need a tsvector of over 1 MB,
    # PostgreSQL's limit; the note is saved all the same, and found by the words it starts with.
    body = "".join(f"line {number:06d}\n" for number in range(150_000))
    note = add_note(store, "Huge log", body)
    assert found(store, "huge") == {("note", note)}
    assert found(store, "000001") == {("note", note)}
    assert store.read(lambda conn: conn.execute("SELECT length(body) FROM notes").fetchone()) == (
        len(body),
    )
    assert index_rows(store) == source_rows(store)


def test_tags_that_are_not_a_json_list_are_indexed_as_text(store):
    # Not written by nexus-tui, but a hand-edited row must neither fail to save nor be lost.
    note = add_note(store, "Odd tags", "", "not json, but words")
    assert found(store, "words") == {("note", note)}
    assert_index_is_sound(store)


def test_deleting_a_topic_takes_its_notes_out_of_the_index(store):
    topic = add_topic(store, "Ephemeral")
    note = add_note(store, "Cascaded note", topic_id=topic)
    assert found(store, "cascaded") == {("note", note)}
    execute(store, "DELETE FROM topics WHERE id = ?", topic)  # ON DELETE CASCADE
    assert found(store, "cascaded") == set()
    assert_index_is_sound(store)


@sqlite_only
def test_insert_or_replace_into_a_source_table_leaves_one_index_row(store):
    note = add_note(store, "Before", "old words")
    topic = store.read(
        lambda conn: conn.execute("SELECT topic_id FROM notes WHERE id = ?", (note,)).fetchone()[0]
    )
    execute(
        store,
        """INSERT OR REPLACE INTO notes (id, topic_id, title, body, created_at, updated_at)
        VALUES (?, ?, 'After', 'new words', ?, ?)""",
        note, topic, STAMP, STAMP,
    )  # fmt: skip
    assert found(store, "before") == set()
    assert found(store, "after") == {("note", note)}
    assert_index_is_sound(store)


def test_an_upsert_into_a_source_table_leaves_one_index_row(store):
    note = add_note(store, "Before", "old words")
    topic = store.read(
        lambda conn: conn.execute("SELECT topic_id FROM notes WHERE id = ?", (note,)).fetchone()[0]
    )
    execute(
        store,
        """INSERT INTO notes (id, topic_id, title, body, created_at, updated_at)
        VALUES (?, ?, 'After', 'new words', ?, ?)
        ON CONFLICT (id) DO UPDATE SET title = excluded.title, body = excluded.body""",
        note, topic, STAMP, STAMP,
    )  # fmt: skip
    assert found(store, "before") == set()
    assert found(store, "after") == {("note", note)}
    assert found(store, "new words") == {("note", note)}
    assert_index_is_sound(store)


def test_challenges_are_indexed_on_insert_update_and_delete(store):
    challenge = add_challenge(store, "Flaky test", "Fails on Tuesdays", "Freeze the clock")
    assert found(store, "flaky") == {("challenge", challenge)}
    assert found(store, "tuesdays") == {("challenge", challenge)}
    assert found(store, "freeze") == {("challenge", challenge)}

    rename(store, "challenges", "solution", challenge, "Inject a fake clock")
    assert found(store, "freeze") == set()
    assert found(store, "inject") == {("challenge", challenge)}
    execute(store, "UPDATE challenges SET status = 'solved' WHERE id = ?", challenge)
    assert found(store, "inject") == {("challenge", challenge)}

    execute(store, "DELETE FROM challenges WHERE id = ?", challenge)
    assert found(store, "flaky") == set()
    assert_index_is_sound(store)


@pytest.mark.parametrize("field", ["github", "discord", "project", "notes", "api_contract"])
def test_collaborators_are_indexed_on_insert_update_and_delete(store, field):
    person = add_collaborator(store, "Grace", **{field: "Quokka"})
    assert found(store, "grace") == {("collaborator", person)}
    assert found(store, "quokka") == {("collaborator", person)}

    rename(store, "collaborators", field, person, "Wombat")
    assert found(store, "quokka") == set()
    assert found(store, "wombat") == {("collaborator", person)}
    execute(store, "UPDATE collaborators SET next_sync = '2025-04-01' WHERE id = ?", person)
    assert found(store, "wombat") == {("collaborator", person)}

    execute(store, "DELETE FROM collaborators WHERE id = ?", person)
    assert found(store, "grace") == set()
    assert_index_is_sound(store)


def test_writes_through_the_orm_are_indexed(store):
    with orm.session(store) as session:
        category = models.Category(name="Databases")
        session.add(category)
        session.flush()
        topic = models.Topic(category_id=category.id, name="Postgres")
        session.add(topic)
        session.flush()
        note = models.Note(topic_id=topic.id, title="Vacuum", body="Autovacuum", tags=["ops"])
        challenge = models.Challenge(title="Slow query", challenge="Seq scan")
        person = models.Collaborator(name="Edgar", project="Relational")
        session.add_all([note, challenge, person])
        session.commit()
        ids = {"topic": topic.id, "note": note.id, "challenge": challenge.id}
        ids["collaborator"] = person.id

    assert found(store, "postgres databases") == {("topic", ids["topic"])}
    assert found(store, "vacuum") == {("note", ids["note"])}
    assert found(store, "ops") == {("note", ids["note"])}
    assert found(store, "seq scan") == {("challenge", ids["challenge"])}
    assert found(store, "relational") == {("collaborator", ids["collaborator"])}

    with orm.session(store) as session:
        session.get(models.Category, category.id).name = "Data stores"
        session.get(models.Topic, ids["topic"]).name = "PostgreSQL"
        session.get(models.Note, ids["note"]).tags = ["tuning"]
        session.get(models.Challenge, ids["challenge"]).solution = "Add an index"
        session.get(models.Collaborator, ids["collaborator"]).name = "Ted"
        session.commit()

    assert found(store, "databases") == set()
    assert found(store, "postgresql data stores") == {("topic", ids["topic"])}
    assert found(store, "ops") == set()
    assert found(store, "tuning") == {("note", ids["note"])}
    assert found(store, "index") == {("challenge", ids["challenge"])}
    assert found(store, "edgar") == set()
    assert found(store, "ted") == {("collaborator", ids["collaborator"])}

    with orm.session(store) as session:
        session.delete(session.get(models.Note, ids["note"]))
        session.delete(session.get(models.Challenge, ids["challenge"]))
        session.delete(session.get(models.Collaborator, ids["collaborator"]))
        session.commit()
    assert found(store, "vacuum") == set()
    assert found(store, "slow") == set()
    assert found(store, "ted") == set()
    assert found(store, "postgresql") == {("topic", ids["topic"])}
    assert_index_is_sound(store)


def test_a_failed_write_leaves_the_index_as_it_was(store):
    note = add_note(store, "Stable", "kept")

    def change_then_fail(conn: sqlite3.Connection) -> None:
        conn.execute("UPDATE notes SET title = 'Changed' WHERE id = ?", (note,))
        raise RuntimeError("the rest of the unit of work failed")

    with pytest.raises(RuntimeError):
        store.write(change_then_fail)
    assert found(store, "stable") == {("note", note)}
    assert found(store, "changed") == set()
    assert_index_is_sound(store)


# --- unicode ------------------------------------------------------------------------------------


def test_accents_are_ignored_both_ways(store):
    accented = add_note(store, "Mon résumé", "Écrit à Zürich")
    plain = add_note(store, "Plain resume")
    assert found(store, "resume") == {("note", accented), ("note", plain)}
    assert found(store, "RÉSUMÉ") == {("note", accented), ("note", plain)}
    assert found(store, "ecrit zurich") == {("note", accented)}
    # The same word typed with combining accents (NFD), as some keyboards and macOS file names do.
    assert found(store, unicodedata.normalize("NFD", "résu")) == {
        ("note", accented),
        ("note", plain),
    }


def test_other_scripts_and_emoji_are_searchable(store):
    note = add_note(store, "Заметки о Python", "日本語 text with 🙂 and naïve ideas")
    assert found(store, "заметки") == {("note", note)}
    assert found(store, "ЗАМ") == {("note", note)}
    assert found(store, "日本語") == {("note", note)}
    assert found(store, "naive 🙂") == {("note", note)}


# --- snippets and highlights ------------------------------------------------------------------


def test_the_snippet_is_plain_text_with_offsets_of_the_matched_words(store):
    body = "First line.\n\nThe quick brown fox\tjumps over the lazy dog.\n" + "More text. " * 40
    add_note(store, "Animals", body)
    [result] = find(store, "quick dog")
    assert_clean(result)
    assert "  " not in result.snippet
    assert "The quick brown fox jumps over the lazy dog." in result.snippet
    assert [result.snippet[start:end] for start, end in result.highlights] == ["quick", "dog"]


def test_highlights_cover_whole_words_found_by_a_prefix(store):
    add_note(store, "Misc", "Whatever the weather, prefetching works.")
    [result] = find(store, "pref weath")
    assert [result.snippet[start:end] for start, end in result.highlights] == [
        "weather",
        "prefetching",
    ]


def test_a_long_body_is_cut_around_the_match(store):
    body = " ".join(f"word{n}" for n in range(300)) + " needle " + "tail " * 300
    add_note(store, "Haystack", body)
    [result] = find(store, "needle")
    assert len(result.snippet) < 200
    assert result.snippet.startswith("…") and result.snippet.endswith("…")
    [(start, end)] = result.highlights
    assert result.snippet[start:end] == "needle"


def test_marker_characters_typed_by_the_user_never_reach_a_caller(store):
    note = add_note(store, "Tricky \x02title\x03", "before \x03\x02needle\x03 after \x02")
    [result] = find(store, "needle")
    assert result.id == note
    assert_clean(result)
    assert [result.snippet[start:end] for start, end in result.highlights] == ["needle"]
    assert result.title == "Tricky  title "


def test_control_characters_stay_one_for_one_so_offsets_survive_safe_text(store):
    from nexus_tui.text import safe_text

    add_note(store, "Escape", "red \x1b[31m alert here")
    [result] = find(store, "alert")
    shown = safe_text(result.snippet)
    assert "\x1b" not in shown
    assert [shown[start:end] for start, end in result.highlights] == ["alert"]


def test_a_title_only_match_has_an_empty_snippet_or_the_start_of_the_text(store):
    bare = add_collaborator(store, "Linus")
    with_text = add_topic(store, "Kernel", add_category(store, "Operating systems"))
    by_id = {(r.kind, r.id): r for r in find(store, "linus")}
    assert by_id[("collaborator", bare)].snippet == ""
    assert by_id[("collaborator", bare)].highlights == ()
    [topic] = find(store, "kernel")
    assert topic.id == with_text
    # No match in the text: its start is shown, unhighlighted, to say what the item is about.
    assert topic.snippet == "Operating systems"
    assert topic.highlights == ()


# --- layering ----------------------------------------------------------------------------------


def test_search_is_not_loaded_on_the_way_to_the_first_screen():
    script = (
        "import json, sys\n"
        "import nexus_tui.startup, nexus_tui.app, nexus_tui.screens.topics\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert "nexus_tui.store.search" not in set(json.loads(result.stdout))


def test_search_needs_neither_textual_nor_the_orm():
    script = (
        "import json, sys\nimport nexus_tui.store.search\nprint(json.dumps(sorted(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    loaded = set(json.loads(result.stdout))
    for heavy in ("textual", "sqlalchemy", "sqlmodel", "pydantic"):
        assert heavy not in loaded, heavy
