"""Topics: categories and their topics on the left, the selected topic's notes on the right."""

from __future__ import annotations

import logging
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Span, Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Static
from textual.widgets.tree import TreeNode

from nexus_tui.screens.base import HubScreen
from nexus_tui.store import Store, StoreError, queries
from nexus_tui.store.changes import (
    DeletedTopic,
    TopicChangeError,
    add_note,
    add_topic,
    delete_note,
    delete_topic,
    move_topic,
    next_status,
    rename_topic,
    restore_note,
    restore_topic,
    set_topic_status,
    toggle_pinned,
    update_note,
)
from nexus_tui.store.records import CategorySummary, ChallengeSummary, Note, TopicSummary
from nexus_tui.text import age, markdown_literal, one_line, safe_text
from nexus_tui.widgets.activity import WEEKS, ActivityChart
from nexus_tui.widgets.boxes import Column, Row
from nexus_tui.widgets.lists import KeyTree
from nexus_tui.widgets.markdown_view import MarkdownView
from nexus_tui.widgets.note_list import NoteList

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from nexus_tui.drafts import DraftFile, SavedDraft
    from nexus_tui.screens.note_editor import NoteFields

log = logging.getLogger(__name__)

STATUS_SYMBOLS = {"not_started": "·", "learning": "◔", "practising": "◑", "confident": "●"}
STATUS_WORDS = {
    "not_started": "not started",
    "learning": "learning",
    "practising": "practising",
    "confident": "confident",
}


# Textual's TextArea lays a text out in seconds per megabyte, every key waiting meanwhile: a longer
# body (a pasted log) is edited in $EDITOR instead.
IN_APP_EDITOR_LIMIT = 1_000_000

# Lines of the topic tree put in the first frame: more than any terminal shows at once.
FIRST_FRAME_LINES = 150

# Actions on the topic tree's cursor, offered only while the tree has focus.
TREE_ACTIONS = frozenset({"add_topic", "rename_topic", "move_topic", "delete_topic"})
TOPIC_KEYS = Binding.Group("Topic")


class TopicsScreen(HubScreen):
    SUB_TITLE = "Topics"
    BINDINGS = [
        Binding("n", "new_note", "New", tooltip="Write a new note on this topic", id="new-note"),
        Binding("e", "edit_note", "Edit", tooltip="Edit the selected note", id="edit-note"),
        # Off the footer, which has no room left: the keys help and the palette list it.
        Binding(
            "E",
            "edit_in_editor",
            "Edit in $EDITOR",
            tooltip="Edit the selected note in $EDITOR",
            show=False,
            id="edit-in-editor",
        ),
        Binding("d", "delete_note", "Delete", tooltip="Delete the selected note", id="delete-note"),
        Binding(
            "u",
            "undo_delete",
            "Undo delete",
            tooltip="Undo the last delete (note or topic)",
            show=False,
            id="undo-delete",
        ),
        Binding("p", "toggle_pin", "Pin", tooltip="Pin / unpin the note", show=False, id="pin"),
        Binding("s", "cycle_status", "Status", tooltip="Next learning status", id="cycle-status"),
        # Topic keys work in the topic tree only (see check_action). They are bound here rather
        # than on the tree so that the command palette, which lists the screen's own keys,
        # offers them too; in the footer they share one label, for want of room.
        Binding(
            "a",
            "add_topic",
            "Add topic",
            tooltip="Add a topic to this category",
            id="add-topic",
            group=TOPIC_KEYS,
        ),
        Binding(
            "f2",
            "rename_topic",
            "Rename topic",
            tooltip="Rename the topic",
            id="rename-topic",
            group=TOPIC_KEYS,
        ),
        Binding(
            "m",
            "move_topic",
            "Move topic",
            tooltip="Move the topic to another category",
            id="move-topic",
            group=TOPIC_KEYS,
        ),
        Binding(
            "x",
            "delete_topic",
            "Delete topic",
            tooltip="Delete the topic and its notes",
            id="delete-topic",
            group=TOPIC_KEYS,
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.topic_id: int | None = None
        """The topic whose notes are shown (None on a category row)."""
        self.note_id: int | None = None
        """The note shown in the pane."""
        self.last_deleted: dict[str, object] | DeletedTopic | None = None
        """The last note (its row) or topic deleted here, as stored, so `u` can put it back."""
        self.reveal_topic_id: int | None = None
        """A topic to put the cursor on when the tree is next shown (one just added, say)."""
        self.reveal_note_id: int | None = None
        """A note found by search, to select once its topic's notes are listed."""

    def compose_body(self) -> ComposeResult:
        with Row(id="topics-body"):
            with Column(id="topics-side"):
                tree: KeyTree[CategorySummary | TopicSummary] = KeyTree("Topics", id="topic-tree")
                tree.show_root = False
                tree.border_title = "Topics"
                yield tree
                yield ActivityChart(id="activity")
            with Column(id="topic-pane"):
                yield Static(id="topic-heading")
                # The challenges linked to the topic (2 jumps back from one to its topics) go
                # under the heading, on a line made for the first topic that has any.
                notes = NoteList(self.app.clock, id="note-list")
                notes.border_title = "Notes"
                yield notes
                yield MarkdownView(id="note-view")

    def load(self, store: Store) -> None:
        first = self.app.take_first_categories()
        if first is not None:
            if self.app.first_frame_drawn:
                self.show_categories(first)
            else:
                # On a large hub the first frame gets the categories that fill the tree's
                # window, and the whole tree follows a frame later: the same lines on screen
                # (only the scroll bar changes), 10-15 ms sooner at 1,000 topics.
                self.show_categories(categories_to_fill(first, FIRST_FRAME_LINES))
                self.app.after_first_frame(partial(self.show_categories, first))
            # Not needed for the first frame, and on a large hub it reads for tens of ms: the
            # chart follows once the topics are on screen.
            self.app.after_first_frame(partial(self.load_activity, store))
        else:
            self.load_categories(store)

    @work(thread=True, exclusive=True, group="topics", exit_on_error=False)
    def load_categories(self, store: Store) -> None:
        categories = store.read(queries.categories_with_topics)
        self.app.call_from_thread(self.show_categories, categories)
        # Every change that reloads the tree may change the chart too.
        self.load_activity(store)

    @work(thread=True, exclusive=True, group="activity", exit_on_error=False)
    def load_activity(self, store: Store) -> None:
        counts = store.read(queries.notes_per_week, self.app.clock(), WEEKS)
        self.app.call_from_thread(self.query_one("#activity", ActivityChart).show, counts)

    def show_categories(self, categories: list[CategorySummary]) -> None:
        tree = self.query_one("#topic-tree", KeyTree)
        current = tree.cursor_node.data if tree.cursor_node else None
        current_id = current.id if isinstance(current, TopicSummary) else None
        if self.reveal_topic_id is not None:
            current_id, self.reveal_topic_id = self.reveal_topic_id, None
        # Every category is expanded, so a topic's line is its position in this walk.
        line, cursor_line = 0, None
        with tree.bulk_changes():
            tree.clear()
            for category in categories:
                label = category_label(category)
                branch = tree.root.add(label, data=category, expand=True)
                line += 1
                for topic in category.topics:
                    branch.add_leaf(topic_label(topic), data=topic)
                    if cursor_line is None or topic.id == current_id:
                        cursor_line = line
                    line += 1
        if cursor_line is not None:
            # Setting the line (rather than moving to a node) lays the tree out now; otherwise
            # Textual does it when idle, after the first frame has been painted without it.
            previous = tree.cursor_line
            tree.cursor_line = cursor_line
            if cursor_line == previous and tree.cursor_node is not None:
                # Textual posts no highlight for an unchanged line, but its node is a new one
                # with fresh data (a changed status, say): show that.
                self.show_node(tree.cursor_node)
        else:
            self.show_category(categories[0] if categories else None)

    def reveal(self, kind: str, item_id: int) -> None:
        if kind == "topic":
            self.cursor_to_topic(item_id)
        elif kind == "note" and self.app.store is not None:
            self.find_topic_of_note(self.app.store, item_id)

    @work(thread=True, exclusive=True, group="reveal", exit_on_error=False)
    def find_topic_of_note(self, store: Store, note_id: int) -> None:
        note = store.read(queries.note, note_id)
        if note is not None:
            self.app.call_from_thread(self.reveal_note, note.topic_id, note_id)

    def reveal_note(self, topic_id: int, note_id: int) -> None:
        self.reveal_note_id = note_id
        if topic_id == self.topic_id:
            # A row not read yet is found by listing the topic again: show_notes ends it.
            note_list = self.query_one("#note-list", NoteList)
            if note_list.highlight_id(note_id):
                self.reveal_note_id = None
                note_list.focus()
        else:
            # Moving there lists the topic's notes, and show_notes selects the one asked for.
            self.cursor_to_topic(topic_id)

    def cursor_to_topic(self, topic_id: int) -> None:
        tree = self.query_one("#topic-tree", KeyTree)
        for category in tree.root.children:
            for node in category.children:
                if isinstance(node.data, TopicSummary) and node.data.id == topic_id:
                    tree.move_cursor(node)
                    tree.focus()
                    return

    def action_new_note(self) -> None:
        store, topic_id = self.app.store, self.topic_id
        if store is None or topic_id is None:
            self.notify("Choose a topic first: a note belongs to a topic.", severity="warning")
            return
        draft = self.new_draft(None, topic_id, self.topic_name(topic_id), None)
        self.write_new_note(store, topic_id, draft, "New note")

    def write_new_note(
        self,
        store: Store,
        topic_id: int,
        draft: DraftFile,
        heading: str,
        fields: NoteFields | None = None,
        tags_text: str | None = None,
    ) -> None:
        # Imported on first use: the editor's TextArea is not needed for the first frame.
        from nexus_tui.screens.note_editor import NoteEditor, NoteFields

        def save(fields: NoteFields | None) -> None:
            if fields is not None:
                self.save_new_note(store, topic_id, fields, draft, heading)

        editor = NoteEditor(
            heading, fields, tags_text=tags_text, saved=NoteFields("", [], ""), draft=draft
        )
        self.app.push_screen(editor, save)

    @work(thread=True, group="write", exit_on_error=False)
    def save_new_note(
        self,
        store: Store,
        topic_id: int,
        fields: NoteFields,
        draft: DraftFile | None = None,
        heading: str = "New note",
    ) -> None:
        kept = self.keep_as_draft(draft, fields, store.clock())
        try:
            note_id = store.write(
                add_note, topic_id, fields.title, fields.body, fields.tags, store.clock()
            )
        except StoreError as error:
            self.app.call_from_thread(
                self.not_saved, f"The note was not saved: {error}", kept, reopened=draft is not None
            )
            if draft is not None:
                # Back in the editor, to save again once the database answers.
                self.app.call_from_thread(
                    self.write_new_note, store, topic_id, draft, heading, fields
                )
            return
        if draft is not None:
            draft.discard()
        self.app.call_from_thread(self.note_saved, store, note_id)

    def action_edit_note(self) -> None:
        if self.app.store is not None and self.note_id is not None:
            self.open_editor(self.app.store, self.note_id)

    @work(thread=True, exclusive=True, group="edit", exit_on_error=False)
    def open_editor(
        self,
        store: Store,
        note_id: int,
        fields: NoteFields | None = None,
        draft: DraftFile | None = None,
    ) -> None:
        note = store.read(queries.note, note_id)
        if note is not None:
            self.app.call_from_thread(self.edit, store, note, fields, draft)
        elif draft is not None:
            self.app.call_from_thread(
                self.not_saved, "This note was deleted meanwhile.", not draft.discarded
            )

    def edit(
        self,
        store: Store,
        note: Note,
        fields: NoteFields | None = None,
        draft: DraftFile | None = None,
        tags_text: str | None = None,
    ) -> None:
        """Open the editor on a note; `fields` (the user's own text) win over the saved ones.

        `note.updated_at` is the version the edit starts from: a save checks it for a conflict.
        """
        from nexus_tui.screens.note_editor import NoteEditor, NoteFields

        if draft is None and fields is None and len(note.body) > IN_APP_EDITOR_LIMIT:
            self.notify(
                f"This note is too long to edit here ({len(note.body):,} characters): "
                "E edits it in $EDITOR.",
                severity="warning",
                markup=False,
            )
            return
        saved = NoteFields(note.title, list(note.tags), note.body)
        if draft is None:
            draft = self.new_draft(note.id, note.topic_id, note.topic, note.updated_at)
        else:
            draft.started_from = note.updated_at

        def save(edited: NoteFields | None) -> None:
            if edited is not None:
                self.save_edit(store, note, edited, check=True, draft=draft)

        editor = NoteEditor(
            "Edit note", fields or saved, tags_text=tags_text, saved=saved, draft=draft
        )
        self.app.push_screen(editor, save)

    @work(thread=True, group="write", exit_on_error=False)
    def save_edit(
        self,
        store: Store,
        note: Note,
        fields: NoteFields,
        check: bool,
        draft: DraftFile | None = None,
    ) -> None:
        # The text is in a draft before the database is touched: a failed write loses nothing.
        kept = self.keep_as_draft(draft, fields, store.clock())
        seen = note.updated_at if check else None
        try:
            saved = store.write(
                update_note, note.id, fields.title, fields.body, fields.tags, seen, store.clock()
            )
        except StoreError as error:
            self.app.call_from_thread(
                self.not_saved, f"The note was not saved: {error}", kept, reopened=True
            )
            # Back in the editor, to save again once the database answers.
            self.app.call_from_thread(self.edit, store, note, fields, draft)
            return
        if saved:
            if draft is not None:
                draft.discard()
            self.app.call_from_thread(self.note_saved, store, note.id)
        elif store.read(queries.note, note.id) is None:
            self.app.call_from_thread(self.not_saved, "This note was deleted meanwhile.", kept)
        else:
            self.app.call_from_thread(self.edit_conflict, store, note, fields, draft)

    def not_saved(self, problem: str, kept: bool, reopened: bool = False) -> None:
        if kept and reopened:
            message = f"{problem}\nYour text is back in the editor, and kept as a draft."
        elif kept:
            message = f"{problem}\nYour text is kept as a draft, offered again at the next start."
        else:
            message = f"{problem}\nYour text could not be kept as a draft either."
        self.notify(message, title="Not saved", severity="error", timeout=20, markup=False)

    def edit_conflict(
        self, store: Store, note: Note, fields: NoteFields, draft: DraftFile | None = None
    ) -> None:
        """Another window saved this note meanwhile: the user chooses, and loses nothing."""
        from nexus_tui.screens.confirm import ConfirmScreen

        def answered(overwrite: bool | None) -> None:
            if overwrite:
                self.save_edit(store, note, fields, check=False, draft=draft)
            else:
                # Their version becomes the base; the user's text goes back into the editor.
                self.open_editor(store, note.id, fields, draft)

        self.app.push_screen(
            ConfirmScreen(
                "This note changed elsewhere",
                "Another window saved this note after you opened it. Overwrite it with your "
                "version? Answer no to get your text back in the editor, on top of theirs.",
                "Overwrite",
            ),
            answered,
        )

    def note_saved(self, store: Store, note_id: int) -> None:
        self.reveal_note_id = note_id
        # Counts in the tree change too; reloading keeps the cursor and then selects the note.
        self.load_categories(store)

    def new_draft(
        self, note_id: int | None, topic_id: int, topic: str, started_from: datetime | None
    ) -> DraftFile:
        from nexus_tui.drafts import DraftFile

        return DraftFile.new(
            self.app.paths.state_dir,
            database=self.app.paths.database,
            note_id=note_id,
            topic_id=topic_id,
            topic=topic,
            started_from=started_from,
        )

    def topic_name(self, topic_id: int) -> str:
        tree = self.query_one("#topic-tree", KeyTree)
        for category in tree.root.children:
            for node in category.children:
                if isinstance(node.data, TopicSummary) and node.data.id == topic_id:
                    return node.data.name
        return ""

    def action_edit_in_editor(self) -> None:
        if self.app.store is not None and self.note_id is not None:
            self.read_for_editor(self.app.store, self.note_id)
        else:
            self.notify("Choose a note to edit first.", severity="warning")

    @work(thread=True, exclusive=True, group="edit", exit_on_error=False)
    def read_for_editor(self, store: Store, note_id: int) -> None:
        note = store.read(queries.note, note_id)
        if note is None:
            self.app.call_from_thread(
                self.notify, "This note no longer exists.", severity="warning"
            )
        else:
            self.app.call_from_thread(self.edit_in_editor, store, note)

    def edit_in_editor(self, store: Store, note: Note) -> None:
        """Edit the note in the user's $EDITOR; the result is saved like the editor's own.

        Waiting for the editor holds the message loop, as it must: the terminal is the editor's
        until it exits.
        """
        from nexus_tui.editor import (
            EditorProblem,
            edit_text,
            editor_command,
            note_as_text,
            note_from_text,
        )
        from nexus_tui.screens.note_editor import NoteFields, parse_tags

        try:
            edited = edit_text(
                note_as_text(note.title, note.tags, note.body),
                editor_command(),
                self.run_in_terminal,
            )
        except EditorProblem as problem:
            self.notify(str(problem), title="Editor", severity="warning", markup=False)
            return
        parts = note_from_text(edited)
        if parts.tags is None:
            tags, problem = list(note.tags), None
        else:
            tags, problem = parse_tags(parts.tags)
        fields = NoteFields(parts.title, tags, parts.body)
        if fields == NoteFields(note.title, list(note.tags), note.body) and problem is None:
            self.notify("No changes.")
            return
        if not parts.title:
            problem = "A note needs a title."
        if problem is not None:
            # Nothing typed is lost: the text goes into the app's editor to be put right there.
            self.notify(problem, title="Not saved yet", severity="warning", markup=False)
            self.edit(store, note, fields, tags_text=parts.tags)
        else:
            draft = self.new_draft(note.id, note.topic_id, note.topic, note.updated_at)
            self.save_edit(store, note, fields, check=True, draft=draft)

    def run_in_terminal(self, command: Sequence[str]) -> int:
        from textual.app import SuspendNotSupported

        from nexus_tui.editor import EditorProblem, run_command

        try:
            with self.app.suspend():
                return run_command(command)
        except SuspendNotSupported:
            raise EditorProblem(
                "This terminal cannot hand itself over to another program, so notes cannot be "
                "edited outside the app here. Press e to edit in the app."
            ) from None

    def restore_draft(self, saved: SavedDraft) -> None:
        """Open the editor again on a draft kept from an earlier run."""
        if self.app.store is not None:
            self.read_for_draft(self.app.store, saved)

    @work(thread=True, exclusive=True, group="edit", exit_on_error=False)
    def read_for_draft(self, store: Store, saved: SavedDraft) -> None:
        draft = saved.draft
        note = store.read(queries.note, draft.note_id) if draft.note_id is not None else None
        topic_known = any(
            topic.id == draft.topic_id
            for category in store.read(queries.categories_with_topics)
            for topic in category.topics
        )
        self.app.call_from_thread(self.open_draft, store, saved, note, topic_known)

    def open_draft(
        self, store: Store, saved: SavedDraft, note: Note | None, topic_known: bool
    ) -> None:
        from nexus_tui.drafts import DraftFile
        from nexus_tui.screens.note_editor import NoteFields

        draft = saved.draft
        fields = NoteFields(draft.title, [], draft.body)
        kept = DraftFile.of(saved)
        if note is not None:
            self.reveal_note(note.topic_id, note.id)
            # The conflict check is against the version the draft started from, not today's.
            started = note._replace(updated_at=draft.started_from or note.updated_at)
            self.edit(store, started, fields, kept, tags_text=draft.tags)
        elif topic_known:
            heading = "New note" if draft.note_id is None else "New note (the original is gone)"
            kept.note_id = kept.started_from = None
            self.cursor_to_topic(draft.topic_id)
            self.write_new_note(store, draft.topic_id, kept, heading, fields, draft.tags)
        else:
            self.notify(
                f"The topic of the draft {draft.title!r} no longer exists, so it cannot be "
                f"restored here. Its text is in {saved.path}.",
                severity="warning",
                timeout=20,
                markup=False,
            )

    def keep_as_draft(self, draft: DraftFile | None, fields: NoteFields, now: datetime) -> bool:
        """Write the text to be saved into its draft; False when it could not be kept."""
        if draft is None:
            return False
        tags = " ".join(fields.tags)
        try:
            draft.save(fields.title, tags, fields.body, now)
        except OSError as error:
            log.warning("cannot keep the draft %s: %s", draft.path, error)
        return draft.holds(fields.title, tags, fields.body)

    def action_delete_note(self) -> None:
        from nexus_tui.screens.confirm import ConfirmScreen

        store, note_id = self.app.store, self.note_id
        note = self.query_one("#note-list", NoteList).highlighted_note
        if store is None or note is None or note.id != note_id:
            return
        title = one_line(note.title)

        def answered(yes: bool | None) -> None:
            if yes:
                self.delete(store, note_id)

        self.app.push_screen(
            ConfirmScreen("Delete this note?", f"{title}\n\nu undoes it.", "Delete"), answered
        )

    @work(thread=True, group="write", exit_on_error=False)
    def delete(self, store: Store, note_id: int) -> None:
        row = store.write(delete_note, note_id)
        self.app.call_from_thread(self.note_deleted, store, row)

    def note_deleted(self, store: Store, row: dict[str, object] | None) -> None:
        if row is not None:
            self.last_deleted = row
            self.notify("Note deleted. Press u to undo.", timeout=8)
        self.load_categories(store)

    def action_undo_delete(self) -> None:
        if self.app.store is not None and self.last_deleted is not None:
            deleted, self.last_deleted = self.last_deleted, None
            if isinstance(deleted, DeletedTopic):
                self.undelete_topic(self.app.store, deleted)
            else:
                self.undelete(self.app.store, deleted)

    @work(thread=True, group="write", exit_on_error=False)
    def undelete(self, store: Store, row: dict[str, object]) -> None:
        if store.write(restore_note, row):
            self.app.call_from_thread(self.reveal_note, int(row["topic_id"]), int(row["id"]))
            self.app.call_from_thread(self.load_categories, store)
        else:
            self.app.call_from_thread(
                self.notify, "Cannot undo: the note's topic is gone.", severity="warning"
            )

    @work(thread=True, group="write", exit_on_error=False)
    def undelete_topic(self, store: Store, deleted: DeletedTopic) -> None:
        try:
            topic_id = store.write(restore_topic, deleted)
        except TopicChangeError as error:
            self.app.call_from_thread(self.warn, str(error))
            return
        if topic_id is None:
            self.app.call_from_thread(
                self.notify, "Cannot undo: the topic's category is gone.", severity="warning"
            )
        else:
            self.app.call_from_thread(self.topic_saved, store, topic_id)

    def action_toggle_pin(self) -> None:
        if self.app.store is not None and self.note_id is not None:
            self.pin(self.app.store, self.note_id)

    @work(thread=True, group="write", exit_on_error=False)
    def pin(self, store: Store, note_id: int) -> None:
        if store.write(toggle_pinned, note_id) is not None:
            self.app.call_from_thread(self.note_saved, store, note_id)

    def action_cycle_status(self) -> None:
        node = self.query_one("#topic-tree", KeyTree).cursor_node
        if node is not None and isinstance(node.data, TopicSummary) and self.app.store:
            self.change_status(self.app.store, node.data.id, next_status(node.data.status))

    @work(thread=True, group="write", exit_on_error=False)
    def change_status(self, store: Store, topic_id: int, status: str) -> None:
        store.write(set_topic_status, topic_id, status, store.clock())
        self.app.call_from_thread(self.load_categories, store)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action not in TREE_ACTIONS:
            return True
        # Hidden elsewhere: in the notes, "a" or "x" acting on the tree would be a surprise.
        if self.focused is None or self.focused.id != "topic-tree":
            return False
        if action != "add_topic" and not isinstance(self.tree_cursor(), TopicSummary):
            return None  # shown dimmed on a category row: there is no topic to act on
        return True

    def tree_cursor(self) -> CategorySummary | TopicSummary | None:
        node = self.query_one("#topic-tree", KeyTree).cursor_node
        return None if node is None else node.data

    def cursor_category(self) -> CategorySummary | None:
        """The highlighted category, or the highlighted topic's."""
        node = self.query_one("#topic-tree", KeyTree).cursor_node
        if node is not None and isinstance(node.data, TopicSummary):
            node = node.parent
        return node.data if node is not None and isinstance(node.data, CategorySummary) else None

    def action_add_topic(self) -> None:
        category = self.cursor_category()
        if self.app.store is not None and category is not None:
            self.ask_topic_name(self.app.store, category)

    def action_rename_topic(self) -> None:
        topic, category = self.tree_cursor(), self.cursor_category()
        if self.app.store is not None and isinstance(topic, TopicSummary) and category:
            self.ask_topic_name(self.app.store, category, topic)

    def ask_topic_name(
        self,
        store: Store,
        category: CategorySummary,
        topic: TopicSummary | None = None,
        typed: str | None = None,
        problem: str | None = None,
    ) -> None:
        """A new topic's name (`topic` None) or a new name for `topic`, then save it."""
        from nexus_tui.screens.topic_form import TopicNameForm

        def save(name: str | None) -> None:
            if name is not None:
                self.save_topic_name(store, category, topic, name)

        self.app.push_screen(TopicNameForm(category, topic, typed, problem), save)

    @work(thread=True, group="write", exit_on_error=False)
    def save_topic_name(
        self, store: Store, category: CategorySummary, topic: TopicSummary | None, name: str
    ) -> None:
        try:
            if topic is None:
                topic_id = store.write(add_topic, category.id, name, store.clock())
            elif store.write(rename_topic, topic.id, name, store.clock()):
                topic_id = topic.id
            else:
                self.app.call_from_thread(self.topic_gone, store)
                return
        except TopicChangeError as error:
            # Another window got there first. The dialog comes back with the name as typed,
            # checked against the categories as they are now.
            categories = store.read(queries.categories_with_topics)
            self.app.call_from_thread(
                self.name_refused, store, categories, category.id, topic, name, str(error)
            )
            return
        self.app.call_from_thread(self.topic_saved, store, topic_id)

    def name_refused(
        self,
        store: Store,
        categories: list[CategorySummary],
        category_id: int,
        topic: TopicSummary | None,
        name: str,
        problem: str,
    ) -> None:
        self.show_categories(categories)
        category = next((each for each in categories if each.id == category_id), None)
        if category is None:
            self.warn(problem)
        else:
            self.ask_topic_name(store, category, topic, name, problem)

    def action_move_topic(self) -> None:
        from nexus_tui.screens.topic_form import MoveTopicForm

        store, topic = self.app.store, self.tree_cursor()
        if store is None or not isinstance(topic, TopicSummary):
            return
        tree = self.query_one("#topic-tree", KeyTree)
        categories = [node.data for node in tree.root.children]
        if len(categories) < 2:
            self.notify("There is no other category to move it to.", severity="warning")
            return

        def move(category_id: int | None) -> None:
            if category_id is not None:
                self.save_move(store, topic.id, category_id)

        self.app.push_screen(MoveTopicForm(topic, categories), move)

    @work(thread=True, group="write", exit_on_error=False)
    def save_move(self, store: Store, topic_id: int, category_id: int) -> None:
        try:
            moved = store.write(move_topic, topic_id, category_id, store.clock())
        except TopicChangeError as error:
            self.app.call_from_thread(self.warn, str(error))
            self.app.call_from_thread(self.load_categories, store)
            return
        if moved:
            self.app.call_from_thread(self.topic_saved, store, topic_id)
        else:
            self.app.call_from_thread(self.topic_gone, store)

    def topic_saved(self, store: Store, topic_id: int) -> None:
        self.reveal_topic_id = topic_id
        self.query_one("#topic-tree", KeyTree).focus()
        self.load_categories(store)

    def topic_gone(self, store: Store) -> None:
        self.warn("That topic no longer exists.")
        self.load_categories(store)

    def warn(self, message: str) -> None:
        # Messages name topics and categories: user text, never read as markup.
        self.notify(message, severity="warning", markup=False)

    def action_delete_topic(self) -> None:
        from nexus_tui.screens.confirm import ConfirmScreen

        store = self.app.store
        node = self.query_one("#topic-tree", KeyTree).cursor_node
        if store is None or node is None or not isinstance(node.data, TopicSummary):
            return
        topic, neighbour_id = node.data, neighbour_topic_id(node)

        def answered(yes: bool | None) -> None:
            if yes:
                self.remove_topic(store, topic.id, neighbour_id)

        self.app.push_screen(
            ConfirmScreen("Delete this topic?", delete_question(topic), "Delete"), answered
        )

    @work(thread=True, group="write", exit_on_error=False)
    def remove_topic(self, store: Store, topic_id: int, neighbour_id: int | None) -> None:
        deleted = store.write(delete_topic, topic_id)
        self.app.call_from_thread(self.topic_deleted, store, deleted, neighbour_id)

    def topic_deleted(
        self, store: Store, deleted: DeletedTopic | None, neighbour_id: int | None
    ) -> None:
        if deleted is not None:
            self.last_deleted = deleted
            count = len(deleted.notes)
            notes = f" with its {count} note{'s' if count != 1 else ''}" if count else ""
            self.notify(f"Topic deleted{notes}. Press u to undo.", timeout=8)
        self.reveal_topic_id = neighbour_id
        self.load_categories(store)

    @on(KeyTree.NodeHighlighted, "#topic-tree")
    def topic_highlighted(self, event: KeyTree.NodeHighlighted) -> None:
        if event.node is not event.control.cursor_node:
            # Posted for a line the cursor has left, or for a tree since rebuilt: at start, the
            # root of the empty tree, which made the pane say the hub had no topics.
            return
        if self.app.store is not None:  # an empty tree before the hub is open says nothing
            on_topic = self.topic_id is not None
            self.show_node(event.node)
            if on_topic != (self.topic_id is not None):
                self.refresh_bindings()  # the topic keys are dimmed on a category row

    def show_node(self, node: TreeNode) -> None:
        if isinstance(node.data, TopicSummary):
            self.show_topic(node.data)
        else:
            self.show_category(node.data)

    @on(KeyTree.NodeSelected, "#topic-tree")
    def topic_selected(self, event: KeyTree.NodeSelected) -> None:
        if isinstance(event.node.data, TopicSummary):
            self.query_one("#note-list").focus()

    def show_category(self, category: CategorySummary | None) -> None:
        self.topic_id = None
        heading = self.query_one("#topic-heading", Static)
        self.query("#topic-challenges").set(display=False)
        self.query_one("#note-list", NoteList).clear()
        self.note_id = None
        if category is None:
            heading.update(Content("No topics yet."))
            message = "Your hub has no topics yet."
        else:
            count = len(category.topics)
            heading.update(
                Content.assemble(
                    (one_line(category.name), "bold"),
                    (f"  {count} topic{'s' if count != 1 else ''}", "dim"),
                )
            )
            message = "Choose a topic to see its notes."
        self.query_one("#note-view", MarkdownView).show_message(message)

    def show_topic(self, topic: TopicSummary) -> None:
        self.topic_id = topic.id
        self.query_one("#topic-heading", Static).update(
            Content.assemble(
                (one_line(topic.name), "bold"),
                "  ",
                (
                    f"{one_line(topic.category)} · {STATUS_WORDS[topic.status]} · "
                    f"{topic.note_count} note{'s' if topic.note_count != 1 else ''}",
                    "dim",
                ),
            )
        )
        store = self.app.store
        if store is not None:
            # At start the topics are drawn first and the notes follow a frame later.
            self.app.after_first_frame(partial(self.load_topic, store, topic.id))

    def load_topic(self, store: Store, topic_id: int) -> None:
        if topic_id == self.topic_id:
            self.load_notes(store, topic_id)
            self.load_topic_challenges(store, topic_id)

    @work(thread=True, exclusive=True, group="topic-challenges", exit_on_error=False)
    def load_topic_challenges(self, store: Store, topic_id: int) -> None:
        from nexus_tui.store.challenges import challenges_of_topic

        items = store.read(challenges_of_topic, topic_id)
        self.app.call_from_thread(self.show_topic_challenges, topic_id, items)

    def show_topic_challenges(self, topic_id: int, items: list[ChallengeSummary]) -> None:
        if topic_id != self.topic_id:
            return  # the cursor moved on meanwhile
        lines = self.query("#topic-challenges")
        if not items:
            lines.set(display=False)
            return
        if lines:
            line = lines.first(Static)
        else:
            line = Static(id="topic-challenges")
            self.query_one("#topic-pane").mount(line, after="#topic-heading")
        line.display = True
        parts: list[str | tuple[str, str]] = [("Challenges  ", "dim")]
        for number, item in enumerate(items):
            if number:
                parts.append(("  ·  ", "dim"))
            parts.append(("✓ " if item.status == "solved" else "○ ", "dim"))
            parts.append(one_line(item.title))
        line.update(Content.assemble(*parts))

    def load_notes(self, store: Store, topic_id: int) -> None:
        # The list reads its rows in its own workers, a page at a time; show_notes follows.
        # Listing the same topic again (after a change) keeps its cursor on the same note.
        self.query_one("#note-list", NoteList).show_topic(store, topic_id, self.reveal_note_id)

    @on(NoteList.Listed, "#note-list")
    def show_notes(self, event: NoteList.Listed) -> None:
        # The cursor may have moved on while the notes were read: a late answer is dropped.
        if event.topic_id != self.topic_id:
            return
        if self.reveal_note_id is not None and event.found == self.reveal_note_id:
            self.reveal_note_id = None
            event.note_list.focus()
        elif not event.count:
            self.note_id = None
            self.query_one("#note-view", MarkdownView).show_message("No notes on this topic yet.")

    @on(NoteList.Highlighted, "#note-list")
    def note_highlighted(self, event: NoteList.Highlighted) -> None:
        if self.app.store is not None and event.note.topic_id == self.topic_id:
            self.note_id = event.note.id
            self.load_note(self.app.store, self.note_id)

    @on(NoteList.Selected, "#note-list")
    def note_selected(self) -> None:
        self.query_one("#note-view").focus()

    @work(thread=True, exclusive=True, group="note", exit_on_error=False)
    def load_note(self, store: Store, note_id: int) -> None:
        note = store.read(queries.note, note_id)
        self.app.call_from_thread(self.show_note, note_id, note)

    def show_note(self, note_id: int, note: Note | None) -> None:
        if note_id != self.note_id:
            return
        body = self.query_one("#note-view", MarkdownView)
        if note is None:
            body.show_message("This note no longer exists.")
            return
        tags = " ".join(f"`#{one_line(tag).replace('`', '')}`" for tag in note.tags)
        updated = age(note.updated_at, self.app.clock())
        # Who saved it, when that was someone else (a shared hub): one's own saves go unsaid.
        store = self.app.store
        by = note.changed_by if store is not None and note.changed_by != store.user else ""
        by_text = f" by {markdown_literal(one_line(by))}" if by else ""
        meta = f"*{markdown_literal(note.topic)} · updated {updated}{by_text}* {tags}"
        body.show(f"# {markdown_literal(note.title)}\n\n{meta}\n\n{safe_text(note.body)}")


def neighbour_topic_id(node: TreeNode) -> int | None:
    """The topic after this one in its category, else the one before: where the cursor goes
    when this one is deleted."""
    siblings = list(node.parent.children) if node.parent is not None else [node]
    index = siblings.index(node)
    if index + 1 < len(siblings):
        return siblings[index + 1].data.id
    return siblings[index - 1].data.id if index > 0 else None


def delete_question(topic: TopicSummary) -> str:
    name, count = one_line(topic.name), topic.note_count
    if count == 0:
        question = f"Delete “{name}”? It has no notes."
    elif count == 1:
        question = f"Delete “{name}” and its note?"
    else:
        question = f"Delete “{name}” and its {count} notes?"
    return f"{question}\n\nu undoes it."


def categories_to_fill(categories: list[CategorySummary], lines: int) -> list[CategorySummary]:
    """The first categories, each whole, until they hold at least `lines` lines of the tree."""
    taken: list[CategorySummary] = []
    for category in categories:
        if lines <= 0:
            break
        taken.append(category)
        lines -= 1 + len(category.topics)
    return taken


def category_label(category: CategorySummary) -> Text:
    total = len(category.topics)
    confident = sum(topic.status == "confident" for topic in category.topics)
    return Text.assemble(
        (one_line(category.name), "bold"),
        (f"  {progress_bar(confident, total)} {confident}/{total}", "dim"),
    )


def progress_bar(done: int, total: int, width: int = 4) -> str:
    filled = round(width * done / total) if total else 0
    return "▰" * filled + "▱" * (width - filled)


def topic_label(topic: TopicSummary) -> Text:
    # One Text with a span rather than Text.assemble: a hub may have 1,000 topics, and each part
    # assembled is another pass over the text.
    symbol = STATUS_SYMBOLS[topic.status] + " "
    return Text(symbol + one_line(topic.name), spans=[Span(0, len(symbol), "bold")])
