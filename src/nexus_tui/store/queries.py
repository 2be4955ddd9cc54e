"""Read queries: plain SQL over one connection, returning records.

Each function takes a connection first so it can run through `Store.read` (one connection per unit
of work, in a worker thread) or inside a larger transaction.
"""

from __future__ import annotations

import json
import sqlite3
from bisect import bisect_right
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from operator import itemgetter

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


# Every topic with its category and note count, in the tree's order.
_TOPIC_ROWS = """
    SELECT t.id AS id, t.name AS name, t.status AS status, c.id AS category_id,
           c.name AS category, (SELECT count(*) FROM notes n WHERE n.topic_id = t.id) AS notes,
           row_number() OVER (ORDER BY t.position, lower(t.name), t.id) AS place
    FROM topics t JOIN categories c ON c.id = t.category_id
"""


def categories_with_topics(conn: sqlite3.Connection) -> list[CategorySummary]:
    """Every category in the user's order, each with its topics (and their note counts)."""
    topics: dict[int, list[TopicSummary]] = {}
    for row in _topic_rows(conn):
        topics.setdefault(row[3], []).append(TopicSummary(*row[:6]))
    return [
        CategorySummary(id_, name, kind, tuple(topics.get(id_, ())))
        for id_, name, kind in conn.execute(
            "SELECT id, name, kind FROM categories ORDER BY position, lower(name), id"
        )
    ]


def _topic_rows(conn: sqlite3.Connection) -> list:
    if getattr(conn, "dialect", "sqlite") != "sqlite":
        return conn.execute(f"{_TOPIC_ROWS} ORDER BY place").fetchall()
    # On SQLite, all of them as one row of JSON: reading a row gives up the GIL and waits to get it
    # back, and at start this runs beside the import of Textual, which gave way at every one of
    # the 1,000 rows of a large hub (the first frame came ~20 ms later). Sorted here, as an
    # aggregate keeps no order.
    (text,) = conn.execute(
        "SELECT json_group_array(json_array(id, name, status, category_id, category, notes, place))"
        f" FROM ({_TOPIC_ROWS})"
    ).fetchone()
    rows = json.loads(text)
    rows.sort(key=itemgetter(6))
    return rows


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
               n.created_at, n.updated_at, n.changed_by
        FROM notes n JOIN topics t ON t.id = n.topic_id WHERE n.id = ?
        """,
        (note_id,),
    ).fetchone()
    if row is None:
        return None
    id_, topic_id, topic, title, body, tags, pinned, created, updated, changed_by = row
    return Note(
        id_, topic_id, topic, title, body, _tags(tags), bool(pinned),
        from_db_time(created), from_db_time(updated), changed_by,
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
            WHERE ct.challenge_id = ? ORDER BY lower(t.name), t.id
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
            ORDER BY next_sync IS NULL, next_sync, position, lower(name), id
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
            ORDER BY lower(r.full_name)
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


# A topic's notes are listed a page at a time, in the order of the `notes_by_topic` index:
# pinned first, then the most recently changed, then by id (the index's last column is the rowid).
# A page starts from the row before it (keyset), so each read walks only the rows it returns.
_NOTE_ROWS = "SELECT id, topic_id, title, tags, pinned, updated_at FROM notes"
_LIST_ORDER = "ORDER BY pinned DESC, updated_at DESC, id"
_REVERSE_ORDER = "ORDER BY pinned, updated_at, id DESC"


def _note_summaries(rows: Iterable[tuple]) -> list[NoteSummary]:
    return [
        NoteSummary(id_, topic, title, _tags(tags), bool(pinned), from_db_time(updated))
        for id_, topic, title, tags, pinned, updated in rows
    ]


def count_notes_of_topic(conn: sqlite3.Connection, topic_id: int) -> int:
    return conn.execute("SELECT count(*) FROM notes WHERE topic_id = ?", (topic_id,)).fetchone()[0]


def _keyset_pages(
    conn: sqlite3.Connection, topic_id: int, arms: list[tuple[str, tuple]], order: str, limit: int
) -> list[tuple]:
    # One "after this row" condition over three columns sorted in mixed directions cannot be
    # one index range: as a single OR it scans the topic from its first row. Each arm here is
    # one range of the index, read in order, until the page is full.
    rows: list[tuple] = []
    for condition, parameters in arms:
        if len(rows) >= limit:
            break
        rows.extend(
            conn.execute(
                f"{_NOTE_ROWS} WHERE topic_id = ? AND {condition} {order} LIMIT ?",
                (topic_id, *parameters, limit - len(rows)),
            )
        )
    return rows


def note_page(
    conn: sqlite3.Connection, topic_id: int, after: NoteSummary | None, limit: int
) -> list[NoteSummary]:
    """Up to `limit` notes of a topic in list order, from the one after `after` (a note of this
    topic: its pinned, updated_at and id place it), or from the first when `after` is None."""
    if after is None:
        return _note_summaries(
            conn.execute(
                f"{_NOTE_ROWS} WHERE topic_id = ? {_LIST_ORDER} LIMIT ?", (topic_id, limit)
            )
        )
    # A bool, as the column holds on PostgreSQL (sqlite3 binds it as 1 or 0).
    pinned, stamp = bool(after.pinned), to_db_time(after.updated_at)
    arms = [
        ("pinned = ? AND updated_at = ? AND id > ?", (pinned, stamp, after.id)),
        ("pinned = ? AND updated_at < ?", (pinned, stamp)),
    ]
    if pinned:
        arms.append(("pinned < ?", (pinned,)))
    return _note_summaries(_keyset_pages(conn, topic_id, arms, _LIST_ORDER, limit))


def note_page_before(
    conn: sqlite3.Connection, topic_id: int, before: NoteSummary | None, limit: int
) -> list[NoteSummary]:
    """Up to `limit` notes of a topic that come just before `before` in list order (the last
    ones when `before` is None), in list order."""
    if before is None:
        rows = list(
            conn.execute(
                f"{_NOTE_ROWS} WHERE topic_id = ? {_REVERSE_ORDER} LIMIT ?", (topic_id, limit)
            )
        )
    else:
        pinned, stamp = bool(before.pinned), to_db_time(before.updated_at)
        arms = [
            ("pinned = ? AND updated_at = ? AND id < ?", (pinned, stamp, before.id)),
            ("pinned = ? AND updated_at > ?", (pinned, stamp)),
        ]
        if not pinned:
            arms.append(("pinned > ?", (pinned,)))
        rows = _keyset_pages(conn, topic_id, arms, _REVERSE_ORDER, limit)
    rows.reverse()
    return _note_summaries(rows)


def note_page_at(
    conn: sqlite3.Connection, topic_id: int, offset: int, limit: int, count: int | None = None
) -> list[NoteSummary]:
    """Up to `limit` notes of a topic in list order from position `offset` (0 is the first).

    For jumps far from any row already read: OFFSET walks the index up to the position (about
    6 ms at 100,000 notes). Given the topic's `count`, a position in the second half is walked
    to from the end instead.
    """
    if count is not None and offset > count // 2:
        end = min(offset + limit, count)
        order, limit, offset = _REVERSE_ORDER, end - offset, count - end
    else:
        order = _LIST_ORDER
    if limit <= 0:
        return []
    # Only the ids come from the walk (the index covers them); the rows are read for the page.
    return _note_summaries(
        conn.execute(
            f"""{_NOTE_ROWS} WHERE id IN (
                SELECT id FROM notes WHERE topic_id = ? {order} LIMIT ? OFFSET ?
            ) {_LIST_ORDER}""",
            (topic_id, limit, offset),
        )
    )


def note_position(conn: sqlite3.Connection, topic_id: int, note_id: int) -> int | None:
    """Where a note is in its topic's list (0 is the first); None when the topic has no such
    note. Counts the rows before it, three ranges of the index."""
    row = conn.execute(
        "SELECT pinned, updated_at FROM notes WHERE id = ? AND topic_id = ?", (note_id, topic_id)
    ).fetchone()
    if row is None:
        return None
    pinned, stamp = row
    # `?` placeholders only: PostgreSQL's connection translates those, not sqlite3's `:name`.
    return conn.execute(
        """
        SELECT (SELECT count(*) FROM notes WHERE topic_id = ? AND pinned > ?)
             + (SELECT count(*) FROM notes WHERE topic_id = ? AND pinned = ? AND updated_at > ?)
             + (SELECT count(*) FROM notes
                WHERE topic_id = ? AND pinned = ? AND updated_at = ? AND id < ?)
        """,
        (topic_id, pinned, topic_id, pinned, stamp, topic_id, pinned, stamp, note_id),
    ).fetchone()[0]
