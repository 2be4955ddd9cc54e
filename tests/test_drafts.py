"""Drafts: the files on their own, and the app keeping, offering back and removing them."""

from __future__ import annotations

import json
import logging
import os
import stat
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import FIXED_NOW, make_app, settle
from test_app import type_into

from nexus_tui.drafts import (
    Draft,
    DraftFile,
    SavedDraft,
    discard_draft,
    drafts_dir,
    list_drafts,
    read_draft,
    save_draft,
)
from nexus_tui.store import Store

DATABASE = "/somewhere/nexus.db"


def a_draft(**changes) -> Draft:
    values = {
        "database": DATABASE,
        "note_id": 7,
        "topic_id": 3,
        "topic": "Python",
        "title": "Decorators",
        "tags": "python not/a/tag",
        "body": "functools.wraps\n\nkeeps the name ✓\n",
        "started_from": FIXED_NOW - timedelta(days=1, microseconds=5),
        "saved_at": FIXED_NOW,
    }
    values.update(changes)
    return Draft(**values)


def test_a_saved_draft_reads_back_exactly(tmp_path):
    path = drafts_dir(tmp_path) / "one.json"
    save_draft(path, a_draft())
    assert read_draft(path) == a_draft()
    new_note = a_draft(note_id=None, started_from=None)
    save_draft(path, new_note)
    assert read_draft(path) == new_note


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_draft_files_are_private(tmp_path):
    path = drafts_dir(tmp_path) / "one.json"
    save_draft(path, a_draft())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_drafts_are_listed_for_their_own_database_newest_first(tmp_path):
    folder = drafts_dir(tmp_path)
    save_draft(folder / "old.json", a_draft(title="old", saved_at=FIXED_NOW - timedelta(hours=2)))
    save_draft(folder / "new.json", a_draft(title="new"))
    save_draft(folder / "other.json", a_draft(title="other", database="/elsewhere.db"))
    found = list_drafts(tmp_path, DATABASE)
    assert [saved.draft.title for saved in found] == ["new", "old"]
    assert found[0] == SavedDraft(folder / "new.json", a_draft(title="new"))
    assert list_drafts(tmp_path / "nothing-here", DATABASE) == []
    # A time without a zone (written by hand, say) is UTC, and sorts with the others.
    text = (folder / "old.json").read_text(encoding="utf-8").replace("+00:00", "")
    (folder / "old.json").write_text(text, encoding="utf-8")
    assert [saved.draft.title for saved in list_drafts(tmp_path, DATABASE)] == ["new", "old"]


def test_unreadable_draft_files_are_skipped_logged_and_kept(tmp_path, caplog):
    folder = drafts_dir(tmp_path)
    save_draft(folder / "good.json", a_draft())
    good = json.loads((folder / "good.json").read_text(encoding="utf-8"))
    damaged = {
        "half.json": '{"format": 1, "title": "cut off',
        "list.json": "[1, 2, 3]",
        "future.json": json.dumps({**good, "format": 99}),
        "wrong.json": json.dumps({**good, "topic_id": "3"}),
        "bool.json": json.dumps({**good, "note_id": True}),
        "date.json": json.dumps({**good, "saved_at": "x"}),
    }
    for name, text in damaged.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "latin1.json").write_bytes(b'{"title": "caf\xe9"}')
    with caplog.at_level(logging.WARNING, logger="nexus_tui.drafts"):
        found = list_drafts(tmp_path, DATABASE)
    assert [saved.path.name for saved in found] == ["good.json"]
    logged = caplog.text
    for name in [*damaged, "latin1.json"]:
        assert name in logged
        assert (folder / name).exists()


def test_a_failed_save_leaves_the_previous_draft_whole(tmp_path, monkeypatch):
    path = drafts_dir(tmp_path) / "one.json"
    save_draft(path, a_draft(body="first version"))

    def no_replace(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", no_replace)
    with pytest.raises(OSError):
        save_draft(path, a_draft(body="second version"))
    monkeypatch.undo()
    assert read_draft(path).body == "first version"
    # The half-done temporary file is gone too.
    assert sorted(p.name for p in path.parent.iterdir()) == ["one.json"]


def test_discarding_a_missing_draft_is_fine(tmp_path):
    discard_draft(tmp_path / "never-written.json")
    assert not (tmp_path / "never-written.json").exists()


def new_draft_file(tmp_path) -> DraftFile:
    return DraftFile.new(
        tmp_path, database=DATABASE, note_id=7, topic_id=3, topic="Python", started_from=None
    )


def test_an_older_save_finishing_late_never_replaces_a_newer_one(tmp_path):
    draft = new_draft_file(tmp_path)
    older, newer = draft.next_version(), draft.next_version()
    assert draft.save("t", "", "newer text", FIXED_NOW, newer)
    assert not draft.save("t", "", "older text", FIXED_NOW, older)
    assert read_draft(draft.path).body == "newer text"
    assert draft.holds("t", "", "newer text")


def test_a_discarded_draft_is_never_written_again(tmp_path):
    draft = new_draft_file(tmp_path)
    draft.save("t", "", "text", FIXED_NOW)
    draft.discard()
    assert not draft.path.exists()
    assert not draft.save("t", "", "text again", FIXED_NOW)
    assert not draft.path.exists()


def test_a_cleared_draft_goes_on(tmp_path):
    draft = new_draft_file(tmp_path)
    draft.save("t", "", "text", FIXED_NOW)
    draft.clear()
    assert not draft.path.exists()
    assert draft.save("t", "", "typed again", FIXED_NOW)
    assert read_draft(draft.path).body == "typed again"


def test_a_draft_found_on_disk_carries_on_in_the_same_file(tmp_path):
    path = drafts_dir(tmp_path) / "kept.json"
    save_draft(path, a_draft())
    kept = DraftFile.of(SavedDraft(path, read_draft(path)))
    assert kept.holds("Decorators", "python not/a/tag", "functools.wraps\n\nkeeps the name ✓\n")
    kept.save("Decorators", "python", "more", FIXED_NOW)
    assert read_draft(path) == a_draft(tags="python", body="more")


# The app ----------------------------------------------------------------------------------------


def draft_files(paths) -> list[Path]:
    folder = drafts_dir(paths.state_dir)
    return sorted(folder.glob("*.json")) if folder.exists() else []


def note_body(paths, title: str) -> str | None:
    row = Store.open(paths.database).read(
        lambda conn: conn.execute("SELECT body FROM notes WHERE title = ?", (title,)).fetchone()
    )
    return row[0] if row else None


async def wait_for_draft(pilot) -> None:
    from nexus_tui.screens.note_editor import DRAFT_PAUSE

    await pilot.pause(DRAFT_PAUSE * 3)
    await settle(pilot)


async def test_typing_in_the_editor_keeps_a_draft_and_saving_removes_it(app_paths):
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        await wait_for_draft(pilot)
        assert draft_files(app_paths) == []  # nothing typed, nothing kept
        await type_into(pilot, "#note-text", "a thought worth keeping")
        await wait_for_draft(pilot)
        [path] = draft_files(app_paths)
        draft = read_draft(path)
        assert draft.body == "a thought worth keeping"
        assert draft.title == "Python for backend work"
        assert draft.database == app_paths.database
        assert draft.topic == "Python" and draft.note_id is not None
        assert draft.started_from is not None
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert draft_files(app_paths) == []
    assert note_body(app_paths, "Python for backend work") == "a thought worth keeping"


async def test_typing_back_to_the_saved_text_removes_the_draft(app_paths):
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        title = app.screen.query_one("#note-title").value
        await type_into(pilot, "#note-title", "changed")
        await wait_for_draft(pilot)
        assert len(draft_files(app_paths)) == 1
        await type_into(pilot, "#note-title", title)
        await wait_for_draft(pilot)
        assert draft_files(app_paths) == []


async def test_escape_and_discard_removes_the_draft(app_paths):
    from nexus_tui.screens.note_editor import NoteEditor

    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await type_into(pilot, "#note-title", "Half an idea")
        await wait_for_draft(pilot)
        assert read_draft(draft_files(app_paths)[0]).note_id is None
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert not isinstance(app.screen, NoteEditor)
        assert draft_files(app_paths) == []


async def test_a_draft_left_at_quit_is_offered_restored_and_saved(app_paths):
    from nexus_tui.screens.draft_recovery import DraftRecoveryScreen
    from nexus_tui.screens.note_editor import NoteEditor

    first = make_app(app_paths)
    async with first.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        await type_into(pilot, "#note-tags", "python not/a/tag")
        await type_into(pilot, "#note-text", "written, then the app quit")
        # Quit before the pause is over: the last typing is kept all the same.
    [path] = draft_files(app_paths)

    second = make_app(app_paths)
    async with second.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(second.screen, DraftRecoveryScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(second.screen, NoteEditor)
        assert second.screen.query_one("#note-text").text == "written, then the app quit"
        # Even tags that do not parse yet come back as typed.
        assert second.screen.query_one("#note-tags").value == "python not/a/tag"
        await type_into(pilot, "#note-tags", "python")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(second.screen, NoteEditor)
        assert not path.exists()
    assert note_body(app_paths, "Python for backend work") == "written, then the app quit"

    third = make_app(app_paths)
    async with third.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert not isinstance(third.screen, DraftRecoveryScreen)


async def test_a_restored_draft_meets_an_edit_made_since_with_the_conflict_question(app_paths):
    from nexus_tui.screens.confirm import ConfirmScreen

    first = make_app(app_paths)
    async with first.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        await type_into(pilot, "#note-text", "mine, from the draft")
    Store.open(app_paths.database).write(
        lambda conn: conn.execute(
            "UPDATE notes SET body = 'theirs', updated_at = '2026-11-26 10:00:00.000000' "
            "WHERE title = 'Python for backend work'"
        )
    )
    second = make_app(app_paths)
    async with second.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(second.screen, ConfirmScreen)
        assert note_body(app_paths, "Python for backend work") == "theirs"
        # Until the user has chosen, the draft is still there.
        assert len(draft_files(app_paths)) == 1
        await pilot.press("y")
        await settle(pilot)
        assert draft_files(app_paths) == []
    assert note_body(app_paths, "Python for backend work") == "mine, from the draft"


async def test_a_new_note_draft_is_restored_as_a_new_note(app_paths):
    first = make_app(app_paths)
    async with first.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await type_into(pilot, "#note-title", "Generators")
        await type_into(pilot, "#note-text", "yield from")
        await wait_for_draft(pilot)
    second = make_app(app_paths)
    async with second.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert second.screen.query_one("#note-title").value == "Generators"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert draft_files(app_paths) == []
    assert note_body(app_paths, "Generators") == "yield from"


async def test_escape_keeps_drafts_for_later_and_d_discards_one_after_asking(app_paths):
    from nexus_tui.screens.confirm import ConfirmScreen
    from nexus_tui.screens.draft_recovery import DraftRecoveryScreen

    folder = drafts_dir(app_paths.state_dir)
    for name, title in (("a.json", "First"), ("b.json", "Second")):
        save_draft(folder / name, a_draft(database=app_paths.database, title=title, note_id=None))
    (folder / "broken.json").write_text("{ not json", encoding="utf-8")

    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DraftRecoveryScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, DraftRecoveryScreen)
    assert len(draft_files(app_paths)) == 3

    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DraftRecoveryScreen)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert len(draft_files(app_paths)) == 3
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, DraftRecoveryScreen)
        options = app.screen.query_one("#drafts-list")
        assert options.option_count == 1
        # The damaged file is never deleted: it may still hold someone's words.
        assert (folder / "broken.json").exists()
    assert len(draft_files(app_paths)) == 2


async def test_a_draft_that_cannot_be_written_is_said_once_and_saving_still_works(app_paths):
    # A file where the state folder should be: no draft can be written below it.
    app_paths.state_dir.parent.mkdir(parents=True, exist_ok=True)
    app_paths.state_dir.write_text("in the way", encoding="utf-8")
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        await type_into(pilot, "#note-text", "first")
        await wait_for_draft(pilot)
        await type_into(pilot, "#note-text", "second")
        await wait_for_draft(pilot)
        titles = [str(notification.title) for notification in app._notifications]
        assert titles.count("No draft") == 1
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert note_body(app_paths, "Python for backend work") == "second"
