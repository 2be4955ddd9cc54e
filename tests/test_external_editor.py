"""`E`: the selected note in the user's $EDITOR, and the file format that carries it there."""

from __future__ import annotations

import contextlib
import os
import shlex
import sys
import textwrap

import pytest
from conftest import make_app, settle

from nexus_tui.drafts import drafts_dir, read_draft
from nexus_tui.editor import (
    EditorProblem,
    edit_text,
    editor_command,
    note_as_text,
    note_from_text,
)
from nexus_tui.store import Store
from nexus_tui.store.seed import seed_default_hub

TITLE = "Python for backend work"


@pytest.mark.parametrize(
    ("title", "tags", "body"),
    [
        ("Decorators", ["python", "functions"], "functools.wraps keeps the name."),
        ("#1 priority", [], ""),
        ("Tags: a title like a tags line", ["x"], "\n\nstarts with blank lines\n\n"),
        ("Ends with newline", ["a"], "body\n"),
        ("Body like a header", ["a"], "Tags: not the tags\n# not the title"),
    ],
)
def test_a_note_comes_back_from_its_file_exactly(title, tags, body):
    parts = note_from_text(note_as_text(title, tags, body))
    assert (parts.title, parts.tags, parts.body) == (title, " ".join(tags), body)


def test_the_file_reads_naturally():
    assert note_as_text("Decorators", ["python"], "Body.") == (
        "# Decorators\nTags: python\n\nBody.\n"
    )


def test_what_users_do_to_the_file_is_understood():
    # The tags line deleted: the tags stay as they were (None); emptied: no tags.
    assert note_from_text("# T\n\nbody\n").tags is None
    assert note_from_text("# T\nTags:\n\nbody\n").tags == ""
    # Blank lines above the title, no space after "#", CRLF turned to LF by the reader.
    assert note_from_text("\n\n#Title\nTAGS: a b\n\nbody").title == "Title"
    assert note_from_text("\n\n#Title\nTAGS: a b\n\nbody").tags == "a b"
    # An editor that drops the final newline loses nothing of the body.
    assert note_from_text("# T\nTags: a\n\nbody").body == "body"
    # A body written straight under the title, no blank line.
    assert note_from_text("# T\nbody line").body == "body line"


def test_visual_wins_over_editor_and_a_missing_program_is_named():
    python = shlex.quote(sys.executable)
    assert editor_command({"VISUAL": f"{python} -u", "EDITOR": "nano"}) == [sys.executable, "-u"]
    assert editor_command({"VISUAL": "  ", "EDITOR": python}) == [sys.executable]
    with pytest.raises(EditorProblem, match=r"Set \$EDITOR"):
        editor_command({})
    with pytest.raises(EditorProblem, match=r"'no-such-editor' \(from \$EDITOR\) was not found"):
        editor_command({"EDITOR": "no-such-editor --wait"})
    with pytest.raises(EditorProblem, match=r"\$VISUAL is not a command line"):
        editor_command({"VISUAL": "vim 'unclosed"})


def test_the_temporary_file_is_removed_whatever_the_editor_does(tmp_path):
    seen: list[str] = []

    def failing(command) -> int:
        seen.append(command[-1])
        return 3

    with pytest.raises(EditorProblem, match="exited with status 3"):
        edit_text("text", ["vi"], failing)

    def writing(command) -> int:
        seen.append(command[-1])
        with open(command[-1], "a", encoding="utf-8") as file:
            file.write("more")
        return 0

    assert edit_text("text", ["vi"], writing) == "textmore"
    assert len(seen) == 2 and all(name.endswith(".md") for name in seen)
    assert not any(os.path.exists(name) for name in seen)


# The app ----------------------------------------------------------------------------------------


def editor_script(tmp_path, body: str) -> str:
    """An $EDITOR: a Python script run on the note's file; it records the file's name."""
    script = tmp_path / "editor.py"
    script.write_text(
        "import pathlib, sys\n"
        "path = pathlib.Path(sys.argv[1])\n"
        f"pathlib.Path({str(tmp_path / 'edited-file')!r}).write_text(str(path))\n"
        + textwrap.dedent(body),
        encoding="utf-8",
    )
    return f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}"


def no_suspending(app, monkeypatch) -> None:
    # The headless test driver cannot hand the terminal over; running the editor needs none.
    monkeypatch.setattr(app, "suspend", contextlib.nullcontext)


def messages(app) -> str:
    return " | ".join(str(notification.message) for notification in app._notifications)


def note_row(paths) -> tuple[str, str, str, str]:
    return Store.open(paths.database).read(
        lambda conn: conn.execute(
            "SELECT title, tags, body, updated_at FROM notes WHERE title LIKE 'Python for%'"
        ).fetchone()
    )


@pytest.fixture
def editor_env(monkeypatch, app_paths):
    # The default hub in place before the app starts, so a test can read the note first.
    seed_default_hub(Store.open(app_paths.database))
    monkeypatch.delenv("VISUAL", raising=False)

    def use(command: str) -> None:
        monkeypatch.setenv("EDITOR", command)

    return use


async def press_and_settle(pilot, key: str) -> None:
    await pilot.press(key)
    await settle(pilot)


async def test_an_edit_made_in_the_editor_is_saved(app_paths, tmp_path, editor_env, monkeypatch):
    editor_env(
        editor_script(
            tmp_path,
            """
            text = path.read_text(encoding="utf-8")
            text = text.replace("# Python for backend work", "# Python for backend work, v2")
            text = text.replace("Tags: ", "Tags: edited ")
            path.write_text(text + "Added in my editor.\\n", encoding="utf-8")
            """,
        )
    )
    before = note_row(app_paths)
    app = make_app(app_paths)
    no_suspending(app, monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press_and_settle(pilot, "E")
        assert "Added in my editor." in app.screen.query_one("#note-view").source
    title, tags, body, updated_at = note_row(app_paths)
    assert title == "Python for backend work, v2"
    assert tags.startswith('["edited"')
    assert body == before[2] + "\nAdded in my editor."
    assert updated_at != before[3]
    # The temporary file is gone, and so is the draft kept while saving.
    assert not (tmp_path / (tmp_path / "edited-file").read_text()).exists()
    assert not list(drafts_dir(app_paths.state_dir).glob("*.json"))


async def test_an_editor_that_fails_saves_nothing(app_paths, tmp_path, editor_env, monkeypatch):
    editor_env(
        editor_script(
            tmp_path,
            """
            path.write_text("# Ruined\\n", encoding="utf-8")
            sys.exit(3)
            """,
        )
    )
    before = note_row(app_paths)
    app = make_app(app_paths)
    no_suspending(app, monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press_and_settle(pilot, "E")
        assert "exited with status 3; nothing was saved" in messages(app)
        assert sys.executable in messages(app)
    assert note_row(app_paths) == before
    assert not (tmp_path / (tmp_path / "edited-file").read_text()).exists()


async def test_no_editor_set_says_what_to_set(app_paths, editor_env, monkeypatch):
    monkeypatch.delenv("EDITOR", raising=False)
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press_and_settle(pilot, "E")
        assert "Set $EDITOR (for example `export EDITOR=nano`)" in messages(app)


async def test_an_untouched_file_saves_nothing(app_paths, tmp_path, editor_env, monkeypatch):
    editor_env(editor_script(tmp_path, "path.write_text(path.read_text())\n"))
    before = note_row(app_paths)
    app = make_app(app_paths)
    no_suspending(app, monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press_and_settle(pilot, "E")
        assert messages(app) == "No changes."
    assert note_row(app_paths) == before


async def test_a_terminal_that_cannot_be_handed_over_is_explained(app_paths, tmp_path, editor_env):
    editor_env(editor_script(tmp_path, "path.write_text('# Changed\\n')\n"))
    before = note_row(app_paths)
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press_and_settle(pilot, "E")
        assert "cannot hand itself over" in messages(app)
    assert note_row(app_paths) == before
    # The editor never ran.
    assert not (tmp_path / "edited-file").exists()


async def test_an_edit_of_a_note_deleted_meanwhile_is_kept_as_a_draft(
    app_paths, tmp_path, editor_env, monkeypatch
):
    # While the editor is open, another window deletes the note.
    editor_env(
        editor_script(
            tmp_path,
            f"""
            from nexus_tui.store import Store
            Store.open({app_paths.database!r}).write(
                lambda conn: conn.execute("DELETE FROM notes WHERE title = ?", ({TITLE!r},))
            )
            path.write_text(path.read_text() + "My addition.\\n")
            """,
        )
    )
    app = make_app(app_paths)
    no_suspending(app, monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press_and_settle(pilot, "E")
        assert "deleted meanwhile" in messages(app)
        assert "kept as a draft" in messages(app)
    [path] = drafts_dir(app_paths.state_dir).glob("*.json")
    draft = read_draft(path)
    assert draft.title == TITLE and draft.body.endswith("My addition.")


async def test_a_title_removed_in_the_editor_goes_to_the_app_editor_to_fix(
    app_paths, tmp_path, editor_env, monkeypatch
):
    from nexus_tui.screens.note_editor import NoteEditor

    editor_env(
        editor_script(
            tmp_path,
            """
            path.write_text("#\\nTags: bad/tag\\n\\nKeep this text.\\n")
            """,
        )
    )
    before = note_row(app_paths)
    app = make_app(app_paths)
    no_suspending(app, monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press_and_settle(pilot, "E")
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.query_one("#note-text").text == "Keep this text."
        assert app.screen.query_one("#note-tags").value == "bad/tag"
        assert "A note needs a title." in messages(app)
    assert note_row(app_paths) == before
