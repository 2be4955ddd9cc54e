"""Drafts of notes being edited: small JSON files, so quitting or a crash loses no typing.

Files and not the database: a draft must outlive a database that is locked or damaged (and a lost
connection to a server, once there is one). Each draft is one file in `<state dir>/drafts`, replaced
atomically on every save, so a crash mid-save leaves the previous version whole. A file that cannot
be read is skipped and logged, never deleted: it may still hold the user's words.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

from nexus_tui.store.postgres import redacted

__all__ = [
    "Draft",
    "DraftError",
    "DraftFile",
    "SavedDraft",
    "discard_draft",
    "drafts_dir",
    "list_drafts",
    "read_draft",
    "save_draft",
]

FORMAT_VERSION = 1
_SUFFIX = ".json"

log = logging.getLogger(__name__)


def drafts_dir(state_dir: Path) -> Path:
    return state_dir / "drafts"


@dataclass(frozen=True, slots=True)
class Draft:
    """What was typed, and where it belongs."""

    database: str
    """The database the note lives in, as the app was given it (`AppPaths.database`)."""
    note_id: int | None
    """None for a note not yet saved."""
    topic_id: int
    topic: str
    """The topic's name when the draft was saved, to list drafts without the database."""
    title: str
    tags: str
    """As typed, so even tags that do not parse yet come back unchanged."""
    body: str
    started_from: datetime | None
    """The note's `updated_at` when the edit began: saving the draft checks it for a conflict."""
    saved_at: datetime


class SavedDraft(NamedTuple):
    path: Path
    draft: Draft


class DraftError(ValueError):
    """A draft file that is not one (damaged, or written by something else)."""


def draft_to_json(draft: Draft) -> str:
    return json.dumps(
        {
            "format": FORMAT_VERSION,
            # A PostgreSQL URL's password never reaches the file.
            "database": redacted(draft.database),
            "note_id": draft.note_id,
            "topic_id": draft.topic_id,
            "topic": draft.topic,
            "title": draft.title,
            "tags": draft.tags,
            "body": draft.body,
            "started_from": draft.started_from.isoformat() if draft.started_from else None,
            "saved_at": draft.saved_at.isoformat(),
        },
        ensure_ascii=False,
        indent=1,
    )


def draft_from_json(text: str) -> Draft:
    """Raises DraftError for anything but a whole draft of a format this version knows."""
    try:
        data = json.loads(text)
    except ValueError as error:
        raise DraftError(f"not JSON: {error}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT_VERSION:
        raise DraftError("not a draft of a known format")

    def field(name: str, kind: type, optional: bool = False) -> Any:
        value = data.get(name)
        if value is None and optional:
            return None
        # bool is an int to isinstance, and an id of True is no id.
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise DraftError(f"{name!r} is missing or not a {kind.__name__}")
        return value

    def moment(name: str, optional: bool = False) -> datetime | None:
        text = field(name, str, optional)
        if text is None:
            return None
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            raise DraftError(f"{name!r} is not a date and time") from None
        # Naive and aware times cannot be compared: a time without a zone is taken as UTC.
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)

    return Draft(
        database=field("database", str),
        note_id=field("note_id", int, optional=True),
        topic_id=field("topic_id", int),
        topic=field("topic", str),
        title=field("title", str),
        tags=field("tags", str),
        body=field("body", str),
        started_from=moment("started_from", optional=True),
        saved_at=moment("saved_at"),
    )


def save_draft(path: Path, draft: Draft) -> None:
    """Write the draft to `path` whole or not at all: a crash mid-write keeps the previous one."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # mkstemp makes the file readable by its owner only: drafts hold private notes.
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(draft_to_json(draft))
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_directory(path.parent)


def _sync_directory(directory: Path) -> None:
    # The rename is durable only once the directory is on disk too. Not possible on Windows,
    # where os.replace is durable enough for a draft.
    try:
        handle = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def read_draft(path: Path) -> Draft:
    """Raises OSError when the file cannot be read, DraftError when it is not a draft."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise DraftError("not UTF-8 text") from None
    return draft_from_json(text)


def list_drafts(state_dir: Path, database: str) -> list[SavedDraft]:
    """The drafts kept for this database, newest first. Unreadable files are logged and left."""
    found: list[SavedDraft] = []
    try:
        paths = sorted(drafts_dir(state_dir).glob(f"*{_SUFFIX}"))
    except OSError as error:
        log.warning("cannot list the drafts in %s: %s", drafts_dir(state_dir), error)
        return found
    for path in paths:
        try:
            draft = read_draft(path)
        except (OSError, DraftError) as error:
            log.warning("skipping the draft file %s: %s", path, error)
            continue
        if draft.database == redacted(database):
            found.append(SavedDraft(path, draft))
    found.sort(key=lambda saved: saved.draft.saved_at, reverse=True)
    return found


def discard_draft(path: Path) -> None:
    path.unlink(missing_ok=True)


class DraftFile:
    """The draft of one edit in progress, from the first keystroke until it is saved or discarded.

    Saves come from worker threads and may finish out of order: each carries a version taken when
    its text was captured, and an older one never replaces a newer one. Once discarded (the note
    was saved, or the user threw the edit away), later saves do nothing, so a save still running
    cannot bring a finished draft back.
    """

    def __init__(
        self,
        path: Path,
        *,
        database: str,
        note_id: int | None,
        topic_id: int,
        topic: str,
        started_from: datetime | None,
    ) -> None:
        self.path = path
        self.database = database
        self.note_id = note_id
        self.topic_id = topic_id
        self.topic = topic
        self.started_from = started_from
        self._lock = threading.Lock()
        self._next_version = 0
        self._written_version = -1
        self._written: tuple[str, str, str, datetime | None] | None = None
        self._discarded = False

    @classmethod
    def new(
        cls,
        state_dir: Path,
        *,
        database: str,
        note_id: int | None,
        topic_id: int,
        topic: str,
        started_from: datetime | None,
    ) -> DraftFile:
        """A draft with a name of its own; nothing is written until the first save."""
        path = drafts_dir(state_dir) / f"{uuid.uuid4().hex}{_SUFFIX}"
        return cls(
            path,
            database=database,
            note_id=note_id,
            topic_id=topic_id,
            topic=topic,
            started_from=started_from,
        )

    @classmethod
    def of(cls, saved: SavedDraft) -> DraftFile:
        """Carry on with a draft found on disk: further saves replace that same file."""
        draft = saved.draft
        kept = cls(
            saved.path,
            database=draft.database,
            note_id=draft.note_id,
            topic_id=draft.topic_id,
            topic=draft.topic,
            started_from=draft.started_from,
        )
        kept._written = (draft.title, draft.tags, draft.body, draft.started_from)
        return kept

    @property
    def discarded(self) -> bool:
        return self._discarded

    def holds(self, title: str, tags: str, body: str) -> bool:
        """Whether the file already has this text (and the current starting point)."""
        return self._written == (title, tags, body, self.started_from)

    def next_version(self) -> int:
        """Taken when the text to save is captured, so saves finishing late keep their order."""
        with self._lock:
            self._next_version += 1
            return self._next_version

    def save(
        self, title: str, tags: str, body: str, now: datetime, version: int | None = None
    ) -> bool:
        """Write the text; False when a newer version is already written or the draft is gone."""
        if version is None:
            version = self.next_version()
        with self._lock:
            if self._discarded or version <= self._written_version:
                return False
            draft = Draft(
                database=self.database,
                note_id=self.note_id,
                topic_id=self.topic_id,
                topic=self.topic,
                title=title,
                tags=tags,
                body=body,
                started_from=self.started_from,
                saved_at=now,
            )
            save_draft(self.path, draft)
            self._written_version = version
            self._written = (title, tags, body, draft.started_from)
            return True

    def clear(self, version: int | None = None) -> None:
        """Remove the file but go on with the edit: the text is back to what is saved."""
        if version is None:
            version = self.next_version()
        with self._lock:
            if self._discarded or version <= self._written_version:
                return
            discard_draft(self.path)
            self._written_version = version
            self._written = None

    def discard(self) -> None:
        """The edit is over (saved, or thrown away): remove the file, and write it never again."""
        with self._lock:
            self._discarded = True
            try:
                discard_draft(self.path)
            except OSError as error:
                # The edit is saved all the same; the stale draft is only offered once too often.
                log.warning("cannot remove the draft %s: %s", self.path, error)
