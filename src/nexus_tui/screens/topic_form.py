"""Naming a topic (new or renamed) and moving it to another category, checked as the user goes.

Both dialogs check against the categories as the Topics screen last read them; the store checks
again when saving, in case another window changed them meanwhile.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static
from textual.widgets.option_list import Option

from nexus_tui.store.changes import MAX_TOPIC_NAME, taken_name, topic_name_problem
from nexus_tui.store.records import CategorySummary, TopicSummary
from nexus_tui.text import one_line
from nexus_tui.widgets.lists import KeyOptionList
from nexus_tui.widgets.text_boxes import ControlPictures


class TopicNameForm(ModalScreen[str | None]):
    """Answers the name to save (stripped), or None when cancelled or left unchanged."""

    CSS_PATH = "topic_form.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="save-topic"),
        Binding("escape", "cancel", "Cancel", id="cancel-topic"),
    ]

    def __init__(
        self,
        category: CategorySummary,
        topic: TopicSummary | None = None,
        typed: str | None = None,
        problem: str | None = None,
    ) -> None:
        """A new topic of `category`, or a new name for `topic`. `typed` and `problem` bring
        back a name the store has just refused, with the reason."""
        super().__init__()
        self.heading = "New topic" if topic is None else "Rename topic"
        self.category = category
        self.original = "" if topic is None else topic.name
        self.start = self.original if typed is None else typed
        # A topic being renamed may keep its own name, or change only its case.
        self.taken = [each.name for each in category.topics if topic is None or each.id != topic.id]
        self.first_problem = problem

    def compose(self) -> ComposeResult:
        with Vertical(id="topic-form", classes="topic-dialog") as dialog:
            dialog.border_title = self.heading
            dialog.border_subtitle = "enter saves · escape cancels"
            yield Static(
                Content.assemble(
                    "In ",
                    (one_line(self.category.name), "bold"),
                    f" · up to {MAX_TOPIC_NAME} characters",
                ),
                classes="topic-hint",
            )
            yield Input(
                self.start,
                placeholder="Topic name",
                id="topic-name",
                highlighter=ControlPictures(),
            )
            yield Static(Content(self.first_problem or ""), id="topic-problem")

    def problem(self) -> str | None:
        name = self.query_one("#topic-name", Input).value
        return topic_name_problem(name, self.taken, one_line(self.category.name))

    @on(Input.Changed, "#topic-name")
    def check(self) -> None:
        self.query_one("#topic-problem", Static).update(Content(self.problem() or ""))

    @on(Input.Submitted, "#topic-name")
    def action_save(self) -> None:
        problem = self.problem()
        if problem is not None:
            # The dialog stays open with what was typed, and says what to change.
            self.query_one("#topic-problem", Static).update(Content(problem))
            return
        name = self.query_one("#topic-name", Input).value.strip()
        self.dismiss(None if name == self.original else name)

    def action_cancel(self) -> None:
        self.dismiss(None)


class MoveTopicForm(ModalScreen[int | None]):
    """Answers the id of the category chosen, or None when cancelled."""

    CSS_PATH = "topic_form.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", "Move", id="save-move"),
        Binding("escape", "cancel", "Cancel", id="cancel-move"),
    ]

    def __init__(self, topic: TopicSummary, categories: list[CategorySummary]) -> None:
        super().__init__()
        self.topic = topic
        self.categories = {
            str(category.id): category
            for category in categories
            if category.id != topic.category_id
        }

    def compose(self) -> ComposeResult:
        with Vertical(id="move-form", classes="topic-dialog") as dialog:
            dialog.border_title = "Move topic"
            dialog.border_subtitle = "enter moves · escape cancels"
            yield Static(
                Content.assemble(
                    "Move ",
                    (one_line(self.topic.name), "bold"),
                    " from ",
                    (one_line(self.topic.category), "bold"),
                    " to:",
                ),
                classes="topic-hint",
            )
            yield KeyOptionList(
                *(
                    Option(category_prompt(category), id=option_id)
                    for option_id, category in self.categories.items()
                ),
                id="move-categories",
            )
            yield Static(id="topic-problem")

    def on_mount(self) -> None:
        # Highlighting the first choice checks it at once, before any key is pressed.
        options = self.query_one("#move-categories", KeyOptionList)
        if options.option_count:
            options.highlighted = 0

    def chosen(self) -> CategorySummary | None:
        options = self.query_one("#move-categories", KeyOptionList)
        if options.highlighted is None:
            return None
        return self.categories.get(options.get_option_at_index(options.highlighted).id or "")

    def problem(self) -> str | None:
        category = self.chosen()
        if category is None:
            return "Choose the category to move it to."
        # Only a clash stops a move: the name itself was fine where it was.
        same = taken_name(self.topic.name, (topic.name for topic in category.topics))
        if same is None:
            return None
        return f"“{same}” is already in {one_line(category.name)}: rename one of them first."

    @on(KeyOptionList.OptionHighlighted, "#move-categories")
    def check(self) -> None:
        self.query_one("#topic-problem", Static).update(Content(self.problem() or ""))

    @on(KeyOptionList.OptionSelected, "#move-categories")
    def action_save(self) -> None:
        problem = self.problem()
        category = self.chosen()
        if problem is not None or category is None:
            self.query_one("#topic-problem", Static).update(Content(problem or ""))
            return
        self.dismiss(category.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


def category_prompt(category: CategorySummary) -> Content:
    count = len(category.topics)
    return Content.assemble(
        one_line(category.name), (f"  {count} topic{'s' if count != 1 else ''}", "dim")
    )
