"""Challenges: listing them (filtered), writing them, deleting them with undo.

Plain SQL like `queries` and `changes`, each function taking a connection first so it runs through
`Store.read` / `Store.write`. The full record of one challenge is `queries.challenge`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import datetime
from typing import NamedTuple

from nexus_tui.store.database import insert_row, to_db_time
from nexus_tui.store.records import ChallengeSummary, Link

CHALLENGE_STATUSES = ("open", "solved")
MAX_TITLE = 200

# Open ones first: they are the work in hand, and there are few of them; the solved ones below
# are the reference, reached by the filter or by search. In each group, the user's order (new
# challenges go last) and then the order they were written in.
_ORDER = "c.status = 'solved', c.position, c.created_at, c.id"


class ChallengeFields(NamedTuple):
    """What the user writes about a challenge; the status is changed on its own."""

    title: str
    problem: str
    solution: str
    topic_ids: tuple[int, ...] = ()
    links: tuple[Link, ...] = ()


class ChallengeFilter(NamedTuple):
    status: str | None = None
    """"open" or "solved"; None lists both."""
    topic_ids: tuple[int, ...] = ()
    """Only challenges linked to at least one of these topics; empty for any."""
    text: str = ""
    """Every word of it is in the title, the problem or the solution, case aside."""

    @property
    def active(self) -> bool:
        return self.status is not None or bool(self.topic_ids) or bool(self.text.split())


class ChallengeListing(NamedTuple):
    items: tuple[ChallengeSummary, ...]
    total: int
    """How many challenges there are in all, filtered out or not."""


class DeletedChallenge(NamedTuple):
    """A deleted challenge's rows exactly as stored, for `restore_challenge`."""

    challenge: dict[str, object]
    topic_ids: tuple[int, ...]
    links: tuple[dict[str, object], ...]


def _casefold(text: object) -> object:
    return text.casefold() if isinstance(text, str) else text


def _casefold_in_sql(conn: sqlite3.Connection) -> bool:
    """Whether this connection can fold case as Python does, in SQL: SQLite runs a Python function
    there. PostgreSQL cannot, and its lower() folds otherwise ("ß" stays "ß", where casefold gives
    "ss"), so there the rows' text is folded and searched in Python instead, with the same result.
    """
    if getattr(conn, "dialect", "sqlite") != "sqlite":
        return False
    conn.create_function("nexus_casefold", 1, _casefold, deterministic=True)
    return True


def list_challenges(
    conn: sqlite3.Connection, where: ChallengeFilter | None = None
) -> ChallengeListing:
    """The challenges that pass the filter, open ones first, and how many there are in all.

    Words are matched anywhere in the text ("ock" finds "Docker"), folded by Python rather than
    SQLite's `lower`, which folds only ASCII letters.
    """
    where = where or ChallengeFilter()
    conditions: list[str] = []
    parameters: list[object] = []
    if where.status is not None:
        conditions.append("c.status = ?")
        parameters.append(where.status)
    if where.topic_ids:
        marks = ", ".join("?" for _ in where.topic_ids)
        conditions.append(
            "EXISTS (SELECT 1 FROM challenge_topics ct "
            f"WHERE ct.challenge_id = c.id AND ct.topic_id IN ({marks}))"
        )
        parameters.extend(where.topic_ids)
    words = list(dict.fromkeys(word.casefold() for word in where.text.split()))
    words_in_sql = bool(words) and _casefold_in_sql(conn)
    if words_in_sql:
        text = "nexus_casefold(c.title || char(10) || c.challenge || char(10) || c.solution)"
        conditions.extend(f"instr({text}, ?) > 0" for _ in words)
        parameters.extend(words)
    words_here = bool(words) and not words_in_sql
    columns = "c.id, c.title, c.status" + (", c.challenge, c.solution" if words_here else "")
    clause = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    rows = conn.execute(
        f"SELECT {columns} FROM challenges c {clause} ORDER BY {_ORDER}", parameters
    )
    if words_here:
        rows = (
            (id_, title, status)
            for id_, title, status, problem, solution in rows
            if all(word in f"{title}\n{problem}\n{solution}".casefold() for word in words)
        )
    items = tuple(ChallengeSummary(*row) for row in rows)
    if where.active:
        (total,) = conn.execute("SELECT count(*) FROM challenges").fetchone()
    else:
        total = len(items)
    return ChallengeListing(items, total)


def challenges_of_topic(conn: sqlite3.Connection, topic_id: int) -> list[ChallengeSummary]:
    """The challenges linked to a topic, in the order of the Challenges screen."""
    return list(list_challenges(conn, ChallengeFilter(topic_ids=(topic_id,))).items)


def _check_fields(fields: ChallengeFields) -> str:
    """The title as it will be stored; the form says this in words before it gets here."""
    title = fields.title.strip()
    if not title:
        raise ValueError("a challenge needs a title")
    return title


def _write_topics_and_links(
    conn: sqlite3.Connection, challenge_id: int, topic_ids: Iterable[int], links: Iterable[Link]
) -> None:
    # Topics deleted while the form was open are left out rather than failing the save.
    conn.executemany(
        "INSERT INTO challenge_topics (challenge_id, topic_id) "
        "SELECT ?, id FROM topics WHERE id = ? ON CONFLICT DO NOTHING",
        [(challenge_id, topic_id) for topic_id in topic_ids],
    )
    conn.executemany(
        "INSERT INTO challenge_links (challenge_id, url, label) VALUES (?, ?, ?)",
        [(challenge_id, link.url, link.label) for link in links],
    )


def add_challenge(
    conn: sqlite3.Connection, fields: ChallengeFields, now: datetime, status: str = "open"
) -> int:
    """A new challenge, listed after the others of its status."""
    if status not in CHALLENGE_STATUSES:
        raise ValueError(f"unknown status {status!r}")
    title = _check_fields(fields)
    stamp = to_db_time(now)
    (position,) = conn.execute("SELECT coalesce(max(position) + 1, 0) FROM challenges").fetchone()
    challenge_id = conn.execute(
        """INSERT INTO challenges (title, challenge, solution, status, position, created_at,
        updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id""",
        (title, fields.problem, fields.solution, status, position, stamp, stamp),
    ).fetchone()[0]
    _write_topics_and_links(conn, challenge_id, fields.topic_ids, fields.links)
    return challenge_id


def update_challenge(
    conn: sqlite3.Connection,
    challenge_id: int,
    fields: ChallengeFields,
    seen_updated_at: datetime | None,
    now: datetime,
    status: str | None = None,
) -> bool:
    """Save an edit (and, with `status`, a new status); False when the challenge changed (or
    went) since `seen_updated_at`, so another window's edit is never overwritten silently.
    `seen_updated_at=None` saves regardless."""
    if status is not None and status not in CHALLENGE_STATUSES:
        raise ValueError(f"unknown status {status!r}")
    title = _check_fields(fields)
    condition, parameters = "id = ?", [challenge_id]
    if seen_updated_at is not None:
        condition += " AND updated_at = ?"
        parameters.append(to_db_time(seen_updated_at))
    cursor = conn.execute(
        "UPDATE challenges SET title = ?, challenge = ?, solution = ?, "
        f"status = coalesce(?, status), updated_at = ? WHERE {condition}",
        (title, fields.problem, fields.solution, status, to_db_time(now), *parameters),
    )
    if cursor.rowcount != 1:
        return False
    conn.execute("DELETE FROM challenge_topics WHERE challenge_id = ?", (challenge_id,))
    conn.execute("DELETE FROM challenge_links WHERE challenge_id = ?", (challenge_id,))
    _write_topics_and_links(conn, challenge_id, fields.topic_ids, fields.links)
    return True


def set_challenge_status(
    conn: sqlite3.Connection, challenge_id: int, status: str, now: datetime
) -> bool:
    """Mark a challenge open or solved; False when it no longer exists."""
    if status not in CHALLENGE_STATUSES:
        raise ValueError(f"unknown status {status!r}")
    cursor = conn.execute(
        "UPDATE challenges SET status = ?, updated_at = ? WHERE id = ?",
        (status, to_db_time(now), challenge_id),
    )
    return cursor.rowcount == 1


_CHALLENGE_COLUMNS = ("id", "title", "challenge", "solution", "status", "position", "origin",
                      "created_at", "updated_at")  # fmt: skip
_LINK_COLUMNS = ("id", "challenge_id", "url", "label")


def delete_challenge(conn: sqlite3.Connection, challenge_id: int) -> DeletedChallenge | None:
    """Delete a challenge with its topic links and links (the schema cascades); None if gone."""
    row = conn.execute(
        f"SELECT {', '.join(_CHALLENGE_COLUMNS)} FROM challenges WHERE id = ?", (challenge_id,)
    ).fetchone()
    if row is None:
        return None
    topic_ids = tuple(
        topic_id
        for (topic_id,) in conn.execute(
            "SELECT topic_id FROM challenge_topics WHERE challenge_id = ? ORDER BY topic_id",
            (challenge_id,),
        )
    )
    links = tuple(
        dict(zip(_LINK_COLUMNS, link, strict=True))
        for link in conn.execute(
            f"SELECT {', '.join(_LINK_COLUMNS)} FROM challenge_links "
            "WHERE challenge_id = ? ORDER BY id",
            (challenge_id,),
        )
    )
    conn.execute("DELETE FROM challenges WHERE id = ?", (challenge_id,))
    return DeletedChallenge(dict(zip(_CHALLENGE_COLUMNS, row, strict=True)), topic_ids, links)


def _id_taken(conn: sqlite3.Connection, table: str, row_id: object) -> bool:
    # SQLite may give a deleted row's id to the next new row; the restored row then gets another.
    return conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", (row_id,)).fetchone() is not None


def restore_challenge(conn: sqlite3.Connection, deleted: DeletedChallenge) -> int:
    """Put a deleted challenge back as it was: same ids and times, its topics and links.

    Returns its id (the same one unless a new challenge took it meanwhile). Links to topics
    deleted meanwhile are left out.
    """
    row = dict(deleted.challenge)
    if _id_taken(conn, "challenges", row["id"]):
        row["id"] = None
    challenge_id = insert_row(conn, "challenges", _CHALLENGE_COLUMNS, row)
    conn.executemany(
        "INSERT INTO challenge_topics (challenge_id, topic_id) "
        "SELECT ?, id FROM topics WHERE id = ? ON CONFLICT DO NOTHING",
        [(challenge_id, topic_id) for topic_id in deleted.topic_ids],
    )
    # Links keeping their ids go in first, so a link given a new id cannot take one of theirs.
    keeping = [link for link in deleted.links if not _id_taken(conn, "challenge_links", link["id"])]
    renumbered = [{**link, "id": None} for link in deleted.links if link not in keeping]
    for link in keeping + renumbered:
        insert_row(conn, "challenge_links", _LINK_COLUMNS, {**link, "challenge_id": challenge_id})
    return challenge_id
