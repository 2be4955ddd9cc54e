"""Challenges: the store's reads and writes (with a clock the test moves), the form's checks, and
every key of the Challenges screen driven with Pilot."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from conftest import FIXED_NOW, make_app, settle
from test_app import markdown_source, option_texts, type_into
from textual.widgets import Input, Select, Static, TextArea

from nexus_tui.screens.challenge_form import (
    ChallengeTyped,
    check_typed,
    links_text,
    parse_links,
)
from nexus_tui.screens.topic_picker import matching_topics
from nexus_tui.store import Store, queries
from nexus_tui.store.challenges import (
    ChallengeFields,
    ChallengeFilter,
    add_challenge,
    challenges_of_topic,
    delete_challenge,
    list_challenges,
    restore_challenge,
    set_challenge_status,
    update_challenge,
)
from nexus_tui.store.changes import delete_topic, restore_topic
from nexus_tui.store.records import Link
from nexus_tui.store.seed import seed_default_hub

DOCKER = "Mastering Docker and containerized deployments"


class StepClock:
    """A clock that moves a minute each time it is read, so every write has its own time."""

    def __init__(self, start: datetime = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


@pytest.fixture
def store(hub_location) -> Store:
    store = Store.open(hub_location, StepClock())
    seed_default_hub(store)
    return store


def topic_id(store: Store, name: str) -> int:
    return next(
        topic.id
        for category in store.read(queries.categories_with_topics)
        for topic in category.topics
        if topic.name == name
    )


def challenge_id(store: Store, title: str) -> int:
    return next(item.id for item in store.read(list_challenges).items if item.title == title)


def titles(store: Store, where: ChallengeFilter | None = None) -> list[str]:
    return [item.title for item in store.read(list_challenges, where).items]


def rows(store: Store, sql: str, *parameters) -> list[tuple]:
    return store.read(lambda conn: conn.execute(sql, parameters).fetchall())


# --- the store ---------------------------------------------------------------------------------


def test_a_new_challenge_keeps_its_topics_and_links_and_is_listed_first_while_open(store):
    docker = topic_id(store, "Docker & Containerization")
    fields = ChallengeFields(
        "  Flaky CI  ",
        "Tests fail on **Tuesdays**",
        "",
        (docker,),
        (Link("https://github.com/me/api/pull/7", "Fix PR"),),
    )
    when = store.clock()
    new_id = store.write(add_challenge, fields, when)
    item = store.read(queries.challenge, new_id)
    assert item.title == "Flaky CI"
    assert item.status == "open"
    assert [topic.name for topic in item.topics] == ["Docker & Containerization"]
    assert item.links == (Link("https://github.com/me/api/pull/7", "Fix PR"),)
    assert item.created_at == item.updated_at == when
    assert titles(store)[0] == "Flaky CI"
    # The topic shows it too, with the seeded challenges linked to it.
    assert [each.title for each in store.read(challenges_of_topic, docker)] == [
        "Flaky CI",
        DOCKER,
        "Implementing CI/CD pipelines",
    ]


def test_new_challenges_of_a_status_go_after_the_others(store):
    store.write(add_challenge, ChallengeFields("First open", "", ""), store.clock())
    store.write(add_challenge, ChallengeFields("Second open", "", ""), store.clock())
    store.write(add_challenge, ChallengeFields("Solved late", "", "Done"), store.clock(), "solved")
    assert titles(store) == [
        "First open",
        "Second open",
        "Understanding complex backend architecture",
        "Debugging API validation & query issues",
        DOCKER,
        "Implementing CI/CD pipelines",
        "Solved late",
    ]


def test_a_challenge_needs_a_title_and_a_known_status(store):
    with pytest.raises(ValueError):
        store.write(add_challenge, ChallengeFields("   ", "", ""), store.clock())
    with pytest.raises(ValueError):
        store.write(add_challenge, ChallengeFields("x", "", ""), store.clock(), "stuck")
    assert len(titles(store)) == 4


def test_an_edit_replaces_topics_and_links_and_leaves_out_topics_deleted_meanwhile(store):
    item = store.read(queries.challenge, challenge_id(store, DOCKER))
    redis = topic_id(store, "Redis caching")
    gone = store.write(add_challenge, ChallengeFields("tmp", "", ""), store.clock())
    store.write(delete_challenge, gone)
    edited = ChallengeFields(
        "Docker, again",
        item.challenge,
        item.solution,
        (redis, 999_999),
        (Link("https://docs.docker.com/compose/", ""),),
    )
    assert store.write(update_challenge, item.id, edited, item.updated_at, store.clock())
    again = store.read(queries.challenge, item.id)
    assert again.title == "Docker, again"
    assert [topic.name for topic in again.topics] == ["Redis caching"]
    assert again.links == (Link("https://docs.docker.com/compose/", ""),)
    assert again.status == "solved"
    assert again.updated_at > item.updated_at


def test_an_edit_from_an_older_version_is_refused_not_written_over(store):
    item = store.read(queries.challenge, challenge_id(store, DOCKER))
    theirs = fields_with(item, title="Theirs")
    assert store.write(update_challenge, item.id, theirs, item.updated_at, store.clock())
    mine = fields_with(item, title="Mine")
    assert not store.write(update_challenge, item.id, mine, item.updated_at, store.clock())
    assert store.read(queries.challenge, item.id).title == "Theirs"
    # Asked to overwrite, it does.
    assert store.write(update_challenge, item.id, mine, None, store.clock())
    assert store.read(queries.challenge, item.id).title == "Mine"
    # A challenge deleted meanwhile is not there to update.
    store.write(delete_challenge, item.id)
    assert not store.write(update_challenge, item.id, mine, None, store.clock())


def fields_with(item, **changes) -> ChallengeFields:
    fields = ChallengeFields(
        item.title,
        item.challenge,
        item.solution,
        tuple(topic.id for topic in item.topics),
        item.links,
    )
    return fields._replace(**changes)


def test_an_edit_can_mark_it_solved_in_the_same_write(store):
    new_id = store.write(add_challenge, ChallengeFields("Open one", "p", ""), store.clock())
    item = store.read(queries.challenge, new_id)
    fields = fields_with(item, solution="Pinned the version")
    assert store.write(update_challenge, new_id, fields, item.updated_at, store.clock(), "solved")
    again = store.read(queries.challenge, new_id)
    assert (again.status, again.solution) == ("solved", "Pinned the version")


def test_status_changes_are_saved_with_their_time(store):
    docker = challenge_id(store, DOCKER)
    when = store.clock()
    assert store.write(set_challenge_status, docker, "open", when)
    item = store.read(queries.challenge, docker)
    assert item.status == "open"
    assert item.updated_at == when > item.created_at
    assert titles(store)[0] == DOCKER
    with pytest.raises(ValueError):
        store.write(set_challenge_status, docker, "stuck", store.clock())
    store.write(delete_challenge, docker)
    assert not store.write(set_challenge_status, docker, "solved", store.clock())


def test_delete_then_restore_gives_back_the_same_rows(store):
    docker = challenge_id(store, DOCKER)
    store.write(
        update_challenge,
        docker,
        fields_with(
            store.read(queries.challenge, docker),
            links=(Link("https://github.com/me/api/commit/abc", "Dockerfile"),),
        ),
        None,
        store.clock(),
    )
    before_rows = rows(store, "SELECT * FROM challenges WHERE id = ?", docker)
    before_topics = rows(
        store, "SELECT * FROM challenge_topics WHERE challenge_id = ? ORDER BY topic_id", docker
    )
    before_links = rows(
        store, "SELECT * FROM challenge_links WHERE challenge_id = ? ORDER BY id", docker
    )
    deleted = store.write(delete_challenge, docker)
    assert deleted is not None
    assert DOCKER not in titles(store)
    assert (
        rows(store, "SELECT * FROM challenge_links WHERE challenge_id = ? ORDER BY id", docker)
        == []
    )
    assert store.write(delete_challenge, docker) is None

    assert store.write(restore_challenge, deleted) == docker
    assert rows(store, "SELECT * FROM challenges WHERE id = ?", docker) == before_rows
    assert (
        rows(
            store, "SELECT * FROM challenge_topics WHERE challenge_id = ? ORDER BY topic_id", docker
        )
        == before_topics
    )
    assert (
        rows(store, "SELECT * FROM challenge_links WHERE challenge_id = ? ORDER BY id", docker)
        == before_links
    )


def test_restore_takes_a_new_id_when_another_challenge_took_its_own(store):
    last = store.write(add_challenge, ChallengeFields("Last one", "", ""), store.clock())
    deleted = store.write(delete_challenge, last)
    if store.dialect == "sqlite":
        # SQLite hands the highest id out again once it is free.
        newer = store.write(add_challenge, ChallengeFields("Newer", "", ""), store.clock())
        assert newer == last
    else:
        # PostgreSQL's identities never hand out an id twice; only a row written with its id
        # (as an undo writes one) takes it.
        newer = store.write(
            lambda conn: conn.execute(
                "INSERT INTO challenges (id, title, created_at, updated_at) "
                "VALUES (?, 'Newer', ?, ?) RETURNING id",
                (last, "2026-12-02 00:00:00.000000", "2026-12-02 00:00:00.000000"),
            ).fetchone()[0]
        )
    restored = store.write(restore_challenge, deleted)
    assert restored != last
    assert store.read(queries.challenge, restored).title == "Last one"
    assert store.read(queries.challenge, newer).title == "Newer"


def test_restore_leaves_out_topics_deleted_meanwhile(store):
    docker = challenge_id(store, DOCKER)
    deleted = store.write(delete_challenge, docker)
    store.write(delete_topic, topic_id(store, "PostgreSQL"))
    store.write(restore_challenge, deleted)
    names = [topic.name for topic in store.read(queries.challenge, docker).topics]
    assert names == ["Docker & Containerization", "Linux & Shell Scripting"]


def test_a_topic_restored_after_its_challenge_is_linked_again(store):
    postgres = topic_id(store, "PostgreSQL")
    deleted_topic = store.write(delete_topic, postgres)
    assert store.read(challenges_of_topic, postgres) == []
    store.write(restore_topic, deleted_topic)
    assert [each.title for each in store.read(challenges_of_topic, postgres)] == [DOCKER]


def test_the_text_filter_matches_every_word_anywhere_case_aside(store):
    assert titles(store, ChallengeFilter(text="DOCKER")) == [DOCKER]
    assert titles(store, ChallengeFilter(text="PostgreSQL")) == [
        DOCKER,
        "Implementing CI/CD pipelines",
    ]
    # Words are looked for in the problem and the solution too, in any order.
    assert titles(store, ChallengeFilter(text="postgresql compose")) == [DOCKER]
    assert titles(store, ChallengeFilter(text="ocke")) == [DOCKER]
    assert titles(store, ChallengeFilter(text="nothing-like-this")) == []
    # Folded beyond ASCII, which SQLite's lower() leaves alone.
    store.write(add_challenge, ChallengeFields("Ärger mit STRASSE", "", ""), store.clock())
    assert titles(store, ChallengeFilter(text="ärger straße")) == ["Ärger mit STRASSE"]
    # Characters LIKE would read as wildcards are plain text here.
    assert titles(store, ChallengeFilter(text="%")) == []


def test_status_and_topic_filters_combine_and_count_everything(store):
    store.write(add_challenge, ChallengeFields("Open one", "", ""), store.clock())
    listing = store.read(list_challenges, ChallengeFilter(status="open"))
    assert [item.title for item in listing.items] == ["Open one"]
    assert listing.total == 5
    docker, git = topic_id(store, "Docker & Containerization"), topic_id(store, "Git & GitHub")
    by_topics = ChallengeFilter(status="solved", topic_ids=(docker, git))
    assert titles(store, by_topics) == [DOCKER, "Implementing CI/CD pipelines"]
    assert titles(store, by_topics._replace(text="compose")) == [DOCKER]
    assert not ChallengeFilter(text="   ").active
    assert store.read(list_challenges).total == 5


# --- the form's checks ---------------------------------------------------------------------------


def test_links_are_read_one_a_line_with_the_address_last_or_first():
    links, problems = parse_links(
        "Fix PR https://github.com/me/api/pull/7\n"
        "\n"
        "github.com/me/api/actions/runs/1 CI run\n"
        "https://docs.docker.com/compose/"
    )
    assert problems == []
    assert links == (
        Link("https://github.com/me/api/pull/7", "Fix PR"),
        Link("https://github.com/me/api/actions/runs/1", "CI run"),
        Link("https://docs.docker.com/compose/", ""),
    )
    assert parse_links(links_text(links)) == (links, [])


def test_a_line_without_an_address_is_named_with_what_is_wrong():
    links, problems = parse_links(
        "ok https://example.com\nsee the PR\nftp://example.com/file\nhttps://:80"
    )
    assert links == (Link("https://example.com", "ok"),)
    assert problems == [
        "Links, line 2: “PR” is not a web address. An address starts with https:// (or http://).",
        "Links, line 3: “ftp://example.com/file” is not a web address. An address starts with "
        "https:// (or http://).",
        "Links, line 4: “https://:80” is not a web address. An address needs a host, e.g. "
        "https://github.com/…",
    ]


def test_the_form_says_what_stops_it_being_saved():
    typed = ChallengeTyped("", "p", "", "", frozenset())
    assert check_typed(typed, needs_solution=False)[1] == ["A challenge needs a title."]
    assert check_typed(typed._replace(title="x" * 201), False)[1] == [
        "A title has at most 200 characters; this one has 201."
    ]
    assert check_typed(typed._replace(title="T"), needs_solution=True)[1] == [
        "Write how you solved it: a solved challenge needs its solution."
    ]
    fields, problems = check_typed(
        ChallengeTyped(" T ", "p", "s", "x https://a.example", frozenset({3, 1, 2})), True, [2, 3]
    )
    assert problems == []
    assert fields == ChallengeFields("T", "p", "s", (2, 3, 1), (Link("https://a.example", "x"),))


def test_the_topic_picker_narrows_by_every_word_of_name_or_category(store):
    topics = [
        topic
        for category in store.read(queries.categories_with_topics)
        for topic in category.topics
    ]
    names = [topic.name for topic in matching_topics(topics, "DOCK")]
    assert names == ["Docker & Containerization"]
    assert {topic.category for topic in matching_topics(topics, "caching strat")} == {
        "Caching Strategies"
    }
    assert matching_topics(topics, "") == topics


# --- the screen ----------------------------------------------------------------------------------


async def on_challenges(pilot, title: str | None = None) -> None:
    await settle(pilot)
    await pilot.press("2")
    await settle(pilot)
    if title is not None:
        challenge_list = pilot.app.screen.query_one("#challenge-list")
        challenge_list.highlight_id(str(challenge_id(pilot.app.store, title)))
        challenge_list.focus()
        await settle(pilot)


def form_errors(app) -> str:
    return str(app.screen.query_one("#challenge-form-errors", Static).render())


def read_challenge(app, title: str):
    return app.store.read(queries.challenge, challenge_id(app.store, title))


async def test_n_writes_a_challenge_linked_to_a_topic_chosen_in_the_picker(app_paths):
    from nexus_tui.screens.challenge_form import ChallengeForm
    from nexus_tui.screens.topic_picker import TopicPicker

    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await on_challenges(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, ChallengeForm)
        await pilot.press(*"Flaky build")
        await type_into(pilot, "#challenge-problem", "The image build times out.")
        await type_into(pilot, "#challenge-links", "Run https://github.com/me/api/actions/runs/9")
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert isinstance(app.screen, TopicPicker)
        await pilot.press(*"docker", "enter")
        await pilot.pause()
        assert "1 ticked: Docker & Containerization" in str(
            app.screen.query_one("#topic-picker-status", Static).render()
        )
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ChallengeForm)
        assert "Docker & Containerization" in str(
            app.screen.query_one("#challenge-topic-names", Static).render()
        )
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert option_texts(app, "#challenge-list")[0] == "○ Flaky build"
        source = markdown_source(app, "#challenge-view")
        assert "The image build times out." in source
        assert "- Run: <https://github.com/me/api/actions/runs/9>" in source
        assert option_texts(app, "#linked-topics") == ["Docker & Containerization"]
        docker = topic_id(app.store, "Docker & Containerization")
        assert "Flaky build" in [each.title for each in app.store.read(challenges_of_topic, docker)]


async def test_the_form_cannot_be_saved_until_it_is_right_and_keeps_what_was_typed(app_paths):
    from nexus_tui.screens.challenge_form import ChallengeForm
    from nexus_tui.screens.confirm import ConfirmScreen

    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await on_challenges(pilot)
        await pilot.press("n")
        await settle(pilot)
        await type_into(pilot, "#challenge-problem", "Something broke")
        assert form_errors(app) == "A challenge needs a title."
        await type_into(pilot, "#challenge-links", "the PR")
        assert form_errors(app) == (
            "A challenge needs a title.\nLinks, line 1: “PR” is not a web address. "
            "An address starts with https:// (or http://)."
        )
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ChallengeForm)
        assert app.screen.query_one("#challenge-problem", TextArea).text == "Something broke"
        # Escape with changes asks; "no" goes back to the form as it was.
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, ChallengeForm)
        assert app.screen.query_one("#challenge-links", TextArea).text == "the PR"
        await type_into(pilot, "#challenge-title", "Broken")
        await type_into(pilot, "#challenge-links", "the PR https://github.com/me/api/pull/1")
        assert form_errors(app) == ""
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ChallengeForm)
        assert read_challenge(app, "Broken").links == (
            Link("https://github.com/me/api/pull/1", "the PR"),
        )


async def test_escape_on_an_unchanged_form_closes_it_without_asking(app_paths):
    from nexus_tui.screens.challenges import ChallengesScreen

    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await on_challenges(pilot, DOCKER)
        await pilot.press("e", "escape")
        await settle(pilot)
        assert isinstance(app.screen, ChallengesScreen)
        assert read_challenge(app, DOCKER).updated_at == FIXED_NOW


async def test_e_edits_the_selected_challenge(app_paths):
    from nexus_tui.screens.challenge_form import ChallengeForm

    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await on_challenges(pilot, DOCKER)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ChallengeForm)
        assert app.screen.query_one("#challenge-title", Input).value == DOCKER
        names = str(app.screen.query_one("#challenge-topic-names", Static).render())
        # In the order of the Topics screen.
        assert names == "PostgreSQL · Docker & Containerization · Linux & Shell Scripting"
        await type_into(pilot, "#challenge-title", "Docker, tamed")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "✓ Docker, tamed" in option_texts(app, "#challenge-list")
        assert markdown_source(app, "#challenge-view").startswith("# Docker, tamed")
        # Solved ones keep a solution: emptying it is refused in words.
        await pilot.press("e")
        await settle(pilot)
        await type_into(pilot, "#challenge-solution", "   ")
        assert form_errors(app) == "Write how you solved it: a solved challenge needs its solution."


async def test_s_on_an_open_challenge_without_a_solution_asks_for_it(app_paths):
    from nexus_tui.screens.challenge_form import ChallengeForm

    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.store.write(add_challenge, ChallengeFields("Slow tests", "Ten minutes", ""), FIXED_NOW)
        await on_challenges(pilot, "Slow tests")
        assert "s Mark solved" in footer_text(app)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, ChallengeForm)
        assert app.screen.query_one("#challenge-form").border_title == "Write how you solved it"
        assert app.focused.id == "challenge-solution"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert form_errors(app) == "Write how you solved it: a solved challenge needs its solution."
        assert isinstance(app.screen, ChallengeForm)
        await pilot.press(*"Ran them in parallel")
        await pilot.press("ctrl+s")
        await settle(pilot)
        item = read_challenge(app, "Slow tests")
        assert (item.status, item.solution) == ("solved", "Ran them in parallel")
        assert "✓ Slow tests" in option_texts(app, "#challenge-list")


async def test_s_marks_solved_at_once_when_there_is_a_solution_and_again_reopens(app_paths):
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await on_challenges(pilot, DOCKER)
        assert "s Reopen" in footer_text(app)
        await pilot.press("s")
        await settle(pilot)
        assert read_challenge(app, DOCKER).status == "open"
        assert any("reopened: it is listed with the open ones again" in note.message
                   for note in app._notifications)  # fmt: skip
        # The cursor follows it to the top, among the open ones.
        assert option_texts(app, "#challenge-list")[0] == f"○ {DOCKER}"
        assert app.screen.query_one("#challenge-list").highlighted == 0
        assert "s Mark solved" in footer_text(app)
        await pilot.press("s")
        await settle(pilot)
        assert read_challenge(app, DOCKER).status == "solved"
        assert any(note.message == f"“{DOCKER}” marked solved." for note in app._notifications)


def footer_text(app) -> str:
    from nexus_tui.widgets.key_bar import KeyBar

    return app.screen.query_one(KeyBar).render().plain


async def test_d_deletes_after_asking_and_u_brings_it_back(app_paths):
    from nexus_tui.screens.confirm import ConfirmScreen

    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await on_challenges(pilot, DOCKER)
        docker = challenge_id(app.store, DOCKER)
        before = read_challenge(app, DOCKER)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        question = str(app.screen.query_one("#confirm-question", Static).render())
        assert question.startswith(DOCKER)
        await pilot.press("y")
        await settle(pilot)
        assert f"✓ {DOCKER}" not in option_texts(app, "#challenge-list")
        assert app.store.read(queries.challenge, docker) is None
        # The cursor stays in place, on the next one.
        assert "Implementing CI/CD pipelines" in markdown_source(app, "#challenge-view")
        await pilot.press("u")
        await settle(pilot)
        assert app.store.read(queries.challenge, docker) == before
        assert DOCKER in markdown_source(app, "#challenge-view")


async def test_d_answered_no_deletes_nothing(app_paths):
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await on_challenges(pilot, DOCKER)
        await pilot.press("d", "n")
        await settle(pilot)
        assert len(option_texts(app, "#challenge-list")) == 4
        # Nothing to undo: u is not offered.
        assert app.screen.check_action("undo_delete", ()) is None


async def test_the_filter_narrows_the_list_and_escape_clears_it(app_paths):
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.store.write(add_challenge, ChallengeFields("Open one", "about docker", ""), FIXED_NOW)
        await on_challenges(pilot)
        challenge_list = app.screen.query_one("#challenge-list")
        assert challenge_list.border_title == "Challenges"
        await pilot.press("f")
        assert app.focused.id == "filter-text"
        await pilot.press(*"DOCKER")
        await settle(pilot)
        assert option_texts(app, "#challenge-list") == ["○ Open one", f"✓ {DOCKER}"]
        assert challenge_list.border_title == "Challenges 2 of 5"
        # enter keeps the filter and goes to the list, where v shows only the solved ones.
        await pilot.press("enter", "v", "v")
        await settle(pilot)
        assert app.screen.query_one("#filter-status", Select).value == "solved"
        assert option_texts(app, "#challenge-list") == [f"✓ {DOCKER}"]
        assert challenge_list.border_title == "Challenges 1 of 5"
        assert app.focused is challenge_list
        await pilot.press("escape")
        await settle(pilot)
        assert challenge_list.border_title == "Challenges"
        assert len(option_texts(app, "#challenge-list")) == 5
        assert app.screen.query_one("#filter-text", Input).value == ""
        assert app.screen.query_one("#filter-status", Select).value == "all"


async def test_the_topic_filter_is_chosen_in_the_picker(app_paths):
    from nexus_tui.screens.topic_picker import TopicPicker

    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await on_challenges(pilot)
        await pilot.press("T")
        await settle(pilot)
        assert isinstance(app.screen, TopicPicker)
        await pilot.press(*"postgres", "enter", "ctrl+s")
        await settle(pilot)
        assert option_texts(app, "#challenge-list") == [f"✓ {DOCKER}"]
        assert str(app.screen.query_one("#filter-topics").label) == "PostgreSQL"
        assert app.screen.query_one("#challenge-list").border_title == "Challenges 1 of 4"
        # Nothing matches: the pane says so, and how to get back.
        await pilot.press("f", *"kubernetes")
        await settle(pilot)
        assert option_texts(app, "#challenge-list") == []
        assert markdown_source(app, "#challenge-view") == (
            "No challenge matches the filter. Escape clears it."
        )
        await pilot.press("escape")
        await settle(pilot)
        assert len(option_texts(app, "#challenge-list")) == 4
        assert str(app.screen.query_one("#filter-topics").label) == "Any topic"


async def test_t_and_enter_on_a_linked_topic_open_it_on_the_topics_screen(app_paths):
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await on_challenges(pilot, DOCKER)
        await pilot.press("t")
        await settle(pilot)
        assert app.current_mode == "topics"
        tree = app.screen.query_one("#topic-tree")
        assert tree.cursor_node.data.name == "Docker & Containerization"

        await pilot.press("2")
        await settle(pilot)
        linked = app.screen.query_one("#linked-topics")
        linked.focus()
        await pilot.press("j", "enter")
        await settle(pilot)
        assert app.current_mode == "topics"
        # The second of the linked topics, which are listed by name.
        name = app.screen.query_one("#topic-tree").cursor_node.data.name
        assert name == "Linux & Shell Scripting"


async def test_a_challenge_without_topics_offers_no_jump(app_paths):
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.store.write(add_challenge, ChallengeFields("Alone", "", ""), FIXED_NOW)
        await on_challenges(pilot, "Alone")
        assert app.screen.check_action("go_to_topic", ()) is None
        assert not app.screen.query_one("#linked-topics").display
        await pilot.press("t")
        await settle(pilot)
        assert app.current_mode == "challenges"


async def test_an_edit_saved_elsewhere_meanwhile_is_not_overwritten_unasked(app_paths):
    from nexus_tui.screens.challenge_form import ChallengeForm
    from nexus_tui.screens.confirm import ConfirmScreen

    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await on_challenges(pilot, DOCKER)
        docker = challenge_id(app.store, DOCKER)
        await pilot.press("e")
        await settle(pilot)
        await type_into(pilot, "#challenge-title", "Mine")
        # Another window saves the challenge while the form is open.
        theirs = fields_with(read_challenge(app, DOCKER), title="Theirs")
        later = FIXED_NOW + timedelta(minutes=5)
        assert app.store.write(update_challenge, docker, theirs, None, later)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert app.screen.title_text == "This challenge changed elsewhere"
        # No: the form comes back with my text, on top of their version.
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, ChallengeForm)
        assert app.screen.query_one("#challenge-title", Input).value == "Mine"
        assert app.store.read(queries.challenge, docker).title == "Theirs"
        # Saved now, it is no conflict: the form started from their version.
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.store.read(queries.challenge, docker).title == "Mine"


async def test_a_conflict_answered_yes_overwrites(app_paths):
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await on_challenges(pilot, DOCKER)
        docker = challenge_id(app.store, DOCKER)
        await pilot.press("e")
        await settle(pilot)
        await type_into(pilot, "#challenge-title", "Mine")
        theirs = fields_with(read_challenge(app, DOCKER), title="Theirs")
        app.store.write(update_challenge, docker, theirs, None, FIXED_NOW + timedelta(minutes=5))
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert app.store.read(queries.challenge, docker).title == "Mine"


async def test_an_edit_of_a_challenge_deleted_meanwhile_can_be_kept_as_a_new_one(app_paths):
    from nexus_tui.screens.challenge_form import ChallengeForm

    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await on_challenges(pilot, DOCKER)
        docker = challenge_id(app.store, DOCKER)
        await pilot.press("e")
        await settle(pilot)
        await type_into(pilot, "#challenge-title", "Kept")
        app.store.write(delete_challenge, docker)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ChallengeForm)
        assert app.screen.query_one("#challenge-form").border_title == (
            "New challenge (the original is gone)"
        )
        assert app.screen.query_one("#challenge-title", Input).value == "Kept"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert read_challenge(app, "Kept").solution.startswith("- Wrote a Dockerfile")


async def test_every_challenge_key_is_named_for_the_palette_and_the_keys_help(app_paths):
    from nexus_tui.screens.challenges import ChallengesScreen

    for binding in ChallengesScreen.BINDINGS:
        assert binding.id and binding.tooltip and binding.description, binding
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await on_challenges(pilot, DOCKER)
        commands = {command.title for command in app.get_system_commands(app.screen)}
        for title in (
            "New",
            "Edit",
            "Reopen",
            "Delete",
            "Go to topic",
            "Filter",
            "Filter by topic",
        ):
            assert title in commands
        # Not offered where it cannot act.
        assert "Mark solved" not in commands
        assert "Undo delete" not in commands
