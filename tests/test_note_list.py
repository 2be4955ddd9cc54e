"""A topic's notes a page at a time: the store's page queries on real SQLite files, and the
windowed notes list driven with Pilot on a hub with thousands of notes in one topic."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta

import pytest
from conftest import FIXED_NOW, make_app, settle
from test_app import markdown_source, note_texts

from nexus_tui.store import Store, queries
from nexus_tui.store.database import to_db_time
from nexus_tui.store.records import NoteSummary
from nexus_tui.store.seed import seed_default_hub
from nexus_tui.widgets.note_list import KEPT_PAGES, PAGE_SIZE, PLACEHOLDER, NoteList

# --- The store ------------------------------------------------------------------------------


def add_topic(conn: sqlite3.Connection, name: str) -> int:
    stamp = to_db_time(FIXED_NOW)
    category = conn.execute(
        "INSERT INTO categories (name, created_at, updated_at) VALUES ('C ' || ?, ?, ?) "
        "RETURNING id",
        (name, stamp, stamp),
    ).fetchone()[0]
    return conn.execute(
        "INSERT INTO topics (category_id, name, created_at, updated_at) VALUES (?, ?, ?, ?) "
        "RETURNING id",
        (category, name, stamp, stamp),
    ).fetchone()[0]


def add_notes(conn: sqlite3.Connection, topic_id: int, notes: list[tuple[str, bool, int]]) -> None:
    """Notes given as (title, pinned, minutes before FIXED_NOW they were changed)."""
    rows = []
    for title, pinned, minutes in notes:
        stamp = to_db_time(FIXED_NOW - timedelta(minutes=minutes))
        rows.append((topic_id, title, pinned, stamp, stamp))
    conn.executemany(
        """INSERT INTO notes (topic_id, title, pinned, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?)""",
        rows,
    )


@pytest.fixture
def store(hub_location) -> Store:
    return Store.open(hub_location)


@pytest.fixture
def topic(store) -> int:
    return build_topic(store)


def build_topic(store: Store) -> int:
    """A topic of 23 notes: three pinned (two changed at the same moment) and runs of notes
    changed at the same moment, so ties are broken by id; and a second topic beside it."""

    def build(conn):
        topic_id = add_topic(conn, "Big")
        notes = [(f"n{i:02d}", i in (4, 9, 17), 5 if i in (4, 17) else i // 3) for i in range(23)]
        add_notes(conn, topic_id, notes)
        add_notes(conn, add_topic(conn, "Other"), [("elsewhere", False, 0)])
        return topic_id

    return store.write(build)


def expected_titles(store: Store, topic_id: int) -> list[str]:
    rows = store.read(
        lambda conn: conn.execute(
            "SELECT title, pinned, updated_at, id FROM notes WHERE topic_id = ?", (topic_id,)
        ).fetchall()
    )
    # Pinned first, then the most recently changed; the older id first among equals.
    rows.sort(key=lambda row: row[3])
    rows.sort(key=lambda row: row[2], reverse=True)
    rows.sort(key=lambda row: row[1], reverse=True)
    return [row[0] for row in rows]


def titles(notes: list[NoteSummary]) -> list[str]:
    return [note.title for note in notes]


def test_the_order_has_pins_first_and_ties_in_time(store, topic):
    order = expected_titles(store, topic)
    # Pinned first: n09 (changed 3 minutes ago), then n04 and n17 (both 5 minutes ago).
    assert order[:3] == ["n09", "n04", "n17"]
    # n12, n13, n14 were changed at the same moment: by id.
    assert order.index("n12") + 1 == order.index("n13") == order.index("n14") - 1
    assert store.read(queries.count_notes_of_topic, topic) == 23


@pytest.mark.parametrize("size", [1, 2, 3, 5, 22, 23, 50])
def test_keyset_pages_forward_walk_the_whole_list_once(store, topic, size):
    read: list[NoteSummary] = []
    for _ in range(30):  # a page that makes no progress fails here rather than looping
        page = store.read(queries.note_page, topic, read[-1] if read else None, size)
        assert len(page) <= size
        if not page:
            break
        read.extend(page)
    assert titles(read) == expected_titles(store, topic)
    assert all(note.topic_id == topic for note in read)


@pytest.mark.parametrize("size", [1, 2, 4, 23, 40])
def test_keyset_pages_backward_walk_the_whole_list_once(store, topic, size):
    read: list[NoteSummary] = []
    for _ in range(30):
        page = store.read(queries.note_page_before, topic, read[0] if read else None, size)
        if not page:
            break
        read[:0] = page
    assert titles(read) == expected_titles(store, topic)


def test_pages_by_position_match_the_list_from_either_end(store, topic):
    order = expected_titles(store, topic)
    for offset in range(25):
        for size in (1, 4, 10):
            expected = order[offset : offset + size]
            assert titles(store.read(queries.note_page_at, topic, offset, size)) == expected
            # Given the count, the second half is walked to from the end: same rows.
            with_count = store.read(queries.note_page_at, topic, offset, size, len(order))
            assert titles(with_count) == expected


def test_a_page_after_a_deletion_neither_skips_nor_repeats(store, topic):
    first = store.read(queries.note_page, topic, None, 8)
    order = expected_titles(store, topic)
    # Another window deletes a note already read, and the very note the next page starts after.
    store.write(
        lambda conn: conn.executemany(
            "DELETE FROM notes WHERE id = ?", [(first[2].id,), (first[-1].id,)]
        )
    )
    second = store.read(queries.note_page, topic, first[-1], 8)
    assert titles(second) == order[8:16]
    # By position the same page would have skipped two notes.
    assert titles(store.read(queries.note_page_at, topic, 8, 8)) == order[10:18]
    before = store.read(queries.note_page_before, topic, second[0], 3)
    assert titles(before) == [order[4], order[5], order[6]]


def test_a_note_changed_between_pages_is_met_once(store, topic):
    first = store.read(queries.note_page, topic, None, 10)
    later = store.read(queries.note_page, topic, first[-1], 30)
    moved = later[5]
    # It is changed now, so it moves to the top (among the unpinned): behind the pages read.
    store.write(
        lambda conn: conn.execute(
            "UPDATE notes SET updated_at = ? WHERE id = ?", (to_db_time(FIXED_NOW), moved.id)
        )
    )
    rest = store.read(queries.note_page, topic, first[-1], 30)
    assert moved.id not in [note.id for note in rest]
    assert [note.id for note in rest] == [note.id for note in later if note.id != moved.id]


def test_note_position_is_the_place_in_the_list(store, topic):
    order = expected_titles(store, topic)
    for note in store.read(queries.note_page, topic, None, 100):
        assert store.read(queries.note_position, topic, note.id) == order.index(note.title)
    other = store.read(lambda conn: conn.execute("SELECT max(id) FROM notes").fetchone()[0])
    assert store.read(queries.note_position, topic, other) is None  # another topic's note
    assert store.read(queries.note_position, topic, 999_999) is None


def test_paging_reads_ranges_of_the_topic_index_without_sorting(tmp_path):
    # SQLite's query plans; PostgreSQL's planner chooses by the table's size and statistics.
    store = Store.open(str(tmp_path / "nexus.db"))
    topic = build_topic(store)
    statements: list[str] = []

    def traced(query, *arguments):
        def run(conn):
            conn.set_trace_callback(statements.append)
            return query(conn, *arguments)

        return store.read(run)

    pinned = traced(queries.note_page, topic, None, 2)[0]
    unpinned = traced(queries.note_page, topic, None, 10)[-1]
    traced(queries.note_page, topic, pinned, 30)
    traced(queries.note_page_before, topic, unpinned, 30)
    traced(queries.note_page_before, topic, None, 5)
    traced(queries.count_notes_of_topic, topic)
    traced(queries.note_position, topic, unpinned.id)
    reads = [each for each in statements if "FROM notes" in each]
    assert len(reads) >= 10

    def plan(statement: str) -> list[str]:
        return store.read(
            lambda conn: [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + statement)]
        )

    for statement in reads:
        steps = " | ".join(plan(statement))
        if "count(*)" in statement:
            assert "COVERING INDEX notes_by_topic" in steps, steps
        elif "WHERE id = ?" not in statement and "WHERE id =" not in statement:
            assert "USING INDEX notes_by_topic (topic_id=?" in steps, steps
            assert "TEMP B-TREE" not in steps, steps


# --- The list in the app ----------------------------------------------------------------------

NOTES = 5_000


def big_hub(paths, count: int = NOTES) -> dict[str, int]:
    """The default hub, with `count` notes in Python (and no others there): "Note 0000" is the
    newest, so the list shows them in the order of their numbers. Their ids by title."""
    store = Store.open(paths.database)
    seed_default_hub(store)

    def fill(conn):
        (topic_id,) = conn.execute("SELECT id FROM topics WHERE name = 'Python'").fetchone()
        conn.execute("DELETE FROM notes WHERE topic_id = ?", (topic_id,))
        rows = []
        for number in range(count):
            stamp = to_db_time(FIXED_NOW - timedelta(minutes=number + 1))
            rows.append((topic_id, f"Note {number:04d}", json.dumps(["bulk"]), stamp, stamp))
        conn.executemany(
            """INSERT INTO notes (topic_id, title, tags, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?)""",
            rows,
        )
        return dict(conn.execute("SELECT title, id FROM notes WHERE topic_id = ?", (topic_id,)))

    return store.write(fill)


def note_list(app) -> NoteList:
    return app.screen.query_one("#note-list", NoteList)


def shown_numbers(app) -> list[int]:
    """The note numbers on the rows on screen (placeholders fail the test)."""
    return [int(text.split("  ")[0].removeprefix("Note ")) for text in note_texts(app)]


def assert_bounded(notes: NoteList) -> None:
    assert 0 < notes.held_row_count <= KEPT_PAGES * PAGE_SIZE


async def test_the_list_is_as_long_as_the_topic_but_holds_a_few_pages(app_paths):
    big_hub(app_paths)
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        notes = note_list(app)
        assert notes.row_count == NOTES
        # The scrollbar tells the true length.
        assert notes.virtual_size.height == NOTES
        assert notes.show_vertical_scrollbar
        assert notes.vertical_scrollbar.window_virtual_size == NOTES
        assert notes.held_row_count == PAGE_SIZE
        # Eight rows fit: the list keeps its height of before.
        assert shown_numbers(app) == list(range(8))
        assert notes.highlighted == 0
        assert "# Note 0000" in markdown_source(app, "#note-view")
        heading = str(app.screen.query_one("#topic-heading").render())
        assert "5000 notes" in heading


async def test_G_goes_to_the_last_note_and_shows_it(app_paths):
    big_hub(app_paths)
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        notes = note_list(app)
        notes.focus()
        await pilot.press("G")
        await settle(pilot)
        assert notes.highlighted == NOTES - 1
        assert shown_numbers(app) == list(range(NOTES - 8, NOTES))
        assert notes.highlighted_note.title == "Note 4999"
        assert "# Note 4999" in markdown_source(app, "#note-view")
        assert_bounded(notes)
        # Back up across a page boundary: read backwards from the page held.
        for _ in range(13):
            await pilot.press("pageup")
        await settle(pilot)
        assert notes.highlighted == NOTES - 1 - 13 * 8
        assert notes.highlighted_note.title == f"Note {NOTES - 1 - 13 * 8}"
        assert notes.highlighted in range(notes.scroll_offset.y, notes.scroll_offset.y + 8)
        assert_bounded(notes)
        await pilot.press("g")
        await settle(pilot)
        assert shown_numbers(app) == list(range(8))
        assert "# Note 0000" in markdown_source(app, "#note-view")


async def test_paging_down_shows_the_right_titles_and_holds_few_rows(app_paths):
    big_hub(app_paths)
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        notes = note_list(app)
        notes.focus()
        for presses in range(1, 61):
            await pilot.press("pagedown")
            await settle(pilot)
            assert notes.highlighted == presses * 8
            shown = shown_numbers(app)
            assert shown == list(range(shown[0], shown[0] + 8))
            assert presses * 8 in shown
            assert_bounded(notes)
        assert "# Note 0480" in markdown_source(app, "#note-view")
        # Row by row over a page boundary, with j and k.
        notes.highlighted = 497
        await settle(pilot)
        await pilot.press("j", "j", "j", "j", "k")
        await settle(pilot)
        assert notes.highlighted_note.title == "Note 0500"
        assert "# Note 0500" in markdown_source(app, "#note-view")


async def test_dragging_far_shows_placeholders_until_the_rows_are_read(app_paths):
    big_hub(app_paths)
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        notes = note_list(app)
        # As the scrollbar does when dragged to the middle: the cursor stays where it was.
        notes.scroll_to(y=2_500, animate=False)
        assert note_texts(app) == [PLACEHOLDER.plain] * 8
        await settle(pilot)
        assert shown_numbers(app) == list(range(2_500, 2_508))
        assert notes.highlighted == 0
        assert_bounded(notes)
        for y in (4_100, 300, 3_333, 4_992):
            notes.scroll_to(y=y, animate=False)
            await settle(pilot)
            assert shown_numbers(app) == list(range(y, y + 8))
            assert_bounded(notes)


async def test_a_note_far_down_is_revealed_and_the_list_scrolls_to_it(app_paths):
    ids = big_hub(app_paths)
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        notes = note_list(app)
        # Not read yet: its place is looked up, then its page read.
        assert notes.highlight_id(ids["Note 3210"]) is False
        await settle(pilot)
        assert notes.highlighted == 3_210
        assert 3_210 in shown_numbers(app)
        assert "# Note 3210" in markdown_source(app, "#note-view")
        assert notes.highlight_id(ids["Note 3205"]) is True  # on a page held: at once
        assert notes.highlighted == 3_205
        # As search does: the screen reveals it and the list takes the focus.
        app.screen.query_one("#topic-tree").focus()
        app.screen.reveal("note", ids["Note 0777"])
        await settle(pilot)
        assert notes.highlighted_note.title == "Note 0777"
        assert 777 in shown_numbers(app)
        assert app.focused is notes
        assert "# Note 0777" in markdown_source(app, "#note-view")
        assert_bounded(notes)


async def test_a_click_selects_the_row_under_the_mouse(app_paths):
    big_hub(app_paths)
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        # The border is the list's first line: this is its fourth row.
        await pilot.click("#note-list", offset=(5, 4))
        await settle(pilot)
        assert note_list(app).highlighted == 3
        assert app.focused.id == "note-view"
        assert "# Note 0003" in markdown_source(app, "#note-view")


async def test_a_change_lists_the_topic_again_with_the_cursor_on_the_same_note(app_paths):
    big_hub(app_paths, count=300)
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        notes = note_list(app)
        notes.focus()
        notes.highlighted = 250
        await settle(pilot)
        # p pins it: it goes to the top, and the cursor with it.
        await pilot.press("p")
        await settle(pilot)
        assert notes.highlighted == 0
        assert note_texts(app)[0].startswith("📌 Note 0250")
        await pilot.press("j", "j")
        await settle(pilot)
        # A change elsewhere (the topic's status) lists the notes again: the cursor stays.
        await pilot.press("s")
        await settle(pilot)
        assert notes.highlighted_note.title == "Note 0001"
        assert "# Note 0001" in markdown_source(app, "#note-view")


async def test_a_note_asked_for_while_another_topic_is_read_is_found_in_that_topic(app_paths):
    big_hub(app_paths)
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        topic_id, note_id, title = app.store.read(
            lambda conn: conn.execute(
                """SELECT t.id, n.id, n.title FROM notes n JOIN topics t ON t.id = n.topic_id
                WHERE t.name = 'Django Framework'"""
            ).fetchone()
        )
        notes = note_list(app)
        notes.show_topic(app.store, topic_id)
        # The rows held are still Python's: the note is looked for in the topic on its way.
        assert notes.highlight_id(note_id) is False
        await settle(pilot)
        assert notes.topic_id == topic_id
        assert notes.row_count == 1
        assert notes.highlighted_note.id == note_id
        assert note_texts(app)[0].startswith(title)
