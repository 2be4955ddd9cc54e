"""The embedded default hub: the program's curriculum, loaded into a database that never held data.

Only the app's first start calls `seed_default_hub`; command-line sub-commands never do. Seeded rows
carry `origin = 'default'` so `remove_default_hub` can take them out again without touching anything
the user wrote or changed.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from typing import Any

from nexus_tui.store.database import Store, to_db_time

DEFAULT_HUB_RESOURCE = ("assets", "default_hub.toml")
HUB_FORMAT = "nexus-tui-hub"
DEFAULT_ORIGIN = "default"


def load_default_hub() -> dict[str, Any]:
    # Imported here: only a first start needs them (~5 ms that every start would pay).
    import tomllib
    from importlib.resources import files

    resource = files("nexus_tui").joinpath(*DEFAULT_HUB_RESOURCE)
    data = tomllib.loads(resource.read_text(encoding="utf-8"))
    if data.get("format") != HUB_FORMAT or data.get("version") != 1:
        raise ValueError(f"{resource} is not a version 1 {HUB_FORMAT} file")
    return data


def has_held_data(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM meta WHERE key = 'held_data'").fetchone() is not None


def seed_default_hub(store: Store) -> bool:
    """Fill a database that never held data with the default hub, in one transaction.

    Returns whether it did. A database the user emptied stays empty: the `held_data` mark set by the
    schema's triggers outlives the rows.
    """
    # Most starts are not the first: settle that with one read before parsing the TOML.
    if store.read(has_held_data):
        return False
    hub = load_default_hub()
    return store.write(_insert_hub_if_new, hub, store.clock())


def _insert_hub_if_new(conn: sqlite3.Connection, hub: dict[str, Any], now: datetime) -> bool:
    # Asked again inside the write transaction: another window may have seeded it meanwhile.
    if has_held_data(conn):
        return False
    stamp = to_db_time(now)
    origin = DEFAULT_ORIGIN
    category_ids: dict[str, int] = {}
    for position, category in enumerate(hub.get("categories", [])):
        category_ids[category["name"]] = conn.execute(
            """INSERT INTO categories (name, kind, position, origin, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?) RETURNING id""",
            (category["name"], category.get("kind", "other"), position, origin, stamp, stamp),
        ).fetchone()[0]
    topic_ids: dict[str, int] = {}
    for position, topic in enumerate(hub.get("topics", [])):
        topic_id = conn.execute(
            """INSERT INTO topics (category_id, name, status, position, origin, created_at,
            updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id""",
            (
                category_ids[topic["category"]], topic["name"],
                topic.get("status", "not_started"), position, origin, stamp, stamp,
            ),
        ).fetchone()[0]  # fmt: skip
        topic_ids.setdefault(topic["name"], topic_id)
        for note in topic.get("notes", []):
            conn.execute(
                """INSERT INTO notes (topic_id, title, body, tags, pinned, origin, created_at,
                updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    topic_id, note["title"], note.get("body", ""),
                    json.dumps(note.get("tags", [])), note.get("pinned", False),
                    origin, stamp, stamp,
                ),
            )  # fmt: skip
    for position, item in enumerate(hub.get("challenges", [])):
        challenge_id = conn.execute(
            """INSERT INTO challenges (title, challenge, solution, status, position, origin,
            created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""",
            (
                item["title"], item.get("challenge", ""), item.get("solution", ""),
                item.get("status", "open"), position, origin, stamp, stamp,
            ),
        ).fetchone()[0]  # fmt: skip
        conn.executemany(
            "INSERT INTO challenge_topics (challenge_id, topic_id) VALUES (?, ?) "
            "ON CONFLICT DO NOTHING",
            [(challenge_id, topic_ids[name]) for name in item.get("topics", [])],
        )
        conn.executemany(
            "INSERT INTO challenge_links (challenge_id, url, label) VALUES (?, ?, ?)",
            [(challenge_id, link["url"], link.get("label", "")) for link in item.get("links", [])],
        )
    for position, person in enumerate(hub.get("collaborators", [])):
        conn.execute(
            """INSERT INTO collaborators (name, role, github, discord, project, notes,
            api_contract, position, origin, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                person["name"], person.get("role", "other"), person.get("github", ""),
                person.get("discord", ""), person.get("project", ""), person.get("notes", ""),
                person.get("api_contract", ""), position, origin, stamp, stamp,
            ),
        )  # fmt: skip
    return True


def remove_default_hub(store: Store) -> int:
    """Delete what the default hub added and the user has not changed since; return rows deleted.

    A default topic or category stays while it still holds something of the user's (a note they
    wrote, a challenge linked to it), so removing the default never loses the user's work.
    """
    return store.write(_delete_default_rows)


def _delete_default_rows(conn: sqlite3.Connection) -> int:
    untouched = "origin = 'default' AND updated_at = created_at"
    deleted = 0
    for statement in (
        f"DELETE FROM notes WHERE {untouched}",
        f"DELETE FROM challenges WHERE {untouched}",
        f"""DELETE FROM collaborators WHERE {untouched}
            AND NOT EXISTS (SELECT 1 FROM repos WHERE repos.collaborator_id = collaborators.id)""",
        f"""DELETE FROM topics WHERE {untouched}
            AND NOT EXISTS (SELECT 1 FROM notes WHERE notes.topic_id = topics.id)
            AND NOT EXISTS (SELECT 1 FROM challenge_topics ct WHERE ct.topic_id = topics.id)""",
        f"""DELETE FROM categories WHERE {untouched}
            AND NOT EXISTS (SELECT 1 FROM topics WHERE topics.category_id = categories.id)""",
    ):
        deleted += conn.execute(statement).rowcount
    return deleted
