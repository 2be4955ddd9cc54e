"""Writing a note: title, tags and a markdown body. Answers the edited fields, or None."""

from __future__ import annotations

import re
from typing import NamedTuple

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static, TextArea

_TAG = re.compile(r"^[\w-]{1,40}$")


class NoteFields(NamedTuple):
    title: str
    tags: list[str]
    body: str


def parse_tags(text: str) -> tuple[list[str], str | None]:
    """Tags from what was typed (spaces or commas between, '#' optional), and any problem."""
    tags: list[str] = []
    for word in re.split(r"[\s,]+", text.strip()):
        word = word.removeprefix("#").lower()
        if not word:
            continue
        if not _TAG.match(word):
            return tags, f"A tag is a single word of letters, digits, - or _: {word[:40]!r}"
        if word not in tags:
            tags.append(word)
    return tags, None


class NoteEditor(ModalScreen[NoteFields | None]):
    CSS_PATH = "note_editor.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="save-note"),
        Binding("escape", "cancel", "Cancel", id="cancel-note"),
    ]

    def __init__(self, heading: str, fields: NoteFields | None = None) -> None:
        super().__init__()
        self.heading = heading
        self.original = fields or NoteFields("", [], "")

    def compose(self) -> ComposeResult:
        with Vertical(id="note-editor") as dialog:
            dialog.border_title = self.heading
            dialog.border_subtitle = "ctrl+s saves · escape cancels"
            yield Input(self.original.title, placeholder="Title", id="note-title")
            yield Input(
                " ".join(self.original.tags), placeholder="Tags, e.g. django orm", id="note-tags"
            )
            yield TextArea(
                self.original.body, id="note-text", soft_wrap=True, tab_behavior="indent"
            )
            yield Static(id="note-problem")

    def fields(self) -> tuple[NoteFields, str | None]:
        title = self.query_one("#note-title", Input).value.strip()
        tags, problem = parse_tags(self.query_one("#note-tags", Input).value)
        body = self.query_one("#note-text", TextArea).text
        if not title:
            problem = "A note needs a title."
        return NoteFields(title, tags, body), problem

    @on(Input.Changed)
    @on(TextArea.Changed)
    def check(self) -> None:
        _, problem = self.fields()
        self.query_one("#note-problem", Static).update(Content(problem or ""))

    def action_save(self) -> None:
        fields, problem = self.fields()
        if problem is None:
            self.dismiss(fields)
        else:
            # Nothing typed is lost: the editor stays open with the problem shown.
            self.query_one("#note-problem", Static).update(Content(problem))

    def action_cancel(self) -> None:
        fields, _ = self.fields()
        if fields == self.original:
            self.dismiss(None)
            return
        from nexus_tui.screens.confirm import ConfirmScreen

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmScreen("Discard your changes?", "What you typed here is lost.", "Discard"),
            answered,
        )
