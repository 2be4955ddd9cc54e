"""The main screens and the search dialog on small terminals (80x24, 60x20), resizing mid-use,
and NO_COLOR.

After a deliberate change: `uv run pytest tests/test_snapshots_small.py --snapshot-update`, then
look at every changed SVG: the tree and the list must be in sight, the key bar readable, nothing
drawn over anything else.
"""

from __future__ import annotations

import pytest
from conftest import settle
from test_snapshots import press_then_settle, snapshot_app, steady_cursors
from textual.widgets import Input

from nexus_tui.config import GithubSettings, Settings

SMALL_SIZES = {"80x24": (80, 24), "60x20": (60, 20)}
WATCHED = Settings(github=GithubSettings(repos=("alx-learner/alx-project-nexus", "me/api")))


@pytest.fixture(params=list(SMALL_SIZES))
def size(request) -> tuple[int, int]:
    return SMALL_SIZES[request.param]


def test_topics_screen(snap_compare, tmp_path, size):
    assert snap_compare(snapshot_app(tmp_path), terminal_size=size, run_before=settle)


def test_challenges_screen(snap_compare, tmp_path, size):
    assert snap_compare(
        snapshot_app(tmp_path), terminal_size=size, run_before=press_then_settle("2")
    )


def test_collaborators_screen(snap_compare, tmp_path, size):
    assert snap_compare(
        snapshot_app(tmp_path), terminal_size=size, run_before=press_then_settle("3", "j")
    )


def test_ci_screen(snap_compare, tmp_path, size):
    assert snap_compare(
        snapshot_app(tmp_path, WATCHED), terminal_size=size, run_before=press_then_settle("4")
    )


def test_search_dialog(snap_compare, tmp_path, size):
    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("slash")
        await settle(pilot)
        pilot.app.screen.query_one(Input).value = "docker"
        await settle(pilot)
        steady_cursors(pilot)
        await pilot.pause()

    assert snap_compare(snapshot_app(tmp_path), terminal_size=size, run_before=run_before)


async def test_resizing_mid_use_keeps_the_app_answering(tmp_path):
    app = snapshot_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for size in [(60, 20), (200, 60), (80, 24), (60, 20)]:
            await pilot.resize_terminal(*size)
            await pilot.press("j", "j", "enter", "j")
            await settle(pilot)
            assert app.size == size
            assert app.screen.query_one("KeyBar").region.y == size[1] - 1
        await pilot.press("slash")
        await settle(pilot)
        app.screen.query_one(Input).value = "docker"
        for size in [(120, 40), (60, 20), (200, 60), (80, 24)]:
            await pilot.resize_terminal(*size)
            await settle(pilot)
            assert type(app.screen).__name__ == "SearchScreen"
        # The dialog, then the screens, still answer keys.
        await pilot.press("down", "enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "TopicsScreen"
        await pilot.press("2")
        await settle(pilot)
        assert type(app.screen).__name__ == "ChallengesScreen"
        assert app.screen.has_class("-medium")  # 80 columns


def screen_colours(app) -> set[tuple[int, int, int]]:
    """Every colour of the screen as it is sent to the terminal (see tests/test_faults_text.py
    for why the compositor's update is what is sent)."""
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    colours = set()
    for row in update.strips:
        for strip in row:
            for segment in strip:
                style = segment.style
                for colour in (style.color, style.bgcolor) if style else ():
                    if colour is not None and not colour.is_default:
                        colours.add(tuple(colour.get_truecolor()))
    return colours


@pytest.mark.parametrize("keys", [(), ("2",), ("3",), ("4",), ("slash",)])
async def test_no_color_leaves_only_greys(tmp_path, monkeypatch, keys):
    monkeypatch.setenv("NO_COLOR", "1")
    app = snapshot_app(tmp_path, WATCHED)
    assert app.no_color
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        colours = screen_colours(app)
        assert colours  # shades are still drawn
        assert {colour for colour in colours if len(set(colour)) > 1} == set()


async def test_without_no_color_there_is_colour(tmp_path, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    app = snapshot_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert any(len(set(colour)) > 1 for colour in screen_colours(app))
