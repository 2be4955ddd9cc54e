"""The app driven as a user would, with Pilot, on real database files."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import threading
import time

import pytest
from conftest import fixed_clock, make_app, settle
from textual.widgets import OptionList, Static, Tree

from nexus_tui.config import ConfigError, GithubSettings, Settings, UiSettings, load_settings
from nexus_tui.startup import HubOpener
from nexus_tui.store import Store
from nexus_tui.store.database import StoreError, is_postgres_url
from nexus_tui.store.seed import seed_default_hub
from nexus_tui.widgets.markdown_view import MarkdownView


def on_each_frame(app, record) -> None:
    """Call record() at each frame the app draws (a frame is out when Textual draws outside a
    batch; see NexusApp._display)."""
    display = app._display

    def watching_display(screen, renderable) -> None:
        if renderable is not None and not app._batch_count:
            record()
        display(screen, renderable)

    app._display = watching_display


def tree_labels(app) -> list[str]:
    tree = app.screen.query_one("#topic-tree", Tree)
    labels = []
    for category in tree.root.children:
        labels.append(str(category.label))
        labels.extend(str(topic.label) for topic in category.children)
    return labels


def option_texts(app, selector: str) -> list[str]:
    if selector == "#note-list":
        return note_texts(app)
    options = app.screen.query_one(selector, OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


def note_texts(app) -> list[str]:
    """The rows the notes list shows now (it draws only those on screen)."""
    from nexus_tui.widgets.note_list import NoteList

    return [str(line) for line in app.screen.query_one("#note-list", NoteList).visible_lines()]


def markdown_source(app, selector: str) -> str:
    return app.screen.query_one(selector, MarkdownView).source


def note_field(store: Store, field: str, title: str):
    """A column of the note with this title, read straight from the database."""
    return store.read(
        lambda conn: conn.execute(
            f"SELECT {field} FROM notes WHERE title = ?", (title,)
        ).fetchone()[0]
    )


async def test_first_start_shows_the_seeded_curriculum(app_paths):
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        labels = " | ".join(tree_labels(app))
        assert "Programming & Frameworks" in labels
        assert "Django REST Framework (DRF)" in labels
        assert "PostgreSQL" in labels
        # The first topic is highlighted and its note is rendered.
        heading = app.screen.query_one("#topic-heading", Static)
        assert "Python" in str(heading.render())
        assert option_texts(app, "#note-list")
        assert "Python" in markdown_source(app, "#note-view")


async def test_the_first_frame_draws_the_topics_and_the_rest_follows(app_paths):
    # Work the first frame does not show waits for it: started earlier, its threads held the
    # frame back (see NexusApp.after_first_frame). The hub is open before the app starts, as
    # the command line does it.
    opener = HubOpener(app_paths.database, fixed_clock)
    opener.result()
    app = make_app(app_paths, opener=opener)
    first_frame: dict[str, object] = {}

    def record() -> None:
        if not first_frame:
            first_frame["topics"] = " | ".join(tree_labels(app))
            first_frame["groups"] = {worker.group for worker in app.workers}
            first_frame["note pane"] = markdown_source(app, "#note-view")

    on_each_frame(app, record)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "Django REST Framework (DRF)" in first_frame["topics"]
        later = {"note-list", "topic-challenges", "activity", "drafts", "ci-last-known"}
        assert not later & first_frame["groups"]
        # The pane under the notes says nothing untrue while they load (it once said the hub
        # had no topics).
        assert first_frame["note pane"] == ""
        # ... and then it comes.
        assert option_texts(app, "#note-list")
        assert "Python" in markdown_source(app, "#note-view")


async def test_a_large_hub_draws_the_tree_window_first_and_the_whole_tree_next(app_paths):
    from nexus_tui.screens.topics import FIRST_FRAME_LINES

    store = Store.open(app_paths.database)
    stamp = "2025-03-01T12:00:00+00:00"
    categories = [f"Area {n:02}" for n in range(30)]
    store.write(
        lambda conn: conn.executemany(
            "INSERT INTO categories (name, position, created_at, updated_at) VALUES (?, ?, ?, ?)",
            [(name, n, stamp, stamp) for n, name in enumerate(categories)],
        )
    )
    store.write(
        lambda conn: conn.executemany(
            "INSERT INTO topics (category_id, name, position, created_at, updated_at) "
            "VALUES ((SELECT id FROM categories WHERE name = ?), ?, ?, ?, ?)",
            [
                (name, f"{name} topic {t}", t, stamp, stamp)
                for name in categories
                for t in range(10)
            ],
        )
    )
    store.close()
    opener = HubOpener(app_paths.database, fixed_clock)
    opener.result()
    app = make_app(app_paths, opener=opener)
    frames: list[list[str]] = []
    on_each_frame(app, lambda: frames.append(tree_labels(app)))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        everything = tree_labels(app)
        first = frames[0]
        # Whole categories, enough to fill any window, and the rest a frame later.
        assert FIRST_FRAME_LINES <= len(first) < len(everything) == 30 * 11
        assert everything[: len(first)] == first
        assert len(first) % 11 == 0
        heading = str(app.screen.query_one("#topic-heading", Static).render())
        assert heading.startswith("Area 00 topic 0")


async def test_moving_through_topics_shows_each_topics_notes(app_paths):
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.screen.query_one("#topic-tree").focus()
        await pilot.press("j", "j")
        await settle(pilot)
        heading = str(app.screen.query_one("#topic-heading", Static).render())
        assert "Django REST Framework (DRF)" in heading
        first_note = option_texts(app, "#note-list")[0]
        assert first_note.split("  ")[0] in markdown_source(app, "#note-view")


async def test_number_keys_reach_the_four_screens(app_paths):
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert app.current_mode == "challenges"
        challenges = " | ".join(option_texts(app, "#challenge-list"))
        assert "Mastering Docker and containerized deployments" in challenges
        assert "## Solution" in markdown_source(app, "#challenge-view")

        await pilot.press("3")
        await settle(pilot)
        assert app.current_mode == "collaborators"
        people = " | ".join(option_texts(app, "#collaborator-list"))
        assert "ProDev Frontend Learners" in people

        await pilot.press("4")
        await settle(pilot)
        assert app.current_mode == "ci"
        assert "No repository is watched yet" in markdown_source(app, "#ci-view")
        assert str(app_paths.config_file) in markdown_source(app, "#ci-view")

        await pilot.press("1")
        await settle(pilot)
        assert app.current_mode == "topics"


async def test_challenge_and_collaborator_details_follow_the_cursor(app_paths):
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        app.screen.query_one("#challenge-list").focus()
        await pilot.press("G")
        await settle(pilot)
        assert "Implementing CI/CD pipelines" in markdown_source(app, "#challenge-view")
        await pilot.press("3")
        await settle(pilot)
        app.screen.query_one("#collaborator-list").focus()
        await pilot.press("j")
        await settle(pilot)
        assert "ProDev Frontend Learners" in markdown_source(app, "#collaborator-view")
        assert "## API contract" in markdown_source(app, "#collaborator-view")


async def test_question_mark_lists_the_keys_and_escape_closes_it(app_paths):
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        from nexus_tui.screens.keys import KeysScreen

        assert isinstance(app.screen, KeysScreen)
        rows = " | ".join(str(row.render()) for row in app.screen.query(".key-row"))
        for expected in ("Topics", "Challenges", "Collaborators", "CI", "Quit", "Refresh"):
            assert expected in rows
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, KeysScreen)


async def test_q_quits_with_status_zero(app_paths):
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_watched_repositories_come_from_config_and_database(app_paths):
    store = Store.open(app_paths.database)
    store.write(
        lambda conn: conn.execute(
            "INSERT INTO repos (full_name, created_at) "
            "VALUES ('peer/api', '2026-01-01 00:00:00.000000')"
        )
    )
    settings = Settings(github=GithubSettings(repos=("me/hub", "Peer/API")))
    app = make_app(app_paths, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        # Same repository in both places (case differs): listed once, config first.
        assert app.watched_repos == ("me/hub", "Peer/API")
        strip = str(app.screen.query_one("CiStrip").render())
        assert "me/hub" in strip and "Peer/API" in strip
        await pilot.press("4")
        await settle(pilot)
        assert [text.split("  ")[0] for text in option_texts(app, "#repo-list")] == [
            "? me/hub",
            "? Peer/API",
        ]


async def test_a_user_database_is_never_filled_with_the_default_hub(app_paths):
    store = Store.open(app_paths.database)
    store.write(
        lambda conn: conn.execute(
            "INSERT INTO categories (name, created_at, updated_at) "
            "VALUES ('Mine', '2026-01-01 00:00:00.000000', '2026-01-01 00:00:00.000000')"
        )
    )
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert tree_labels(app) == ["Mine  ▱▱▱▱ 0/0"]


async def test_theme_choice_is_remembered_in_the_config(app_paths):
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.theme = "nord"
        await settle(pilot)
    assert load_settings(app_paths.config_file).ui.theme == "nord"
    # And it is applied on the next start.
    app = make_app(app_paths, load_settings(app_paths.config_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.theme == "nord"


async def test_a_malformed_config_is_reported_and_never_overwritten(app_paths):
    app_paths.config_file.parent.mkdir(parents=True)
    broken = b'[github]\npoll_seconds = "soon"\n'
    app_paths.config_file.write_bytes(broken)
    try:
        load_settings(app_paths.config_file)
    except ConfigError as error:
        config_error = error
    app = make_app(app_paths, Settings(), config_error=config_error)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        messages = " ".join(str(n.message) for n in app._notifications)
        assert "line 2" in messages and "poll_seconds" in messages
        assert tree_labels(app)  # the hub is usable all the same
        app.theme = "nord"
        await settle(pilot)
        assert "Theme not saved" in " ".join(str(n.title) for n in app._notifications)
    assert app_paths.config_file.read_bytes() == broken


async def test_unknown_theme_in_config_falls_back_with_a_warning(app_paths):
    app = make_app(app_paths, Settings(ui=UiSettings(theme="no-such-theme")))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.theme != "no-such-theme"
        assert "no-such-theme" in " ".join(str(n.message) for n in app._notifications)


async def test_a_damaged_database_gets_an_error_screen_and_is_left_alone(sqlite_app_paths):
    app_paths = sqlite_app_paths
    app_paths.data_dir.mkdir(parents=True)
    database = app_paths.data_dir / "nexus.db"
    database.write_bytes(b"this is my shopping list, not a database\n" * 10)
    before = database.read_bytes()
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        from nexus_tui.screens.error import ErrorScreen

        assert isinstance(app.screen, ErrorScreen)
        message = str(app.screen.query_one("#error-message", Static).render())
        assert str(database) in message and "not a nexus-tui database" in message
    assert database.read_bytes() == before


async def test_markup_and_escape_codes_in_user_text_are_shown_as_text(app_paths):
    store = Store.open(app_paths.database)
    seed_default_hub(store)

    def hostile(conn: sqlite3.Connection) -> None:
        stamp = "2026-01-01 00:00:00.000000"
        conn.execute(
            "UPDATE topics SET name = ? WHERE name = 'Python'", ("[bold red]Py[/]\x1b[31m",)
        )
        conn.execute(
            "UPDATE notes SET title = ?, body = ?, updated_at = ? WHERE id = 1",
            ("[link=https://evil]click[/link]", "body \x1b]0;owned\x07 [b]x[/b]", stamp),
        )

    store.write(hostile)
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        labels = tree_labels(app)
        assert "· [bold red]Py[/]␛[31m" in labels
        heading = str(app.screen.query_one("#topic-heading", Static).render())
        assert "[bold red]Py[/]␛[31m" in heading
        notes = option_texts(app, "#note-list")
        assert any("[link=https://evil]click[/link]" in text for text in notes)
        assert "\x1b" not in markdown_source(app, "#note-view")
        assert "␛]0;owned␇" in markdown_source(app, "#note-view")


async def test_remove_default_hub_from_the_palette_command(app_paths):
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.confirm_remove_default_hub()
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert tree_labels(app) == []
        assert "No topics yet" in str(app.screen.query_one("#topic-heading", Static).render())
        assert "no topics yet" in markdown_source(app, "#note-view")


async def test_cancelling_remove_default_hub_keeps_everything(app_paths):
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        count = len(tree_labels(app))
        app.confirm_remove_default_hub()
        await pilot.pause()
        await pilot.press("escape")
        await settle(pilot)
        assert len(tree_labels(app)) == count > 0


async def test_the_title_line_names_the_screen_and_its_icon_opens_the_palette(app_paths):
    from textual.command import CommandPalette

    from nexus_tui.widgets.title_bar import TitleBar

    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        line = str(app.screen.query_one(TitleBar).render())
        assert line.startswith(" ⭘") and line.strip().endswith("nexus-tui — Topics")
        await pilot.press("2")
        await settle(pilot)
        assert str(app.screen.query_one(TitleBar).render()).strip().endswith("— Challenges")
        await pilot.click(TitleBar, offset=(40, 0))
        await pilot.pause()
        assert not isinstance(app.screen, CommandPalette)
        await pilot.click(TitleBar, offset=(1, 0))
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)


async def test_palette_offers_every_screen_and_action(app_paths):
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for expected in (
            "Show Topics",
            "Show Challenges",
            "Show Collaborators",
            "Show CI",
            "Refresh",
            "Show keys",
            "Remove the default hub",
            "Theme",
            "Quit",
            "Search",
            "New",
            "Edit",
            "Delete",
            "Pin",
            "Status",
        ):
            assert expected in titles
        # A screen's command does what its key does.
        status = next(c for c in app.get_system_commands(app.screen) if c.title == "Status")
        await status.callback()
        await settle(pilot)
        assert "learning" in str(app.screen.query_one("#topic-heading", Static).render())


async def test_keys_can_be_remapped_from_the_config(app_paths):
    app = make_app(app_paths, Settings(keys={"show-challenges": "c"}))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert app.current_mode == "challenges"


async def test_enter_goes_into_the_details_and_escape_comes_back(app_paths):
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.focused.id == "topic-tree"
        await pilot.press("enter")
        assert app.focused.id == "note-list"
        await pilot.press("enter")
        assert app.focused.id == "note-view"
        await pilot.press("escape", "escape")
        assert app.focused.id == "topic-tree"
        await pilot.press("escape")
        assert app.focused.id == "topic-tree"


async def test_quick_moves_never_leave_another_topics_notes_on_screen(app_paths):
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.screen.query_one("#topic-tree").focus()
        # Python -> Django -> DRF -> GraphQL -> the next category's row, without waiting.
        await pilot.press("j", "j", "j", "j")
        await settle(pilot)
        heading = str(app.screen.query_one("#topic-heading", Static).render())
        assert heading.startswith("Backend & Infrastructure Tools")
        assert option_texts(app, "#note-list") == []
        assert markdown_source(app, "#note-view") == "Choose a topic to see its notes."
        await pilot.press("j")
        await settle(pilot)
        assert "PostgreSQL" in markdown_source(app, "#note-view")


async def test_a_database_error_keeps_its_dialog_until_quit(app_paths):
    if is_postgres_url(app_paths.database):
        # A server that refuses the login.
        from test_cli import with_password

        app_paths = app_paths._replace(database=with_password(app_paths.database, "wrong"))
    else:
        app_paths.data_dir.mkdir(parents=True)
        (app_paths.data_dir / "nexus.db").write_text("not a database\n")
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        from nexus_tui.screens.error import ErrorScreen

        await pilot.press("escape", "2", "question_mark")
        await pilot.pause()
        assert isinstance(app.screen, ErrorScreen)
        assert app.current_mode == "topics"
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def open_search(pilot):
    """The search dialog, opened with `/` once the app has settled."""
    from nexus_tui.screens.search import SearchScreen

    await settle(pilot)
    await pilot.press("slash")
    await pilot.pause()
    assert isinstance(pilot.app.screen, SearchScreen)
    return pilot.app.screen


async def search_for(pilot, text: str):
    from textual.widgets import Input

    dialog = await open_search(pilot)
    dialog.query_one(Input).value = text
    await settle(pilot)
    return dialog.results


async def test_slash_finds_a_note_as_you_type_and_enter_opens_it(app_paths):
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        results = await search_for(pilot, "select_rel")
        assert results[0].kind == "note"
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_mode == "topics"
        assert "select_related" in markdown_source(app, "#note-view")
        heading = str(app.screen.query_one("#topic-heading", Static).render())
        assert heading.startswith("Query optimization")
        assert app.focused.id == "note-list"


async def test_a_typed_letter_is_drawn_with_its_results_and_not_before(app_paths, monkeypatch):
    # The frame is held for the results (a hold far longer than any search here): the first
    # frame after the key has both, and it comes when the results do, not when the hold ends.
    from nexus_tui.screens import search as search_screen

    monkeypatch.setattr(search_screen, "PAINT_HOLD_SECONDS", 30.0)
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await search_for(pilot, "")
        dialog = app.screen
        frames: list[tuple[str, int]] = []
        on_each_frame(
            app,
            lambda: frames.append((dialog.query_one("#search-input").value, len(dialog.results))),
        )
        await pilot.press("p")
        for _ in range(200):
            if frames:
                break
            await asyncio.sleep(0.01)
        assert frames, "no frame within 2 s of the results: the frame waited for the hold"
        assert frames[0][0] == "p"
        assert frames[0][1] > 0


async def test_search_results_open_challenges_and_people_on_their_screens(app_paths):
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        results = await search_for(pilot, "docker compose")
        assert results[0].kind == "challenge"
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_mode == "challenges"
        assert "Mastering Docker" in markdown_source(app, "#challenge-view")

        results = await search_for(pilot, "frontend learners")
        index = next(i for i, r in enumerate(results) if r.kind == "collaborator")
        await pilot.press("down", *["j"] * index, "enter")
        await settle(pilot)
        assert app.current_mode == "collaborators"
        assert "ProDev Frontend Learners" in markdown_source(app, "#collaborator-view")


async def test_search_takes_any_text_and_says_when_nothing_is_found(app_paths):
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for hostile in ('"(', "-*:^", "[/]", "🚀" * 50, "zzqx NEAR(docker"):
            results = await search_for(pilot, hostile)
            assert results == []
            status = str(app.screen.query_one("#search-status", Static).render())
            assert status == "Nothing found."
            await pilot.press("escape")
            await pilot.pause()
        # Query syntax is searched as plain words: "or" is found where the notes say "or".
        results = await search_for(pilot, "AND OR")
        assert results
        status = str(app.screen.query_one("#search-status", Static).render())
        assert status == f"{len(results)} found"
        await pilot.press("escape")
        await pilot.pause()
        assert app.current_mode == "topics"


async def test_s_cycles_a_topics_learning_status_and_the_category_shows_progress(app_paths):
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert tree_labels(app)[0] == "Programming & Frameworks  ▱▱▱▱ 0/4"
        await pilot.press("s")
        await settle(pilot)
        assert "learning" in str(app.screen.query_one("#topic-heading", Static).render())
        await pilot.press("s", "s")
        await settle(pilot)
        heading = str(app.screen.query_one("#topic-heading", Static).render())
        assert heading.startswith("Python") and "confident" in heading
        assert tree_labels(app)[:2] == ["Programming & Frameworks  ▰▱▱▱ 1/4", "● Python"]
        await pilot.press("s")
        await settle(pilot)
        assert "not started" in str(app.screen.query_one("#topic-heading", Static).render())
    # Saved: a new window sees it.
    store = Store.open(app_paths.database)
    statuses = store.read(lambda conn: conn.execute("SELECT status FROM topics").fetchall())
    assert {status for (status,) in statuses} == {"not_started"}


async def test_typing_during_a_search_searches_the_last_text_next(app_paths):
    from textual.widgets import Input

    app = make_app(app_paths)
    searched: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await open_search(pilot)
        gate = threading.Event()
        store = dialog.store

        class HeldStore:
            """Holds every search until the test has typed everything."""

            def connect(self):
                return store.connect()

            def read_on(self, conn, query, *args):
                gate.wait(10)
                return store.read_on(conn, query, *args)

        dialog.store = HeldStore()
        original = dialog.run_search
        dialog.run_search = lambda text: (searched.append(text), original(text))
        box = dialog.query_one(Input)
        for text in ("d", "do", "doc", "dock", "docke", "docker"):
            box.value = text
            await pilot.pause()
        gate.set()
        await settle(pilot)
        # The first letter was searched at once; what came while it ran, only as its last text.
        assert searched == ["d", "docker"]
        assert dialog.results and all(
            "docker" in (r.title + r.snippet).lower() for r in dialog.results
        )


async def test_a_search_ended_by_a_late_stop_is_run_again_on_a_new_connection(app_paths):
    # A stop sent to the search before can land in the next one (PostgreSQL sends it on a
    # connection of its own, and a loaded machine delays it): that search failed, not stopped
    # for newer text, and the box showed nothing for what it held.
    from textual.widgets import Input

    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await open_search(pilot)
        store = dialog.store
        connections = []

        class LateStop:
            """Its first search ends as a late stop would end it."""

            stopped = False

            def connect(self):
                connections.append(store.connect())
                return connections[-1]

            def read_on(self, conn, query, *args):
                if not LateStop.stopped:
                    LateStop.stopped = True
                    raise StoreError("canceling statement due to user request")
                return store.read_on(conn, query, *args)

        dialog.store = LateStop()
        dialog.query_one(Input).value = "docker"
        await settle(pilot)
        assert dialog.results and all(
            "docker" in (r.title + r.snippet).lower() for r in dialog.results
        )
        assert len(connections) == 2  # the first, which the stop could still reach, left


async def test_a_newer_query_stops_a_long_search(app_paths, monkeypatch):
    from textual.widgets import Input

    import nexus_tui.store.search as search_module

    real_search = search_module.search
    stopped: list[str] = []

    def search(conn, text, limit):
        if text != "slow":
            return real_search(conn, text, limit)
        # A query that would run for minutes unless interrupted.
        endless = (
            "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT max(x) FROM n"
        )
        try:
            conn.execute(endless).fetchall()
        except Exception as error:  # sqlite3's OperationalError, psycopg's QueryCanceled
            stopped.append(str(error).splitlines()[0])
            raise
        return []

    monkeypatch.setattr(search_module, "search", search)
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        box = (await open_search(pilot)).query_one(Input)
        box.value = "slow"
        await pilot.pause(0.2)
        box.value = "docker"
        await settle(pilot)
        # SQLite's words for an interrupted query, and PostgreSQL's for a cancelled one.
        assert stopped in (["interrupted"], ["canceling statement due to user request"])
        assert app.screen.results and app.screen.results[0].title
        assert "found" in str(app.screen.query_one("#search-status").render())


async def test_the_search_dialog_keeps_one_connection_and_closes_it_with_itself(app_paths):
    from textual.widgets import Input

    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await open_search(pilot)
        box = dialog.query_one(Input)
        box.value = "dock"
        await settle(pilot)
        connection = dialog.connection
        assert connection is not None and dialog.results
        box.value = "python"
        await settle(pilot)
        assert dialog.connection is connection and dialog.results
        await pilot.press("escape")
        await settle(pilot)
        assert dialog.connection is None
        closed_errors: tuple[type[Exception], ...] = (sqlite3.ProgrammingError,)
        if app_paths.database.startswith("postgresql"):
            import psycopg

            closed_errors = (psycopg.OperationalError,)
        with pytest.raises(closed_errors):
            connection.execute("SELECT 1")


async def test_closing_the_dialog_during_a_long_search_stops_it_and_closes(app_paths, monkeypatch):
    from textual.widgets import Input

    import nexus_tui.store.search as search_module

    endless = "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT max(x) FROM n"
    started = threading.Event()
    connections = []

    def search(conn, text, limit):
        connections.append(conn)
        started.set()
        # The dialog is closed before the statement starts: an interrupt then stops nothing, so
        # the dialog must ask again once it runs.
        time.sleep(0.2)
        conn.execute(endless).fetchall()
        return []

    monkeypatch.setattr(search_module, "search", search)
    app = make_app(app_paths)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            dialog = await open_search(pilot)
            dialog.query_one(Input).value = "slow"
            assert await asyncio.to_thread(started.wait, 5)
            await pilot.press("escape")
            for _ in range(500):
                if dialog.connection is None:
                    break
                await pilot.pause(0.01)
            assert dialog.connection is None, "the search still runs 5 s after the dialog closed"
            await settle(pilot)
            # The app goes on: no error was reported for the stopped search.
            assert not [n for n in app._notifications if n.severity == "error"]
    finally:
        for conn in connections:  # a failed run must not leave the query running
            with contextlib.suppress(Exception):
                conn.interrupt()


async def type_into(pilot, selector: str, text: str) -> None:
    from textual.widgets import Input, TextArea

    widget = pilot.app.screen.query_one(selector)
    if isinstance(widget, Input):
        widget.value = text
    else:
        assert isinstance(widget, TextArea)
        widget.text = text
    await pilot.pause()


async def test_n_writes_a_new_note_on_the_topic(app_paths):
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        await type_into(pilot, "#note-title", "Decorators [with] *args")
        await type_into(pilot, "#note-tags", "#python, Decorators")
        await type_into(pilot, "#note-text", "functools.wraps keeps the name.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert any("Decorators [with] *args" in text for text in option_texts(app, "#note-list"))
        assert "functools.wraps keeps the name." in markdown_source(app, "#note-view")
        assert "Python" in str(app.screen.query_one("#topic-heading", Static).render())
        assert "2 notes" in str(app.screen.query_one("#topic-heading", Static).render())
    store = Store.open(app_paths.database)
    tags = note_field(store, "tags", "Decorators [with] *args")
    assert tags == '["python", "decorators"]'


async def test_the_activity_chart_counts_notes_per_week_and_follows_changes(app_paths):
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        chart = app.screen.query_one("#activity")
        # The default hub is written at the first start: all of it this week.
        assert chart.border_subtitle == "45 this week · 45 in 26 weeks"
        bars = chart.data
        assert len(bars) == 26 and bars[-1] == 45 and sum(bars) == 45
        await pilot.press("n")
        await pilot.pause()
        await type_into(pilot, "#note-title", "One more")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert chart.border_subtitle == "46 this week · 46 in 26 weeks"


async def test_the_editor_says_what_is_wrong_and_keeps_what_was_typed(app_paths):
    from nexus_tui.screens.note_editor import NoteEditor

    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        await type_into(pilot, "#note-text", "a body worth keeping")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        assert str(app.screen.query_one("#note-problem", Static).render()) == (
            "A note needs a title."
        )
        await type_into(pilot, "#note-title", "Fine")
        await type_into(pilot, "#note-tags", "not/a/tag")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "single word" in str(app.screen.query_one("#note-problem", Static).render())
        assert app.screen.query_one("#note-text").text == "a body worth keeping"
        # Escape with changes asks first; "n" keeps the editor open.
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)


async def test_e_edits_the_note_and_an_edit_made_elsewhere_is_never_overwritten(app_paths):
    from nexus_tui.screens.confirm import ConfirmScreen
    from nexus_tui.screens.note_editor import NoteEditor

    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.query_one("#note-title").value == "Python for backend work"
        # Meanwhile another window saves the same note.
        other = Store.open(app_paths.database)
        other.write(
            lambda conn: conn.execute(
                "UPDATE notes SET body = 'theirs', updated_at = '2026-11-26 10:00:00.000000' "
                "WHERE title = 'Python for backend work'"
            )
        )
        await type_into(pilot, "#note-text", "mine")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        # Their text is saved; mine is back in the editor, nothing lost.
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.query_one("#note-text").text == "mine"
        body = note_field(other, "body", "Python for backend work")
        assert body == "theirs"
        # Saving again now is on top of their version: no conflict.
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert markdown_source(app, "#note-view").endswith("mine")
    body = note_field(other, "body", "Python for backend work")
    assert body == "mine"


async def test_d_deletes_a_note_after_asking_and_u_brings_it_back(app_paths):
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert option_texts(app, "#note-list")[0].startswith("Python for backend work")
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("n")  # no: nothing happens
        await settle(pilot)
        assert option_texts(app, "#note-list")[0].startswith("Python for backend work")
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert option_texts(app, "#note-list") == []
        assert "0 notes" in str(app.screen.query_one("#topic-heading", Static).render())
        await pilot.press("u")
        await settle(pilot)
        assert option_texts(app, "#note-list")[0].startswith("Python for backend work")
        assert "Python is the language" in markdown_source(app, "#note-view")
    store = Store.open(app_paths.database)
    count = store.read(
        lambda conn: conn.execute(
            "SELECT count(*) FROM notes WHERE title = 'Python for backend work' "
            "AND origin = 'default'"
        ).fetchone()[0]
    )
    assert count == 1


async def test_p_pins_a_note_to_the_top_of_its_topic(app_paths):
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        await type_into(pilot, "#note-title", "Another note")
        await pilot.press("ctrl+s")
        await settle(pilot)
        notes = option_texts(app, "#note-list")
        assert len(notes) == 2 and not any(text.startswith("📌") for text in notes)
        # Pin the one that is listed second.
        app.screen.query_one("#note-list").focus()
        await pilot.press("g", "j", "p")
        await settle(pilot)
        pinned = notes[1].split("  ")[0]
        assert option_texts(app, "#note-list")[0].startswith(f"📌 {pinned}")
        await pilot.press("p")
        await settle(pilot)
        assert not any(text.startswith("📌") for text in option_texts(app, "#note-list"))


async def test_a_topic_lists_the_challenges_linked_to_it(app_paths):
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        tree = app.screen.query_one("#topic-tree", Tree)
        docker = next(
            leaf
            for category in tree.root.children
            for leaf in category.children
            if leaf.data is not None and leaf.data.name == "Docker & Containerization"
        )
        tree.move_cursor(docker)
        await settle(pilot)
        line = app.screen.query_one("#topic-challenges", Static)
        assert line.display
        assert "Mastering Docker and containerized deployments" in str(line.render())
        # A topic without challenges shows no line for them.
        tree.move_cursor(tree.root.children[0].children[0])
        await settle(pilot)
        assert not line.display


async def test_long_lived_objects_are_set_aside_from_the_collector_until_the_app_ends(app_paths):
    import gc

    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.set_aside_live_objects()
        assert gc.get_freeze_count() > 0
        # The screens go on working with their objects set aside.
        await pilot.press("2")
        await settle(pilot)
        assert app.current_mode == "challenges"
    assert gc.get_freeze_count() == 0
