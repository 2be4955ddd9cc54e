"""Adding, renaming, moving and deleting topics: the store's writes (on both stores), then the keys
on the screen."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from conftest import FIXED_NOW, make_app, open_store, settle
from test_app import option_texts, tree_labels, type_into
from textual.widgets import Input, Static

from nexus_tui.store import Store, queries
from nexus_tui.store.changes import (
    MAX_TOPIC_NAME,
    TopicChangeError,
    add_note,
    add_topic,
    delete_topic,
    move_topic,
    rename_topic,
    restore_topic,
    topic_name_problem,
)
from nexus_tui.store.seed import seed_default_hub
from nexus_tui.widgets.key_bar import KeyBar

WHEN = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def seeded(location: str) -> Store:
    store = open_store(location)
    seed_default_hub(store)
    return store


def category(store: Store, name: str):
    return next(each for each in store.read(queries.categories_with_topics) if each.name == name)


def topic(store: Store, name: str):
    return next(
        each
        for group in store.read(queries.categories_with_topics)
        for each in group.topics
        if each.name == name
    )


def rows(store: Store, sql: str) -> list[tuple]:
    return store.read(lambda conn: conn.execute(sql).fetchall())


# --- the store ---------------------------------------------------------------------------------


def test_a_topic_name_is_checked_in_words():
    taken = ["Redis caching", "Query caching"]
    assert topic_name_problem("  Cache stampedes  ", taken, "Caching") is None
    assert topic_name_problem("x" * MAX_TOPIC_NAME, taken, "Caching") is None
    assert topic_name_problem("   ", taken, "Caching") == "A topic needs a name."
    assert topic_name_problem("x" * 81, taken, "Caching") == (
        "A topic name has at most 80 characters; this one has 81."
    )
    assert topic_name_problem(" REDIS caching ", taken, "Caching") == (
        "“Redis caching” is already in Caching."
    )


def test_add_topic_puts_it_last_in_its_category_with_the_time(hub_location):
    store = seeded(hub_location)
    caching = category(store, "Caching Strategies")
    topic_id = store.write(add_topic, caching.id, "  Cache stampedes ", WHEN)
    names = [each.name for each in category(store, "Caching Strategies").topics]
    assert names == [*(each.name for each in caching.topics), "Cache stampedes"]
    assert rows(store, f"SELECT status, created_at, updated_at FROM topics WHERE id = {topic_id}")[
        0
    ] == ("not_started", "2026-12-01 08:00:00.000000", "2026-12-01 08:00:00.000000")
    # Searchable at once: the index follows the table.
    assert rows(
        store, f"SELECT title FROM search_index WHERE kind = 'topic' AND item_id = {topic_id}"
    )[0] == ("Cache stampedes",)


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("", "A topic needs a name."),
        ("x" * 81, "A topic name has at most 80 characters; this one has 81."),
        ("redis CACHING", "“Redis caching” is already in Caching Strategies."),
    ],
)
def test_add_topic_refuses_a_name_in_words_and_writes_nothing(hub_location, name, problem):
    store = seeded(hub_location)
    before = rows(store, "SELECT * FROM topics ORDER BY id")
    with pytest.raises(TopicChangeError) as refused:
        store.write(add_topic, category(store, "Caching Strategies").id, name, WHEN)
    assert str(refused.value) == problem
    assert rows(store, "SELECT * FROM topics ORDER BY id") == before


def test_add_topic_to_a_category_that_is_gone_says_so(hub_location):
    store = seeded(hub_location)
    with pytest.raises(TopicChangeError, match="no longer exists"):
        store.write(add_topic, 999_999, "Anything", WHEN)


def test_rename_topic_keeps_its_place_and_may_change_only_its_case(hub_location):
    store = seeded(hub_location)
    redis = topic(store, "Redis caching")
    before = [each.id for each in category(store, "Caching Strategies").topics]
    assert store.write(rename_topic, redis.id, "Redis", WHEN)
    assert store.write(rename_topic, redis.id, "REDIS", WHEN)
    assert [each.id for each in category(store, "Caching Strategies").topics] == before
    assert topic(store, "REDIS").id == redis.id
    with pytest.raises(TopicChangeError, match="“Query caching” is already in"):
        store.write(rename_topic, redis.id, "query caching", WHEN)
    assert not store.write(rename_topic, 999_999, "Anything", WHEN)


def test_move_topic_takes_its_notes_to_the_end_of_the_other_category(hub_location):
    store = seeded(hub_location)
    redis = topic(store, "Redis caching")
    database = category(store, "Database Design")
    notes = rows(store, f"SELECT id FROM notes WHERE topic_id = {redis.id}")
    assert store.write(move_topic, redis.id, database.id, WHEN)
    assert category(store, "Database Design").topics[-1].id == redis.id
    assert redis.id not in [each.id for each in category(store, "Caching Strategies").topics]
    assert rows(store, f"SELECT id FROM notes WHERE topic_id = {redis.id}") == notes
    # Moving to where it is already changes nothing; a topic that is gone is reported.
    assert store.write(move_topic, redis.id, database.id, WHEN)
    assert not store.write(move_topic, 999_999, database.id, WHEN)


def test_move_topic_refuses_a_category_with_that_name_or_one_that_is_gone(hub_location):
    store = seeded(hub_location)
    database = category(store, "Database Design")
    store.write(add_topic, database.id, "redis caching", WHEN)
    redis = topic(store, "Redis caching")
    with pytest.raises(TopicChangeError) as refused:
        store.write(move_topic, redis.id, database.id, WHEN)
    assert str(refused.value) == (
        "“redis caching” is already in Database Design: rename one of them first."
    )
    with pytest.raises(TopicChangeError, match="no longer exists"):
        store.write(move_topic, redis.id, 999_999, WHEN)
    assert topic(store, "Redis caching").category == "Caching Strategies"


def everything_about_topics(store: Store) -> list[list[tuple]]:
    # The index row's id: FTS5's rowid on SQLite, a column on PostgreSQL.
    key = "rowid" if store.dialect == "sqlite" else "id"
    return [
        rows(store, "SELECT * FROM topics ORDER BY id"),
        rows(store, "SELECT * FROM notes ORDER BY id"),
        rows(store, "SELECT * FROM challenge_topics ORDER BY challenge_id, topic_id"),
        rows(store, f"SELECT {key}, kind, item_id, title, body FROM search_index ORDER BY {key}"),
    ]


def test_a_deleted_topic_comes_back_with_its_notes_and_links_exactly_as_they_were(hub_location):
    store = seeded(hub_location)
    drf = topic(store, "Django REST Framework (DRF)")
    before = everything_about_topics(store)
    deleted = store.write(delete_topic, drf.id)
    assert deleted.topic["name"] == "Django REST Framework (DRF)"
    assert len(deleted.notes) == 1 and len(deleted.challenge_ids) == 2
    assert rows(store, f"SELECT count(*) FROM notes WHERE topic_id = {drf.id}") == [(0,)]
    assert rows(store, f"SELECT count(*) FROM challenge_topics WHERE topic_id = {drf.id}") == [(0,)]
    assert everything_about_topics(store) != before
    assert store.write(restore_topic, deleted) == drf.id
    assert everything_about_topics(store) == before
    assert store.write(delete_topic, 999_999) is None


def test_restoring_a_topic_whose_ids_were_taken_meanwhile_keeps_everything(hub_location):
    store = seeded(hub_location)
    python = topic(store, "Python")
    newest = store.write(add_topic, python.category_id, "Newest", WHEN)
    first_note = store.write(add_note, newest, "First", "one", [], WHEN)
    second_note = store.write(add_note, newest, "Second", "two", [], WHEN)
    deleted = store.write(delete_topic, newest)
    take_ids(store, python, newest, first_note)
    restored = store.write(restore_topic, deleted)
    assert restored not in (None, newest)
    notes = rows(store, f"SELECT id, title, body FROM notes WHERE topic_id = {restored}")
    # The second keeps its id; the first, whose id was taken, gets a new one.
    assert notes[0] == (second_note, "Second", "two")
    assert notes[1][1:] == ("First", "one") and notes[1][0] not in (first_note, second_note)


def take_ids(store: Store, python, topic_id: int, note_id: int) -> None:
    """New rows take the ids of the newest topic and note, just deleted."""
    if store.dialect == "sqlite":
        # SQLite hands the newest rows' ids to the next new rows.
        assert store.write(add_topic, python.category_id, "Newcomer", WHEN) == topic_id
        assert store.write(add_note, python.id, "Elsewhere", "", [], WHEN) == note_id
        return
    # PostgreSQL's identities never hand out an id twice; only a row written with its id (as an
    # undo writes one) takes it.
    stamp = "2026-11-01 00:00:00.000000"
    store.write(
        lambda conn: conn.execute(
            "INSERT INTO topics (id, category_id, name, created_at, updated_at) "
            "VALUES (?, ?, 'Newcomer', ?, ?)",
            (topic_id, python.category_id, stamp, stamp),
        )
    )
    store.write(
        lambda conn: conn.execute(
            "INSERT INTO notes (id, topic_id, title, created_at, updated_at) "
            "VALUES (?, ?, 'Elsewhere', ?, ?)",
            (note_id, python.id, stamp, stamp),
        )
    )


def test_undoing_a_delete_is_refused_when_the_name_came_back_or_the_category_went(hub_location):
    store = seeded(hub_location)
    redis = topic(store, "Redis caching")
    deleted = store.write(delete_topic, redis.id)
    store.write(add_topic, redis.category_id, "REDIS CACHING", WHEN)
    with pytest.raises(TopicChangeError) as refused:
        store.write(restore_topic, deleted)
    assert str(refused.value) == (
        "Cannot undo: Caching Strategies has a topic “REDIS CACHING” again."
    )
    # A category of its own, removed once the topic is gone.
    alone = store.write(
        lambda conn: conn.execute(
            "INSERT INTO categories (name, created_at, updated_at) VALUES ('Alone', ?, ?) "
            "RETURNING id",
            ("2026-11-01 00:00:00.000000", "2026-11-01 00:00:00.000000"),
        ).fetchone()[0]
    )
    lonely = store.write(delete_topic, store.write(add_topic, alone, "Only one", WHEN))
    store.write(lambda conn: conn.execute("DELETE FROM categories WHERE id = ?", (alone,)))
    assert store.write(restore_topic, lonely) is None


# --- the screen --------------------------------------------------------------------------------


def cursor_label(app) -> str:
    return str(app.screen.query_one("#topic-tree").cursor_node.label)


def first(labels: list[str], start: str) -> int:
    return next(index for index, label in enumerate(labels) if label.startswith(start))


def heading(app) -> str:
    return str(app.screen.query_one("#topic-heading", Static).render())


def problem_shown(app) -> str:
    return str(app.screen.query_one("#topic-problem", Static).render())


async def go_to_topic(pilot, name: str) -> None:
    tree = pilot.app.screen.query_one("#topic-tree")
    node = next(
        leaf
        for group in tree.root.children
        for leaf in group.children
        if leaf.data is not None and leaf.data.name == name
    )
    tree.move_cursor(node)
    tree.focus()
    await settle(pilot)


async def test_a_adds_a_topic_to_the_category_and_puts_the_cursor_on_it(app_paths):
    from nexus_tui.screens.topic_form import TopicNameForm

    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await go_to_topic(pilot, "Redis caching")
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, TopicNameForm)
        await pilot.press(*"Cache stampedes")
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, TopicNameForm)
        labels = tree_labels(app)
        # Last of its category, just before the next one.
        assert labels[first(labels, "Scalability Fundamentals") - 1] == "· Cache stampedes"
        assert cursor_label(app) == "· Cache stampedes"
        assert heading(app).startswith("Cache stampedes  Caching Strategies · not started")
        assert app.screen.focused.id == "topic-tree"
    store = Store.open(app_paths.database)
    assert topic(store, "Cache stampedes").category == "Caching Strategies"


async def test_f2_renames_a_topic_and_m_moves_it_to_another_category(app_paths):
    from nexus_tui.screens.topic_form import MoveTopicForm, TopicNameForm

    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await go_to_topic(pilot, "Redis caching")
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, TopicNameForm)
        assert app.screen.query_one("#topic-name", Input).value == "Redis caching"
        await type_into(pilot, "#topic-name", "Redis")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert cursor_label(app) == "· Redis"
        assert "Redis caching" not in " ".join(tree_labels(app))
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MoveTopicForm)
        # Every category but its own, in the tree's order.
        choices = option_texts(app, "#move-categories")
        assert choices[0].startswith("Programming & Frameworks")
        assert not any(text.startswith("Caching Strategies") for text in choices)
        await pilot.press("down", "down", "down")  # past Backend…, API Development
        await pilot.press("enter")
        await settle(pilot)
        labels = tree_labels(app)
        assert labels[first(labels, "Asynchronous Programming") - 1] == "· Redis"
        assert cursor_label(app) == "· Redis"
        assert "Database Design" in heading(app)
        # Its note went with it.
        assert option_texts(app, "#note-list")


async def test_x_deletes_a_topic_and_its_notes_after_asking_and_u_brings_them_back(app_paths):
    from nexus_tui.screens.confirm import ConfirmScreen

    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await go_to_topic(pilot, "Best practices")
        notes = option_texts(app, "#note-list")
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        question = str(app.screen.query_one("#confirm-question", Static).render())
        assert question.startswith("Delete “Best practices” and its 8 notes?")
        await pilot.press("n")  # no: nothing happens
        await settle(pilot)
        assert "· Best practices" in tree_labels(app)
        await go_to_topic(pilot, "Redis caching")
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert "· Redis caching" not in tree_labels(app)
        # The cursor stays in the category, on the next topic.
        assert cursor_label(app) == "· Query caching"
        await go_to_topic(pilot, "Best practices")
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert "· Best practices" not in tree_labels(app)
        # One undo slot: the last deletion comes back, notes and all.
        await pilot.press("u")
        await settle(pilot)
        assert cursor_label(app) == "· Best practices"
        assert option_texts(app, "#note-list") == notes
        await pilot.press("u")
        await settle(pilot)
        assert "· Redis caching" not in tree_labels(app)
    store = Store.open(app_paths.database)
    assert rows(store, "SELECT count(*) FROM notes WHERE topic_id = (SELECT id FROM topics "
                "WHERE name = 'Best practices')") == [(8,)]  # fmt: skip


async def test_u_undoes_a_note_deletion_as_before(app_paths):
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert option_texts(app, "#note-list") == []
        await pilot.press("u")
        await settle(pilot)
        assert option_texts(app, "#note-list")[0].startswith("Python for backend work")


async def test_the_topic_form_says_what_is_wrong_and_keeps_what_was_typed(app_paths):
    from nexus_tui.screens.topic_form import TopicNameForm

    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        assert problem_shown(app) == ""
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TopicNameForm)
        assert problem_shown(app) == "A topic needs a name."
        await type_into(pilot, "#topic-name", "y" * 90)
        assert problem_shown(app) == "A topic name has at most 80 characters; this one has 90."
        await type_into(pilot, "#topic-name", "  PYTHON ")
        assert problem_shown(app) == "“Python” is already in Programming & Frameworks."
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, TopicNameForm)
        assert app.screen.query_one("#topic-name", Input).value == "  PYTHON "
        await type_into(pilot, "#topic-name", "Python typing")
        assert problem_shown(app) == ""
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, TopicNameForm)
        assert "· Python typing" not in tree_labels(app)


async def test_a_name_taken_meanwhile_brings_the_form_back_with_the_reason(app_paths):
    from nexus_tui.screens.topic_form import TopicNameForm

    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        await type_into(pilot, "#topic-name", "Python typing")
        # Another window adds the same topic first.
        other = Store.open(app_paths.database)
        other.write(add_topic, topic(other, "Python").category_id, "Python Typing", FIXED_NOW)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TopicNameForm)
        assert app.screen.query_one("#topic-name", Input).value == "Python typing"
        assert problem_shown(app) == "“Python Typing” is already in Programming & Frameworks."
        await type_into(pilot, "#topic-name", "Type hints")
        await pilot.press("enter")
        await settle(pilot)
        assert cursor_label(app) == "· Type hints"
        assert "· Python Typing" in tree_labels(app)


async def test_the_move_dialog_refuses_a_category_that_has_that_name(app_paths):
    from nexus_tui.screens.topic_form import MoveTopicForm

    store = Store.open(app_paths.database)
    seed_default_hub(store)
    store.write(add_topic, category(store, "Database Design").id, "REDIS CACHING", FIXED_NOW)
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await go_to_topic(pilot, "Redis caching")
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("down", "down", "down")
        await pilot.pause()
        assert problem_shown(app) == (
            "“REDIS CACHING” is already in Database Design: rename one of them first."
        )
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MoveTopicForm)
        await pilot.press("up")
        await pilot.pause()
        assert problem_shown(app) == ""
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, MoveTopicForm)
        assert topic(store, "Redis caching").category == "Caching Strategies"


async def test_topic_keys_work_in_the_tree_only_and_are_in_the_palette_there(app_paths):
    from nexus_tui.screens.topic_form import TopicNameForm

    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)

        def palette() -> list[str]:
            return [command.title for command in app.get_system_commands(app.screen)]

        def active() -> set[str | None]:
            return {each.binding.id for each in app.screen.active_bindings.values()}

        topic_keys = {"add-topic", "rename-topic", "move-topic", "delete-topic"}
        assert topic_keys <= active()
        assert {"Add topic", "Rename topic", "Move topic", "Delete topic"} <= set(palette())
        # The palette's command does what the key does.
        commands = app.get_system_commands(app.screen)
        await next(command for command in commands if command.title == "Add topic").callback()
        await pilot.pause()
        assert isinstance(app.screen, TopicNameForm)
        await pilot.press("escape")
        await pilot.pause()
        # On a category row there is no topic to rename, move or delete: shown but disabled.
        await pilot.press("k")
        await settle(pilot)
        assert cursor_label(app).startswith("Programming & Frameworks")
        enabled = {each.binding.id for each in app.screen.active_bindings.values() if each.enabled}
        assert "add-topic" in enabled and not {"rename-topic", "move-topic"} & enabled
        runs, _palette = app.screen.query_one(KeyBar).entries()
        shown = {entry.key: entry.enabled for _first, entries in runs for entry in entries}
        assert shown["a"] is True and shown["f2"] is False and shown["x"] is False
        await pilot.press("f2", "x")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "TopicsScreen"
        # In the notes the keys do nothing and are offered nowhere.
        app.screen.query_one("#note-list").focus()
        await pilot.pause()
        assert not topic_keys & active()
        assert "Add topic" not in palette()
        await pilot.press("a")
        await pilot.pause()
        assert not isinstance(app.screen, TopicNameForm)
