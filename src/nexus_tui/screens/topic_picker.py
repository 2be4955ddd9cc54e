"""Choosing topics from all of the hub's, with a box that narrows the list as you type.

Answers the ids ticked (in the order of the list), or None when cancelled. Used to link a
challenge to its topics and to filter the Challenges screen by topic.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, SelectionList, Static
from textual.widgets.selection_list import Selection

from nexus_tui.store.records import TopicSummary
from nexus_tui.text import one_line


class KeySelectionList(SelectionList[int]):
    """A list of check boxes with the app's list keys (j/k, g/G)."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "first", "Top", show=False),
        Binding("G", "last", "Bottom", show=False),
    ]


def matching_topics(topics: Iterable[TopicSummary], text: str) -> list[TopicSummary]:
    """The topics whose name or category holds every word typed, case aside."""
    words = text.casefold().split()
    return [
        topic
        for topic in topics
        if all(word in f"{topic.name}\n{topic.category}".casefold() for word in words)
    ]


class TopicPicker(ModalScreen[tuple[int, ...] | None]):
    CSS_PATH = "topic_picker.tcss"
    BINDINGS = [
        Binding("ctrl+s", "done", "Done", id="topic-picker-done"),
        Binding("escape", "cancel", "Cancel", id="topic-picker-cancel"),
        # From the box into the list, where space ticks and j/k move; the list's own down
        # binding wins there.
        Binding("down", "to_list", "To the list", show=False, id="topic-picker-to-list"),
    ]

    def __init__(
        self, heading: str, topics: Sequence[TopicSummary], chosen: Iterable[int] = ()
    ) -> None:
        super().__init__()
        self.heading = heading
        self.topics = list(topics)
        known = {topic.id for topic in self.topics}
        self.start = frozenset(topic_id for topic_id in chosen if topic_id in known)
        self.chosen = set(self.start)
        """Ticked, listed or not: narrowing the list keeps the ticks of the topics it hides."""

    def compose(self) -> ComposeResult:
        with Vertical(id="topic-picker") as dialog:
            dialog.border_title = self.heading
            dialog.border_subtitle = "space ticks · ctrl+s done · escape cancels"
            yield Input(placeholder="Type to narrow the list", id="topic-picker-filter")
            yield KeySelectionList(id="topic-picker-list")
            yield Static(id="topic-picker-status")

    def on_mount(self) -> None:
        self.show_matches()

    @on(Input.Changed, "#topic-picker-filter")
    def show_matches(self) -> None:
        text = self.query_one("#topic-picker-filter", Input).value
        options = self.query_one("#topic-picker-list", KeySelectionList)
        options.clear_options()
        matches = matching_topics(self.topics, text)
        options.add_options(
            Selection(topic_prompt(topic), topic.id, topic.id in self.chosen) for topic in matches
        )
        if matches:
            options.highlighted = 0
        self.show_status(text if not matches else None)

    def show_status(self, unmatched: str | None = None) -> None:
        if unmatched is not None and self.topics:
            message = Content(f"No topic has “{one_line(unmatched, 40)}” in its name.")
        elif not self.topics:
            message = Content("There are no topics yet: add some on the Topics screen (1).")
        elif self.chosen:
            names = [one_line(topic.name) for topic in self.topics if topic.id in self.chosen]
            message = Content(f"{len(names)} ticked: {', '.join(names)}")
        else:
            message = Content("None ticked.")
        self.query_one("#topic-picker-status", Static).update(message)

    @on(KeySelectionList.SelectionToggled, "#topic-picker-list")
    def toggled(self, event: KeySelectionList.SelectionToggled) -> None:
        topic_id = event.selection.value
        if topic_id in self.chosen:
            self.chosen.discard(topic_id)
        else:
            self.chosen.add(topic_id)
        self.show_status()

    @on(Input.Submitted, "#topic-picker-filter")
    def tick_first_match(self) -> None:
        """enter in the box ticks (or unticks) the highlighted topic: type, enter, type, enter."""
        options = self.query_one("#topic-picker-list", KeySelectionList)
        if options.highlighted is not None:
            # Posts SelectionToggled, which `toggled` counts like a tick by hand.
            options.toggle(options.get_option_at_index(options.highlighted))

    def action_to_list(self) -> None:
        self.query_one("#topic-picker-list").focus()

    def action_done(self) -> None:
        self.dismiss(tuple(topic.id for topic in self.topics if topic.id in self.chosen))

    def action_cancel(self) -> None:
        if self.chosen == self.start:
            self.dismiss(None)
            return
        from nexus_tui.screens.confirm import ConfirmScreen

        def answered(forget: bool | None) -> None:
            if forget:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmScreen("Forget your ticks?", "The topics stay as they were.", "Forget"),
            answered,
        )


def topic_prompt(topic: TopicSummary) -> Content:
    return Content.assemble(one_line(topic.name), (f" · {one_line(topic.category)}", "dim"))
