"""Topics: categories and their topics on the left, the selected topic's notes on the right."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Static
from textual.widgets.option_list import Option
from textual.widgets.tree import TreeNode

from nexus_tui.screens.base import HubScreen
from nexus_tui.store import Store, queries
from nexus_tui.store.changes import (
    add_note,
    delete_note,
    next_status,
    restore_note,
    set_topic_status,
    toggle_pinned,
    update_note,
)
from nexus_tui.store.records import CategorySummary, Note, NoteSummary, TopicSummary
from nexus_tui.text import age, markdown_literal, one_line, safe_text
from nexus_tui.widgets.lists import KeyOptionList, KeyTree
from nexus_tui.widgets.markdown_view import MarkdownView

if TYPE_CHECKING:
    from nexus_tui.screens.note_editor import NoteFields

STATUS_SYMBOLS = {"not_started": "·", "learning": "◔", "practising": "◑", "confident": "●"}
STATUS_WORDS = {
    "not_started": "not started",
    "learning": "learning",
    "practising": "practising",
    "confident": "confident",
}


class TopicsScreen(HubScreen):
    SUB_TITLE = "Topics"
    BINDINGS = [
        Binding("n", "new_note", "New", tooltip="Write a new note on this topic", id="new-note"),
        Binding("e", "edit_note", "Edit", tooltip="Edit the selected note", id="edit-note"),
        Binding("d", "delete_note", "Delete", tooltip="Delete the selected note", id="delete-note"),
        Binding("u", "undo_delete", "Undo delete", show=False, id="undo-delete"),
        Binding("p", "toggle_pin", "Pin", tooltip="Pin / unpin the note", show=False, id="pin"),
        Binding("s", "cycle_status", "Status", tooltip="Next learning status", id="cycle-status"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.topic_id: int | None = None
        """The topic whose notes are shown (None on a category row)."""
        self.note_id: int | None = None
        """The note shown in the pane."""
        self.listed_notes: dict[str, NoteSummary] = {}
        """The notes in the list, by option id."""
        self.deleted_note: dict[str, object] | None = None
        """The last note deleted here, as stored, so `u` can put it back."""
        self.reveal_note_id: str | None = None
        """A note found by search, to select once its topic's notes are listed."""

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="topics-body"):
            tree: KeyTree[CategorySummary | TopicSummary] = KeyTree("Topics", id="topic-tree")
            tree.show_root = False
            tree.border_title = "Topics"
            yield tree
            with Vertical(id="topic-pane"):
                yield Static(id="topic-heading")
                notes = KeyOptionList(id="note-list")
                notes.border_title = "Notes"
                yield notes
                yield MarkdownView(id="note-view")

    def load(self, store: Store) -> None:
        first = self.app.take_first_categories()
        if first is not None:
            self.show_categories(first)
        else:
            self.load_categories(store)

    @work(thread=True, exclusive=True, group="topics", exit_on_error=False)
    def load_categories(self, store: Store) -> None:
        categories = store.read(queries.categories_with_topics)
        self.app.call_from_thread(self.show_categories, categories)

    def show_categories(self, categories: list[CategorySummary]) -> None:
        tree = self.query_one("#topic-tree", KeyTree)
        current = tree.cursor_node.data if tree.cursor_node else None
        if not isinstance(current, TopicSummary):
            current = None
        tree.clear()
        # Every category is expanded, so a topic's line is its position in this walk.
        line, cursor_line = 0, None
        for category in categories:
            label = category_label(category)
            branch = tree.root.add(label, data=category, expand=True)
            line += 1
            for topic in category.topics:
                branch.add_leaf(topic_label(topic), data=topic)
                if cursor_line is None or (current is not None and topic.id == current.id):
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
        self.reveal_note_id = str(note_id)
        if topic_id == self.topic_id:
            note_list = self.query_one("#note-list", KeyOptionList)
            if note_list.highlight_id(self.reveal_note_id):
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

        # Imported on first use: the editor's TextArea is not needed for the first frame.
        from nexus_tui.screens.note_editor import NoteEditor

        def save(fields: NoteFields | None) -> None:
            if fields is not None:
                self.save_new_note(store, topic_id, fields)

        self.app.push_screen(NoteEditor("New note"), save)

    @work(thread=True, group="write", exit_on_error=False)
    def save_new_note(self, store: Store, topic_id: int, fields: NoteFields) -> None:
        note_id = store.write(
            add_note, topic_id, fields.title, fields.body, fields.tags, store.clock()
        )
        self.app.call_from_thread(self.note_saved, store, note_id)

    def action_edit_note(self) -> None:
        if self.app.store is not None and self.note_id is not None:
            self.open_editor(self.app.store, self.note_id)

    @work(thread=True, exclusive=True, group="edit", exit_on_error=False)
    def open_editor(self, store: Store, note_id: int, fields: NoteFields | None = None) -> None:
        note = store.read(queries.note, note_id)
        if note is not None:
            self.app.call_from_thread(self.edit, store, note, fields)

    def edit(self, store: Store, note: Note, fields: NoteFields | None) -> None:
        """Open the editor on a note; `fields` (the user's own text) win over the saved ones."""
        from nexus_tui.screens.note_editor import NoteEditor, NoteFields

        start = fields or NoteFields(note.title, list(note.tags), note.body)

        def save(edited: NoteFields | None) -> None:
            if edited is not None:
                self.save_edit(store, note, edited, check=True)

        self.app.push_screen(NoteEditor("Edit note", start), save)

    @work(thread=True, group="write", exit_on_error=False)
    def save_edit(self, store: Store, note: Note, fields: NoteFields, check: bool) -> None:
        seen = note.updated_at if check else None
        saved = store.write(
            update_note, note.id, fields.title, fields.body, fields.tags, seen, store.clock()
        )
        if saved:
            self.app.call_from_thread(self.note_saved, store, note.id)
        else:
            self.app.call_from_thread(self.edit_conflict, store, note, fields)

    def edit_conflict(self, store: Store, note: Note, fields: NoteFields) -> None:
        """Another window saved this note meanwhile: the user chooses, and loses nothing."""
        from nexus_tui.screens.confirm import ConfirmScreen

        def answered(overwrite: bool | None) -> None:
            if overwrite:
                self.save_edit(store, note, fields, check=False)
            else:
                # Their version becomes the base; the user's text goes back into the editor.
                self.open_editor(store, note.id, fields)

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
        self.reveal_note_id = str(note_id)
        # Counts in the tree change too; reloading keeps the cursor and then selects the note.
        self.load_categories(store)

    def action_delete_note(self) -> None:
        from nexus_tui.screens.confirm import ConfirmScreen

        store, note_id = self.app.store, self.note_id
        note = self.listed_notes.get(str(note_id))
        if store is None or note is None:
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
            self.deleted_note = row
            self.notify("Note deleted. Press u to undo.", timeout=8)
        self.load_categories(store)

    def action_undo_delete(self) -> None:
        if self.app.store is not None and self.deleted_note is not None:
            row, self.deleted_note = self.deleted_note, None
            self.undelete(self.app.store, row)

    @work(thread=True, group="write", exit_on_error=False)
    def undelete(self, store: Store, row: dict[str, object]) -> None:
        if store.write(restore_note, row):
            self.app.call_from_thread(self.reveal_note, int(row["topic_id"]), int(row["id"]))
            self.app.call_from_thread(self.load_categories, store)
        else:
            self.app.call_from_thread(
                self.notify, "Cannot undo: the note's topic is gone.", severity="warning"
            )

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

    @on(KeyTree.NodeHighlighted, "#topic-tree")
    def topic_highlighted(self, event: KeyTree.NodeHighlighted) -> None:
        if self.app.store is not None:  # an empty tree before the hub is open says nothing
            self.show_node(event.node)

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
        note_list = self.query_one("#note-list", KeyOptionList)
        note_list.clear_options()
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
        if self.app.store is not None:
            self.load_notes(self.app.store, topic.id)

    @work(thread=True, exclusive=True, group="notes", exit_on_error=False)
    def load_notes(self, store: Store, topic_id: int) -> None:
        notes = store.read(queries.notes_of_topic, topic_id)
        self.app.call_from_thread(self.show_notes, topic_id, notes)

    def show_notes(self, topic_id: int, notes: list[NoteSummary]) -> None:
        # The cursor may have moved on while the notes were read: a late answer is dropped.
        if topic_id != self.topic_id:
            return
        self.listed_notes = {str(note.id): note for note in notes}
        note_list = self.query_one("#note-list", KeyOptionList)
        note_list.clear_options()
        note_list.add_options(
            Option(note_prompt(note, self.app.clock()), id=str(note.id)) for note in notes
        )
        if self.reveal_note_id is not None and note_list.highlight_id(self.reveal_note_id):
            self.reveal_note_id = None
            note_list.focus()
        elif notes:
            note_list.highlighted = 0
        else:
            self.note_id = None
            self.query_one("#note-view", MarkdownView).show_message("No notes on this topic yet.")

    @on(KeyOptionList.OptionHighlighted, "#note-list")
    def note_highlighted(self, event: KeyOptionList.OptionHighlighted) -> None:
        if self.app.store is not None and event.option.id is not None:
            self.note_id = int(event.option.id)
            self.load_note(self.app.store, self.note_id)

    @on(KeyOptionList.OptionSelected, "#note-list")
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
        meta = f"*{markdown_literal(note.topic)} · updated {updated}* {tags}"
        body.show(f"# {markdown_literal(note.title)}\n\n{meta}\n\n{safe_text(note.body)}")


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
    return Text.assemble((STATUS_SYMBOLS[topic.status] + " ", "bold"), one_line(topic.name))


def note_prompt(note: NoteSummary, now) -> Content:
    return Content.assemble(
        ("📌 " if note.pinned else "", ""),
        (one_line(note.title), "bold" if note.pinned else ""),
        (f"  {age(note.updated_at, now)}", "dim"),
    )
