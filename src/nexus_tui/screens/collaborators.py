"""Collaborators: the people the learner builds with, who is due a sync-up, and their details."""

from __future__ import annotations

import sqlite3
from datetime import date

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets.option_list import Option

from nexus_tui.screens.base import HubScreen
from nexus_tui.store import Store, StoreError, queries
from nexus_tui.store.collaborators import (
    CollaboratorChangeError,
    CollaboratorFields,
    CollaboratorRow,
    DeletedCollaborator,
    RepoOwner,
    StoredCollaborator,
    add_collaborator,
    collaborators_by_sync,
    delete_collaborator,
    record_sync,
    repo_owners,
    restore_collaborator,
    stored_collaborator,
    update_collaborator,
)
from nexus_tui.store.records import Collaborator
from nexus_tui.text import due_label, markdown_literal, one_line, safe_text
from nexus_tui.widgets.lists import KeyOptionList
from nexus_tui.widgets.markdown_view import MarkdownView

ROLE_WORDS = {"backend": "Backend", "frontend": "Frontend", "mentor": "Mentor", "other": "Other"}

# Keys that act on the highlighted person: dimmed while nobody is listed.
PERSON_ACTIONS = frozenset({"edit", "delete", "record_sync", "open_github"})


def listing(conn: sqlite3.Connection, today: date) -> tuple[list[CollaboratorRow], list[RepoOwner]]:
    """The list and every stored repository, read together so they agree."""
    return collaborators_by_sync(conn, today), repo_owners(conn)


class CollaboratorsScreen(HubScreen):
    CSS_PATH = "list_and_detail.tcss"
    SUB_TITLE = "Collaborators"
    BINDINGS = [
        Binding("n", "new", "New", tooltip="Add a collaborator", id="new-collaborator"),
        Binding("e", "edit", "Edit", tooltip="Edit the collaborator", id="edit-collaborator"),
        Binding(
            "y",
            "record_sync",
            "Synced",
            tooltip="Record a sync-up done today; the next is set a week later",
            id="record-sync",
        ),
        Binding(
            "o",
            "open_github",
            "GitHub",
            tooltip="Open their GitHub profile in the browser",
            id="open-github",
        ),
        Binding(
            "d", "delete", "Delete", tooltip="Delete the collaborator", id="delete-collaborator"
        ),
        Binding(
            "u",
            "undo_delete",
            "Undo delete",
            tooltip="Bring back the collaborator last deleted",
            show=False,
            id="undo-delete-collaborator",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, CollaboratorRow] = {}
        """The people listed, by option id."""
        self.owners: list[RepoOwner] = []
        """Every stored repository and whose it is, as last read."""
        self.reveal_id: str | None = None
        """A person to put the cursor on when the list is next shown (found by search, new)."""
        self.last_deleted: DeletedCollaborator | None = None

    def compose_body(self) -> ComposeResult:
        with Horizontal(classes="list-and-detail"):
            people = KeyOptionList(id="collaborator-list", classes="master")
            people.border_title = "Collaborators"
            yield people
            yield MarkdownView(id="collaborator-view", classes="detail")

    def today(self) -> date:
        return self.app.clock().date()

    @work(thread=True, exclusive=True, group="collaborators", exit_on_error=False)
    def load(self, store: Store) -> None:
        people, owners = store.read(listing, self.today())
        self.app.call_from_thread(self.show_collaborators, people, owners)

    def show_collaborators(self, people: list[CollaboratorRow], owners: list[RepoOwner]) -> None:
        self.owners = owners
        # A person's repositories are watched: the CI strip and screen follow every change.
        self.app.update_watched_repos(owner.full_name for owner in owners)
        self.rows = {str(person.id): person for person in people}
        people_list = self.query_one("#collaborator-list", KeyOptionList)
        keep = people_list.highlighted_option.id if people_list.highlighted_option else None
        keep_index = people_list.highlighted
        people_list.clear_options()
        today = self.today()
        people_list.add_options(
            Option(collaborator_prompt(person, today), id=str(person.id)) for person in people
        )
        due = sum(person.due for person in people)
        people_list.border_subtitle = f"{due} due" if due else ""
        self.refresh_bindings()
        if not people:
            self.query_one("#collaborator-view", MarkdownView).show_message(
                "No collaborators yet. Press n to add the people you build with: backend "
                "peers, frontend learners who use your API, mentors."
            )
            return
        if self.reveal_id is not None and self.reveal_id in self.rows:
            keep, self.reveal_id = self.reveal_id, None
            people_list.focus()
        ids = list(self.rows)
        # When the one highlighted is gone (deleted), the cursor stays on the same line.
        index = ids.index(keep) if keep in ids else min(keep_index or 0, len(ids) - 1)
        # Always a change (the list was just cleared), so the details are read again too.
        people_list.highlighted = index

    def reveal(self, kind: str, item_id: int) -> None:
        # The list may still be loading (first visit): remember the id until it is there.
        self.reveal_id = str(item_id)
        options = self.query_one("#collaborator-list", KeyOptionList)
        if options.highlight_id(self.reveal_id):
            self.reveal_id = None
            options.focus()

    def highlighted(self) -> CollaboratorRow | None:
        option = self.query_one("#collaborator-list", KeyOptionList).highlighted_option
        return None if option is None or option.id is None else self.rows.get(option.id)

    def show_highlighted(self) -> None:
        person = self.highlighted()
        if self.app.store is not None and person is not None:
            self.load_collaborator(self.app.store, person.id)

    @on(KeyOptionList.OptionHighlighted, "#collaborator-list")
    def collaborator_highlighted(self) -> None:
        self.show_highlighted()

    @on(KeyOptionList.OptionSelected, "#collaborator-list")
    def collaborator_selected(self) -> None:
        self.query_one("#collaborator-view").focus()

    @work(thread=True, exclusive=True, group="collaborator", exit_on_error=False)
    def load_collaborator(self, store: Store, collaborator_id: int) -> None:
        person = store.read(queries.collaborator, collaborator_id)
        self.app.call_from_thread(self.show_collaborator, person)

    def show_collaborator(self, person: Collaborator | None) -> None:
        highlighted = self.highlighted()
        # A slower answer for a row the cursor has already left is dropped.
        if person is None or highlighted is None or highlighted.id != person.id:
            return
        self.query_one("#collaborator-view", MarkdownView).show(
            collaborator_markdown(person, self.today())
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in PERSON_ACTIONS and not self.rows:
            return None
        if action == "undo_delete" and self.last_deleted is None:
            return None
        return True

    # --- new and edit ---------------------------------------------------------------------

    def taken_repos(self, collaborator_id: int | None) -> dict[str, str]:
        """Repositories watched for someone else, which this person cannot have too."""
        return {
            owner.full_name.lower(): one_line(owner.collaborator or "")
            for owner in self.owners
            if owner.collaborator_id is not None and owner.collaborator_id != collaborator_id
        }

    def action_new(self) -> None:
        if self.app.store is not None:
            self.open_new(self.app.store)

    def open_new(
        self,
        store: Store,
        fields: CollaboratorFields | None = None,
        problem: str | None = None,
        heading: str = "New collaborator",
    ) -> None:
        # Imported on first use: the form's text boxes are not needed for the first frame.
        from nexus_tui.screens.collaborator_form import CollaboratorForm

        def save(fields: CollaboratorFields | None) -> None:
            if fields is not None:
                self.save_new(store, fields)

        form = CollaboratorForm(
            heading, self.today(), fields, taken=self.taken_repos(None), problem=problem
        )
        self.app.push_screen(form, save)

    @work(thread=True, group="write", exit_on_error=False)
    def save_new(self, store: Store, fields: CollaboratorFields) -> None:
        try:
            collaborator_id = store.write(add_collaborator, fields, store.clock())
        except (CollaboratorChangeError, StoreError) as error:
            # Back into the form with everything typed and the reason, checked against the
            # repositories as they are now (when they can be read).
            if isinstance(error, CollaboratorChangeError):
                people, owners = store.read(listing, self.today())
                self.app.call_from_thread(self.show_collaborators, people, owners)
            self.app.call_from_thread(self.open_new, store, fields, str(error))
            return
        self.app.call_from_thread(self.saved, store, collaborator_id)

    def action_edit(self) -> None:
        person = self.highlighted()
        if self.app.store is not None and person is not None:
            self.open_edit(self.app.store, person.id)

    @work(thread=True, exclusive=True, group="edit", exit_on_error=False)
    def open_edit(
        self,
        store: Store,
        collaborator_id: int,
        fields: CollaboratorFields | None = None,
        problem: str | None = None,
    ) -> None:
        # The list is read again too: the form checks repositories against the latest owners.
        stored = store.read(stored_collaborator, collaborator_id)
        people, owners = store.read(listing, self.today())
        self.app.call_from_thread(self.show_collaborators, people, owners)
        if stored is not None:
            self.app.call_from_thread(self.edit, store, stored, fields, problem)
        elif fields is not None:
            # Deleted meanwhile: what was typed is offered as a new person, so nothing is lost.
            self.app.call_from_thread(
                self.open_new, store, fields, problem, "New collaborator (the original is gone)"
            )
        else:
            self.app.call_from_thread(self.warn, "That collaborator no longer exists.")

    def edit(
        self,
        store: Store,
        stored: StoredCollaborator,
        fields: CollaboratorFields | None = None,
        problem: str | None = None,
    ) -> None:
        """Open the form on a person; `fields` (the user's own text) win over the stored ones.

        `stored.updated_at` is the version the edit starts from: a save checks it for a conflict.
        """
        from nexus_tui.screens.collaborator_form import CollaboratorForm

        def save(edited: CollaboratorFields | None) -> None:
            if edited is not None:
                self.save_edit(store, stored, edited, check=True)

        form = CollaboratorForm(
            "Edit collaborator",
            self.today(),
            fields or stored.fields,
            saved=stored.fields,
            taken=self.taken_repos(stored.id),
            problem=problem,
        )
        self.app.push_screen(form, save)

    @work(thread=True, group="write", exit_on_error=False)
    def save_edit(
        self, store: Store, stored: StoredCollaborator, fields: CollaboratorFields, check: bool
    ) -> None:
        seen = stored.updated_at if check else None
        try:
            saved = store.write(update_collaborator, stored.id, fields, seen, store.clock())
        except CollaboratorChangeError as error:
            self.app.call_from_thread(self.open_edit, store, stored.id, fields, str(error))
            return
        except StoreError as error:
            # The database may not be readable either: the form comes back without reading it.
            self.app.call_from_thread(self.edit, store, stored, fields, str(error))
            return
        if saved:
            self.app.call_from_thread(self.saved, store, stored.id)
        elif store.read(stored_collaborator, stored.id) is None:
            self.app.call_from_thread(
                self.open_edit, store, stored.id, fields, "This collaborator was deleted meanwhile."
            )
        else:
            self.app.call_from_thread(self.edit_conflict, store, stored, fields)

    def edit_conflict(
        self, store: Store, stored: StoredCollaborator, fields: CollaboratorFields
    ) -> None:
        """Another window saved this person meanwhile: the user chooses, and loses nothing."""
        from nexus_tui.screens.confirm import ConfirmScreen

        def answered(overwrite: bool | None) -> None:
            if overwrite:
                self.save_edit(store, stored, fields, check=False)
            else:
                # Their version becomes the base; the user's text goes back into the form.
                self.open_edit(store, stored.id, fields)

        self.app.push_screen(
            ConfirmScreen(
                "This collaborator changed elsewhere",
                f"{one_line(stored.fields.name)} was saved by another window after you opened "
                "the form. Overwrite it with your version? Answer no to get your text back in "
                "the form, on top of theirs.",
                "Overwrite",
            ),
            answered,
        )

    def saved(self, store: Store, collaborator_id: int) -> None:
        self.reveal_id = str(collaborator_id)
        self.load(store)

    # --- sync-ups and GitHub --------------------------------------------------------------

    def action_record_sync(self) -> None:
        # Set at once, and said with the date: one key for the usual weekly rhythm, and `e`
        # changes the date on the rare week that differs.
        person = self.highlighted()
        if self.app.store is not None and person is not None:
            self.save_sync(self.app.store, person, self.today())

    @work(thread=True, group="write", exit_on_error=False)
    def save_sync(self, store: Store, person: CollaboratorRow, today: date) -> None:
        proposed = store.write(record_sync, person.id, today, store.clock())
        self.app.call_from_thread(self.synced, store, person, proposed)

    def synced(self, store: Store, person: CollaboratorRow, proposed: date | None) -> None:
        if proposed is None:
            self.warn("That collaborator no longer exists.")
        else:
            self.notify(
                f"Sync-up with {one_line(person.name)} recorded. Next one on "
                f"{day_words(proposed, year=False)} — e to change.",
                markup=False,
            )
            self.reveal_id = str(person.id)
        self.load(store)

    def action_open_github(self) -> None:
        person = self.highlighted()
        if person is None:
            return
        if not person.github:
            self.warn(f"{one_line(person.name)} has no GitHub handle yet: press e to add one.")
            return
        self.app.open_url(f"https://github.com/{person.github}")

    # --- delete and undo ------------------------------------------------------------------

    def action_delete(self) -> None:
        from nexus_tui.screens.confirm import ConfirmScreen

        store, person = self.app.store, self.highlighted()
        if store is None or person is None:
            return
        repos = [owner.full_name for owner in self.owners if owner.collaborator_id == person.id]

        def answered(yes: bool | None) -> None:
            if yes:
                self.remove(store, person.id)

        self.app.push_screen(
            ConfirmScreen("Delete this collaborator?", delete_question(person, repos), "Delete"),
            answered,
        )

    @work(thread=True, group="write", exit_on_error=False)
    def remove(self, store: Store, collaborator_id: int) -> None:
        deleted = store.write(delete_collaborator, collaborator_id)
        self.app.call_from_thread(self.removed, store, deleted)

    def removed(self, store: Store, deleted: DeletedCollaborator | None) -> None:
        if deleted is not None:
            self.last_deleted = deleted
            name = one_line(str(deleted.row["name"]))
            self.notify(f"{name} deleted. Press u to undo.", timeout=8, markup=False)
        self.load(store)

    def action_undo_delete(self) -> None:
        if self.app.store is not None and self.last_deleted is not None:
            deleted, self.last_deleted = self.last_deleted, None
            self.undelete(self.app.store, deleted)

    @work(thread=True, group="write", exit_on_error=False)
    def undelete(self, store: Store, deleted: DeletedCollaborator) -> None:
        collaborator_id = store.write(restore_collaborator, deleted)
        self.app.call_from_thread(self.saved, store, collaborator_id)

    def warn(self, message: str) -> None:
        # Messages name people: user text, never read as markup.
        self.notify(message, severity="warning", markup=False)


def day_words(day: date, year: bool = True) -> str:
    """A date as people say it: "Thu 3 Dec 2026" (English names, whatever the locale)."""
    weekday = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[day.weekday()]
    month = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
             "Dec")[day.month - 1]  # fmt: skip
    return f"{weekday} {day.day} {month}" + (f" {day.year}" if year else "")


def delete_question(person: CollaboratorRow, repos: list[str]) -> str:
    name = one_line(person.name)
    if not repos:
        question = f"Delete {name}?"
    elif len(repos) == 1:
        question = f"Delete {name} and stop watching {repos[0]}?"
    else:
        question = f"Delete {name} and stop watching their {len(repos)} repositories?"
    return f"{question}\n\nu undoes it."


def collaborator_prompt(person: CollaboratorRow, today: date) -> Content:
    """Two lines: the name, then the role and the next sync-up, with a badge when it is due."""
    when = due_label(person.next_sync, today)
    return Content.assemble(
        (one_line(person.name), "bold"),
        "\n",
        (f"{ROLE_WORDS.get(person.role, person.role)} · ", "dim"),
        (f"● {when}", "bold $text-warning") if person.due else (when, "dim"),
    )


def _code(text: str) -> str:
    # Handles and channels go in code spans so "_" or "#" in them is never read as markdown.
    return f"`{one_line(text).replace('`', 'ʼ')}`" if text else "—"


def collaborator_markdown(person: Collaborator, today: date) -> str:
    last = f"{day_words(person.last_sync)}" if person.last_sync else "—"
    if person.next_sync is None:
        upcoming = "none planned"
    else:
        upcoming = f"{day_words(person.next_sync)}, {due_label(person.next_sync, today)}"
    rows = [
        ("Role", ROLE_WORDS.get(person.role, person.role)),
        ("GitHub", _code(person.github)),
        ("Discord", _code(person.discord)),
        ("Project", markdown_literal(person.project) or "—"),
        ("Last sync-up", last),
        ("Next sync-up", upcoming),
        ("Repositories", ", ".join(_code(repo) for repo in person.repos) or "—"),
    ]
    parts = [
        f"# {markdown_literal(person.name)}",
        "\n".join(f"- **{key}:** {value}" for key, value in rows),
    ]
    if person.notes:
        parts += ["## Notes", safe_text(person.notes)]
    if person.api_contract:
        parts += ["## API contract", safe_text(person.api_contract)]
    return "\n\n".join(parts)
