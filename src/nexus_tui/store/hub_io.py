"""A whole hub in and out of the database: `read_hub` for exports and backups, `plan_import` and
`apply_import` for imports. Plain SQL over sqlite3, like the screens' writes.

An import adds what the hub lacks and changes what differs; it never deletes. Rows are matched
without regard to case: a category by name, a topic by category and name, a note by topic and
title, a challenge by title, a collaborator by GitHub handle when both have one (else by name),
a repository by owner/name. Each stored row answers for one imported row at most, so two notes of
the same title stay two notes, and importing the same content again finds a partner for every
row and changes nothing.

A README knows less than the hub: no statuses, pins or times. So by default an imported value
changes a stored one only when it says something: an empty text, an empty list, a missing time or
date, and the value a new row starts with (topic "not_started", challenge "open", role and kind
"other", not pinned) leave the stored value alone. A JSON backup is restored with `exact=True`:
every value it holds is written as it is, times and dates included. NUL characters are left out of
every text, on both stores alike (PostgreSQL cannot keep them).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields, is_dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

from nexus_tui.hub.content import (
    IMPORTED_CATEGORY,
    CategoryContent,
    ChallengeContent,
    CollaboratorContent,
    HubContent,
    LinkContent,
    NoteContent,
    RepoContent,
    TopicContent,
)
from nexus_tui.store.database import to_db_time

# Where the hub's own title and overview (a README's first heading and paragraph) are kept.
TITLE_KEY = "hub_title"
OVERVIEW_KEY = "hub_overview"

# Rows written between two looks at `cancelled` and two calls of `progress`: small enough that
# cancelling answers at once, large enough that executemany keeps its speed.
CHUNK_ROWS = 1000

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]

# Kinds of row, in the order a summary names them, with their singular and plural.
_KIND_WORDS = {
    "hub": ("hub detail", "hub details"),
    "category": ("category", "categories"),
    "topic": ("topic", "topics"),
    "note": ("note", "notes"),
    "challenge": ("challenge", "challenges"),
    "collaborator": ("collaborator", "collaborators"),
    "repo": ("repository", "repositories"),
}


class ImportCancelled(Exception):
    """Raised inside the write transaction when `cancelled()` says so: nothing of it is kept."""


class ExportCancelled(Exception):
    """Raised by `read_hub` when `cancelled()` says so: nothing is written."""


# Notes read between two calls of `read_hub`'s progress and cancelled.
READ_CHUNK = 2000


# --- reading ------------------------------------------------------------------------------------


def _content_time(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def _content_date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _tags(text: str) -> list[str]:
    try:
        value = json.loads(text)
    except ValueError:
        return []
    return [str(tag) for tag in value] if isinstance(value, list) else []


def _fold(text: str) -> str:
    return text.casefold()


def _topic_names(names: list[str]) -> list[str]:
    # A name held by topics of several categories is written once: importing it links them all.
    unique: dict[str, str] = {}
    for name in sorted(names, key=lambda name: (_fold(name), name)):
        unique.setdefault(_fold(name), name)
    return list(unique.values())


def read_hub(
    conn: sqlite3.Connection,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> HubContent:
    """The whole hub in the screens' order: categories and topics by position, a topic's notes
    pinned first then newest, challenges and collaborators in the user's order.

    The notes are most of a large hub: `progress(notes read, notes)` is called as they are read,
    and `cancelled()` asked, ExportCancelled raised when it says so.
    """
    total = conn.execute("SELECT count(*) FROM notes").fetchone()[0] if progress else 0
    meta = dict(
        conn.execute("SELECT key, value FROM meta WHERE key IN (?, ?)", (TITLE_KEY, OVERVIEW_KEY))
    )
    categories = [
        CategoryContent(name, kind)
        for name, kind in conn.execute(
            "SELECT name, kind FROM categories ORDER BY position, lower(name), id"
        )
    ]
    notes: dict[int, list[NoteContent]] = {}
    rows = conn.execute(
        """SELECT topic_id, title, body, tags, pinned, created_at, updated_at FROM notes
        ORDER BY topic_id, pinned DESC, updated_at DESC, id"""
    )
    for count, (topic_id, title, body, tags, pinned, created, updated) in enumerate(rows):
        if count % READ_CHUNK == 0:
            if cancelled is not None and cancelled():
                raise ExportCancelled
            if progress is not None:
                progress(count, total)
        notes.setdefault(topic_id, []).append(
            NoteContent(
                title, body, _tags(tags), bool(pinned),
                _content_time(created), _content_time(updated),
            )
        )  # fmt: skip
    topics = [
        TopicContent(name, category, status, notes.get(topic_id, []))
        for topic_id, name, category, status in conn.execute(
            """SELECT t.id, t.name, c.name, t.status FROM topics t
            JOIN categories c ON c.id = t.category_id
            ORDER BY c.position, lower(c.name), c.id, t.position, lower(t.name),
                t.id"""
        )
    ]
    linked: dict[int, list[str]] = {}
    for challenge_id, name in conn.execute(
        """SELECT ct.challenge_id, t.name FROM challenge_topics ct
        JOIN topics t ON t.id = ct.topic_id"""
    ):
        linked.setdefault(challenge_id, []).append(name)
    links: dict[int, list[LinkContent]] = {}
    for challenge_id, url, label in conn.execute(
        "SELECT challenge_id, url, label FROM challenge_links ORDER BY challenge_id, id"
    ):
        links.setdefault(challenge_id, []).append(LinkContent(url, label))
    challenges = [
        ChallengeContent(
            title, problem, solution, status,
            _topic_names(linked.get(challenge_id, [])), links.get(challenge_id, []),
        )
        for challenge_id, title, problem, solution, status in conn.execute(
            """SELECT id, title, challenge, solution, status FROM challenges
            ORDER BY position, created_at, id"""
        )
    ]  # fmt: skip
    collaborators = [
        CollaboratorContent(
            name, role, github, discord, project, person_notes, api_contract,
            _content_date(last_sync), _content_date(next_sync),
        )
        for (
            name, role, github, discord, project, person_notes, api_contract, last_sync,
            next_sync,
        ) in conn.execute(
            """SELECT name, role, github, discord, project, notes, api_contract, last_sync,
            next_sync FROM collaborators ORDER BY position, lower(name), id"""
        )
    ]  # fmt: skip
    repos = [
        RepoContent(full_name, collaborator)
        for full_name, collaborator in conn.execute(
            """SELECT r.full_name, c.name FROM repos r
            LEFT JOIN collaborators c ON c.id = r.collaborator_id
            ORDER BY lower(r.full_name)"""
        )
    ]
    if progress is not None:
        progress(total, total)
    return HubContent(
        title=meta.get(TITLE_KEY, ""),
        overview=meta.get(OVERVIEW_KEY, ""),
        categories=categories,
        topics=topics,
        challenges=challenges,
        collaborators=collaborators,
        repos=repos,
    )


# --- the plan -----------------------------------------------------------------------------------


@dataclass(slots=True)
class ImportPlan:
    """What an import adds and changes: counts per kind of row, and one readable line each."""

    added: dict[str, int] = field(default_factory=dict)
    changed: dict[str, int] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.lines

    def note_added(self, kind: str, line: str) -> None:
        self.added[kind] = self.added.get(kind, 0) + 1
        self.lines.append(line)

    def note_changed(self, kind: str, line: str) -> None:
        self.changed[kind] = self.changed.get(kind, 0) + 1
        self.lines.append(line)

    def summary(self, *, would: bool = False) -> str:
        """One line of counts, like: added 2 topics and 5 notes; changed 1 challenge.

        `would` words it as a plan ("would add …") for a dry run."""
        parts = []
        for verb, done, counts in (
            ("add", "added", self.added),
            ("change", "changed", self.changed),
        ):
            if not counts:
                continue
            words = [
                f"{counts[kind]} {_KIND_WORDS[kind][counts[kind] != 1]}"
                for kind in _KIND_WORDS
                if counts.get(kind)
            ]
            listed = words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"
            parts.append(f"{'would ' + verb if would else done} {listed}")
        return "; ".join(parts) if parts else "nothing to import"


@dataclass(slots=True, eq=False)
class _Row:
    """A row of the hub: one stored (its id known) or one this import adds (id set on insert).

    `values` are its columns as stored, or as they will be inserted; compared by identity, so a
    row can be a key while its values change."""

    id: int | None
    values: dict[str, Any]
    # Column changes an import makes to a stored row.
    changes: dict[str, Any] = field(default_factory=dict)


# Stands for the import's `now` in planned writes: the plan is made before the clock is read.
_NOW = object()


@dataclass(slots=True)
class _Candidates:
    """Stored rows one key may match, each taken by one imported row at most."""

    rows: list[_Row] = field(default_factory=list)

    def take(self, prefer: Callable[[_Row], bool]) -> _Row | None:
        for index, row in enumerate(self.rows):
            if prefer(row):
                return self.rows.pop(index)
        return self.rows.pop(0) if self.rows else None


class _Importer:
    """Matches `content` against the database and plans the writes; `write` then makes them."""

    def __init__(self, conn: sqlite3.Connection, content: HubContent, exact: bool) -> None:
        self.conn = conn
        self.content = content
        self.exact = exact
        self.plan = ImportPlan()
        self.meta: dict[str, str] = {}
        self.new_categories: list[_Row] = []
        self.new_topics: list[tuple[_Row, _Row]] = []
        self.new_notes: list[tuple[_Row, dict[str, Any]]] = []
        self.new_challenges: list[_Row] = []
        self.new_challenge_topics: list[tuple[_Row, _Row]] = []
        self.new_links: list[tuple[_Row, str, str]] = []
        self.new_collaborators: list[_Row] = []
        self.new_repos: list[tuple[str, _Row | None]] = []
        # (table, row) for stored rows with changes, in the order they were planned.
        self.updates: list[tuple[str, _Row]] = []
        self.queued: set[_Row] = set()
        self._make_plan()

    # --- comparing values

    def _says_something(self, value: object, default: object) -> bool:
        if value is None:
            return False
        if self.exact:
            return True
        return value not in ("", [], default)

    def _change(self, row: _Row, column: str, value: object, default: object = "") -> bool:
        """Plan `column = value` on a stored row when the import says so; whether it did."""
        if not self._says_something(value, default):
            return False
        current = row.changes.get(column, row.values[column])
        if value == current:
            return False
        if row.id is None:
            row.values[column] = value
        else:
            row.changes[column] = value
        return True

    def _changed(self, table: str, row: _Row, kind: str, line: str, fields: list[str]) -> None:
        if not fields or row.id is None:
            return
        self._queue_update(table, row)
        # An import is the user's data: a default row it changes is the user's from now on.
        row.changes["origin"] = "user"
        if table in ("categories", "topics"):
            row.changes["updated_at"] = _NOW
        self.plan.note_changed(kind, f"{line}: {', '.join(fields)}")

    def _queue_update(self, table: str, row: _Row) -> None:
        if row not in self.queued:
            self.queued.add(row)
            self.updates.append((table, row))

    # --- planning

    def _make_plan(self) -> None:
        content = self.content
        for key, value, label in (
            (TITLE_KEY, content.title, "title"),
            (OVERVIEW_KEY, content.overview, "overview"),
        ):
            stored = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
            current = stored[0] if stored else ""
            if self._says_something(value, "") and value != current:
                self.meta[key] = value
                if current:
                    self.plan.note_changed("hub", f"change hub {label}")
                else:
                    self.plan.note_added("hub", f"add hub {label}")
        self._load_categories_and_topics()
        for category in content.categories:
            self._category(category.name, category.kind)
        for topic in content.topics:
            self._topic(topic)
        self._plan_challenges()
        self._plan_collaborators()
        self._plan_repos()

    def _load_categories_and_topics(self) -> None:
        self.categories: dict[str, list[_Row]] = {}
        by_id: dict[int, _Row] = {}
        for id_, name, kind in self.conn.execute(
            "SELECT id, name, kind FROM categories ORDER BY id"
        ):
            row = _Row(id_, {"name": name, "kind": kind})
            by_id[id_] = row
            self.categories.setdefault(_fold(name), []).append(row)
        (self.next_category_position,) = self.conn.execute(
            "SELECT coalesce(max(position) + 1, 0) FROM categories"
        ).fetchone()
        self.next_topic_position: dict[_Row, int] = {
            by_id[category_id]: position
            for category_id, position in self.conn.execute(
                "SELECT category_id, max(position) + 1 FROM topics GROUP BY category_id"
            )
        }
        self.topics: dict[tuple[_Row, str], list[_Row]] = {}
        self.topics_by_name: dict[str, list[_Row]] = {}
        for id_, category_id, name, status in self.conn.execute(
            "SELECT id, category_id, name, status FROM topics ORDER BY id"
        ):
            row = _Row(id_, {"name": name, "status": status, "category": by_id[category_id]})
            self.topics.setdefault((by_id[category_id], _fold(name)), []).append(row)
            self.topics_by_name.setdefault(_fold(name), []).append(row)
        self.note_candidates: dict[_Row, dict[str, _Candidates]] = {}

    @staticmethod
    def _pick(rows: list[_Row], name: str) -> _Row:
        # Stored names may differ only in case ("redis" and "Redis"); the same spelling wins.
        return next((row for row in rows if row.values["name"] == name), rows[0])

    def _category(self, name: str, kind: str | None = None) -> _Row:
        """The category of that name, planned to be added when missing. `kind` None: the
        content does not say (a topic naming its category)."""
        rows = self.categories.get(_fold(name))
        if rows:
            row = self._pick(rows, name)
            fields = [
                column
                for column, value, default in (("name", name, ""), ("kind", kind, "other"))
                if self._change(row, column, value, default)
            ]
            self._changed("categories", row, "category", f"change category {name}", fields)
            return row
        row = _Row(
            None, {"name": name, "kind": kind or "other", "position": self.next_category_position}
        )
        self.next_category_position += 1
        self.categories[_fold(name)] = [row]
        self.new_categories.append(row)
        self.plan.note_added("category", f"add category {name}")
        return row

    def _topic_row(self, category: _Row, name: str, status: str) -> _Row:
        where = category.values["name"]
        rows = self.topics.get((category, _fold(name)))
        if rows:
            row = self._pick(rows, name)
            fields = [
                column
                for column, value, default in (
                    ("name", name, ""),
                    ("status", status, "not_started"),
                )
                if self._change(row, column, value, default)
            ]
            self._changed("topics", row, "topic", f"change topic {name} ({where})", fields)
            return row
        position = self.next_topic_position.get(category, 0)
        self.next_topic_position[category] = position + 1
        row = _Row(None, {"name": name, "status": status, "position": position})
        self.topics[(category, _fold(name))] = [row]
        self.topics_by_name.setdefault(_fold(name), []).append(row)
        self.new_topics.append((row, category))
        self.plan.note_added("topic", f"add topic {name} ({where})")
        return row

    def _topic(self, topic: TopicContent) -> None:
        category = self._category(topic.category)
        row = self._topic_row(category, topic.name, topic.status)
        candidates = self._note_candidates(row)
        for note in topic.notes:
            self._note(row, topic, candidates, note)

    def _note_candidates(self, topic: _Row) -> dict[str, _Candidates]:
        candidates = self.note_candidates.get(topic)
        if candidates is None:
            candidates = {}
            if topic.id is not None:
                for id_, title, body, tags, pinned, created, updated in self.conn.execute(
                    """SELECT id, title, body, tags, pinned, created_at, updated_at FROM notes
                    WHERE topic_id = ? ORDER BY id""",
                    (topic.id,),
                ):
                    values = {
                        "title": title, "body": body, "tags": _tags(tags),
                        "pinned": bool(pinned), "created_at": created, "updated_at": updated,
                    }  # fmt: skip
                    candidates.setdefault(_fold(title), _Candidates()).rows.append(
                        _Row(id_, values)
                    )
            self.note_candidates[topic] = candidates
        return candidates

    def _note(
        self,
        topic: _Row,
        content: TopicContent,
        candidates: dict[str, _Candidates],
        note: NoteContent,
    ) -> None:
        created = None if note.created_at is None else to_db_time(note.created_at)
        updated = None if note.updated_at is None else to_db_time(note.updated_at)
        pool = candidates.get(_fold(note.title))
        row = pool.take(lambda row: row.values["body"] == note.body) if pool else None
        where = f"{note.title} ({content.name})"
        if row is None:
            self.new_notes.append(
                (
                    topic,
                    {
                        "title": note.title, "body": note.body, "tags": json.dumps(note.tags),
                        "pinned": note.pinned, "created_at": created, "updated_at": updated,
                    },
                )
            )  # fmt: skip
            self.plan.note_added("note", f"add note {where}")
            return
        fields = [
            name
            for name, column, value, default in (
                ("title", "title", note.title, ""),
                ("body", "body", note.body, ""),
                ("tags", "tags", list(note.tags), []),
                ("pinned", "pinned", note.pinned, False),
                ("created_at", "created_at", created, None),
                ("updated_at", "updated_at", updated, None),
            )
            if self._change(row, column, value, default)
        ]
        if "tags" in row.changes:
            row.changes["tags"] = json.dumps(row.changes["tags"])
        # Like an edit on the screen: new words are a change now; a pin alone is not.
        if {"title", "body", "tags"} & set(fields) and "updated_at" not in row.changes:
            row.changes["updated_at"] = _NOW
        self._changed("notes", row, "note", f"change note {where}", fields)

    def _linked_topics(self, name: str) -> list[_Row]:
        rows = self.topics_by_name.get(_fold(name))
        if rows:
            return rows
        # A challenge names a topic the hub lacks: it is made, so the link is not lost.
        return [self._topic_row(self._category(IMPORTED_CATEGORY), name, "not_started")]

    def _plan_challenges(self) -> None:
        pools: dict[str, _Candidates] = {}
        for id_, title, problem, solution, status in self.conn.execute(
            "SELECT id, title, challenge, solution, status FROM challenges ORDER BY id"
        ):
            values = {"title": title, "challenge": problem, "solution": solution, "status": status}
            pools.setdefault(_fold(title), _Candidates()).rows.append(_Row(id_, values))
        (position,) = self.conn.execute(
            "SELECT coalesce(max(position) + 1, 0) FROM challenges"
        ).fetchone()
        for item in self.content.challenges:
            pool = pools.get(_fold(item.title))
            row = None
            if pool:
                row = pool.take(lambda row, item=item: row.values["solution"] == item.solution)
            topics = [topic for name in item.topics for topic in self._linked_topics(name)]
            if row is None:
                row = _Row(
                    None,
                    {
                        "title": item.title, "challenge": item.challenge,
                        "solution": item.solution, "status": item.status, "position": position,
                    },
                )  # fmt: skip
                position += 1
                self.new_challenges.append(row)
                self.new_challenge_topics.extend((row, topic) for topic in dict.fromkeys(topics))
                self.new_links.extend((row, link.url, link.label) for link in item.links)
                self.plan.note_added("challenge", f"add challenge {item.title}")
                continue
            fields = [
                column
                for column, value, default in (
                    ("title", item.title, ""),
                    ("challenge", item.challenge, ""),
                    ("solution", item.solution, ""),
                    ("status", item.status, "open"),
                )
                if self._change(row, column, value, default)
            ]
            if self._plan_challenge_topics(row, topics):
                fields.append("topics")
            if self._plan_links(row, item.links):
                fields.append("links")
            if fields:
                row.changes["updated_at"] = _NOW
            self._changed("challenges", row, "challenge", f"change challenge {item.title}", fields)

    def _plan_challenge_topics(self, challenge: _Row, topics: list[_Row]) -> bool:
        linked = {
            topic_id
            for (topic_id,) in self.conn.execute(
                "SELECT topic_id FROM challenge_topics WHERE challenge_id = ?", (challenge.id,)
            )
        }
        missing = [
            topic for topic in dict.fromkeys(topics) if topic.id is None or topic.id not in linked
        ]
        self.new_challenge_topics.extend((challenge, topic) for topic in missing)
        return bool(missing)

    def _plan_links(self, challenge: _Row, links: list[LinkContent]) -> bool:
        pools: dict[str, _Candidates] = {}
        for id_, url, label in self.conn.execute(
            "SELECT id, url, label FROM challenge_links WHERE challenge_id = ? ORDER BY id",
            (challenge.id,),
        ):
            pools.setdefault(url, _Candidates()).rows.append(_Row(id_, {"label": label}))
        changed = False
        for link in links:
            pool = pools.get(link.url)
            row = None
            if pool:
                row = pool.take(lambda row, link=link: row.values["label"] == link.label)
            if row is None:
                self.new_links.append((challenge, link.url, link.label))
                changed = True
            elif self._change(row, "label", link.label):
                self._queue_update("challenge_links", row)
                changed = True
        return changed

    def _plan_collaborators(self) -> None:
        stored: list[_Row] = []
        for id_, *values in self.conn.execute(
            f"SELECT id, {', '.join(_COLLABORATOR_COLUMNS)} FROM collaborators ORDER BY id"
        ):
            stored.append(_Row(id_, dict(zip(_COLLABORATOR_COLUMNS, values, strict=True))))
        (position,) = self.conn.execute(
            "SELECT coalesce(max(position) + 1, 0) FROM collaborators"
        ).fetchone()
        self.people: dict[str, list[_Row]] = {}
        for person in self.content.collaborators:
            values = _collaborator_values(person)
            row = _match_person(stored, values)
            if row is None:
                row = _Row(None, {**values, "position": position})
                position += 1
                self.new_collaborators.append(row)
                self.plan.note_added("collaborator", f"add collaborator {person.name}")
            else:
                fields = [
                    column
                    for column in _COLLABORATOR_COLUMNS
                    if self._change_person(row, column, values[column])
                ]
                if fields:
                    row.changes["updated_at"] = _NOW
                self._changed(
                    "collaborators", row, "collaborator", f"change collaborator {person.name}",
                    fields,
                )  # fmt: skip
            self.people.setdefault(_fold(person.name), []).append(row)
        for row in stored:
            self.people.setdefault(_fold(row.values["name"]), []).append(row)

    def _change_person(self, row: _Row, column: str, value: object) -> bool:
        if column in ("last_sync", "next_sync") and self.exact and value is None:
            # A backup's null date is a date the person does not have.
            if row.values[column] is None:
                return False
            row.changes[column] = None
            return True
        return self._change(row, column, value, "other" if column == "role" else "")

    def _plan_repos(self) -> None:
        stored = {
            full_name.casefold(): _Row(id_, {"full_name": full_name, "collaborator": owner})
            for id_, full_name, owner in self.conn.execute(
                "SELECT id, full_name, collaborator_id FROM repos ORDER BY id"
            )
        }
        for repo in self.content.repos:
            people = self.people.get(_fold(repo.collaborator)) if repo.collaborator else None
            person = people[0] if people else None
            row = stored.get(repo.full_name.casefold())
            if row is None:
                self.new_repos.append((repo.full_name, person))
                stored[repo.full_name.casefold()] = _Row(None, {})
                self.plan.note_added("repo", f"add repository {repo.full_name}")
                continue
            if row.id is None:
                continue
            fields = []
            if self._change(row, "full_name", repo.full_name):
                fields.append("name")
            current = row.changes.get("collaborator", row.values["collaborator"])
            if person is not None and (person.id is None or person.id != current):
                row.changes["collaborator"] = person
                fields.append("collaborator")
            if fields:
                self._queue_update("repos", row)
                self.plan.note_changed(
                    "repo", f"change repository {repo.full_name}: {', '.join(fields)}"
                )

    # --- writing

    def write(self, now: datetime, progress: Progress | None, cancelled: Cancelled | None) -> None:
        stamp = to_db_time(now)
        steps = list(self._steps(stamp))
        total = sum(size for size, _ in steps)
        done = 0
        if progress is not None:
            progress(done, total)
        for size, step in steps:
            if cancelled is not None and cancelled():
                raise ImportCancelled
            step()
            done += size
            if progress is not None:
                progress(done, total)
        # A cancel that came during the last step still undoes everything.
        if cancelled is not None and cancelled():
            raise ImportCancelled

    def _steps(self, stamp: str) -> Iterator[tuple[int, Callable[[], None]]]:
        """The writes as (rows, function) steps, in an order where every row a step refers to
        was written by an earlier one."""
        conn = self.conn
        if self.meta:

            def write_meta() -> None:
                for key, value in self.meta.items():
                    if value:
                        conn.execute(
                            "INSERT INTO meta (key, value) VALUES (?, ?) "
                            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                            (key, value),
                        )
                    else:
                        conn.execute("DELETE FROM meta WHERE key = ?", (key,))

            yield len(self.meta), write_meta

        def insert_categories(rows: list[_Row]) -> None:
            for row in rows:
                row.id = conn.execute(
                    """INSERT INTO categories (name, kind, position, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?) RETURNING id""",
                    (row.values["name"], row.values["kind"], row.values["position"], stamp, stamp),
                ).fetchone()[0]

        yield from _chunked(self.new_categories, insert_categories)

        def insert_topics(pairs: list[tuple[_Row, _Row]]) -> None:
            for row, category in pairs:
                row.id = conn.execute(
                    """INSERT INTO topics (category_id, name, status, position, created_at,
                    updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id""",
                    (
                        category.id, row.values["name"], row.values["status"],
                        row.values["position"], stamp, stamp,
                    ),
                ).fetchone()[0]  # fmt: skip

        yield from _chunked(self.new_topics, insert_topics)

        def insert_notes(pairs: list[tuple[_Row, dict[str, Any]]]) -> None:
            conn.executemany(
                """INSERT INTO notes (topic_id, title, body, tags, pinned, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)""",
                [
                    (
                        topic.id, note["title"], note["body"], note["tags"], note["pinned"],
                        note["created_at"] or stamp,
                        note["updated_at"] or note["created_at"] or stamp,
                    )
                    for topic, note in pairs
                ],
            )  # fmt: skip

        yield from _chunked(self.new_notes, insert_notes)

        def insert_challenges(rows: list[_Row]) -> None:
            for row in rows:
                values = row.values
                row.id = conn.execute(
                    """INSERT INTO challenges (title, challenge, solution, status, position,
                    created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id""",
                    (
                        values["title"], values["challenge"], values["solution"],
                        values["status"], values["position"], stamp, stamp,
                    ),
                ).fetchone()[0]  # fmt: skip

        yield from _chunked(self.new_challenges, insert_challenges)

        def insert_collaborators(rows: list[_Row]) -> None:
            columns = (*_COLLABORATOR_COLUMNS, "position")
            for row in rows:
                values = {
                    **row.values,
                    "last_sync": _date_value(row.values["last_sync"]),
                    "next_sync": _date_value(row.values["next_sync"]),
                }
                row.id = conn.execute(
                    f"""INSERT INTO collaborators ({", ".join(columns)}, created_at, updated_at)
                    VALUES ({", ".join("?" for _ in columns)}, ?, ?) RETURNING id""",
                    (*(values[column] for column in columns), stamp, stamp),
                ).fetchone()[0]

        yield from _chunked(self.new_collaborators, insert_collaborators)

        # Updates come after the inserts: a repository may change hands to a person just added.
        def update_rows(pairs: list[tuple[str, _Row]]) -> None:
            for table, row in pairs:
                changes = {
                    column: _update_value(value, stamp) for column, value in row.changes.items()
                }
                if table == "repos" and "collaborator" in changes:
                    changes["collaborator_id"] = changes.pop("collaborator")
                assignments = ", ".join(f"{column} = ?" for column in changes)
                conn.execute(
                    f"UPDATE {table} SET {assignments} WHERE id = ?", (*changes.values(), row.id)
                )

        yield from _chunked(self.updates, update_rows)

        def insert_challenge_topics(pairs: list[tuple[_Row, _Row]]) -> None:
            conn.executemany(
                "INSERT INTO challenge_topics (challenge_id, topic_id) VALUES (?, ?) "
                "ON CONFLICT DO NOTHING",
                [(challenge.id, topic.id) for challenge, topic in pairs],
            )

        yield from _chunked(self.new_challenge_topics, insert_challenge_topics)

        def insert_links(rows: list[tuple[_Row, str, str]]) -> None:
            conn.executemany(
                "INSERT INTO challenge_links (challenge_id, url, label) VALUES (?, ?, ?)",
                [(challenge.id, url, label) for challenge, url, label in rows],
            )

        yield from _chunked(self.new_links, insert_links)

        def insert_repos(rows: list[tuple[str, _Row | None]]) -> None:
            conn.executemany(
                "INSERT INTO repos (full_name, collaborator_id, created_at) VALUES (?, ?, ?)",
                [(name, None if person is None else person.id, stamp) for name, person in rows],
            )

        yield from _chunked(self.new_repos, insert_repos)


_COLLABORATOR_COLUMNS = (
    "name", "role", "github", "discord", "project", "notes", "api_contract", "last_sync",
    "next_sync",
)  # fmt: skip


def _collaborator_values(person: CollaboratorContent) -> dict[str, Any]:
    return {
        "name": person.name, "role": person.role, "github": person.github,
        "discord": person.discord, "project": person.project, "notes": person.notes,
        "api_contract": person.api_contract,
        "last_sync": _date_value(person.last_sync), "next_sync": _date_value(person.next_sync),
    }  # fmt: skip


def _date_value(day: date | str | None) -> str | None:
    return day.isoformat() if isinstance(day, date) else day


def _match_person(stored: list[_Row], values: dict[str, Any]) -> _Row | None:
    """The stored person this one is (taken from `stored`): the same GitHub handle when both
    have one, else the same name."""
    handle = values["github"].casefold()
    name = _fold(values["name"])
    if handle:
        for index, row in enumerate(stored):
            if row.values["github"].casefold() == handle:
                return stored.pop(index)
    same_name = [
        index
        for index, row in enumerate(stored)
        if _fold(row.values["name"]) == name and not (handle and row.values["github"])
    ]
    if not same_name:
        return None
    exact = [index for index in same_name if stored[index].values["name"] == values["name"]]
    return stored.pop((exact or same_name)[0])


def _update_value(value: object, stamp: str) -> object:
    if value is _NOW:
        return stamp
    if isinstance(value, _Row):
        return value.id
    return value


def _chunked(
    items: list, write: Callable[[list], None]
) -> Iterator[tuple[int, Callable[[], None]]]:
    for start in range(0, len(items), CHUNK_ROWS):
        chunk = items[start : start + CHUNK_ROWS]
        yield len(chunk), lambda chunk=chunk: write(chunk)


def _texts(content: HubContent) -> Iterator[str]:
    """Every piece of free text in the content (kinds, statuses and roles are checked choices)."""
    yield content.title
    yield content.overview
    for category in content.categories:
        yield category.name
    for topic in content.topics:
        yield topic.name
        yield topic.category
        for note in topic.notes:
            yield note.title
            yield note.body
            yield from note.tags
    for item in content.challenges:
        yield from (item.title, item.challenge, item.solution, *item.topics)
        for link in item.links:
            yield link.url
            yield link.label
    for person in content.collaborators:
        yield from (person.name, person.github, person.discord, person.project, person.notes,
                    person.api_contract)  # fmt: skip
    for repo in content.repos:
        yield repo.full_name
        yield repo.collaborator or ""


def _without_nul(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [_without_nul(item) for item in value]
    if is_dataclass(value) and not isinstance(value, type):
        changes = {each.name: _without_nul(getattr(value, each.name)) for each in fields(value)}
        return replace(value, **changes)
    return value


def _storable(content: HubContent) -> HubContent:
    """The content without NUL characters, the same for both stores: PostgreSQL cannot keep one in
    text, and no hub's text needs one (a README holding one is refused as binary). Only a backup
    written by hand brings any, so the copy is made only then."""
    if not any("\x00" in text for text in _texts(content)):
        return content
    return _without_nul(content)


def plan_import(
    conn: sqlite3.Connection, content: HubContent, *, exact: bool = False
) -> ImportPlan:
    """What `apply_import` would add and change; writes nothing (runs in `Store.read`)."""
    return _Importer(conn, _storable(content), exact).plan


def apply_import(
    conn: sqlite3.Connection,
    content: HubContent,
    now: datetime,
    *,
    exact: bool = False,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ImportPlan:
    """Add and change what `plan_import` says, inside the caller's transaction (`Store.write`).

    New rows are stamped `now` unless the content has their times. `exact=True` restores a
    backup's every value (see the module's docstring). `progress(done, total)` hears of each
    chunk of rows written; when `cancelled()` turns true, ImportCancelled is raised, and
    `Store.write` rolls the whole import back.
    """
    importer = _Importer(conn, _storable(content), exact)
    importer.write(now, progress, cancelled)
    return importer.plan
