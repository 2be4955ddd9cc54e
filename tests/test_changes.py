"""Writes made from the screens, on both stores (an SQLite file and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from conftest import open_store

from nexus_tui.store import queries
from nexus_tui.store.changes import TOPIC_STATUSES, next_status, set_topic_status
from nexus_tui.store.seed import seed_default_hub


def test_statuses_cycle_in_learning_order():
    assert [next_status(s) for s in TOPIC_STATUSES] == [
        "learning",
        "practising",
        "confident",
        "not_started",
    ]
    assert next_status("something odd") == "not_started"


def test_set_topic_status_saves_it_and_the_time(hub_location):
    store = open_store(hub_location)
    seed_default_hub(store)
    topic = store.read(queries.categories_with_topics)[0].topics[0]
    when = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    assert store.write(set_topic_status, topic.id, "practising", when)
    again = store.read(queries.categories_with_topics)[0].topics[0]
    assert again.status == "practising"
    updated = store.read(
        lambda conn: conn.execute(
            "SELECT updated_at FROM topics WHERE id = ?", (topic.id,)
        ).fetchone()[0]
    )
    assert updated == "2026-12-01 08:00:00.000000"


def test_set_topic_status_of_a_deleted_topic_reports_it(hub_location):
    store = open_store(hub_location)
    assert not store.write(set_topic_status, 12345, "learning", datetime.now(UTC))


def test_set_topic_status_refuses_an_unknown_status(hub_location):
    store = open_store(hub_location)
    with pytest.raises(ValueError):
        store.write(set_topic_status, 1, "expert", datetime.now(UTC))


def test_a_deleted_note_comes_back_exactly_as_it_was(hub_location):
    from nexus_tui.store.changes import delete_note, restore_note

    store = open_store(hub_location)
    seed_default_hub(store)
    dump = lambda conn: conn.execute("SELECT * FROM notes ORDER BY id").fetchall()  # noqa: E731
    before = store.read(dump)
    row = store.write(delete_note, before[0][0])
    assert len(store.read(dump)) == len(before) - 1
    assert store.write(restore_note, row)
    assert store.read(dump) == before
    assert store.write(delete_note, 999_999) is None
