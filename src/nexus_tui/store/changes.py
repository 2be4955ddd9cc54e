"""Small writes from the screens, each one transaction through `Store.write`.

Plain SQL like the reads: a keypress must not wait for SQLAlchemy to import (~0.4 s) the first time.
"""

from __future__ import annotations

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
