"""Writing a note: title, tags and a markdown body. Answers the edited fields, or None.

While the text differs from the saved note, it is kept as a draft file (see `nexus_tui.drafts`)
each time the typing pauses, so quitting or a crash loses nothing. The draft is removed by whoever
saves the note, or here when the user discards the edit.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, NamedTuple

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, Static, TextArea

from nexus_tui.widgets.text_boxes import ControlPictures, SafeTextArea

if TYPE_CHECKING:
    from nexus_tui.drafts import DraftFile

log = logging.getLogger(__name__)

_TAG = re.compile(r"^[\w-]{1,40}$")
DRAFT_PAUSE = 0.5  # seconds of no typing before the draft is written


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


def fields_of(typed: tuple[str, str, str]) -> tuple[NoteFields, str | None]:
    """The note in the three boxes, and what is wrong with it if anything."""
    title, tags_text, body = typed
    tags, problem = parse_tags(tags_text)
    if not title.strip():
        problem = "A note needs a title."
    return NoteFields(title.strip(), tags, body), problem


def typed_text(fields: NoteFields, tags_text: str | None = None) -> tuple[str, str, str]:
    """The note as its three boxes show it."""
    tags = " ".join(fields.tags) if tags_text is None else tags_text
    return fields.title, tags, fields.body


class NoteEditor(ModalScreen[NoteFields | None]):
    CSS_PATH = "note_editor.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="save-note"),
        Binding("escape", "cancel", "Cancel", id="cancel-note"),
    ]

    def __init__(
        self,
        heading: str,
        fields: NoteFields | None = None,
        *,
        tags_text: str | None = None,
        saved: NoteFields | None = None,
        draft: DraftFile | None = None,
    ) -> None:
        """`fields` is the text to start from, with `tags_text` for tags as typed (which may not
        parse yet); `saved` is the note as stored, when that differs (a restored draft, an edit
        that met a conflict); `draft` keeps the text while typing."""
        super().__init__()
        self.heading = heading
        start = fields or NoteFields("", [], "")
        self.start_typed = typed_text(start, tags_text)
        self.saved = saved or start
        self.saved_typed = typed_text(self.saved)
        self.latest_typed = self.start_typed
        self.draft = draft
        self.draft_timer: Timer | None = None
        self.closed_by_user = False
        self.told_draft_failed = False
        """Saved or discarded: the draft is then the business of whoever answered."""

    def compose(self) -> ComposeResult:
        with Vertical(id="note-editor") as dialog:
            dialog.border_title = self.heading
            dialog.border_subtitle = "ctrl+s saves · escape cancels"
            title, tags, body = self.start_typed
            # The boxes draw control characters in the stored text as symbols (text_boxes).
            yield Input(title, placeholder="Title", id="note-title", highlighter=ControlPictures())
            yield Input(
                tags,
                placeholder="Tags, e.g. django orm",
                id="note-tags",
                highlighter=ControlPictures(),
            )
            # Markdown highlighting needs the tree-sitter grammar (a dependency); without it
            # Textual shows the text plain, which is still a working editor.
            yield SafeTextArea(
                body, id="note-text", soft_wrap=True, tab_behavior="indent", language="markdown"
            )
            yield Static(id="note-problem")

    def fields(self) -> tuple[NoteFields, str | None]:
        return fields_of(self.typed())

    def typed(self) -> tuple[str, str, str]:
        """Title, tags and body exactly as they stand, for the draft."""
        return (
            self.query_one("#note-title", Input).value,
            self.query_one("#note-tags", Input).value,
            self.query_one("#note-text", TextArea).text,
        )

    def on_mount(self) -> None:
        # Opened on text the database does not hold: keep it at once (with this edit's starting
        # point), unless the draft file has exactly that already.
        draft = self.draft
        typed = self.typed()
        if draft is not None and typed != self.saved_typed and not draft.holds(*typed):
            self.draft_timer = self.set_timer(0, self.keep_draft)

    @on(Input.Changed)
    @on(TextArea.Changed)
    def check(self) -> None:
        # Kept for the last draft on unmount, when the boxes are already gone.
        self.latest_typed = self.typed()
        _, problem = fields_of(self.latest_typed)
        self.query_one("#note-problem", Static).update(Content(problem or ""))
        if self.draft is not None:
            # Written when the typing pauses, not on every key.
            if self.draft_timer is not None:
                self.draft_timer.stop()
            self.draft_timer = self.set_timer(DRAFT_PAUSE, self.keep_draft)

    def keep_draft(self) -> None:
        self.draft_timer = None
        draft = self.draft
        if draft is None or draft.discarded:
            return
        title, tags, body = self.typed()
        if (title, tags, body) == self.saved_typed:
            # Back to what is saved: a draft would only offer the same text again.
            self.write_draft(draft, None, draft.next_version())
        elif not draft.holds(title, tags, body):
            self.write_draft(draft, (title, tags, body), draft.next_version())

    @work(thread=True, group="draft", exit_on_error=False)
    def write_draft(
        self, draft: DraftFile, typed: tuple[str, str, str] | None, version: int
    ) -> None:
        try:
            if typed is None:
                draft.clear(version)
            else:
                draft.save(*typed, self.app.clock(), version)
        except OSError as error:
            log.warning("cannot keep the draft %s: %s", draft.path, error)
            self.app.call_from_thread(self.draft_failed, error)

    def draft_failed(self, error: OSError) -> None:
        # Said once: the next pause in the typing would only say it again.
        if not self.told_draft_failed:
            self.told_draft_failed = True
            self.notify(
                f"Your typing cannot be kept as a draft ({error.strerror or error}); "
                "it is saved only when you save the note.",
                title="No draft",
                severity="warning",
                timeout=15,
                markup=False,
            )

    def discard_draft(self) -> None:
        if self.draft is not None:
            # An app worker: this screen's own workers end with it, perhaps before they start.
            self.app.run_worker(self.draft.discard, thread=True, exit_on_error=False)

    def on_unmount(self) -> None:
        # Closed with typing not yet kept (the app is quitting): keep it now, the last chance.
        draft = self.draft
        if self.closed_by_user or draft is None or draft.discarded:
            return
        typed = self.latest_typed
        if typed != self.saved_typed and not draft.holds(*typed):
            try:
                draft.save(*typed, self.app.clock())
            except OSError as error:
                log.warning("cannot keep the draft %s: %s", draft.path, error)

    def stop_drafting(self) -> None:
        self.closed_by_user = True
        if self.draft_timer is not None:
            self.draft_timer.stop()
            self.draft_timer = None

    def action_save(self) -> None:
        fields, problem = self.fields()
        if problem is None:
            # Whoever saves the note writes the last draft first and removes it once saved.
            self.stop_drafting()
            self.dismiss(fields)
        else:
            # Nothing typed is lost: the editor stays open with the problem shown.
            self.query_one("#note-problem", Static).update(Content(problem))

    def action_cancel(self) -> None:
        from nexus_tui.screens.confirm import ask_to_discard

        def discard() -> None:
            self.stop_drafting()
            self.discard_draft()
            self.dismiss(None)

        fields, _ = self.fields()
        # Compared with the note as stored: text restored from a draft is a change too.
        if fields == self.saved:
            discard()
        else:
            ask_to_discard(self, discard)
