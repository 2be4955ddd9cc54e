"""Challenges: problems met and how they were solved; the list and the selected one in full."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets.option_list import Option

from nexus_tui.screens.base import HubScreen
from nexus_tui.store import Store, queries
from nexus_tui.store.records import Challenge, ChallengeSummary
from nexus_tui.text import markdown_literal, one_line, safe_text
from nexus_tui.widgets.lists import KeyOptionList
from nexus_tui.widgets.markdown_view import MarkdownView


class ChallengesScreen(HubScreen):
    reveal_id: str | None = None
    CSS_PATH = "list_and_detail.tcss"
    SUB_TITLE = "Challenges"

    def compose_body(self) -> ComposeResult:
        with Horizontal(classes="list-and-detail"):
            challenges = KeyOptionList(id="challenge-list", classes="master")
            challenges.border_title = "Challenges"
            yield challenges
            yield MarkdownView(id="challenge-view", classes="detail")

    @work(thread=True, exclusive=True, group="challenges", exit_on_error=False)
    def load(self, store: Store) -> None:
        items = store.read(queries.challenges)
        self.app.call_from_thread(self.show_challenges, items)

    def show_challenges(self, items: list[ChallengeSummary]) -> None:
        challenge_list = self.query_one("#challenge-list", KeyOptionList)
        keep = challenge_list.highlighted_option.id if challenge_list.highlighted_option else None
        challenge_list.clear_options()
        challenge_list.add_options(
            Option(challenge_prompt(item), id=str(item.id)) for item in items
        )
        if not items:
            self.query_one("#challenge-view", MarkdownView).show_message(
                "No challenges yet. When you solve a hard problem, write it down here."
            )
            return
        ids = [str(item.id) for item in items]
        challenge_list.highlighted = ids.index(keep) if keep in ids else 0
        self._apply_reveal()

    def reveal(self, kind: str, item_id: int) -> None:
        # The list may still be loading (first visit): remember the id until it is there.
        self.reveal_id = str(item_id)
        self._apply_reveal()

    def _apply_reveal(self) -> None:
        options = self.query_one("#challenge-list", KeyOptionList)
        if self.reveal_id is not None and options.highlight_id(self.reveal_id):
            self.reveal_id = None
            options.focus()

    @on(KeyOptionList.OptionHighlighted, "#challenge-list")
    def challenge_highlighted(self, event: KeyOptionList.OptionHighlighted) -> None:
        if self.app.store is not None and event.option.id is not None:
            self.load_challenge(self.app.store, int(event.option.id))

    @on(KeyOptionList.OptionSelected, "#challenge-list")
    def challenge_selected(self) -> None:
        self.query_one("#challenge-view").focus()

    @work(thread=True, exclusive=True, group="challenge", exit_on_error=False)
    def load_challenge(self, store: Store, challenge_id: int) -> None:
        item = store.read(queries.challenge, challenge_id)
        self.app.call_from_thread(self.show_challenge, item)

    def show_challenge(self, item: Challenge | None) -> None:
        highlighted = self.query_one("#challenge-list", KeyOptionList).highlighted_option
        # A slower answer for a row the cursor has already left is dropped.
        if item is None or highlighted is None or highlighted.id != str(item.id):
            return
        self.query_one("#challenge-view", MarkdownView).show(challenge_markdown(item))


def challenge_prompt(item: ChallengeSummary) -> Content:
    mark = ("✓ ", "$text-success") if item.status == "solved" else ("○ ", "$text-warning")
    return Content.assemble(mark, one_line(item.title))


def challenge_markdown(item: Challenge) -> str:
    status = "Solved" if item.status == "solved" else "Open"
    parts = [f"# {markdown_literal(item.title)}", f"*{status}*"]
    parts += ["## Challenge", safe_text(item.challenge) or "*Not written yet.*"]
    parts += ["## Solution", safe_text(item.solution) or "*Not solved yet.*"]
    if item.topics:
        parts += [
            "## Topics",
            "\n".join(f"- {markdown_literal(topic.name)}" for topic in item.topics),
        ]
    if item.links:
        parts += [
            "## Links",
            "\n".join(
                f"- {markdown_literal(link.label or link.url)}: <{one_line(link.url)}>"
                for link in item.links
            ),
        ]
    return "\n\n".join(parts)
