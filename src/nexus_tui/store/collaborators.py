"""Collaborators: who is due a sync-up, their details and watched repositories, and their changes.

Plain SQL through `Store.read` / `Store.write`, like the other store modules. Nothing here reads a
clock: "today" and "now" come from the caller, so the sync-up logic is the same in tests.
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta
from typing import NamedTuple

from nexus_tui.store.database import from_db_time, insert_row, to_db_time
from nexus_tui.validation import repo_full_name

ROLES = ("backend", "frontend", "mentor", "other")
SYNC_INTERVAL = timedelta(weeks=1)
"""The next sync-up proposed after one is recorded."""


class CollaboratorRow(NamedTuple):
    """One line of the Collaborators list."""

    id: int
    name: str
    role: str
    github: str
    next_sync: date | None
    due: bool
    """The next sync-up is today or past."""


class CollaboratorFields(NamedTuple):
    """What the form edits: everything of a collaborator the user chooses."""

    name: str
    role: str
    github: str
    discord: str
    project: str
    notes: str
    api_contract: str
    last_sync: date | None
    next_sync: date | None
    repos: tuple[str, ...]


class StoredCollaborator(NamedTuple):
    """A collaborator as stored, with the `updated_at` an edit starts from (its conflict check)."""

    id: int
    fields: CollaboratorFields
    updated_at: datetime


class RepoOwner(NamedTuple):
    full_name: str
    collaborator_id: int | None
    collaborator: str | None


class DeletedCollaborator(NamedTuple):
    """A deleted collaborator's row and repository rows exactly as stored, for the undo."""

    row: dict[str, object]
    repos: tuple[dict[str, object], ...]


class CollaboratorChangeError(ValueError):
    """A change that cannot be saved as asked; the message says why, in words."""


def is_due(next_sync: date | None, today: date) -> bool:
    return next_sync is not None and next_sync <= today


def next_sync_after(day: date) -> date:
    return day + SYNC_INTERVAL


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def collaborators_by_sync(conn: sqlite3.Connection, today: date) -> list[CollaboratorRow]:
    """Everyone, those due a sync-up first (longest overdue first), then the others by their next
    sync-up, then those without one in the user's order."""
    day = today.isoformat()
    return [
        CollaboratorRow(id_, name, role, github, _date(next_sync), bool(due))
        for id_, name, role, github, next_sync, due in conn.execute(
            """
            SELECT id, name, role, github, next_sync,
                   next_sync IS NOT NULL AND next_sync <= ? AS due
            FROM collaborators
            ORDER BY due DESC, next_sync IS NULL, next_sync, position, lower(name), id
            """,
            (day,),
        )
    ]


def _repos_of(conn: sqlite3.Connection, collaborator_id: int) -> tuple[str, ...]:
    return tuple(
        name
        for (name,) in conn.execute(
            """SELECT full_name FROM repos WHERE collaborator_id = ?
            ORDER BY lower(full_name)""",
            (collaborator_id,),
        )
    )


def stored_collaborator(
    conn: sqlite3.Connection, collaborator_id: int
) -> StoredCollaborator | None:
    row = conn.execute(
        """
        SELECT name, role, github, discord, project, notes, api_contract, last_sync, next_sync,
               updated_at
        FROM collaborators WHERE id = ?
        """,
        (collaborator_id,),
    ).fetchone()
    if row is None:
        return None
    *text, last_sync, next_sync, updated_at = row
    fields = CollaboratorFields(
        *text, _date(last_sync), _date(next_sync), _repos_of(conn, collaborator_id)
    )
    return StoredCollaborator(collaborator_id, fields, from_db_time(updated_at))


def repo_owners(conn: sqlite3.Connection) -> list[RepoOwner]:
    """Every stored repository with the person it is watched for, if any."""
    return [
        RepoOwner(*row)
        for row in conn.execute(
            """
            SELECT r.full_name, r.collaborator_id, c.name FROM repos r
            LEFT JOIN collaborators c ON c.id = r.collaborator_id
            ORDER BY lower(r.full_name)
            """
        )
    ]


def _check(fields: CollaboratorFields) -> None:
    # The form checks as the user types; this is the last word, for any other caller.
    if not fields.name.strip():
        raise CollaboratorChangeError("A collaborator needs a name.")
    if fields.role not in ROLES:
        raise CollaboratorChangeError(f"The role is one of {', '.join(ROLES)}.")


def _set_repos(
    conn: sqlite3.Connection, collaborator_id: int, repos: tuple[str, ...], now: datetime
) -> None:
    """Make `repos` exactly the repositories watched for this person.

    A repository stored without a person becomes theirs; one watched for someone else is refused
    (another window may have added it since the form checked).
    """
    wanted: dict[str, str] = {}
    for text in repos:
        full_name, problem = repo_full_name(text)
        if problem is not None or full_name is None:
            raise CollaboratorChangeError(problem or "A repository is written owner/name.")
        wanted.setdefault(full_name.lower(), full_name)
    current = {
        name.lower(): repo_id
        for repo_id, name in conn.execute(
            "SELECT id, full_name FROM repos WHERE collaborator_id = ?", (collaborator_id,)
        )
    }
    for key, repo_id in current.items():
        if key not in wanted:
            conn.execute("DELETE FROM repos WHERE id = ?", (repo_id,))
    stamp = to_db_time(now)
    for key, full_name in wanted.items():
        if key in current:
            # The spelling typed wins (names are compared without case).
            conn.execute("UPDATE repos SET full_name = ? WHERE id = ?", (full_name, current[key]))
            continue
        stored = conn.execute(
            """SELECT r.id, r.collaborator_id, c.name, r.full_name FROM repos r
            LEFT JOIN collaborators c ON c.id = r.collaborator_id WHERE r.full_name = ?""",
            (full_name,),
        ).fetchone()
        if stored is None:
            conn.execute(
                "INSERT INTO repos (full_name, collaborator_id, created_at) VALUES (?, ?, ?)",
                (full_name, collaborator_id, stamp),
            )
        elif stored[1] is None:
            conn.execute(
                "UPDATE repos SET full_name = ?, collaborator_id = ? WHERE id = ?",
                (full_name, collaborator_id, stored[0]),
            )
        else:
            raise CollaboratorChangeError(f"{stored[3]} is already watched for {stored[2]}.")


def add_collaborator(conn: sqlite3.Connection, fields: CollaboratorFields, now: datetime) -> int:
    _check(fields)
    stamp = to_db_time(now)
    (position,) = conn.execute(
        "SELECT coalesce(max(position) + 1, 0) FROM collaborators"
    ).fetchone()
    collaborator_id = conn.execute(
        """INSERT INTO collaborators (name, role, github, discord, project, notes, api_contract,
        last_sync, next_sync, position, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""",
        (
            fields.name.strip(), fields.role, fields.github, fields.discord, fields.project,
            fields.notes, fields.api_contract, _day(fields.last_sync), _day(fields.next_sync),
            position, stamp, stamp,
        ),
    ).fetchone()[0]  # fmt: skip
    _set_repos(conn, collaborator_id, fields.repos, now)
    return collaborator_id


def update_collaborator(
    conn: sqlite3.Connection,
    collaborator_id: int,
    fields: CollaboratorFields,
    seen_updated_at: datetime | None,
    now: datetime,
) -> bool:
    """Save an edit; False when the person changed (or went) since `seen_updated_at`, so another
    window's edit is never overwritten silently. `seen_updated_at=None` saves regardless."""
    _check(fields)
    condition, parameters = "id = ?", [collaborator_id]
    if seen_updated_at is not None:
        condition += " AND updated_at = ?"
        parameters.append(to_db_time(seen_updated_at))
    cursor = conn.execute(
        f"""UPDATE collaborators SET name = ?, role = ?, github = ?, discord = ?, project = ?,
        notes = ?, api_contract = ?, last_sync = ?, next_sync = ?, updated_at = ?
        WHERE {condition}""",
        (
            fields.name.strip(), fields.role, fields.github, fields.discord, fields.project,
            fields.notes, fields.api_contract, _day(fields.last_sync), _day(fields.next_sync),
            to_db_time(now), *parameters,
        ),
    )  # fmt: skip
    if cursor.rowcount != 1:
        return False
    _set_repos(conn, collaborator_id, fields.repos, now)
    return True


def record_sync(
    conn: sqlite3.Connection, collaborator_id: int, today: date, now: datetime
) -> date | None:
    """A sync-up happened today: it becomes the last one, and the next is proposed a week on.

    Returns that next date, or None when the person no longer exists.
    """
    proposed = next_sync_after(today)
    cursor = conn.execute(
        "UPDATE collaborators SET last_sync = ?, next_sync = ?, updated_at = ? WHERE id = ?",
        (today.isoformat(), proposed.isoformat(), to_db_time(now), collaborator_id),
    )
    return proposed if cursor.rowcount == 1 else None


_COLLABORATOR_COLUMNS = (
    "id", "name", "role", "github", "discord", "project", "notes", "api_contract", "last_sync",
    "next_sync", "position", "origin", "created_at", "updated_at",
)  # fmt: skip
_REPO_COLUMNS = ("id", "full_name", "collaborator_id", "created_at")


def delete_collaborator(
    conn: sqlite3.Connection, collaborator_id: int
) -> DeletedCollaborator | None:
    """Delete a person and stop watching their repositories; their rows come back for the undo.

    The schema would keep the repositories, unowned; they are the person's, so they go too.
    """
    row = conn.execute(
        f"SELECT {', '.join(_COLLABORATOR_COLUMNS)} FROM collaborators WHERE id = ?",
        (collaborator_id,),
    ).fetchone()
    if row is None:
        return None
    repos = tuple(
        dict(zip(_REPO_COLUMNS, repo, strict=True))
        for repo in conn.execute(
            f"SELECT {', '.join(_REPO_COLUMNS)} FROM repos WHERE collaborator_id = ? ORDER BY id",
            (collaborator_id,),
        )
    )
    conn.execute("DELETE FROM repos WHERE collaborator_id = ?", (collaborator_id,))
    conn.execute("DELETE FROM collaborators WHERE id = ?", (collaborator_id,))
    return DeletedCollaborator(dict(zip(_COLLABORATOR_COLUMNS, row, strict=True)), repos)


def restore_collaborator(conn: sqlite3.Connection, deleted: DeletedCollaborator) -> int:
    """Put a deleted person back as they were, with the same ids (unless a new row took one).

    Returns the person's id. A repository stored again meanwhile is theirs again if nobody
    else's; one now watched for someone else stays with them.
    """
    row = dict(deleted.row)
    if conn.execute("SELECT 1 FROM collaborators WHERE id = ?", (row["id"],)).fetchone():
        row["id"] = None
    collaborator_id = insert_row(conn, "collaborators", _COLLABORATOR_COLUMNS, row)
    for repo in deleted.repos:
        repo = {**repo, "collaborator_id": collaborator_id}
        stored = conn.execute(
            "SELECT id, collaborator_id FROM repos WHERE full_name = ?", (repo["full_name"],)
        ).fetchone()
        if stored is not None:
            if stored[1] is None:
                conn.execute(
                    "UPDATE repos SET collaborator_id = ? WHERE id = ?",
                    (collaborator_id, stored[0]),
                )
            continue
        if conn.execute("SELECT 1 FROM repos WHERE id = ?", (repo["id"],)).fetchone():
            repo["id"] = None
        insert_row(conn, "repos", _REPO_COLUMNS, repo)
    return collaborator_id
