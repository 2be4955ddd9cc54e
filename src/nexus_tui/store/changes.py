"""Small writes from the screens, each one transaction through `Store.write`.

Plain SQL like the reads: a keypress must not wait for SQLAlchemy to import (~0.4 s) the first time.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from nexus_tui.store.database import to_db_time

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
        VALUES (?, ?, ?, ?, ?, ?)""",
        (topic_id, title, body, json.dumps(tags), stamp, stamp),
    )
    return cursor.lastrowid


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
