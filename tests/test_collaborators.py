"""Collaborators: the store's sync-up logic and repositories, the form's checks, then the keys."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from conftest import FIXED_NOW, make_app, settle
from test_app import markdown_source, option_texts, type_into
from textual.widgets import Input, Select, Static

from nexus_tui.store import Store, queries
from nexus_tui.store.collaborators import (
    CollaboratorChangeError,
    CollaboratorFields,
    add_collaborator,
    collaborators_by_sync,
    delete_collaborator,
    record_sync,
    repo_owners,
    restore_collaborator,
    stored_collaborator,
    update_collaborator,
)

TODAY = FIXED_NOW.date()  # a Thursday
WHEN = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def person(name: str, **changes) -> CollaboratorFields:
    fields = CollaboratorFields(
        name=name,
        role="backend",
        github="",
        discord="",
        project="",
        notes="",
        api_contract="",
        last_sync=None,
        next_sync=None,
        repos=(),
    )
    return fields._replace(**changes)


def days(count: int) -> date:
    return TODAY + timedelta(days=count)


@pytest.fixture
def store(hub_location) -> Store:
    return Store.open(hub_location)


def add(store: Store, name: str, **changes) -> int:
    return store.write(add_collaborator, person(name, **changes), FIXED_NOW)


def names_by_sync(store: Store, today: date) -> list[tuple[str, bool]]:
    return [(row.name, row.due) for row in store.read(collaborators_by_sync, today)]


# --- the store: sync-ups ------------------------------------------------------------------------


def test_those_due_come_first_then_the_next_sync_ups_then_the_rest(store):
    add(store, "None planned")
    add(store, "Next week", next_sync=days(7))
    add(store, "Due today", next_sync=TODAY)
    add(store, "Overdue", next_sync=days(-3))
    add(store, "Tomorrow", next_sync=days(1))
    assert names_by_sync(store, TODAY) == [
        ("Overdue", True),
        ("Due today", True),
        ("Tomorrow", False),
        ("Next week", False),
        ("None planned", False),
    ]
    # The same rows a week later: everyone with a date is due.
    assert [due for _, due in names_by_sync(store, days(7))] == [True, True, True, True, False]
    # And a week earlier, nobody is.
    assert not any(due for _, due in names_by_sync(store, days(-7)))


def test_a_sync_up_recorded_today_proposes_the_next_a_week_later(store):
    ada = add(store, "Ada", last_sync=days(-10), next_sync=days(-3))
    assert store.write(record_sync, ada, TODAY, WHEN) == date(2026, 12, 3)
    stored = store.read(stored_collaborator, ada)
    assert stored.fields.last_sync == TODAY
    assert stored.fields.next_sync == date(2026, 12, 3)
    assert stored.updated_at == WHEN  # an edit opened before this one sees a conflict
    assert names_by_sync(store, TODAY) == [("Ada", False)]
    assert store.write(record_sync, 999, TODAY, WHEN) is None


# --- the store: details and repositories ---------------------------------------------------------


def test_a_new_collaborator_and_their_repositories_are_stored_and_watched(store):
    ada = add(
        store,
        "  Ada  ",
        role="mentor",
        github="ada-l",
        api_contract="## GET /api/v1/topics",
        repos=("ada-l/nexus-api", "https://github.com/ada-l/nexus-web"),
    )
    stored = store.read(stored_collaborator, ada)
    assert stored.fields.name == "Ada"
    assert stored.fields.role == "mentor"
    assert stored.fields.repos == ("ada-l/nexus-api", "ada-l/nexus-web")
    assert stored.updated_at == FIXED_NOW
    watched = store.read(queries.watched_repos)
    assert [(repo.full_name, repo.collaborator) for repo in watched] == [
        ("ada-l/nexus-api", "Ada"),
        ("ada-l/nexus-web", "Ada"),
    ]


def test_an_edit_replaces_the_repositories_and_a_removed_one_is_no_longer_watched(store):
    ada = add(store, "Ada", repos=("ada-l/one", "ada-l/two"))
    seen = store.read(stored_collaborator, ada).updated_at
    edited = person("Ada", repos=("ADA-L/ONE", "ada-l/three"))
    assert store.write(update_collaborator, ada, edited, seen, WHEN)
    assert store.read(stored_collaborator, ada).fields.repos == ("ADA-L/ONE", "ada-l/three")
    assert [owner.full_name for owner in store.read(repo_owners)] == ["ADA-L/ONE", "ada-l/three"]


def test_a_repository_watched_for_someone_else_is_refused_and_nothing_is_saved(store):
    add(store, "Ada", repos=("ada-l/nexus-api",))
    with pytest.raises(CollaboratorChangeError, match="ada-l/nexus-api is already watched for Ada"):
        add(store, "Bea", repos=("bea/web", "Ada-L/Nexus-API"))
    assert names_by_sync(store, TODAY) == [("Ada", False)]
    assert [owner.full_name for owner in store.read(repo_owners)] == ["ada-l/nexus-api"]


def test_a_repository_stored_without_a_person_becomes_theirs(store):
    store.write(
        lambda conn: conn.execute(
            "INSERT INTO repos (full_name, created_at) VALUES ('octo/api', '2026-01-01')"
        )
    )
    bea = add(store, "Bea", repos=("octo/api",))
    assert store.read(repo_owners)[0].collaborator_id == bea


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"name": "   "}, "A collaborator needs a name."),
        ({"role": "boss"}, "The role is one of backend, frontend, mentor, other."),
        ({"repos": ("not a repo",)}, 'A repository is written "owner/name"'),
    ],
)
def test_the_store_refuses_what_the_form_would(store, changes, problem):
    fields = person("Ada")._replace(**changes)
    with pytest.raises(CollaboratorChangeError, match=problem):
        store.write(add_collaborator, fields, FIXED_NOW)
    assert store.read(collaborators_by_sync, TODAY) == []


def test_an_edit_made_meanwhile_elsewhere_is_never_overwritten_silently(store):
    ada = add(store, "Ada")
    seen = store.read(stored_collaborator, ada).updated_at
    assert store.write(update_collaborator, ada, person("Ada (elsewhere)"), seen, WHEN)
    later = WHEN + timedelta(minutes=5)
    assert not store.write(update_collaborator, ada, person("Ada (here)"), seen, later)
    assert store.read(stored_collaborator, ada).fields.name == "Ada (elsewhere)"
    assert store.write(update_collaborator, ada, person("Ada (here)"), None, later)
    assert store.read(stored_collaborator, ada).fields.name == "Ada (here)"


def test_delete_and_undo_bring_back_the_same_rows_with_the_same_ids(store):
    add(store, "Someone")
    ada = add(store, "Ada", github="ada-l", next_sync=days(2), repos=("ada-l/api", "ada-l/web"))
    rows_before = store.read(
        lambda conn: conn.execute("SELECT * FROM repos ORDER BY id").fetchall()
    )
    person_before = store.read(
        lambda conn: conn.execute("SELECT * FROM collaborators WHERE id = ?", (ada,)).fetchone()
    )
    deleted = store.write(delete_collaborator, ada)
    assert store.read(stored_collaborator, ada) is None
    assert store.read(repo_owners) == []  # their repositories are no longer watched
    assert store.write(delete_collaborator, ada) is None

    assert store.write(restore_collaborator, deleted) == ada
    assert (
        store.read(lambda conn: conn.execute("SELECT * FROM repos ORDER BY id").fetchall())
        == rows_before
    )
    assert (
        store.read(
            lambda conn: conn.execute("SELECT * FROM collaborators WHERE id = ?", (ada,)).fetchone()
        )
        == person_before
    )


def test_undo_after_the_id_and_a_repository_were_taken_meanwhile(store):
    ada = add(store, "Ada", repos=("ada-l/api", "ada-l/web"))
    deleted = store.write(delete_collaborator, ada)
    # Another window: a new person gets Ada's old id and one of her repositories.
    store.write(
        lambda conn: conn.execute(
            "INSERT INTO collaborators (id, name, created_at, updated_at) VALUES (?, 'Bea', ?, ?)",
            (ada, "2026-01-01", "2026-01-01"),
        )
    )
    bea = ada
    store.write(update_collaborator, bea, person("Bea", repos=("ada-l/web",)), None, WHEN)

    restored = store.write(restore_collaborator, deleted)
    assert restored != ada
    assert store.read(stored_collaborator, restored).fields.repos == ("ada-l/api",)
    assert store.read(stored_collaborator, bea).fields.repos == ("ada-l/web",)


# --- the form's checks ---------------------------------------------------------------------------


def typed(**changes: str) -> dict[str, str]:
    boxes = dict.fromkeys(
        ("github", "discord", "project", "last-sync", "next-sync", "repos", "notes",
         "api-contract"),
        "",
    )  # fmt: skip
    return {**boxes, "name": "Ada", "role": "backend", **changes}


@pytest.mark.parametrize(
    ("box", "text", "problem"),
    [
        ("name", "  ", "A collaborator needs a name."),
        ("name", "x" * 101, "A name has at most 100 characters."),
        ("github", "ada--l", "A GitHub handle has no two hyphens in a row."),
        ("github", "-ada", "A GitHub handle neither starts nor ends with a hyphen."),
        ("github", "ada_l", "A GitHub handle has only letters, digits and hyphens."),
        ("github", "a" * 40, "A GitHub handle has at most 39 characters."),
        ("discord", "d" * 101, "A Discord handle or channel has at most 100 characters."),
        ("last-sync", "2026-02-30", "'2026-02-30' is not a day of the calendar."),
        (
            "next-sync",
            "next week",
            'A date is written YYYY-MM-DD (e.g. 2026-12-03), or "today", "+7", "+2w".',
        ),
        ("repos", "ada-l", 'A repository is written "owner/name", e.g. "octocat/hello-world".'),
        ("repos", "ada-l/api\nada_l/web", "Line 2: 'ada_l' is not a GitHub user or organisation"),
        ("repos", "ada-l/api\n\nADA-L/API", "Line 3: ADA-L/API is listed twice."),
        ("repos", "bea/web", "bea/web is already watched for Bea."),
    ],
)
def test_each_box_says_what_is_wrong_in_words(box, text, problem):
    from nexus_tui.screens.collaborator_form import field_problems, fields_of

    taken = {"bea/web": "Bea"}
    problems = field_problems(typed(**{box: text}), TODAY, taken)
    assert list(problems) == [box]
    assert problems[box].startswith(problem)
    assert fields_of(typed(**{box: text}), TODAY, taken) is None


def test_a_valid_form_becomes_the_fields_to_save():
    from nexus_tui.screens.collaborator_form import fields_of

    boxes = typed(
        name=" Ada ",
        github="@ada-l",
        **{"last-sync": "today", "next-sync": "+2w", "repos": " ada-l/api \n\nada-l/web\n"},
    )
    assert fields_of(boxes, TODAY, {}) == person(
        "Ada",
        github="ada-l",
        last_sync=TODAY,
        next_sync=date(2026, 12, 10),
        repos=("ada-l/api", "ada-l/web"),
    )


# --- the screen ----------------------------------------------------------------------------------


async def open_collaborators(pilot) -> None:
    await settle(pilot)
    store = pilot.app.store
    add(
        store,
        "Ada Lovelace",
        github="ada-l",
        next_sync=days(-3),
        repos=("ada-l/nexus-api",),
        api_contract="## GET /api/v1/topics",
    )
    add(store, "Bea", role="frontend", next_sync=days(4))
    await pilot.press("3")
    await settle(pilot)


def notifications(app) -> str:
    return " | ".join(str(notification.message) for notification in app._notifications)


def person_named(app, name: str):
    rows = app.store.read(collaborators_by_sync, TODAY)
    return next(row for row in rows if row.name == name)


async def test_the_one_due_is_listed_first_with_a_badge(app_paths):
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_collaborators(pilot)
        people = option_texts(app, "#collaborator-list")
        assert people[0] == "Ada Lovelace\nBackend · ● overdue 3 days"
        assert people[1] == "Bea\nFrontend · in 4 days"
        assert people[2].endswith("no sync-up planned")  # the seeded ones, after
        prompt = app.screen.query_one("#collaborator-list").get_option_at_index(0).prompt
        badge = [
            str(span.style) for span in prompt.spans if "●" in prompt.plain[span.start : span.end]
        ]
        assert badge == ["bold $text-warning"]  # a style, never markup in the name
        assert app.screen.query_one("#collaborator-list").border_subtitle == "1 due"
        details = markdown_source(app, "#collaborator-view")
        assert "# Ada Lovelace" in details
        assert "Mon 23 Nov 2026, overdue 3 days" in details
        assert "## API contract" in details


async def test_y_records_a_sync_up_today_and_sets_the_next_a_week_later(app_paths):
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_collaborators(pilot)
        await pilot.press("y")
        await settle(pilot)
        stored = app.store.read(stored_collaborator, person_named(app, "Ada Lovelace").id)
        assert stored.fields.last_sync == TODAY
        assert stored.fields.next_sync == date(2026, 12, 3)
        assert "Sync-up with Ada Lovelace recorded. Next one on Thu 3 Dec — e to change." in (
            notifications(app)
        )
        people = option_texts(app, "#collaborator-list")
        assert people[:2] == ["Bea\nFrontend · in 4 days", "Ada Lovelace\nBackend · in 7 days"]
        # The cursor follows the person, now second.
        assert app.screen.highlighted().name == "Ada Lovelace"
        assert app.screen.query_one("#collaborator-list").border_subtitle == ""


async def test_o_opens_the_github_profile_or_says_to_add_a_handle(app_paths, monkeypatch):
    app = make_app(app_paths)
    opened: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **_: opened.append(url))
    async with app.run_test(size=(120, 40)) as pilot:
        await open_collaborators(pilot)
        await pilot.press("o")
        assert opened == ["https://github.com/ada-l"]
        await pilot.press("j", "o")
        await settle(pilot)
        assert opened == ["https://github.com/ada-l"]
        assert "Bea has no GitHub handle yet: press e to add one." in notifications(app)


async def test_n_adds_a_collaborator_whose_repositories_are_watched_and_tagged(app_paths):
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_collaborators(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*"Grace")
        app.screen.query_one("#role", Select).value = "mentor"
        await type_into(pilot, "#github", "grace-h")
        await type_into(pilot, "#next-sync", "+1")
        await type_into(pilot, "#repos", "grace-h/compiler\nhttps://github.com/grace-h/cobol")
        await type_into(pilot, "#api-contract", "POST /api/v1/sync")
        await pilot.press("ctrl+s")
        await settle(pilot)

        grace = person_named(app, "Grace")
        stored = app.store.read(stored_collaborator, grace.id)
        assert stored.fields == person(
            "Grace",
            role="mentor",
            github="grace-h",
            api_contract="POST /api/v1/sync",
            next_sync=days(1),
            repos=("grace-h/cobol", "grace-h/compiler"),
        )
        assert app.screen.highlighted().name == "Grace"
        assert "Grace\nMentor · tomorrow" in option_texts(app, "#collaborator-list")
        assert app.watched_repos == ("ada-l/nexus-api", "grace-h/cobol", "grace-h/compiler")
        strip = str(app.screen.query_one("CiStrip").render())
        assert "grace-h/compiler" in strip

        await pilot.press("4")
        await settle(pilot)
        repos = option_texts(app, "#repo-list")
        assert "? grace-h/compiler  Grace" in repos
        assert "? ada-l/nexus-api  Ada Lovelace" in repos


async def test_the_form_says_what_is_wrong_under_each_box_and_keeps_it_open(app_paths):
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_collaborators(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen

        def problem(box: str) -> str:
            widget = form.query_one(f"#{box}-problem", Static)
            return str(widget.render()) if widget.display else ""

        assert problem("name") == ""  # not before anything is typed
        await pilot.press("x", "backspace")
        assert problem("name") == "A collaborator needs a name."
        await pilot.press(*"Grace")
        assert problem("name") == ""
        await type_into(pilot, "#github", "grace_h")
        assert problem("github") == "A GitHub handle has only letters, digits and hyphens."
        assert form.query_one("#github", Input).has_class("-invalid")
        await type_into(pilot, "#last-sync", "yesterday-ish")
        assert problem("last-sync").startswith("A date is written YYYY-MM-DD")
        await type_into(pilot, "#next-sync", "2026-13-01")
        assert problem("next-sync") == "'2026-13-01' is not a day of the calendar."
        await type_into(pilot, "#repos", "grace-h/one\nada-l/nexus-api")
        assert problem("repos") == "Line 2: ada-l/nexus-api is already watched for Ada Lovelace."
        assert form.query_one("#repos").has_class("-invalid")

        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form  # not saved, nothing lost
        assert str(form.query_one("#form-problem", Static).render()) == (
            "Not saved yet: check GitHub, Last sync-up, Next sync-up, Repositories."
        )
        assert form.query_one("#github", Input).has_focus
        assert form.query_one("#name", Input).value == "Grace"
        assert form.query_one("#repos").text == "grace-h/one\nada-l/nexus-api"

        await type_into(pilot, "#github", "grace-h")
        await type_into(pilot, "#last-sync", "today")
        await type_into(pilot, "#next-sync", "+2w")
        assert str(form.query_one("#next-sync-hint", Static).render()) == "Thu 10 Dec 2026"
        await type_into(pilot, "#repos", "grace-h/one")
        assert not any(problem(box) for box in ("name", "github", "last-sync", "next-sync"))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is not form
        assert app.store.read(stored_collaborator, person_named(app, "Grace").id).fields.repos == (
            "grace-h/one",
        )


async def test_escape_with_changes_asks_before_anything_typed_is_lost(app_paths):
    from nexus_tui.screens.collaborator_form import CollaboratorForm
    from nexus_tui.screens.confirm import ConfirmScreen

    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_collaborators(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, CollaboratorForm)
        await pilot.press("escape")  # nothing changed: closes at once
        await settle(pilot)
        assert not isinstance(app.screen, CollaboratorForm)

        await pilot.press("e")
        await settle(pilot)
        await pilot.press("end", *" (mentor)")  # the name box opens with its text selected
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert app.screen.query_one("#name", Input).value == "Ada Lovelace (mentor)"
        await pilot.press("escape", "y")
        await settle(pilot)
        assert not isinstance(app.screen, (CollaboratorForm, ConfirmScreen))
        assert person_named(app, "Ada Lovelace")  # unchanged


async def test_e_edits_the_highlighted_collaborator(app_paths):
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_collaborators(pilot)
        ada = person_named(app, "Ada Lovelace").id
        await pilot.press("e")
        await settle(pilot)
        assert app.screen.query_one("#repos").text == "ada-l/nexus-api"
        await type_into(pilot, "#discord", "ada#0001")
        await type_into(pilot, "#repos", "ada-l/nexus-web")
        await pilot.press("ctrl+s")
        await settle(pilot)
        stored = app.store.read(stored_collaborator, ada)
        assert stored.fields.discord == "ada#0001"
        assert stored.fields.repos == ("ada-l/nexus-web",)
        assert app.watched_repos == ("ada-l/nexus-web",)
        assert "`ada#0001`" in markdown_source(app, "#collaborator-view")


async def edit_meanwhile_elsewhere(pilot) -> tuple[int, str]:
    """Open the form on Ada, type a name, and let another window save her first."""
    app = pilot.app
    ada = person_named(app, "Ada Lovelace").id
    await pilot.press("e")
    await settle(pilot)
    await type_into(pilot, "#name", "Ada (mine)")
    theirs = person("Ada (theirs)", github="ada-l", repos=("ada-l/nexus-api",))
    app.store.write(update_collaborator, ada, theirs, None, WHEN)
    await pilot.press("ctrl+s")
    await settle(pilot)
    return ada, "Ada (mine)"


async def test_a_conflicting_edit_can_overwrite_theirs(app_paths):
    from nexus_tui.screens.confirm import ConfirmScreen

    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_collaborators(pilot)
        ada, mine = await edit_meanwhile_elsewhere(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert app.store.read(stored_collaborator, ada).fields.name == "Ada (theirs)"
        await pilot.press("y")
        await settle(pilot)
        assert app.store.read(stored_collaborator, ada).fields.name == mine


async def test_a_conflicting_edit_gives_your_text_back_on_top_of_theirs(app_paths):
    from nexus_tui.screens.collaborator_form import CollaboratorForm

    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_collaborators(pilot)
        ada, mine = await edit_meanwhile_elsewhere(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CollaboratorForm)
        assert form.query_one("#name", Input).value == mine
        # Saving now starts from their version, so it goes through.
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.store.read(stored_collaborator, ada).fields.name == mine
        assert app.store.read(stored_collaborator, ada).updated_at == FIXED_NOW


async def test_d_deletes_after_asking_and_u_brings_them_back(app_paths):
    from nexus_tui.screens.confirm import ConfirmScreen

    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_collaborators(pilot)
        ada = person_named(app, "Ada Lovelace").id
        assert app.screen.check_action("undo_delete", ()) is None
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        question = str(app.screen.query_one("#confirm-question", Static).render())
        assert question == "Delete Ada Lovelace and stop watching ada-l/nexus-api?\n\nu undoes it."
        await pilot.press("y")
        await settle(pilot)
        assert app.store.read(stored_collaborator, ada) is None
        assert option_texts(app, "#collaborator-list")[0] == "Bea\nFrontend · in 4 days"
        assert app.watched_repos == ()
        assert "Ada Lovelace deleted. Press u to undo." in notifications(app)

        await pilot.press("u")
        await settle(pilot)
        assert app.store.read(stored_collaborator, ada).fields.repos == ("ada-l/nexus-api",)
        assert app.screen.highlighted().id == ada
        assert app.watched_repos == ("ada-l/nexus-api",)
        assert app.screen.check_action("undo_delete", ()) is None


async def test_d_can_be_cancelled(app_paths):
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_collaborators(pilot)
        await pilot.press("d", "n")
        await settle(pilot)
        assert person_named(app, "Ada Lovelace")


async def test_every_action_is_a_key_with_a_name_in_the_palette_and_the_keys_help(app_paths):
    from nexus_tui.screens.collaborators import CollaboratorsScreen

    for binding in CollaboratorsScreen.BINDINGS:
        assert binding.id and binding.tooltip and binding.description
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_collaborators(pilot)
        commands = [command.title for command in app.get_system_commands(app.screen)]
        for title in ("New", "Edit", "Synced", "GitHub", "Delete"):
            assert title in commands
        assert "Undo delete" not in commands  # nothing deleted yet
        await pilot.press("question_mark")
        await settle(pilot)
        rows = " | ".join(str(row.render()) for row in app.screen.query(".key-row"))
        assert "Record a sync-up done today; the next is set a week later" in rows
        assert "Open their GitHub profile in the browser" in rows


async def test_with_nobody_listed_the_keys_for_a_person_are_dimmed(app_paths):
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.store.write(lambda conn: conn.execute("DELETE FROM collaborators"))
        await pilot.press("3")
        await settle(pilot)
        for action in ("edit", "delete", "record_sync", "open_github"):
            assert app.screen.check_action(action, ()) is None
        assert app.screen.check_action("new", ()) is True
        assert "Press n to add" in markdown_source(app, "#collaborator-view")


async def test_a_repository_taken_meanwhile_brings_the_form_back_with_the_reason(app_paths):
    from nexus_tui.screens.collaborator_form import CollaboratorForm

    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_collaborators(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*"Grace")
        await type_into(pilot, "#repos", "octo/api")
        # Another window gives the repository to Bea while the form is open.
        bea = person_named(app, "Bea").id
        app.store.write(update_collaborator, bea, person("Bea", repos=("octo/api",)), None, WHEN)
        await pilot.press("ctrl+s")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CollaboratorForm)
        assert form.query_one("#name", Input).value == "Grace"
        assert form.query_one("#repos").text == "octo/api"
        assert str(form.query_one("#form-problem", Static).render()) == (
            "octo/api is already watched for Bea."
        )
        assert str(form.query_one("#repos-problem", Static).render()) == (
            "octo/api is already watched for Bea."
        )


async def test_a_database_that_cannot_be_written_loses_nothing_typed(app_paths, monkeypatch):
    from nexus_tui.screens.collaborator_form import CollaboratorForm
    from nexus_tui.store import StoreError

    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_collaborators(pilot)
        await pilot.press("e")
        await settle(pilot)
        await type_into(pilot, "#project", "Nexus v2")

        def busy(*_args):
            raise StoreError("The database is busy: another nexus-tui is writing to it.")

        monkeypatch.setattr(app.store, "write", busy)
        await pilot.press("ctrl+s")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CollaboratorForm)
        assert form.query_one("#project", Input).value == "Nexus v2"
        assert "busy" in str(form.query_one("#form-problem", Static).render())
        monkeypatch.undo()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert (
            app.store.read(stored_collaborator, person_named(app, "Ada Lovelace").id).fields.project
            == "Nexus v2"
        )


async def test_saving_a_form_with_no_name_says_so(app_paths):
    from nexus_tui.screens.collaborator_form import CollaboratorForm

    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_collaborators(pilot)
        await pilot.press("n")
        await settle(pilot)
        await type_into(pilot, "#github", "grace-h")
        await pilot.press("ctrl+s")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CollaboratorForm)
        assert str(form.query_one("#name-problem", Static).render()) == (
            "A collaborator needs a name."
        )
        assert str(form.query_one("#form-problem", Static).render()) == "Not saved yet: check Name."
        assert form.query_one("#name", Input).has_focus
        assert form.query_one("#github", Input).value == "grace-h"


async def test_the_ci_screen_already_shown_follows_a_change_of_repositories(app_paths):
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_collaborators(pilot)
        await pilot.press("4")
        await settle(pilot)
        assert option_texts(app, "#repo-list") == ["? ada-l/nexus-api  Ada Lovelace"]
        await pilot.press("3", "d", "y")
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        assert option_texts(app, "#repo-list") == []
        assert "No repository is watched yet" in markdown_source(app, "#ci-view")
