"""A whole hub in and out of both stores (an SQLite file and PostgreSQL): read_hub, plan_import,
apply_import."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta
from functools import partial

import pytest
from conftest import FIXED_NOW, open_store
from hypothesis import HealthCheck, given, settings
from test_hub_backup import hubs, small_hub

from nexus_tui.hub.backup import dump_backup, from_backup, to_backup
from nexus_tui.hub.content import (
    IMPORTED_CATEGORY,
    ChallengeContent,
    CollaboratorContent,
    HubContent,
    NoteContent,
    RepoContent,
    TopicContent,
)
from nexus_tui.store import Store, queries
from nexus_tui.store.hub_io import ImportCancelled, apply_import, plan_import, read_hub
from nexus_tui.store.seed import remove_default_hub, seed_default_hub

NOW = FIXED_NOW.replace(tzinfo=None)
LATER = NOW + timedelta(days=3)


def restore(store: Store, content: HubContent, now: datetime = NOW):
    return store.write(partial(apply_import, exact=True), content, now)


def counts(store: Store) -> dict[str, int]:
    tables = ("categories", "topics", "notes", "challenges", "challenge_topics",
              "challenge_links", "collaborators", "repos", "meta")  # fmt: skip
    return store.read(
        lambda conn: {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in tables
        }
    )


def backup_of(store: Store) -> dict:
    return json.loads(dump_backup(store.read(read_hub)))


def emptied(store: Store) -> Store:
    """The store with every row of the hub deleted: a second hub to restore into, in the same
    database (a PostgreSQL test has one schema)."""

    def delete_everything(conn) -> None:
        for table in ("notes", "challenges", "repos", "collaborators", "topics", "categories",
                      "meta"):  # fmt: skip
            conn.execute(f"DELETE FROM {table}")

    store.write(delete_everything)
    assert set(counts(store).values()) == {0}
    return store


@pytest.fixture
def seeded(hub_location: str) -> Store:
    store = open_store(hub_location)
    assert seed_default_hub(store)
    return store


def readme_hub() -> HubContent:
    """What a README brings: names and words, no statuses, pins or times."""
    return HubContent(
        title="Project Nexus",
        topics=[
            TopicContent("Python", "Programming & Frameworks"),
            TopicContent("Redis caching", "Backend & Infrastructure Tools"),
        ],
        challenges=[
            ChallengeContent(
                "N+1 queries", "Slow lists.", "select_related", topics=["Redis caching"]
            )
        ],
        collaborators=[CollaboratorContent("Maya", github="maya-dev")],
    )


# --------------------------------------------------------------------------------------------
# Reading


def test_read_hub_lists_the_hub_in_the_screens_order(seeded):
    content = seeded.read(read_hub)
    shown = seeded.read(queries.categories_with_topics)
    assert [c.name for c in content.categories] == [c.name for c in shown]
    assert [(t.category, t.name) for t in content.topics] == [
        (category.name, topic.name) for category in shown for topic in category.topics
    ]
    first = shown[0].topics[0]
    on_screen = seeded.read(queries.notes_of_topic, first.id)
    assert [n.title for n in content.topics[0].notes] == [n.title for n in on_screen]
    assert content.topics[0].notes[0].updated_at == NOW
    assert {c.title for c in content.challenges} == {
        c.title for c in seeded.read(queries.challenges)
    }
    assert content.title == ""


# --------------------------------------------------------------------------------------------
# The round trip


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)
@given(content=hubs())
def test_export_import_export_is_the_identity(hub_location, content):
    # Function-scoped fixtures are not reset between examples: each empties the hub first.
    store = emptied(open_store(hub_location))
    store.write(apply_import, content, NOW)
    exported = backup_of(store)

    restore(emptied(store), from_backup(exported), LATER)
    assert backup_of(store) == exported
    # Restoring the same backup again finds everything in place.
    assert store.read(partial(plan_import, exact=True), from_backup(exported)).empty

    # Nothing of the content was dropped on the way, but NUL characters (see the next test).
    notes = [note for topic in exported["topics"] for note in topic["notes"]]
    assert sorted(note["body"] for note in notes) == sorted(
        without_nul(note.body) for topic in content.topics for note in topic.notes
    )
    assert sorted(c["solution"] for c in exported["challenges"]) == sorted(
        without_nul(c.solution) for c in content.challenges
    )
    assert len(exported["collaborators"]) == len(content.collaborators)
    assert exported["overview"] == without_nul(content.overview)


def without_nul(text: str) -> str:
    return text.replace("\x00", "")


def test_nul_characters_are_left_out_alike_on_both_stores(hub_location):
    # PostgreSQL cannot keep NUL in text; SQLite could, but both stores keep the same.
    store = open_store(hub_location)
    content = HubContent(
        title="Hub\x00",
        topics=[
            TopicContent("Red\x00is", "Tools", notes=[NoteContent("Keys\x00", "a\x00b", ["t\x00"])])
        ],
        challenges=[ChallengeContent("Flaky\x00", solution="re\x00try", topics=["Redis"])],
        collaborators=[CollaboratorContent("Ada\x00", github="ada\x00")],
        repos=[RepoContent("ada/site\x00", "Ada")],
    )
    plan = store.write(apply_import, content, NOW)
    assert "add note Keys (Redis)" in plan.lines
    hub = store.read(read_hub)
    assert (hub.title, hub.topics[0].name) == ("Hub", "Redis")
    note = hub.topics[0].notes[0]
    assert (note.title, note.body, note.tags) == ("Keys", "ab", ["t"])
    assert (hub.challenges[0].title, hub.challenges[0].solution) == ("Flaky", "retry")
    assert hub.challenges[0].topics == ["Redis"]
    assert (hub.collaborators[0].name, hub.collaborators[0].github) == ("Ada", "ada")
    assert hub.repos == [RepoContent("ada/site", "Ada")]
    # The same content again finds everything in place.
    assert store.write(apply_import, content, LATER).empty


def test_a_hubs_times_statuses_and_pins_survive_the_round_trip(hub_location):
    store = open_store(hub_location)
    restore(store, small_hub())
    exported = backup_of(store)
    restore(emptied(store), from_backup(exported), LATER)
    assert store.read(read_hub) == small_hub()


# --------------------------------------------------------------------------------------------
# Idempotency and updates


def test_importing_the_same_readme_twice_adds_nothing_the_second_time(seeded):
    first = seeded.write(apply_import, readme_hub(), NOW)
    assert "add topic Redis caching (Backend & Infrastructure Tools)" in first.lines
    assert first.added["topic"] == 1
    before = counts(seeded)
    second = seeded.write(apply_import, readme_hub(), LATER)
    assert second.empty
    assert second.summary() == "nothing to import"
    assert counts(seeded) == before


def test_a_changed_readme_updates_what_matches_and_adds_the_rest(hub_location):
    store = open_store(hub_location)
    store.write(apply_import, readme_hub(), NOW)
    changed = readme_hub()
    changed.challenges[0].solution = "select_related and prefetch_related"
    changed.topics.append(TopicContent("Celery", "Backend & Infrastructure Tools"))
    # Case aside, it is the same challenge, topic and category.
    changed.topics[0] = TopicContent("PYTHON", "programming & frameworks")

    planned = store.read(plan_import, changed)
    applied = store.write(apply_import, changed, LATER)

    assert planned == applied
    assert "change challenge N+1 queries: solution" in applied.lines
    assert "add topic Celery (Backend & Infrastructure Tools)" in applied.lines
    assert applied.added == {"topic": 1}
    assert applied.changed == {"category": 1, "topic": 1, "challenge": 1}
    assert applied.summary() == "added 1 topic; changed 1 category, 1 topic and 1 challenge"
    content = store.read(read_hub)
    assert [t.name for t in content.topics] == ["PYTHON", "Redis caching", "Celery"]
    assert content.challenges[0].solution == "select_related and prefetch_related"
    assert store.write(apply_import, changed, LATER).empty


def test_a_readme_without_statuses_pins_or_times_keeps_the_hubs(hub_location):
    store = open_store(hub_location)
    restore(store, small_hub())
    before = store.read(read_hub)
    readme = HubContent(
        topics=[
            TopicContent(
                "Redis caching", "Backend", notes=[NoteContent("Cache keys", "Prefix them.")]
            )
        ],
        challenges=[ChallengeContent("N+1 queries", solution="select_related")],
        collaborators=[CollaboratorContent("Ada")],
    )
    plan = store.write(apply_import, readme, LATER)
    assert plan.empty, plan.lines
    assert store.read(read_hub) == before


def test_a_readme_note_with_new_words_is_changed_now_and_keeps_its_pin(hub_location):
    store = open_store(hub_location)
    restore(store, small_hub())
    readme = HubContent(
        topics=[TopicContent("Redis caching", "Backend", notes=[NoteContent("cache KEYS", "New.")])]
    )
    plan = store.write(apply_import, readme, LATER)
    assert plan.lines == ["change note cache KEYS (Redis caching): title, body"]
    note = store.read(read_hub).topics[0].notes[0]
    assert (note.title, note.body, note.pinned) == ("cache KEYS", "New.", True)
    assert note.created_at == small_hub().topics[0].notes[0].created_at
    assert note.updated_at == LATER


def test_a_backup_restores_statuses_pins_times_and_dates_exactly(hub_location):
    store = open_store(hub_location)
    restore(store, small_hub())
    older = small_hub()
    older.topics[0].status = "not_started"
    note = older.topics[0].notes[0]
    note.pinned = False
    note.tags = []
    note.updated_at = datetime(2025, 1, 2, 3, 4, 5, 6)
    older.challenges[0].status = "open"
    older.collaborators[0] = replace(older.collaborators[0], role="other", next_sync=None)

    plan = restore(store, older, LATER)

    assert "change topic Redis caching (Backend): status" in plan.lines
    assert "change note Cache keys (Redis caching): tags, pinned, updated_at" in plan.lines
    assert store.read(read_hub) == older


def test_notes_with_the_same_title_stay_apart_and_are_matched_one_to_one(hub_location):
    store = open_store(hub_location)
    twins = HubContent(
        topics=[
            TopicContent(
                "Docker",
                "Tools",
                notes=[NoteContent("Todo", "first"), NoteContent("todo", "second")],
            )
        ]
    )
    assert store.write(apply_import, twins, NOW).added == {"category": 1, "topic": 1, "note": 2}
    assert counts(store)["notes"] == 2
    # Listed newest first with equal times: by id, so the order is the import's.
    assert store.write(apply_import, twins, LATER).empty
    reversed_twins = HubContent(
        topics=[TopicContent("Docker", "Tools", notes=list(reversed(twins.topics[0].notes)))]
    )
    assert store.write(apply_import, reversed_twins, LATER).empty
    assert counts(store)["notes"] == 2


def test_collaborators_match_by_github_handle_when_both_have_one_else_by_name(hub_location):
    store = open_store(hub_location)
    store.write(
        apply_import,
        HubContent(
            collaborators=[
                CollaboratorContent("Maya", github="maya-dev"),
                CollaboratorContent("Tom"),
            ]
        ),
        NOW,
    )
    plan = store.write(
        apply_import,
        HubContent(
            collaborators=[
                # Renamed, same handle: the same person.
                CollaboratorContent("Maya K.", github="MAYA-DEV", discord="maya#2"),
                # Same name, a handle now: the same person, who gets the handle.
                CollaboratorContent("tom", github="tom-codes"),
                # Same name as Maya once was, another handle: someone else.
                CollaboratorContent("Maya", github="maya-other"),
            ]
        ),
        LATER,
    )
    assert plan.lines == [
        "change collaborator Maya K.: name, github, discord",
        "change collaborator tom: name, github",
        "add collaborator Maya",
    ]
    people = store.read(read_hub).collaborators
    assert [(p.name, p.github) for p in people] == [
        ("Maya K.", "MAYA-DEV"), ("tom", "tom-codes"), ("Maya", "maya-other"),
    ]  # fmt: skip


def test_repositories_match_without_case_and_follow_their_person(hub_location):
    store = open_store(hub_location)
    store.write(
        apply_import,
        HubContent(
            collaborators=[CollaboratorContent("Ada")], repos=[RepoContent("ada/site", None)]
        ),
        NOW,
    )
    plan = store.write(
        apply_import,
        HubContent(
            collaborators=[CollaboratorContent("Bo")],
            repos=[RepoContent("ADA/site", "Ada"), RepoContent("bo/api", "Bo")],
        ),
        LATER,
    )
    assert plan.lines == [
        "add collaborator Bo",
        "change repository ADA/site: name, collaborator",
        "add repository bo/api",
    ]
    assert store.read(read_hub).repos == [
        RepoContent("ADA/site", "Ada"),
        RepoContent("bo/api", "Bo"),
    ]
    assert store.write(apply_import, store.read(read_hub), LATER).empty


def test_a_challenge_naming_a_topic_the_hub_lacks_gets_it_under_imported(hub_location):
    store = open_store(hub_location)
    plan = store.write(
        apply_import,
        HubContent(challenges=[ChallengeContent("Flaky CI", topics=["GitHub Actions"])]),
        NOW,
    )
    assert f"add topic GitHub Actions ({IMPORTED_CATEGORY})" in plan.lines
    content = store.read(read_hub)
    assert [(t.category, t.name) for t in content.topics] == [(IMPORTED_CATEGORY, "GitHub Actions")]
    assert content.challenges[0].topics == ["GitHub Actions"]


def test_a_topic_name_in_two_categories_links_the_challenge_to_both(hub_location):
    store = open_store(hub_location)
    hub = HubContent(
        topics=[TopicContent("Testing", "Backend"), TopicContent("testing", "Frontend")],
        challenges=[ChallengeContent("Coverage", topics=["TESTING"])],
    )
    store.write(apply_import, hub, NOW)
    assert counts(store)["challenge_topics"] == 2
    assert store.read(read_hub).challenges[0].topics == ["Testing"]


def test_the_hubs_title_and_overview_are_kept_in_meta(hub_location):
    store = open_store(hub_location)
    plan = store.write(apply_import, HubContent(title="Nexus", overview="About me"), NOW)
    assert plan.lines == ["add hub title", "add hub overview"]
    assert store.write(apply_import, HubContent(title="Nexus 2"), NOW).lines == ["change hub title"]
    content = store.read(read_hub)
    assert (content.title, content.overview) == ("Nexus 2", "About me")


def test_a_default_row_changed_by_an_import_becomes_the_users(seeded):
    default = seeded.read(read_hub)
    topic = default.topics[0]
    seeded.write(
        apply_import, HubContent(topics=[replace(topic, status="confident", notes=[])]), LATER
    )
    origin = seeded.read(
        lambda conn: conn.execute(
            "SELECT origin FROM topics WHERE name = ?", (topic.name,)
        ).fetchone()[0]
    )
    assert origin == "user"
    untouched_before = counts(seeded)["topics"]
    remove_default_hub(seeded)
    names = [t.name for t in seeded.read(read_hub).topics]
    assert topic.name in names
    assert len(names) < untouched_before


def test_new_rows_are_the_users_and_mark_the_hub_as_having_held_data(hub_location):
    store = open_store(hub_location)
    store.write(apply_import, readme_hub(), NOW)
    assert not seed_default_hub(store)
    origins = store.read(
        lambda conn: {
            row[0]
            for row in conn.execute("SELECT origin FROM topics UNION SELECT origin FROM notes")
        }
    )
    assert origins == {"user"}


def plan_and_writes(conn) -> tuple:
    """A plan, and whether making it wrote anything."""
    plan = plan_import(conn, readme_hub())
    if getattr(conn, "dialect", "sqlite") == "sqlite":
        return plan, conn.total_changes != 0
    # PostgreSQL gives a transaction an id at its first write.
    return plan, conn.execute("SELECT pg_current_xact_id_if_assigned() IS NOT NULL").fetchone()[0]


def test_planning_writes_nothing(seeded):
    before = counts(seeded)
    plan, wrote = seeded.read(plan_and_writes)
    assert wrote is False
    assert plan.added["topic"] == 1
    assert counts(seeded) == before


# --------------------------------------------------------------------------------------------
# Progress, cancelling, size


def many_notes(topics: int, per_topic: int) -> HubContent:
    return HubContent(
        topics=[
            TopicContent(
                f"Topic {t}",
                "Bulk",
                notes=[
                    NoteContent(f"Note {n}", f"Body {t}.{n} " * 20, ["bulk"])
                    for n in range(per_topic)
                ],
            )
            for t in range(topics)
        ]
    )


def test_progress_is_reported_in_chunks_up_to_the_total(hub_location):
    store = open_store(hub_location)
    reports: list[tuple[int, int]] = []
    store.write(
        partial(apply_import, progress=lambda done, total: reports.append((done, total))),
        many_notes(3, 1000),
        NOW,
    )
    totals = {total for _, total in reports}
    assert totals == {1 + 3 + 3000}
    done = [done for done, _ in reports]
    assert done[0] == 0 and done[-1] == 3004
    assert done == sorted(done)
    assert len(done) > 3


def test_cancelling_mid_import_leaves_the_hub_exactly_as_it_was(seeded):
    restore(seeded, small_hub())
    before, before_counts = seeded.read(read_hub), counts(seeded)
    reports: list[int] = []

    def cancelled() -> bool:
        return bool(reports) and reports[-1] >= 2000

    with pytest.raises(ImportCancelled):
        seeded.write(
            partial(
                apply_import,
                progress=lambda done, _total: reports.append(done),
                cancelled=cancelled,
            ),
            many_notes(5, 1000),
            LATER,
        )
    assert 2000 <= reports[-1] < 5000
    assert seeded.read(read_hub) == before
    assert counts(seeded) == before_counts


def test_ten_thousand_notes_import_and_read_back(hub_location):
    store = open_store(hub_location)
    content = many_notes(10, 1000)
    plan = store.write(apply_import, content, NOW)
    assert plan.added == {"category": 1, "topic": 10, "note": 10_000}
    assert counts(store)["notes"] == 10_000
    assert store.read(read_hub).topics[9].notes[999].title == "Note 999"
    assert store.write(apply_import, content, LATER).empty


def test_a_backup_of_a_big_hub_round_trips(hub_location):
    store = open_store(hub_location)
    store.write(apply_import, many_notes(4, 500), NOW)
    exported = to_backup(store.read(read_hub))
    restore(emptied(store), from_backup(exported), LATER)
    assert to_backup(store.read(read_hub)) == exported
