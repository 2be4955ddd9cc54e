"""Challenges: problems met and how they were solved. A filter and the list on the left, the
selected challenge in full on the right, with the topics it is linked to."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Select
from textual.widgets.option_list import Option

from nexus_tui.screens.base import HubScreen
from nexus_tui.store import Store, StoreError, queries
from nexus_tui.store.challenges import (
    ChallengeFields,
    ChallengeFilter,
    ChallengeListing,
    DeletedChallenge,
    add_challenge,
    delete_challenge,
    list_challenges,
    restore_challenge,
    set_challenge_status,
    update_challenge,
)
from nexus_tui.store.records import Challenge, ChallengeSummary, SearchResult, TopicSummary
from nexus_tui.text import age, markdown_literal, one_line, safe_text
from nexus_tui.widgets.lists import KeyOptionList
from nexus_tui.widgets.markdown_view import MarkdownView

if TYPE_CHECKING:
    import sqlite3
    from datetime import datetime

STATUS_CHOICES = (("All", "all"), ("Open", "open"), ("Solved", "solved"))
FILTER_WIDGETS = frozenset({"filter-text", "filter-status", "filter-topics"})
# Actions on the highlighted challenge: dimmed (None) while no challenge is shown.
ON_A_CHALLENGE = frozenset({"edit_challenge", "solve", "reopen", "delete_challenge"})


def all_topics(conn: sqlite3.Connection) -> list[TopicSummary]:
    """Every topic, in the Topics screen's order, for the pickers."""
    return [topic for category in queries.categories_with_topics(conn) for topic in category.topics]


def fields_of(item: Challenge) -> ChallengeFields:
    return ChallengeFields(
        item.title,
        item.challenge,
        item.solution,
        tuple(topic.id for topic in item.topics),
        item.links,
    )


class ChallengesScreen(HubScreen):
    CSS_PATH = "list_and_detail.tcss"
    SUB_TITLE = "Challenges"
    # The list, not the filter box above it: the screen's letter keys must work at once.
    AUTO_FOCUS = "#challenge-list"
    BINDINGS = [
        Binding(
            "n", "new_challenge", "New", tooltip="Write down a new challenge", id="new-challenge"
        ),
        Binding(
            "e",
            "edit_challenge",
            "Edit",
            tooltip="Edit the selected challenge",
            id="edit-challenge",
        ),
        # One key, two labels: check_action offers the one that applies, so the footer says
        # what s will do.
        Binding(
            "s",
            "solve",
            "Mark solved",
            tooltip="Mark the challenge solved (asks for the solution if it has none)",
            id="solve-challenge",
        ),
        Binding(
            "s",
            "reopen",
            "Reopen",
            tooltip="Reopen the solved challenge",
            id="reopen-challenge",
        ),
        Binding(
            "d",
            "delete_challenge",
            "Delete",
            tooltip="Delete the selected challenge",
            id="delete-challenge",
        ),
        Binding(
            "u",
            "undo_delete",
            "Undo delete",
            tooltip="Bring back the challenge just deleted",
            show=False,
            id="undo-delete-challenge",
        ),
        Binding(
            "t",
            "go_to_topic",
            "Go to topic",
            tooltip="Show the linked topic (the one highlighted below the challenge) on Topics",
            id="challenge-go-to-topic",
        ),
        Binding(
            "f",
            "focus_filter",
            "Filter",
            tooltip="Filter by words in the title, problem or solution (escape clears)",
            id="filter-challenges",
        ),
        Binding(
            "v",
            "cycle_status_filter",
            "Show all / open / solved",
            tooltip="Show all challenges, only the open ones, or only the solved ones",
            show=False,
            id="challenge-status-filter",
        ),
        Binding(
            "T",
            "pick_topic_filter",
            "Filter by topic",
            tooltip="Show only the challenges linked to the topics you tick",
            show=False,
            id="challenge-topic-filter",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.where = ChallengeFilter()
        """The filter the list shows (or is being read for)."""
        self.topics: list[TopicSummary] = []
        """Every topic, for the topic filter."""
        self.challenge_id: int | None = None
        """The highlighted challenge."""
        self.shown: Challenge | None = None
        """The highlighted challenge as last read, once its details are in."""
        self.last_deleted: DeletedChallenge | None = None
        self.reveal_id: str | None = None
        """A challenge to highlight once it is listed (found by search, just saved)."""
        self.reveal_clears_filter = False
        """Whether that challenge is worth clearing the filter for, if the filter hides it."""
        self.loaded = False
        self.list_asked = 0
        self.detail_asked = 0
        """Numbers of the latest reads asked for: an older answer arriving later is dropped."""

    def compose_body(self) -> ComposeResult:
        with Horizontal(classes="list-and-detail"):
            with Vertical(id="challenge-side"):
                with Vertical(id="challenge-filters") as filters:
                    filters.border_title = "Filter · f"
                    yield Input(
                        placeholder="Words in title, problem, solution",
                        id="filter-text",
                        compact=True,
                    )
                    with Horizontal(id="filter-row"):
                        yield Select(
                            STATUS_CHOICES,
                            value="all",
                            allow_blank=False,
                            compact=True,
                            id="filter-status",
                        )
                        yield Button("Any topic", id="filter-topics", compact=True)
                challenges = KeyOptionList(id="challenge-list")
                challenges.border_title = "Challenges"
                yield challenges
            with Vertical(id="challenge-pane"):
                yield MarkdownView(id="challenge-view")
                linked = KeyOptionList(id="linked-topics")
                linked.border_title = "Topics · t or enter opens"
                linked.display = False
                yield linked

    # Reading -------------------------------------------------------------------------------

    def load(self, store: Store) -> None:
        self.reload_list(store)
        self.load_topics(store)

    def on_screen_resume(self) -> None:
        # Topics may have been renamed or deleted on their screen meanwhile.
        if self.loaded and self.app.store is not None:
            self.load(self.app.store)

    def reload_list(self, store: Store) -> None:
        self.list_asked += 1
        self.load_challenges(store, self.list_asked, self.where)

    @work(thread=True, exclusive=True, group="challenges", exit_on_error=False)
    def load_challenges(self, store: Store, asked: int, where: ChallengeFilter) -> None:
        listing = store.read(list_challenges, where)
        self.app.call_from_thread(self.show_challenges, asked, where, listing)

    @work(thread=True, exclusive=True, group="challenge-topics", exit_on_error=False)
    def load_topics(self, store: Store) -> None:
        topics = store.read(all_topics)
        self.app.call_from_thread(self.show_topics, topics)

    def show_topics(self, topics: list[TopicSummary]) -> None:
        self.topics = topics
        known = {topic.id for topic in topics}
        if any(topic_id not in known for topic_id in self.where.topic_ids):
            # A topic of the filter was deleted: filtering by it would hide everything for good.
            ids = tuple(topic_id for topic_id in self.where.topic_ids if topic_id in known)
            self.set_filter(self.where._replace(topic_ids=ids))
        else:
            self.show_filter_state()

    def show_challenges(
        self, asked: int, where: ChallengeFilter, listing: ChallengeListing
    ) -> None:
        # An answer to an older read (a filter since changed, a list since written to) is dropped.
        if asked != self.list_asked:
            return
        self.loaded = True
        challenge_list = self.query_one("#challenge-list", KeyOptionList)
        ids = [str(item.id) for item in listing.items]
        if self.reveal_id is not None and self.reveal_id not in ids:
            if self.reveal_clears_filter and where.active:
                # Just written, yet hidden by the filter: show everything, then select it.
                self.clear_filters()
                return
            self.reveal_id = None
        previous = challenge_list.highlighted
        keep = challenge_list.highlighted_option.id if challenge_list.highlighted_option else None
        challenge_list.clear_options()
        challenge_list.add_options(
            Option(challenge_prompt(item), id=str(item.id)) for item in listing.items
        )
        challenge_list.border_title = (
            f"Challenges {len(ids)} of {listing.total}" if where.active else "Challenges"
        )
        if not ids:
            self.challenge_id = None
            self.show_challenge(None, None)
            self.query_one("#challenge-view", MarkdownView).show_message(
                "No challenge matches the filter. Escape clears it."
                if where.active
                else "No challenges yet. When you solve a hard problem, press n and write "
                "it down here."
            )
            return
        if self.reveal_id is not None:
            challenge_list.highlighted = ids.index(self.reveal_id)
            self.reveal_id = None
            challenge_list.focus()
        elif keep in ids:
            challenge_list.highlighted = ids.index(keep)
        else:
            # The highlighted one went (deleted, or filtered out): its neighbour takes its place.
            challenge_list.highlighted = min(previous or 0, len(ids) - 1)

    def reveal(self, kind: str, item_id: int) -> None:
        # The list may still be loading (first visit): remember the id until it is there.
        self.reveal_id, self.reveal_clears_filter = str(item_id), True
        challenge_list = self.query_one("#challenge-list", KeyOptionList)
        if challenge_list.highlight_id(self.reveal_id):
            self.reveal_id = None
            challenge_list.focus()
        elif self.loaded:
            if self.where.active:
                self.clear_filters()
            elif self.app.store is not None:
                self.reload_list(self.app.store)

    @on(KeyOptionList.OptionHighlighted, "#challenge-list")
    def challenge_highlighted(self, event: KeyOptionList.OptionHighlighted) -> None:
        if self.app.store is not None and event.option.id is not None:
            self.challenge_id = int(event.option.id)
            self.detail_asked += 1
            self.load_challenge(self.app.store, self.detail_asked, self.challenge_id)

    @on(KeyOptionList.OptionSelected, "#challenge-list")
    def challenge_selected(self) -> None:
        self.query_one("#challenge-view").focus()

    @work(thread=True, exclusive=True, group="challenge", exit_on_error=False)
    def load_challenge(self, store: Store, asked: int, challenge_id: int) -> None:
        item = store.read(queries.challenge, challenge_id)
        self.app.call_from_thread(self.show_challenge, challenge_id, item, asked)

    def show_challenge(
        self, challenge_id: int | None, item: Challenge | None, asked: int | None = None
    ) -> None:
        # A slower answer for a row the cursor has already left, or an older read of this one,
        # is dropped.
        if challenge_id != self.challenge_id or asked not in (None, self.detail_asked):
            return
        if item is not None and item == self.shown:
            # Read again unchanged (the list was reloaded): the pane keeps its scroll position
            # and the highlighted topic.
            return
        self.shown = item
        self.refresh_bindings()
        linked = self.query_one("#linked-topics", KeyOptionList)
        linked.clear_options()
        linked.display = item is not None and bool(item.topics)
        if item is None:
            if challenge_id is not None:
                self.query_one("#challenge-view", MarkdownView).show_message(
                    "This challenge no longer exists."
                )
            return
        linked.add_options(
            Option(Content(one_line(topic.name)), id=str(topic.id)) for topic in item.topics
        )
        if item.topics:
            linked.highlighted = 0
        self.query_one("#challenge-view", MarkdownView).show(
            challenge_markdown(item, self.app.clock())
        )

    def current(self) -> Challenge | None:
        """The highlighted challenge, when its details are shown."""
        item = self.shown
        return item if item is not None and item.id == self.challenge_id else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        item = self.current()
        if action == "reopen":
            return item is not None and item.status == "solved"
        if action == "solve" and item is not None and item.status == "solved":
            return False  # s is Reopen here
        if action in ON_A_CHALLENGE:
            return None if item is None else True
        if action == "go_to_topic":
            return None if item is None or not item.topics else True
        if action == "undo_delete":
            return None if self.last_deleted is None else True
        return True

    # Filtering -------------------------------------------------------------------------------

    def action_focus_filter(self) -> None:
        self.query_one("#filter-text", Input).focus()

    @on(Input.Changed, "#filter-text")
    @on(Select.Changed, "#filter-status")
    def filter_typed(self) -> None:
        status = self.query_one("#filter-status", Select).value
        text = self.query_one("#filter-text", Input).value
        self.set_filter(
            self.where._replace(text=text, status=None if status == "all" else str(status))
        )

    @on(Input.Submitted, "#filter-text")
    def filter_submitted(self) -> None:
        self.query_one("#challenge-list").focus()

    def set_filter(self, where: ChallengeFilter) -> None:
        if where == self.where:
            return
        self.where = where
        self.show_filter_state()
        if self.app.store is not None:
            self.reload_list(self.app.store)

    def show_filter_state(self) -> None:
        chosen = [topic for topic in self.topics if topic.id in self.where.topic_ids]
        if not chosen:
            label = "Any topic"
        elif len(chosen) == 1:
            label = one_line(chosen[0].name, 22)
        else:
            label = f"Any of {len(chosen)} topics"
        self.query_one("#filter-topics", Button).label = Content(label)

    def clear_filters(self) -> None:
        # The widgets' own change messages then find the filter already cleared.
        self.query_one("#filter-text", Input).value = ""
        self.query_one("#filter-status", Select).value = "all"
        self.set_filter(ChallengeFilter())

    def action_cycle_status_filter(self) -> None:
        select = self.query_one("#filter-status", Select)
        values = [value for _, value in STATUS_CHOICES]
        select.value = values[(values.index(str(select.value)) + 1) % len(values)]

    @on(Button.Pressed, "#filter-topics")
    def action_pick_topic_filter(self) -> None:
        from nexus_tui.screens.topic_picker import TopicPicker

        def picked(chosen: tuple[int, ...] | None) -> None:
            if chosen is not None:
                self.set_filter(self.where._replace(topic_ids=chosen))

        self.app.push_screen(
            TopicPicker("Show the challenges on these topics", self.topics, self.where.topic_ids),
            picked,
        )

    def action_back(self) -> None:
        """Escape goes back to the list from anywhere; in the filter or on the list, it clears
        the filter too."""
        focused = self.focused
        challenge_list = self.query_one("#challenge-list", KeyOptionList)
        in_filter = focused is not None and focused.id in FILTER_WIDGETS
        if (in_filter or focused is challenge_list) and self.where.active:
            self.clear_filters()
        challenge_list.focus()

    # Jumping to a topic ----------------------------------------------------------------------

    def action_go_to_topic(self) -> None:
        item = self.current()
        if item is None or not item.topics:
            return
        index = self.query_one("#linked-topics", KeyOptionList).highlighted or 0
        topic = item.topics[min(index, len(item.topics) - 1)]
        # The way search shows a result: the app switches screens and reveals it there.
        self.app.reveal(SearchResult("topic", topic.id, topic.name, "", ()))

    @on(KeyOptionList.OptionSelected, "#linked-topics")
    def linked_topic_selected(self) -> None:
        self.action_go_to_topic()

    # Writing ---------------------------------------------------------------------------------

    def action_new_challenge(self) -> None:
        if self.app.store is not None:
            self.read_for_form(self.app.store, None)

    def action_edit_challenge(self) -> None:
        item = self.current()
        if self.app.store is not None and item is not None:
            self.read_for_form(self.app.store, item.id)

    @work(thread=True, exclusive=True, group="form", exit_on_error=False)
    def read_for_form(
        self,
        store: Store,
        challenge_id: int | None,
        typed: ChallengeFields | None = None,
        solving: bool = False,
    ) -> None:
        """Read what the form needs, then open it on `typed` (the user's own text) if given,
        else on the challenge as stored."""
        topics = store.read(all_topics)
        item = None if challenge_id is None else store.read(queries.challenge, challenge_id)
        if challenge_id is not None and item is None:
            self.app.call_from_thread(self.challenge_gone, store, topics, typed)
        else:
            self.app.call_from_thread(self.open_form, store, topics, item, typed, solving)

    def challenge_gone(
        self, store: Store, topics: list[TopicSummary], typed: ChallengeFields | None
    ) -> None:
        if typed is None:
            self.notify("This challenge no longer exists.", severity="warning")
            self.reload_list(store)
            return
        # Deleted elsewhere while being edited: what was typed can still be kept, as a new one.
        self.notify(
            "This challenge was deleted meanwhile. Save your text as a new challenge, "
            "or escape to let it go.",
            severity="warning",
            timeout=12,
        )
        self.open_form(store, topics, None, typed, heading="New challenge (the original is gone)")

    def open_form(
        self,
        store: Store,
        topics: list[TopicSummary],
        item: Challenge | None,
        typed: ChallengeFields | None = None,
        solving: bool = False,
        heading: str | None = None,
    ) -> None:
        from nexus_tui.screens.challenge_form import ChallengeForm

        saved = None if item is None else fields_of(item)
        if heading is None:
            heading = (
                "Write how you solved it"
                if solving
                else "New challenge"
                if item is None
                else "Edit challenge"
            )

        def save(fields: ChallengeFields | None) -> None:
            if fields is None:
                return
            if item is None:
                self.save_new(store, fields)
            else:
                self.save_edit(store, item, fields, check=True, solving=solving)

        form = ChallengeForm(
            heading,
            topics,
            typed or saved,
            saved=saved,
            needs_solution=solving or (item is not None and item.status == "solved"),
            focus_solution=solving,
        )
        self.app.push_screen(form, save)

    @work(thread=True, group="write", exit_on_error=False)
    def save_new(self, store: Store, fields: ChallengeFields) -> None:
        try:
            challenge_id = store.write(add_challenge, fields, store.clock())
        except StoreError as error:
            self.app.call_from_thread(self.not_saved, store, None, fields, False, error)
            return
        self.app.call_from_thread(self.challenge_saved, store, challenge_id, "Challenge saved.")

    @work(thread=True, group="write", exit_on_error=False)
    def save_edit(
        self, store: Store, item: Challenge, fields: ChallengeFields, check: bool, solving: bool
    ) -> None:
        seen = item.updated_at if check else None
        status = "solved" if solving else None
        try:
            saved = store.write(update_challenge, item.id, fields, seen, store.clock(), status)
        except StoreError as error:
            self.app.call_from_thread(self.not_saved, store, item.id, fields, solving, error)
            return
        if saved:
            message = "Marked solved." if solving else "Challenge saved."
            self.app.call_from_thread(self.challenge_saved, store, item.id, message)
        elif store.read(queries.challenge, item.id) is None:
            topics = store.read(all_topics)
            self.app.call_from_thread(self.challenge_gone, store, topics, fields)
        else:
            self.app.call_from_thread(self.edit_conflict, store, item, fields, solving)

    def not_saved(
        self,
        store: Store,
        challenge_id: int | None,
        fields: ChallengeFields,
        solving: bool,
        error: StoreError,
    ) -> None:
        # The form comes back with the text, so it can be saved once the database lets it.
        self.notify(str(error), title="Not saved", severity="error", timeout=15, markup=False)
        self.read_for_form(store, challenge_id, fields, solving)

    def edit_conflict(
        self, store: Store, item: Challenge, fields: ChallengeFields, solving: bool
    ) -> None:
        """Another window saved this challenge meanwhile: the user chooses, and loses nothing."""
        from nexus_tui.screens.confirm import ConfirmScreen

        def answered(overwrite: bool | None) -> None:
            if overwrite:
                self.save_edit(store, item, fields, check=False, solving=solving)
            else:
                # Their version becomes the base; the user's text goes back into the form.
                self.read_for_form(store, item.id, fields, solving)

        self.app.push_screen(
            ConfirmScreen(
                "This challenge changed elsewhere",
                "Another window saved this challenge after you opened it. Overwrite it with "
                "your version? Answer no to get your text back in the form, on top of theirs.",
                "Overwrite",
            ),
            answered,
        )

    def challenge_saved(
        self, store: Store, challenge_id: int, message: str | None = None, follow: bool = True
    ) -> None:
        """Reload the list and select the challenge; `follow` clears a filter that hides it."""
        if message:
            self.notify(message, markup=False)
        self.reveal_id, self.reveal_clears_filter = str(challenge_id), follow
        self.reload_list(store)

    def action_solve(self) -> None:
        item = self.current()
        if self.app.store is not None and item is not None:
            self.change_status(self.app.store, item.id, "solved")

    def action_reopen(self) -> None:
        item = self.current()
        if self.app.store is not None and item is not None:
            self.change_status(self.app.store, item.id, "open")

    @work(thread=True, group="write", exit_on_error=False)
    def change_status(self, store: Store, challenge_id: int, status: str) -> None:
        # Decided on the challenge as stored now: another window may have solved it already.
        item = store.read(queries.challenge, challenge_id)
        if item is None:
            self.app.call_from_thread(self.challenge_gone, store, [], None)
            return
        if status == "solved" and item.status != "solved" and not item.solution.strip():
            topics = store.read(all_topics)
            self.app.call_from_thread(self.open_form, store, topics, item, None, True)
            return
        if item.status != status:
            store.write(set_challenge_status, challenge_id, status, store.clock())
        title = one_line(item.title, 60)
        message = (
            f"“{title}” marked solved."
            if status == "solved"
            else f"“{title}” reopened: it is listed with the open ones again."
        )
        # A status filter may now hide it; the cursor then stays where it was in the list.
        self.app.call_from_thread(self.challenge_saved, store, challenge_id, message, False)

    def action_delete_challenge(self) -> None:
        from nexus_tui.screens.confirm import ConfirmScreen

        store, item = self.app.store, self.current()
        if store is None or item is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.delete(store, item.id)

        self.app.push_screen(
            ConfirmScreen("Delete this challenge?", delete_question(item), "Delete"), answered
        )

    @work(thread=True, group="write", exit_on_error=False)
    def delete(self, store: Store, challenge_id: int) -> None:
        deleted = store.write(delete_challenge, challenge_id)
        self.app.call_from_thread(self.challenge_deleted, store, deleted)

    def challenge_deleted(self, store: Store, deleted: DeletedChallenge | None) -> None:
        if deleted is not None:
            self.last_deleted = deleted
            self.refresh_bindings()
            self.notify("Challenge deleted. Press u to undo.", timeout=8)
        self.reload_list(store)

    def action_undo_delete(self) -> None:
        if self.app.store is not None and self.last_deleted is not None:
            deleted, self.last_deleted = self.last_deleted, None
            self.refresh_bindings()
            self.undelete(self.app.store, deleted)

    @work(thread=True, group="write", exit_on_error=False)
    def undelete(self, store: Store, deleted: DeletedChallenge) -> None:
        challenge_id = store.write(restore_challenge, deleted)
        self.app.call_from_thread(self.challenge_saved, store, challenge_id, "Challenge restored.")


def delete_question(item: Challenge) -> str:
    links = len(item.links)
    extra = f" and its {links} link{'s' if links != 1 else ''}" if links else ""
    return f"{one_line(item.title)}\n\nIts topic links{extra} go with it. u undoes it."


def challenge_prompt(item: ChallengeSummary) -> Content:
    mark = ("✓ ", "$text-success") if item.status == "solved" else ("○ ", "$text-warning")
    return Content.assemble(mark, one_line(item.title))


def challenge_markdown(item: Challenge, now: datetime) -> str:
    status = "Solved" if item.status == "solved" else "Open"
    parts = [
        f"# {markdown_literal(item.title)}",
        f"*{status} · changed {age(item.updated_at, now)}*",
        "## Problem",
        safe_text(item.challenge).strip() or "*Not written yet.*",
        "## Solution",
        safe_text(item.solution).strip()
        or ("*Not written down.*" if item.status == "solved" else "*Not solved yet.*"),
    ]
    if item.links:
        parts += [
            "## Links",
            "\n".join(
                f"- {markdown_literal(link.label)}: <{one_line(link.url)}>"
                if link.label
                else f"- <{one_line(link.url)}>"
                for link in item.links
            ),
        ]
    return "\n\n".join(parts)
