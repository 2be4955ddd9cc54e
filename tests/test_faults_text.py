"""Hostile text in every field the app shows: markup, escape sequences, control characters, very
long lines, a 5 MB body, right-to-left text, combining marks and emoji. It must be shown as text,
never obeyed, and leave the layout and the app as they were.

The text goes into a real SQLite hub through the store's own import (`apply_import` in one
`Store.write`) and, for the CI screen, through the stand-in GitHub of tests/github_server.py.

What the user sees is read from the screen's compositor: `render_update(full=True,
screen_stack=...)` is the very update Textual writes to the terminal (and what
`export_screenshot` prints into its SVG), as rows of strips of Rich segments. Joining the text of
the segments that are not control segments gives each row exactly as it is sent, so a raw ESC or
other control character in it would reach the terminal; the segments' styles show whether any
markup was obeyed (a link, a click action). The SVG would not do: Rich escapes and re-encodes the
text on the way.
"""

from __future__ import annotations

import re

import pytest
from conftest import FIXED_NOW, make_app, settle
from github_server import FakeGitHub, run, serve_repo
from textual.widgets import Input

from nexus_tui.config import GithubSettings, Settings, save_settings
from nexus_tui.hub.content import (
    CategoryContent,
    ChallengeContent,
    CollaboratorContent,
    HubContent,
    LinkContent,
    NoteContent,
    RepoContent,
    TopicContent,
)
from nexus_tui.screens.base import HubScreen
from nexus_tui.screens.confirm import ConfirmScreen
from nexus_tui.store import Store
from nexus_tui.store.hub_io import apply_import
from nexus_tui.text import safe_text
from nexus_tui.widgets.markdown_view import SHOWN_CHARACTERS

SIZE = WIDTH, HEIGHT = (120, 40)
MARKUP = "[bold]x[/bold] [link=https://evil]y[/link] [/] [@click=app.quit]z[/]"
# Each hostile value, and a part of it that every screen must show as typed (GitHub text loses
# its escape sequences, so for those only what they wrapped is asked for).
HOSTILE = {
    "markup": (MARKUP, "[bold]x[/bold]"),
    "escapes": ("a\x1b[31mred\x1b]8;;http://x\x07link\x1b]8;;\x07\x1b[2Jb", "red"),
    # Without NUL, which an import leaves out (PostgreSQL cannot keep it; see test_hub_io).
    "controls": ("c" + "".join(map(chr, range(1, 32))) + "\x7f\u0085end", "␁"),
    "long-line": ("w" * 50_000, "w" * 20),
    "right-to-left": ("مرحبا بالعالم שלום \u202eevil without end", "שלום"),
    "combining": ("e" + "\u0301" * 20 + "x", "e\u0301\u0301"),
    "emoji": ("👩\u200d👩\u200d👧\u200d👦 🏳️\u200d🌈 👍🏽 ok", "👩\u200d👩\u200d👧\u200d👦"),
}
# What must never reach the terminal: C0 controls, DEL, C1 controls, and the bidirectional
# overrides that would reverse the rest of a row.
RAW_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
SEARCH_WORD = "zebra"
TOKEN = "ghp_textLOOPBACKtoken0123456789abcdefg"


async def instant(seconds: float) -> None:
    """The client's retry pause, without the waiting."""


@pytest.fixture(autouse=True)
def token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GH_TOKEN", TOKEN)


def hostile_hub(value: str, body: str, second_body: str | None = None) -> HubContent:
    """Every field the screens show holds `value`; the long texts hold `body`, the second long
    text of a challenge (solution) or person (API contract) `second_body`, if given."""
    second = body if second_body is None else second_body
    return HubContent(
        categories=[CategoryContent(value)],
        topics=[TopicContent(value, value, notes=[NoteContent(value, body, [value])])],
        challenges=[
            ChallengeContent(
                value, body, second, topics=[value], links=[LinkContent("https://x.org/", value)]
            )
        ],
        collaborators=[CollaboratorContent(value, "backend", value, value, value, body, second)],
        repos=[RepoContent(value, value)],
    )


def serve_hostile_runs(github: FakeGitHub, value: str) -> None:
    evil_run = run(value, workflow_id=1, conclusion="failure", title=value, branch=value)
    evil_run["actor"]["login"] = value
    evil_run["event"] = value
    serve_repo(github, "octo/evil", [evil_run], default_branch=value)


def hostile_app(app_paths, github: FakeGitHub, value: str, body: str, second_body=None):
    Store.open(app_paths.database).write(
        apply_import, hostile_hub(value, body, second_body), FIXED_NOW.replace(tzinfo=None)
    )
    serve_hostile_runs(github, value)
    settings = Settings(github=GithubSettings(api_url=github.url, repos=("octo/evil",)))
    save_settings(app_paths.config_file, settings)
    app = make_app(app_paths, settings, poll_github=True)
    app.ci_poll.client_options["sleep"] = instant
    return app


def screen_rows(app) -> list[list]:
    """The segments of each row of the screen as it is sent to the terminal (see the module's
    docstring), dialogs over the screens under them included."""
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    return [
        [segment for strip in row for segment in strip if not segment.control]
        for row in update.strips
    ]


def row_text(row: list) -> str:
    return "".join(segment.text for segment in row)


def check_screen(app, fragment: str) -> str:
    """Assert that the screen shows `fragment` and only text, with its frame intact; return the
    screen's text."""
    rows = screen_rows(app)
    texts = [row_text(row) for row in rows]
    where = type(app.screen).__name__
    assert len(rows) == HEIGHT, where
    for y, (row, text) in enumerate(zip(rows, texts, strict=True)):
        assert not RAW_CONTROL.search(text), (where, y, text[:200])
        # Every row fills the width exactly: nothing pushed the rest of a row out or wrapped.
        assert sum(segment.cell_length for segment in row) == WIDTH, (where, y, text[:200])
        if y < HEIGHT - 1:  # the key bar's own keys are clickable; nothing else may act
            for segment in row:
                style = segment.style
                assert style is None or not style.link or "evil" not in style.link, (where, y)
                meta = style.meta if style is not None else {}
                assert "app.quit" not in str(meta.get("@click", "")), (where, y, text)
    screen_text = "\n".join(texts)
    assert fragment in screen_text, where
    # The strip and the key bar keep the bottom two lines of the screen under any dialog.
    hub_screen = next(s for s in reversed(app.screen_stack) if isinstance(s, HubScreen))
    strip, key_bar = hub_screen.query_one("CiStrip"), hub_screen.query_one("KeyBar")
    assert (strip.region.y, strip.region.width) == (HEIGHT - 2, WIDTH), where
    assert (key_bar.region.y, key_bar.region.width) == (HEIGHT - 1, WIDTH), where
    assert texts[HEIGHT - 2].startswith(" CI "), where
    return screen_text


async def press(pilot, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


def assert_widths(app, widths: dict[str, int]) -> None:
    for selector, width in widths.items():
        assert app.screen.query_one(selector).outer_size.width == width, selector


@pytest.mark.parametrize("name", list(HOSTILE))
async def test_hostile_text_is_shown_as_text_on_every_screen(app_paths, name):
    value, fragment = HOSTILE[name]
    quits: list[bool] = []
    with FakeGitHub() as github:
        app = hostile_app(app_paths, github, value, f"{SEARCH_WORD} {value}\n\n{value}")
        app.action_quit = lambda: quits.append(True)  # type: ignore[method-assign]
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            check_screen(app, fragment)
            assert_widths(app, {"#topics-side": 46})

            await press(pilot, "enter")  # into the topic's notes: the note is shown
            assert app.screen.focused.id == "note-list"
            shown = check_screen(app, fragment)
            assert SEARCH_WORD in shown
            assert_widths(app, {"#topics-side": 46})

            await press(pilot, "e")
            assert type(app.screen).__name__ == "NoteEditor"
            # The boxes keep the text exactly as stored; only its look is made safe.
            assert app.screen.query_one("#note-title", Input).value == value
            # (Textual's TextArea takes VT, FF, CR and the like for line breaks, as Python does.)
            first_line = f"{SEARCH_WORD} {value}".splitlines()[0]
            assert app.screen.query_one("#note-text").text.startswith(first_line)
            check_screen(app, fragment)
            await press(pilot, "escape")
            if isinstance(app.screen, ConfirmScreen):  # a stored tag the editor would refuse
                await press(pilot, "y")
            assert type(app.screen).__name__ == "TopicsScreen"

            await press(pilot, "2")
            check_screen(app, fragment)
            assert_widths(app, {"#challenge-side": 42})
            assert SEARCH_WORD in check_screen(app, fragment)

            await press(pilot, "3")
            assert SEARCH_WORD in check_screen(app, fragment)
            assert_widths(app, {"#collaborator-list": 42})

            await press(pilot, "4")
            assert "octo/evil" in check_screen(app, fragment)
            assert github.requests_to("/repos/octo/evil/actions/runs")

            await press(pilot, "slash")
            app.screen.query_one(Input).value = SEARCH_WORD
            await settle(pilot)
            assert type(app.screen).__name__ == "SearchScreen"
            check_screen(app, fragment)
            await press(pilot, "escape")

            # Still answering keys, and nothing quit.
            await press(pilot, "1")
            assert type(app.screen).__name__ == "TopicsScreen"
            assert quits == []
            assert app.is_running


async def test_markup_in_a_title_is_not_clickable(app_paths):
    quits: list[bool] = []
    with FakeGitHub() as github:
        app = hostile_app(app_paths, github, MARKUP, "body")
        app.action_quit = lambda: quits.append(True)  # type: ignore[method-assign]
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            texts = [row_text(row) for row in screen_rows(app)]
            # The heading above the notes shows the title; click on the "z" of the action.
            y = next(y for y, text in enumerate(texts) if "[@click=app.quit]z" in text)
            x = texts[y].index("[@click=app.quit]z") + len("[@click=app.quit]")
            await pilot.click(offset=(x, y))
            await settle(pilot)
            assert quits == []
            assert app.is_running


async def test_a_5_mb_body_is_shown_in_part_and_the_app_keeps_answering(app_paths):
    # A pasted log: 5 MB of short lines, each a markdown list item (the costliest block).
    body = "".join(f"- log line {number:06d} \x1b[31m[b]x[/b]\n" for number in range(180_000))
    assert len(body) > 5_000_000
    with FakeGitHub() as github:
        app = hostile_app(app_paths, github, "A long note", body, "short")
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await press(pilot, "enter")
            view = app.screen.query_one("#note-view")
            assert view.source.endswith(safe_text(body))
            shown = check_screen(app, "log line 000000 ␛[31m[b]x[/b]")
            # The end of what is drawn says how much is left out.
            await press(pilot, "tab", "end")
            assert view.has_focus
            shown = check_screen(app, "more characters, too many to show here")
            left_out = re.search(r"… and ([\d,]+) more characters", shown)
            assert left_out is not None
            assert int(left_out[1].replace(",", "")) > len(body) - SHOWN_CHARACTERS
            # Too long for the editor here: it says so, and where to edit it.
            await press(pilot, "e")
            assert type(app.screen).__name__ == "TopicsScreen"
            assert "$EDITOR" in str(list(app._notifications)[-1].message)

            await press(pilot, "2")
            check_screen(app, "log line 000000")
            await press(pilot, "3")
            check_screen(app, "log line 000000")
            await press(pilot, "slash")
            app.screen.query_one(Input).value = "log"
            await settle(pilot)
            check_screen(app, "log line")
            await press(pilot, "escape", "1")
            assert type(app.screen).__name__ == "TopicsScreen"
