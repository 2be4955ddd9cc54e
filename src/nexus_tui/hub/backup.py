"""The JSON backup of a whole hub (format "nexus-tui", version 1): complete, and read back exactly.

A backup is `HubContent` written out, one key per field:

    {"format": "nexus-tui", "version": 1,
     "title": str, "overview": str,
     "categories": [{"name", "kind"}],
     "topics": [{"name", "category", "status",
                 "notes": [{"title", "body", "tags", "pinned", "created_at", "updated_at"}]}],
     "challenges": [{"title", "challenge", "solution", "status", "topics",
                     "links": [{"url", "label"}]}],
     "collaborators": [{"name", "role", "github", "discord", "project", "notes",
                        "api_contract", "last_sync", "next_sync"}],
     "repos": [{"full_name", "collaborator"}]}

"title", "overview", "categories" (their order and kind) and a collaborator's "notes" go beyond
the keys first published for version 1; a reader of version 1 that lacks them loses only those.
Times are ISO 8601 in UTC ("2026-11-28T03:40:16Z", with microseconds when the store has them, so
a restore gives back the very same times); dates are "YYYY-MM-DD"; a missing date is null.

Reading is strict about what is there (types, statuses, roles, kinds: a wrong one is a
`BackupFormatError` naming the field) and lenient about what is not: a missing optional key takes
the value a new row would have, and keys this version does not know are ignored.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from typing import Any

from nexus_tui.hub.content import (
    CATEGORY_KINDS,
    CHALLENGE_STATUSES,
    COLLABORATOR_ROLES,
    TOPIC_STATUSES,
    CategoryContent,
    ChallengeContent,
    CollaboratorContent,
    HubContent,
    LinkContent,
    NoteContent,
    RepoContent,
    TopicContent,
)

BACKUP_FORMAT = "nexus-tui"
BACKUP_VERSION = 1

# The opening of a JSON object: "{" then a key or the closing brace. A README never starts so, and
# the first few kilobytes of a file are enough to tell.
_JSON_OBJECT_START = re.compile(r"\A\ufeff?\s*\{\s*[\"}]")


class BackupFormatError(ValueError):
    """Not a backup this version can read; the message names the field that is wrong."""


def looks_like_backup(text: str) -> bool:
    """Whether `text` (a whole file or its first part) is JSON rather than a README."""
    return _JSON_OBJECT_START.match(text) is not None


# --- writing ------------------------------------------------------------------------------------


def _time_text(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    timespec = "microseconds" if moment.microsecond else "seconds"
    return moment.isoformat(timespec=timespec) + "Z"


def _date_text(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def to_backup(content: HubContent) -> dict[str, Any]:
    """The hub as a JSON-ready dict: plain strings, numbers, booleans, lists and None."""
    return {
        "format": BACKUP_FORMAT,
        "version": BACKUP_VERSION,
        "title": content.title,
        "overview": content.overview,
        "categories": [{"name": c.name, "kind": c.kind} for c in content.categories],
        "topics": [
            {
                "name": topic.name,
                "category": topic.category,
                "status": topic.status,
                "notes": [
                    {
                        "title": note.title,
                        "body": note.body,
                        "tags": list(note.tags),
                        "pinned": note.pinned,
                        "created_at": _time_text(note.created_at),
                        "updated_at": _time_text(note.updated_at),
                    }
                    for note in topic.notes
                ],
            }
            for topic in content.topics
        ],
        "challenges": [
            {
                "title": item.title,
                "challenge": item.challenge,
                "solution": item.solution,
                "status": item.status,
                "topics": list(item.topics),
                "links": [{"url": link.url, "label": link.label} for link in item.links],
            }
            for item in content.challenges
        ],
        "collaborators": [
            {
                "name": person.name,
                "role": person.role,
                "github": person.github,
                "discord": person.discord,
                "project": person.project,
                "notes": person.notes,
                "api_contract": person.api_contract,
                "last_sync": _date_text(person.last_sync),
                "next_sync": _date_text(person.next_sync),
            }
            for person in content.collaborators
        ],
        "repos": [
            {"full_name": repo.full_name, "collaborator": repo.collaborator}
            for repo in content.repos
        ],
    }


def dump_backup(content: HubContent, *, ascii_only: bool = False) -> str:
    """The backup as JSON text, ending in a newline. `ascii_only` escapes everything beyond ASCII
    (for a terminal or a pipe of unknown encoding); the data is the same either way."""
    return json.dumps(to_backup(content), ensure_ascii=ascii_only, indent=2) + "\n"


# --- reading ------------------------------------------------------------------------------------


class _Reader:
    """Checks one JSON value at a time; `where` is the path to it, for the error message."""

    def __init__(self, data: dict[str, Any], where: str) -> None:
        self.data = data
        self.where = where

    def _path(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def _fail(self, key: str, wanted: str, value: object) -> BackupFormatError:
        return BackupFormatError(
            f"This backup cannot be read: {self._path(key)} must be {wanted}, "
            f"not {_describe(value)}."
        )

    def text(self, key: str, default: str | None = "") -> str:
        value = self.data.get(key, default)
        if value is None and default is None:
            raise BackupFormatError(f"This backup cannot be read: {self._path(key)} is missing.")
        if not isinstance(value, str):
            raise self._fail(key, "text", value)
        return value

    def name(self, key: str) -> str:
        value = self.text(key, None)
        if not value.strip():
            raise BackupFormatError(f"This backup cannot be read: {self._path(key)} is empty.")
        return value

    def optional_name(self, key: str) -> str | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self._fail(key, "text or null", value)
        return value or None

    def choice(self, key: str, choices: tuple[str, ...], default: str) -> str:
        value = self.data.get(key, default)
        if value not in choices:
            wanted = "one of " + ", ".join(f'"{choice}"' for choice in choices)
            raise self._fail(key, wanted, value)
        return value

    def flag(self, key: str) -> bool:
        value = self.data.get(key, False)
        if not isinstance(value, bool):
            raise self._fail(key, "true or false", value)
        return value

    def texts(self, key: str) -> list[str]:
        values = self.data.get(key, [])
        if not isinstance(values, list) or not all(isinstance(item, str) for item in values):
            raise self._fail(key, "a list of texts", values)
        return list(values)

    def objects(self, key: str) -> list[_Reader]:
        values = self.data.get(key, [])
        if not isinstance(values, list):
            raise self._fail(key, "a list", values)
        readers = []
        for index, item in enumerate(values):
            where = f"{self._path(key)}[{index}]"
            if not isinstance(item, dict):
                raise BackupFormatError(
                    f"This backup cannot be read: {where} must be an object, not {_describe(item)}."
                )
            readers.append(_Reader(item, where))
        return readers

    def time(self, key: str) -> datetime | None:
        value = self.data.get(key)
        if value is None:
            return None
        wanted = 'a time like "2026-11-28T03:40:16Z"'
        if not isinstance(value, str):
            raise self._fail(key, wanted, value)
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise self._fail(key, wanted, value) from None
        # Naive UTC, as the store keeps it; a time written without an offset is taken as UTC.
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC).replace(tzinfo=None)
        return moment

    def date(self, key: str) -> date | None:
        value = self.data.get(key)
        if value is None:
            return None
        wanted = 'a date like "2026-11-28"'
        if not isinstance(value, str) or len(value) != 10:
            raise self._fail(key, wanted, value)
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise self._fail(key, wanted, value) from None


def _describe(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:39] + "…"
        return json.dumps(shown)
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def from_backup(data: object) -> HubContent:
    """The hub in a parsed version-1 backup; BackupFormatError for anything else."""
    if not isinstance(data, dict):
        raise BackupFormatError(
            f"This is not a nexus-tui backup: it holds {_describe(data)}, not a JSON object."
        )
    if data.get("format") != BACKUP_FORMAT:
        raise BackupFormatError(
            f'This is not a nexus-tui backup: its "format" is {_describe(data.get("format"))}, '
            f'not "{BACKUP_FORMAT}".'
        )
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise BackupFormatError(
            f'This backup cannot be read: "version" must be a whole number from 1, '
            f"not {_describe(version)}."
        )
    if version > BACKUP_VERSION:
        raise BackupFormatError(
            f"This backup was made by a newer nexus-tui (backup version {version}; this one "
            f"reads version {BACKUP_VERSION}). Upgrade nexus-tui to import it."
        )
    hub = _Reader(data, "")
    return HubContent(
        title=hub.text("title"),
        overview=hub.text("overview"),
        categories=[
            CategoryContent(c.name("name"), c.choice("kind", CATEGORY_KINDS, "other"))
            for c in hub.objects("categories")
        ],
        topics=[_topic(topic) for topic in hub.objects("topics")],
        challenges=[_challenge(item) for item in hub.objects("challenges")],
        collaborators=[_collaborator(person) for person in hub.objects("collaborators")],
        repos=[
            RepoContent(repo.name("full_name"), repo.optional_name("collaborator"))
            for repo in hub.objects("repos")
        ],
    )


def _topic(topic: _Reader) -> TopicContent:
    return TopicContent(
        name=topic.name("name"),
        category=topic.name("category"),
        status=topic.choice("status", TOPIC_STATUSES, "not_started"),
        notes=[
            NoteContent(
                title=note.text("title", None),
                body=note.text("body"),
                tags=note.texts("tags"),
                pinned=note.flag("pinned"),
                created_at=note.time("created_at"),
                updated_at=note.time("updated_at"),
            )
            for note in topic.objects("notes")
        ],
    )


def _challenge(item: _Reader) -> ChallengeContent:
    return ChallengeContent(
        title=item.name("title"),
        challenge=item.text("challenge"),
        solution=item.text("solution"),
        status=item.choice("status", CHALLENGE_STATUSES, "open"),
        topics=item.texts("topics"),
        links=[
            LinkContent(link.text("url", None), link.text("label"))
            for link in item.objects("links")
        ],
    )


def _collaborator(person: _Reader) -> CollaboratorContent:
    return CollaboratorContent(
        name=person.name("name"),
        role=person.choice("role", COLLABORATOR_ROLES, "other"),
        github=person.text("github"),
        discord=person.text("discord"),
        project=person.text("project"),
        notes=person.text("notes"),
        api_contract=person.text("api_contract"),
        last_sync=person.date("last_sync"),
        next_sync=person.date("next_sync"),
    )


def load_backup(raw: bytes) -> HubContent:
    """The hub in a backup file's bytes: UTF-8 JSON (a byte order mark is allowed)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BackupFormatError(
            f"This backup cannot be read: it is not UTF-8 (byte {error.start} is not valid)."
        ) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise BackupFormatError(
            f"This backup is not valid JSON: {error.msg} at line {error.lineno}, "
            f"column {error.colno}. Was the file cut short or edited?"
        ) from None
    except RecursionError:
        raise BackupFormatError("This backup is not valid JSON: it is nested too deeply.") from None
    return from_backup(data)
