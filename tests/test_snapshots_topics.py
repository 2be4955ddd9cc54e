"""How the topic dialogs look at 120x40 (see test_snapshots.py for updating the pictures)."""

from __future__ import annotations

from conftest import FIXED_NOW, settle
from test_snapshots import SIZE, press_then_settle, snapshot_app, steady_cursors

from nexus_tui.store.changes import add_topic


async def cursor_to(pilot, name: str) -> None:
    tree = pilot.app.screen.query_one("#topic-tree")
    node = next(
        leaf
        for category in tree.root.children
        for leaf in category.children
        if leaf.data is not None and leaf.data.name == name
    )
    tree.move_cursor(node)
    tree.focus()
    await settle(pilot)


def on_topic_then_press(name: str, *keys: str):
    async def run_before(pilot) -> None:
        await settle(pilot)
        await cursor_to(pilot, name)
        await press_then_settle(*keys)(pilot)

    return run_before


def test_add_topic_form_says_the_name_is_taken(snap_compare, tmp_path):
    run_before = on_topic_then_press("Redis caching", "a", *"redis CACHING")
    assert snap_compare(snapshot_app(tmp_path), terminal_size=SIZE, run_before=run_before)


def test_move_topic_dialog_on_a_category_with_that_name(snap_compare, tmp_path):
    async def run_before(pilot) -> None:
        await settle(pilot)
        store = pilot.app.store
        database = next(
            each for each in pilot.app.screen.query_one("#topic-tree").root.children
            if each.data.name == "Database Design"
        )  # fmt: skip
        store.write(add_topic, database.data.id, "REDIS CACHING", FIXED_NOW)
        pilot.app.screen.action_refresh()
        await settle(pilot)
        await cursor_to(pilot, "Redis caching")
        await press_then_settle("m", "down", "down", "down")(pilot)
        steady_cursors(pilot)

    assert snap_compare(snapshot_app(tmp_path), terminal_size=SIZE, run_before=run_before)


def test_delete_topic_confirmation_counts_its_notes(snap_compare, tmp_path):
    run_before = on_topic_then_press("Best practices", "x")
    assert snap_compare(snapshot_app(tmp_path), terminal_size=SIZE, run_before=run_before)
