"""Collaborators: the people the learner builds with, who is due a sync-up, and their details."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets.option_list import Option

from nexus_tui.screens.base import HubScreen
from nexus_tui.store import Store, queries
from nexus_tui.store.records import Collaborator, CollaboratorSummary
from nexus_tui.text import due_label, markdown_literal, one_line, safe_text
from nexus_tui.widgets.lists import KeyOptionList
from nexus_tui.widgets.markdown_view import MarkdownView

ROLE_WORDS = {"backend": "Backend", "frontend": "Frontend", "mentor": "Mentor", "other": "Other"}


class CollaboratorsScreen(HubScreen):
    reveal_id: str | None = None
    CSS_PATH = "list_and_detail.tcss"
    SUB_TITLE = "Collaborators"

    def compose_body(self) -> ComposeResult:
        with Horizontal(classes="list-and-detail"):
            people = KeyOptionList(id="collaborator-list", classes="master")
            people.border_title = "Collaborators"
            yield people
            yield MarkdownView(id="collaborator-view", classes="detail")

    @work(thread=True, exclusive=True, group="collaborators", exit_on_error=False)
    def load(self, store: Store) -> None:
        people = store.read(queries.collaborators)
        self.app.call_from_thread(self.show_collaborators, people)

    def show_collaborators(self, people: list[CollaboratorSummary]) -> None:
        people_list = self.query_one("#collaborator-list", KeyOptionList)
        keep = people_list.highlighted_option.id if people_list.highlighted_option else None
        people_list.clear_options()
        today = self.app.clock().date()
        people_list.add_options(
            Option(collaborator_prompt(person, today), id=str(person.id)) for person in people
        )
        if not people:
            self.query_one("#collaborator-view", MarkdownView).show_message(
                "No collaborators yet. Add the people you build with: peers, frontend "
                "learners who use your API, mentors."
            )
            return
        ids = [str(person.id) for person in people]
        people_list.highlighted = ids.index(keep) if keep in ids else 0
        self._apply_reveal()

    def reveal(self, kind: str, item_id: int) -> None:
        # The list may still be loading (first visit): remember the id until it is there.
        self.reveal_id = str(item_id)
        self._apply_reveal()

    def _apply_reveal(self) -> None:
        options = self.query_one("#collaborator-list", KeyOptionList)
        if self.reveal_id is not None and options.highlight_id(self.reveal_id):
            self.reveal_id = None
            options.focus()

    @on(KeyOptionList.OptionHighlighted, "#collaborator-list")
    def collaborator_highlighted(self, event: KeyOptionList.OptionHighlighted) -> None:
        if self.app.store is not None and event.option.id is not None:
            self.load_collaborator(self.app.store, int(event.option.id))

    @on(KeyOptionList.OptionSelected, "#collaborator-list")
    def collaborator_selected(self) -> None:
        self.query_one("#collaborator-view").focus()

    @work(thread=True, exclusive=True, group="collaborator", exit_on_error=False)
    def load_collaborator(self, store: Store, collaborator_id: int) -> None:
        person = store.read(queries.collaborator, collaborator_id)
        self.app.call_from_thread(self.show_collaborator, person)

    def show_collaborator(self, person: Collaborator | None) -> None:
        highlighted = self.query_one("#collaborator-list", KeyOptionList).highlighted_option
        # A slower answer for a row the cursor has already left is dropped.
        if person is None or highlighted is None or highlighted.id != str(person.id):
            return
        today = self.app.clock().date()
        self.query_one("#collaborator-view", MarkdownView).show(
            collaborator_markdown(person, today)
        )


def collaborator_prompt(person: CollaboratorSummary, today) -> Content:
    due = person.next_sync is not None and person.next_sync <= today
    return Content.assemble(
        ("● " if due else "  ", "$text-warning"),
        (one_line(person.name), "bold" if due else ""),
        (f"  {ROLE_WORDS[person.role]}", "dim"),
    )


def _code(text: str) -> str:
    # Handles and channels go in code spans so "_" or "#" in them is never read as markdown.
    return f"`{one_line(text).replace('`', 'ʼ')}`" if text else "—"


def collaborator_markdown(person: Collaborator, today) -> str:
    rows = [
        ("Role", ROLE_WORDS[person.role]),
        ("GitHub", _code(person.github)),
        ("Discord", _code(person.discord)),
        ("Project", markdown_literal(person.project) or "—"),
        ("Last sync-up", person.last_sync.isoformat() if person.last_sync else "—"),
        ("Next sync-up", due_label(person.next_sync, today)
            + (f" ({person.next_sync.isoformat()})" if person.next_sync else "")),
        ("Repositories", ", ".join(_code(repo) for repo in person.repos) or "—"),
    ]  # fmt: skip
    parts = [f"# {markdown_literal(person.name)}", "\n".join(f"- **{k}:** {v}" for k, v in rows)]
    if person.notes:
        parts += ["## Notes", safe_text(person.notes)]
    if person.api_contract:
        parts += ["## API contract", safe_text(person.api_contract)]
    return "\n\n".join(parts)
