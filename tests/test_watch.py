"""Changes made by another process reach the app, on both stores; a server that goes away is said
and the app carries on when it is back."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
import time

from conftest import FIXED_NOW, make_app, open_store, settle

from nexus_tui.store import Store, StoreError, changes, queries, watch
from nexus_tui.store.postgres import PostgresStore
from nexus_tui.store.seed import seed_default_hub
from nexus_tui.store.watch import HubWatcher, watcher_for

# A write by another process, as a second window or another user's machine makes it.
ANOTHER_PROCESS = """
import sys
from datetime import UTC, datetime
from nexus_tui.store import Store, changes, queries
store = Store.open(sys.argv[1], user=sys.argv[3])
category = store.read(queries.categories_with_topics)[0]
store.write(changes.add_topic, category.id, sys.argv[2], datetime.now(UTC))
"""


def write_from_another_process(location: str, topic: str, user: str = "bea") -> None:
    subprocess.run(
        [sys.executable, "-c", ANOTHER_PROCESS, location, topic, user], check=True, timeout=60
    )


def first_category_id(store: Store) -> int:
    return store.read(queries.categories_with_topics)[0].id


def wait_in_thread(watcher: HubWatcher, seconds: float) -> tuple[list[bool], threading.Thread]:
    answer: list[bool] = []
    thread = threading.Thread(target=lambda: answer.append(watcher.wait(seconds)))
    thread.start()
    return answer, thread


def test_the_watcher_sees_another_process_s_change_and_not_its_own(hub_location):
    store = open_store(hub_location)
    seed_default_hub(store)
    watcher = watcher_for(store)
    try:
        assert watcher.wait(0.2) is False  # connects; nothing changed
        store.write(changes.add_topic, first_category_id(store), "Own change", FIXED_NOW)
        assert watcher.wait(2.5) is False
        answer, thread = wait_in_thread(watcher, 10)
        write_from_another_process(hub_location, "From elsewhere")
        thread.join(timeout=15)
        assert answer == [True]
        assert watcher.reachable
    finally:
        watcher.close()


def test_each_row_names_who_changed_it_last(hub_location):
    store = Store.open(hub_location, user="ada")
    seed_default_hub(store)
    category = first_category_id(store)
    store.write(changes.add_topic, category, "Ada's topic", FIXED_NOW)
    write_from_another_process(hub_location, "Bea's topic", user="bea")

    def who(conn) -> dict[str, str]:
        return dict(conn.execute("SELECT name, changed_by FROM topics").fetchall())

    names = store.read(who)
    assert names["Ada's topic"] == "ada"
    assert names["Bea's topic"] == "bea"
    # An edit by another user makes them the last to change it.
    bea = Store.open(hub_location, user="bea")
    ids = store.read(lambda conn: dict(conn.execute("SELECT name, id FROM topics").fetchall()))
    bea.write(changes.rename_topic, ids["Ada's topic"], "Ada's topic, renamed", FIXED_NOW)
    assert store.read(who)["Ada's topic, renamed"] == "bea"


async def test_an_edit_in_another_process_appears_without_a_restart(app_paths):
    app = make_app(app_paths, follow_changes=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        tree = app.screen.query_one("#topic-tree")

        def labels() -> list[str]:
            return [str(line.node.label) for line in tree._tree_lines]

        assert not any("Shown without a restart" in label for label in labels())
        await asyncio.to_thread(
            write_from_another_process, app_paths.database, "Shown without a restart"
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            await pilot.pause(0.2)
            if any("Shown without a restart" in label for label in labels()):
                break
        assert any("Shown without a restart" in label for label in labels())


def test_a_server_that_cannot_be_reached_is_said_and_nothing_raises(postgres_url, monkeypatch):
    monkeypatch.setattr(watch, "RECONNECT_SECONDS", 0.01)
    # A port nothing listens on, as a server that went away.
    gone = PostgresStore("postgresql+psycopg://nexus:secret-pw@127.0.0.1:9/nexus_test")
    watcher = watcher_for(gone)
    try:
        assert watcher.wait(0.1) is False
        assert watcher.reachable is False
        assert isinstance(watcher.problem, StoreError)
        assert "cannot be reached" in str(watcher.problem)
        assert "secret-pw" not in str(watcher.problem)
    finally:
        watcher.close()


def test_closing_the_watcher_ends_a_wait_at_once(hub_location):
    store = open_store(hub_location)
    watcher = watcher_for(store)
    watcher.wait(0.05)
    answer, thread = wait_in_thread(watcher, 60)
    time.sleep(0.2)
    watcher.close()
    thread.join(timeout=5)
    assert not thread.is_alive()
    assert answer == [False]


async def test_a_note_changed_by_someone_else_says_who(app_paths):
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        view = app.screen.query_one("#note-view")
        assert " by " not in view.source.split("\n\n")[1]  # the app's own user wrote the hub
        note_id = app.screen.note_id
        bea = Store.open(app_paths.database, user="bea [b]")
        note = bea.read(queries.note, note_id)
        bea.write(
            changes.update_note, note.id, note.title, "Bea's words", list(note.tags), None,
            FIXED_NOW,
        )  # fmt: skip
        app.refresh_screens()
        await settle(pilot)
        meta = view.source.split("\n\n")[1]
        assert "by bea \\[b\\]" in meta and "Bea's words" in view.source
