"""Read queries: plain SQL over one connection, returning records.

Each function takes a connection first so it can run through `Store.read` (one connection per unit
of work, in a worker thread) or inside a larger transaction.
"""

from __future__ import annotations

import json
import sqlite3
from bisect import bisect_right
from datetime import date, datetime, timedelta

from nexus_tui.store.database import from_db_time, to_db_time
from nexus_tui.store.records import (
    CategorySummary,
    Challenge,
    ChallengeSummary,
    Collaborator,
    CollaboratorSummary,
    Link,
    Note,
    NoteSummary,
    TopicRef,
    TopicSummary,
    WatchedRepo,
)


def _tags(text: str) -> tuple[str, ...]:
    try:
        value = json.loads(text)
    except ValueError:
        return ()
    return tuple(str(tag) for tag in value) if isinstance(value, list) else ()


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def categories_with_topics(conn: sqlite3.Connection) -> list[CategorySummary]:
    """Every category in the user's order, each with its topics (and their note counts)."""
    topics: dict[int, list[TopicSummary]] = {}
    rows = conn.execute(
        """
        SELECT t.id, t.name, t.status, c.id, c.name,
               (SELECT count(*) FROM notes n WHERE n.topic_id = t.id)
        FROM topics t JOIN categories c ON c.id = t.category_id
        ORDER BY t.position, t.name COLLATE NOCASE, t.id
        """
    )
    for row in rows:
        topics.setdefault(row[3], []).append(TopicSummary(*row))
    return [
        CategorySummary(id_, name, kind, tuple(topics.get(id_, ())))
        for id_, name, kind in conn.execute(
            "SELECT id, name, kind FROM categories ORDER BY position, name COLLATE NOCASE, id"
        )
    ]


def notes_of_topic(conn: sqlite3.Connection, topic_id: int) -> list[NoteSummary]:
    """A topic's notes: pinned first, then the most recently changed."""
    return [
        NoteSummary(id_, topic, title, _tags(tags), bool(pinned), from_db_time(updated))
        for id_, topic, title, tags, pinned, updated in conn.execute(
            """
            SELECT id, topic_id, title, tags, pinned, updated_at FROM notes
            WHERE topic_id = ? ORDER BY pinned DESC, updated_at DESC, id
            """,
            (topic_id,),
        )
    ]


def note(conn: sqlite3.Connection, note_id: int) -> Note | None:
    row = conn.execute(
        """
        SELECT n.id, n.topic_id, t.name, n.title, n.body, n.tags, n.pinned,
               n.created_at, n.updated_at
        FROM notes n JOIN topics t ON t.id = n.topic_id WHERE n.id = ?
        """,
        (note_id,),
    ).fetchone()
    if row is None:
        return None
    id_, topic_id, topic, title, body, tags, pinned, created, updated = row
    return Note(
        id_, topic_id, topic, title, body, _tags(tags), bool(pinned),
        from_db_time(created), from_db_time(updated),
    )  # fmt: skip


def challenges(conn: sqlite3.Connection) -> list[ChallengeSummary]:
    """Open challenges first, then by the user's order."""
    return [
        ChallengeSummary(*row)
        for row in conn.execute(
            """
            SELECT id, title, status FROM challenges
            ORDER BY status = 'solved', position, created_at, id
            """
        )
    ]


def challenge(conn: sqlite3.Connection, challenge_id: int) -> Challenge | None:
    row = conn.execute(
        """
        SELECT id, title, challenge, solution, status, created_at, updated_at
        FROM challenges WHERE id = ?
        """,
        (challenge_id,),
    ).fetchone()
    if row is None:
        return None
    topics = tuple(
        TopicRef(*ref)
        for ref in conn.execute(
            """
            SELECT t.id, t.name FROM challenge_topics ct JOIN topics t ON t.id = ct.topic_id
            WHERE ct.challenge_id = ? ORDER BY t.name COLLATE NOCASE
            """,
            (challenge_id,),
        )
    )
    links = tuple(
        Link(*link)
        for link in conn.execute(
            "SELECT url, label FROM challenge_links WHERE challenge_id = ? ORDER BY id",
            (challenge_id,),
        )
    )
    id_, title, problem, solution, status, created, updated = row
    return Challenge(
        id_, title, problem, solution, status, topics, links,
        from_db_time(created), from_db_time(updated),
    )  # fmt: skip


def collaborators(conn: sqlite3.Connection) -> list[CollaboratorSummary]:
    """People with a sync-up date first (soonest first), then the rest in the user's order."""
    return [
        CollaboratorSummary(id_, name, role, _date(next_sync))
        for id_, name, role, next_sync in conn.execute(
            """
            SELECT id, name, role, next_sync FROM collaborators
            ORDER BY next_sync IS NULL, next_sync, position, name COLLATE NOCASE, id
            """
        )
    ]


def collaborator(conn: sqlite3.Connection, collaborator_id: int) -> Collaborator | None:
    row = conn.execute(
        """
        SELECT id, name, role, github, discord, project, notes, api_contract,
               last_sync, next_sync
        FROM collaborators WHERE id = ?
        """,
        (collaborator_id,),
    ).fetchone()
    if row is None:
        return None
    repos = tuple(
        name
        for (name,) in conn.execute(
            "SELECT full_name FROM repos WHERE collaborator_id = ? ORDER BY full_name",
            (collaborator_id,),
        )
    )
    *fields, last_sync, next_sync = row
    return Collaborator(*fields, _date(last_sync), _date(next_sync), repos)


def watched_repos(conn: sqlite3.Connection) -> list[WatchedRepo]:
    return [
        WatchedRepo(*row)
        for row in conn.execute(
            """
            SELECT r.full_name, c.name FROM repos r
            LEFT JOIN collaborators c ON c.id = r.collaborator_id
            ORDER BY r.full_name COLLATE NOCASE
            """
        )
    ]


def notes_per_week(conn: sqlite3.Connection, now: datetime, weeks: int) -> list[int]:
    """Notes written or changed in each of the last `weeks` weeks (of seven days back from
    `now`), oldest first. A note written and changed in the same week counts once there.

    Times ahead of `now` (another machine's clock) count as this week.
    """
    # Stored times are text that sorts as time does, so the week of each is found by bisecting
    # the weeks' starts: cheaper than date arithmetic in SQL for every row.
    starts = [to_db_time(now - timedelta(weeks=weeks - week)) for week in range(weeks + 1)]
    counts = [0] * weeks
    for created, updated in conn.execute(
        "SELECT created_at, updated_at FROM notes WHERE updated_at >= ?", (starts[0],)
    ):
        # A time ahead of `now` (another machine's clock) counts as this week.
        changed = min(bisect_right(starts, updated) - 1, weeks - 1)
        counts[changed] += 1
        written = bisect_right(starts, created) - 1
        if 0 <= written < changed:
            counts[written] += 1
    return counts
