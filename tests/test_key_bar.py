"""The key bar: the screen's keys in one line, grouped, greyed out when idle, clickable."""

from __future__ import annotations

from conftest import make_app, settle

from nexus_tui.widgets.key_bar import KeyBar


def key_bar_text(app) -> str:
    return app.screen.query_one(KeyBar).render().plain


async def test_the_key_bar_shows_keys_groups_and_the_palette(app_paths):
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        text = key_bar_text(app)
        assert text.startswith(" n New  e Edit  d Delete  s Status ")
        # Keys of one group share the group's description.
        assert " a f2 m x Topic " in text and " 1 2 3 4 Screens " in text
        # The palette's key is at the right end of the line.
        assert text.rstrip().endswith("▏^p palette")
        assert len(text) == 120


async def test_the_key_bar_follows_the_screen_and_its_focus(app_paths):
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert "Mark solved" in key_bar_text(app) or "Reopen" in key_bar_text(app)
        assert " n New " in key_bar_text(app)
        await pilot.press("1")
        await settle(pilot)
        assert " a f2 m x Topic " in key_bar_text(app)


async def test_clicking_a_key_presses_it(app_paths):
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        text = key_bar_text(app)
        await pilot.click(KeyBar, offset=(text.index("? Keys") + 0, 0))
        await settle(pilot)
        assert app.screen.__class__.__name__ == "KeysScreen"


async def test_a_click_between_keys_does_nothing(app_paths):
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        text = key_bar_text(app)
        # The run of spaces before the palette's separator is no key.
        await pilot.click(KeyBar, offset=(text.index("▏") - 2, 0))
        await settle(pilot)
        assert app.screen.__class__.__name__ == "TopicsScreen"


async def test_on_a_narrow_terminal_the_keys_close_up_so_every_one_shows(app_paths):
    app = make_app(app_paths)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = key_bar_text(app)
        assert text.startswith(" n New e Edit d Delete s Status a f2 m x 1 2 3 4 ")
        assert text.rstrip().endswith(" ? Keys q Quit")
        # ctrl+p still opens the palette, and ? names the key groups: both gave way.
        assert "palette" not in text and "Topic" not in text
        assert len(text) <= 80
