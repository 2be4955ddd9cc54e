"""`copy_hub`: a whole hub between stores, every row with its id, complete or not at all."""

from __future__ import annotations

import json
import os

import pytest
from conftest import FIXED_NOW, _on_server, open_store, postgres_schema_url
from test_cli import run

from nexus_tui.store import Store, StoreError, changes, collaborators, queries, search
from nexus_tui.store.challenges import ChallengeFields, add_challenge
from nexus_tui.store.copy import CopyCancelled, copy_hub, count_rows, read_tables
from nexus_tui.store.hub_io import read_hub
from nexus_tui.store.records import Link
from nexus_tui.store.seed import seed_default_hub


def a_full_hub(location: str) -> Store:
    """The default hub plus a pinned note with tags, a challenge with topics and links, and a
    collaborator with watched repositories."""
    store = open_store(location)
    seed_default_hub(store)
    topic = store.read(queries.categories_with_topics)[0].topics[0]
    note = store.write(changes.add_note, topic.id, "Pinned", "quokka facts", ["orm"], FIXED_NOW)
    store.write(changes.toggle_pinned, note)
    fields = ChallengeFields(
        "N+1 queries", "slow list", "prefetch", (topic.id,), (Link("https://example.org", "Docs"),)
    )
    store.write(add_challenge, fields, FIXED_NOW)
    person = collaborators.CollaboratorFields(
        "Bea", "backend", "bea", "", "", "", "", None, None, ("bea/api", "bea/web")
    )
    store.write(collaborators.add_collaborator, person, FIXED_NOW)
    return store


def everything(store: Store) -> dict:
    """Every row of every table (the search index aside, which each store builds itself)."""
    tables = store.read(read_tables)
    return {
        table: [
            tuple(
                bool(v) if (table, c) == ("notes", "pinned") else v
                for c, v in zip(cols, row, strict=True)
            )
            for row in rows
        ]
        for table, (cols, rows) in tables.items()
    }


def test_a_hub_copied_from_sqlite_is_the_same_row_for_row(tmp_path, hub_location):
    source = a_full_hub(str(tmp_path / "source.db"))
    target = open_store(hub_location)
    result = copy_hub(source, target)
    assert everything(target) == everything(source)
    assert result.counts == target.read(count_rows)
    assert result.counts["notes"] > 10 and result.counts["challenge_links"] >= 1
    assert target.read(read_hub) == source.read(read_hub)
    # The target's search index was built as the rows went in.
    found = target.read(search.search, "quok")
    assert [hit.title for hit in found][:1] == ["Pinned"]
    # New rows get new ids after the copied ones.
    topic = target.read(queries.categories_with_topics)[0].topics[0]
    highest = max(row[0] for row in everything(target)["notes"])
    assert target.write(changes.add_note, topic.id, "New", "", [], FIXED_NOW) > highest


def test_a_hub_copied_back_to_sqlite_is_the_same(tmp_path, hub_location):
    source = a_full_hub(hub_location)
    target = open_store(str(tmp_path / "back.db"))
    copy_hub(source, target)
    assert everything(target) == everything(source)
    assert target.read(read_hub) == source.read(read_hub)


def test_a_target_holding_a_hub_is_refused_and_left_as_it_was(tmp_path, hub_location):
    source = a_full_hub(str(tmp_path / "source.db"))
    target = open_store(hub_location)
    seed_default_hub(target)
    before = everything(target)
    with pytest.raises(StoreError, match="already holds a hub"):
        copy_hub(source, target)
    assert everything(target) == before


def test_a_cancelled_copy_leaves_nothing_in_the_target(tmp_path, hub_location):
    source = a_full_hub(str(tmp_path / "source.db"))
    target = open_store(hub_location)
    seen: list[int] = []
    with pytest.raises(CopyCancelled):
        copy_hub(source, target, progress=lambda done, total: seen.append(done),
                 cancelled=lambda: len(seen) >= 3)  # fmt: skip
    assert seen
    assert all(count == 0 for count in target.read(count_rows).values())


def test_copying_a_hub_onto_itself_is_refused(hub_location):
    store = a_full_hub(hub_location)
    with pytest.raises(StoreError, match="the hub itself"):
        copy_hub(store, open_store(hub_location))


def test_the_copy_command_copies_to_postgresql_and_back_without_showing_the_password(
    tmp_path, postgres_url
):
    source = tmp_path / "source.db"
    a_full_hub(str(source))
    schema = "copy_command_test"
    _on_server(f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}")
    try:
        password = os.environ["PGPASSWORD"]
        user_part = "nexus@"
        url = postgres_schema_url(postgres_url, schema).replace(user_part, f"nexus:{password}@", 1)
        copied = run("--db", str(source), "copy", "--to", url, PGPASSWORD=None)
        assert copied.returncode == 0, copied.stderr
        assert "topics" in copied.stdout and "counted on both sides" in copied.stdout
        assert password not in copied.stdout + copied.stderr
        # Again: the target now holds a hub, so nothing is copied over it.
        again = run("--db", str(source), "copy", "--to", url, PGPASSWORD=None)
        assert again.returncode == 2
        assert "already holds a hub" in again.stderr
        assert password not in again.stdout + again.stderr
        back = tmp_path / "back.db"
        returned = run("--db", url, "copy", "--to", str(back), PGPASSWORD=None)
        assert returned.returncode == 0, returned.stderr
        first = run("--db", str(source), "export", "--format", "json")
        last = run("--db", str(back), "export", "--format", "json")
        assert first.returncode == last.returncode == 0
        assert json.loads(first.stdout) == json.loads(last.stdout)
    finally:
        _on_server(f"DROP SCHEMA {schema} CASCADE")
