"""Small writes from the screens, each one transaction through `Store.write`.

Plain SQL like the reads: a keypress must not wait for SQLAlchemy to import (~0.4 s) the first time.
"""

import json
import sqlite3
from collections.abc import Iterable
from datetime import datetime
from typing import NamedTuple

from nexus_tui.store.database import insert_row, to_db_time

TOPIC_STATUSES = ("not_started", "learning", "practising", "confident")


def next_status(status: str) -> str:
    """The learning status after this one, wrapping around to the start."""
    index = TOPIC_STATUSES.index(status) if status in TOPIC_STATUSES else -1
    return TOPIC_STATUSES[(index + 1) % len(TOPIC_STATUSES)]


def set_topic_status(conn: sqlite3.Connection, topic_id: int, status: str, now: datetime) -> bool:
    """Returns False when the topic no longer exists (another window deleted it)."""
    if status not in TOPIC_STATUSES:
        raise ValueError(f"unknown status {status!r}")
    cursor = conn.execute(
        "UPDATE topics SET status = ?, updated_at = ? WHERE id = ?",
        (status, to_db_time(now), topic_id),
    )
    return cursor.rowcount == 1


def add_note(
    conn: sqlite3.Connection,
    topic_id: int,
    title: str,
    body: str,
    tags: list[str],
    now: datetime,
) -> int:
    stamp = to_db_time(now)
    cursor = conn.execute(
        """INSERT INTO notes (topic_id, title, body, tags, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?) RETURNING id""",
        (topic_id, title, body, json.dumps(tags), stamp, stamp),
    )
    return cursor.fetchone()[0]


def update_note(
    conn: sqlite3.Connection,
    note_id: int,
    title: str,
    body: str,
    tags: list[str],
    seen_updated_at: datetime | None,
    now: datetime,
) -> bool:
    """Save an edit; False when the note changed (or went) since `seen_updated_at`, so another
    window's edit is never overwritten silently. `seen_updated_at=None` saves regardless."""
    condition, parameters = "id = ?", [note_id]
    if seen_updated_at is not None:
        condition += " AND updated_at = ?"
        parameters.append(to_db_time(seen_updated_at))
    cursor = conn.execute(
        f"UPDATE notes SET title = ?, body = ?, tags = ?, updated_at = ? WHERE {condition}",
        (title, body, json.dumps(tags), to_db_time(now), *parameters),
    )
    return cursor.rowcount == 1


_NOTE_COLUMNS = ("id", "topic_id", "title", "body", "tags", "pinned", "origin", "created_at",
                 "updated_at")  # fmt: skip


def delete_note(conn: sqlite3.Connection, note_id: int) -> dict[str, object] | None:
    """Delete a note and return its row exactly as stored, for `restore_note` (undo)."""
    row = conn.execute(
        f"SELECT {', '.join(_NOTE_COLUMNS)} FROM notes WHERE id = ?", (note_id,)
    ).fetchone()
    if row is None:
        return None
    conn.execute("DELETE FROM notes WHERE id = ?", (note_id,))
    return dict(zip(_NOTE_COLUMNS, row, strict=True))


def restore_note(conn: sqlite3.Connection, row: dict[str, object]) -> bool:
    """Put a deleted note back as it was (same id and times); False if its topic is gone."""
    if conn.execute("SELECT 1 FROM topics WHERE id = ?", (row["topic_id"],)).fetchone() is None:
        return False
    conn.execute(
        f"INSERT INTO notes ({', '.join(_NOTE_COLUMNS)}) "
        f"VALUES ({', '.join('?' for _ in _NOTE_COLUMNS)})",
        tuple(row[column] for column in _NOTE_COLUMNS),
    )
    return True


def toggle_pinned(conn: sqlite3.Connection, note_id: int) -> bool | None:
    """Pin or unpin a note; returns the new state, or None if the note is gone.

    The note's updated_at is left alone: pinning is about where it is listed, not its content.
    """
    row = conn.execute("SELECT pinned FROM notes WHERE id = ?", (note_id,)).fetchone()
    if row is None:
        return None
    pinned = not row[0]
    conn.execute("UPDATE notes SET pinned = ? WHERE id = ?", (pinned, note_id))
    return pinned


MAX_TOPIC_NAME = 80


class TopicChangeError(ValueError):
    """A topic change that cannot be made; the message says why, in words for the user."""


def topic_name_problem(name: str, taken: Iterable[str], category: str) -> str | None:
    """What is wrong with `name` as a topic of `category`, given the names `taken` there already.

    Names are compared without regard to case: "redis" next to "Redis" would read as a mistake.
    """
    name = name.strip()
    if not name:
        return "A topic needs a name."
    if len(name) > MAX_TOPIC_NAME:
        return f"A topic name has at most {MAX_TOPIC_NAME} characters; this one has {len(name)}."
    same = taken_name(name, taken)
    return None if same is None else f"“{same}” is already in {category}."


def taken_name(name: str, taken: Iterable[str]) -> str | None:
    """The name in `taken` that `name` would clash with (case aside), if any."""
    folded = name.strip().casefold()
    return next((other for other in taken if other.casefold() == folded), None)


def _names_in_category(
    conn: sqlite3.Connection, category_id: int, topic_id: int | None = None
) -> tuple[str, list[str]]:
    """The category's name and its topics' names (but `topic_id`'s own); TopicChangeError when
    the category no longer exists."""
    row = conn.execute("SELECT name FROM categories WHERE id = ?", (category_id,)).fetchone()
    if row is None:
        raise TopicChangeError("That category no longer exists.")
    sql, parameters = "SELECT name FROM topics WHERE category_id = ?", [category_id]
    if topic_id is not None:
        sql += " AND id <> ?"
        parameters.append(topic_id)
    return row[0], [name for (name,) in conn.execute(sql, parameters)]


def _check_topic_name(
    conn: sqlite3.Connection, category_id: int, name: str, topic_id: int | None = None
) -> str:
    """The name as it will be stored, or TopicChangeError saying why it cannot be."""
    category, taken = _names_in_category(conn, category_id, topic_id)
    problem = topic_name_problem(name, taken, category)
    if problem is not None:
        raise TopicChangeError(problem)
    return name.strip()


def _last_position(conn: sqlite3.Connection, category_id: int) -> int:
    # After every topic of the category: a new or moved topic is listed last there.
    row = conn.execute(
        "SELECT coalesce(max(position) + 1, 0) FROM topics WHERE category_id = ?", (category_id,)
    ).fetchone()
    return row[0]


def add_topic(conn: sqlite3.Connection, category_id: int, name: str, now: datetime) -> int:
    """A new topic at the end of its category; TopicChangeError for a name it cannot have."""
    name = _check_topic_name(conn, category_id, name)
    stamp = to_db_time(now)
    cursor = conn.execute(
        """INSERT INTO topics (category_id, name, position, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?) RETURNING id""",
        (category_id, name, _last_position(conn, category_id), stamp, stamp),
    )
    return cursor.fetchone()[0]


def rename_topic(conn: sqlite3.Connection, topic_id: int, name: str, now: datetime) -> bool:
    """False when the topic no longer exists; TopicChangeError for a name it cannot have."""
    row = conn.execute("SELECT category_id FROM topics WHERE id = ?", (topic_id,)).fetchone()
    if row is None:
        return False
    name = _check_topic_name(conn, row[0], name, topic_id)
    conn.execute(
        "UPDATE topics SET name = ?, updated_at = ? WHERE id = ?",
        (name, to_db_time(now), topic_id),
    )
    return True


def move_topic(conn: sqlite3.Connection, topic_id: int, category_id: int, now: datetime) -> bool:
    """Move a topic (with its notes) to the end of another category.

    False when the topic no longer exists; TopicChangeError when the category is gone or already
    has a topic of that name.
    """
    row = conn.execute("SELECT name, category_id FROM topics WHERE id = ?", (topic_id,)).fetchone()
    if row is None:
        return False
    name, current = row
    if current == category_id:
        return True
    category, taken = _names_in_category(conn, category_id)
    same = taken_name(name, taken)
    if same is not None:
        raise TopicChangeError(f"“{same}” is already in {category}: rename one of them first.")
    conn.execute(
        "UPDATE topics SET category_id = ?, position = ?, updated_at = ? WHERE id = ?",
        (category_id, _last_position(conn, category_id), to_db_time(now), topic_id),
    )
    return True


_TOPIC_COLUMNS = ("id", "category_id", "name", "status", "position", "origin", "created_at",
                  "updated_at")  # fmt: skip


class DeletedTopic(NamedTuple):
    """A deleted topic's rows exactly as stored, and what went with it, for `restore_topic`."""

    topic: dict[str, object]
    notes: tuple[dict[str, object], ...]
    challenge_ids: tuple[int, ...]
    """The challenges that named this topic."""


def delete_topic(conn: sqlite3.Connection, topic_id: int) -> DeletedTopic | None:
    """Delete a topic with its notes and challenge links (the schema cascades); None if gone."""
    row = conn.execute(
        f"SELECT {', '.join(_TOPIC_COLUMNS)} FROM topics WHERE id = ?", (topic_id,)
    ).fetchone()
    if row is None:
        return None
    notes = tuple(
        dict(zip(_NOTE_COLUMNS, note, strict=True))
        for note in conn.execute(
            f"SELECT {', '.join(_NOTE_COLUMNS)} FROM notes WHERE topic_id = ? ORDER BY id",
            (topic_id,),
        )
    )
    challenge_ids = tuple(
        challenge_id
        for (challenge_id,) in conn.execute(
            "SELECT challenge_id FROM challenge_topics WHERE topic_id = ? ORDER BY challenge_id",
            (topic_id,),
        )
    )
    conn.execute("DELETE FROM topics WHERE id = ?", (topic_id,))
    return DeletedTopic(dict(zip(_TOPIC_COLUMNS, row, strict=True)), notes, challenge_ids)


def _id_taken(conn: sqlite3.Connection, table: str, row_id: object) -> bool:
    # SQLite may hand a deleted row's id to the next new row; the restored row then gets another.
    return conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", (row_id,)).fetchone() is not None


def restore_topic(conn: sqlite3.Connection, deleted: DeletedTopic) -> int | None:
    """Put a deleted topic back as it was: same ids and times, its notes and challenge links.

    Returns the topic's id (the same one unless a new topic took it meanwhile), or None when its
    category is gone; TopicChangeError when the category has a topic of that name again. Links to
    challenges deleted meanwhile are left out.
    """
    topic = dict(deleted.topic)
    category_id = topic["category_id"]
    if conn.execute("SELECT 1 FROM categories WHERE id = ?", (category_id,)).fetchone() is None:
        return None
    # Only a clash is checked: a name stored before the length limit came back unchanged.
    category, taken = _names_in_category(conn, category_id)
    same = taken_name(str(topic["name"]), taken)
    if same is not None:
        raise TopicChangeError(f"Cannot undo: {category} has a topic “{same}” again.")
    if _id_taken(conn, "topics", topic["id"]):
        topic["id"] = None
    topic_id = insert_row(conn, "topics", _TOPIC_COLUMNS, topic)
    # Notes keeping their ids go in first, so a note given a new id cannot take one of theirs.
    keeping = [note for note in deleted.notes if not _id_taken(conn, "notes", note["id"])]
    renumbered = [{**note, "id": None} for note in deleted.notes if note not in keeping]
    for note in keeping + renumbered:
        insert_row(conn, "notes", _NOTE_COLUMNS, {**note, "topic_id": topic_id})
    conn.executemany(
        """INSERT INTO challenge_topics (challenge_id, topic_id)
        SELECT id, ? FROM challenges WHERE id = ?""",
        [(topic_id, challenge_id) for challenge_id in deleted.challenge_ids],
    )
    return topic_id
