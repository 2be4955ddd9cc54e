"""How every screen and dialog looks at 120x40, compared with the reviewed SVGs in __snapshots__.

After a deliberate change: `uv run pytest tests/test_snapshots.py --snapshot-update`, then look at
every changed SVG before committing it.
"""

from __future__ import annotations

from pathlib import Path

from conftest import make_app, make_paths, settle

from nexus_tui.config import ConfigError, GithubSettings, Settings

SIZE = (120, 40)


def snapshot_paths(tmp_path):
    # The config file is only named on screen, never read or written by these tests; a fixed
    # name keeps the temporary directory out of the pictures.
    return make_paths(tmp_path)._replace(config_file=Path("~/.config/nexus-tui/config.toml"))


def snapshot_app(tmp_path, settings: Settings | None = None, **kwargs):
    return make_app(snapshot_paths(tmp_path), settings, **kwargs)


def steady_cursors(pilot) -> None:
    # A blinking cursor would make the picture depend on the moment it is taken.
    for widget in pilot.app.screen.query("Input, TextArea"):
        widget.cursor_blink = False


def press_then_settle(*keys: str):
    async def run_before(pilot) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        steady_cursors(pilot)
        await pilot.pause()

    return run_before


def test_topics_screen(snap_compare, tmp_path):
    assert snap_compare(snapshot_app(tmp_path), terminal_size=SIZE, run_before=settle)


def test_topics_screen_on_a_note_about_query_optimization(snap_compare, tmp_path):
    async def run_before(pilot) -> None:
        await settle(pilot)
        tree = pilot.app.screen.query_one("#topic-tree")
        node = next(
            leaf
            for category in tree.root.children
            for leaf in category.children
            if leaf.data is not None and leaf.data.name == "Query optimization"
        )
        tree.move_cursor(node)
        await settle(pilot)

    assert snap_compare(snapshot_app(tmp_path), terminal_size=SIZE, run_before=run_before)


def test_challenges_screen(snap_compare, tmp_path):
    assert snap_compare(
        snapshot_app(tmp_path), terminal_size=SIZE, run_before=press_then_settle("2")
    )


def test_collaborators_screen(snap_compare, tmp_path):
    assert snap_compare(
        snapshot_app(tmp_path), terminal_size=SIZE, run_before=press_then_settle("3", "j")
    )


def test_ci_screen_with_nothing_watched(snap_compare, tmp_path):
    assert snap_compare(
        snapshot_app(tmp_path), terminal_size=SIZE, run_before=press_then_settle("4")
    )


def test_ci_screen_with_watched_repositories(snap_compare, tmp_path):
    settings = Settings(github=GithubSettings(repos=("alx-learner/alx-project-nexus", "me/api")))
    assert snap_compare(
        snapshot_app(tmp_path, settings), terminal_size=SIZE, run_before=press_then_settle("4")
    )


def test_keys_dialog(snap_compare, tmp_path):
    assert snap_compare(
        snapshot_app(tmp_path), terminal_size=SIZE, run_before=press_then_settle("question_mark")
    )


def test_remove_default_hub_confirmation(snap_compare, tmp_path):
    async def run_before(pilot) -> None:
        await settle(pilot)
        pilot.app.confirm_remove_default_hub()
        await settle(pilot)

    assert snap_compare(snapshot_app(tmp_path), terminal_size=SIZE, run_before=run_before)


def test_damaged_database_error(snap_compare, tmp_path, monkeypatch):
    # A relative database path, so the message on screen does not name the temporary directory.
    monkeypatch.chdir(tmp_path)
    Path("notes.db").write_text("not a database, just text\n")
    paths = snapshot_paths(tmp_path)._replace(database="notes.db")
    assert snap_compare(make_app(paths), terminal_size=SIZE, run_before=settle)


def test_config_error_notification(snap_compare, tmp_path):
    paths = snapshot_paths(tmp_path)
    error = ConfigError(
        paths.config_file,
        'must be a whole number of seconds, at least 15 (got "soon").',
        line=3,
        key="github.poll_seconds",
    )
    assert snap_compare(
        make_app(paths, Settings(), config_error=error), terminal_size=SIZE, run_before=settle
    )


def test_search_dialog(snap_compare, tmp_path):
    async def run_before(pilot) -> None:
        from textual.widgets import Input

        await settle(pilot)
        await pilot.press("slash")
        await settle(pilot)
        pilot.app.screen.query_one(Input).value = "docker"
        await settle(pilot)
        steady_cursors(pilot)
        await pilot.pause()

    assert snap_compare(snapshot_app(tmp_path), terminal_size=SIZE, run_before=run_before)


def test_note_editor(snap_compare, tmp_path):
    assert snap_compare(
        snapshot_app(tmp_path), terminal_size=SIZE, run_before=press_then_settle("e")
    )
