"""Plain, immutable records that the store hands to the screens and the command line.

They carry loaded values only (no session, no lazy loading), so they can cross threads freely.
Named tuples rather than dataclasses: eleven of them are made at start-up, at a tenth of the cost.
Their annotations are real types, not strings: NamedTuple compiles every string annotation of every
field while it makes the class (modules with records made before the first frame do without
`from __future__ import annotations` for this).
"""

from datetime import date, datetime
from typing import NamedTuple


class TopicSummary(NamedTuple):
    id: int
    name: str
    status: str
    category_id: int
    category: str
    note_count: int


class CategorySummary(NamedTuple):
    id: int
    name: str
    kind: str
    topics: tuple[TopicSummary, ...]


class NoteSummary(NamedTuple):
    id: int
    topic_id: int
    title: str
    tags: tuple[str, ...]
    pinned: bool
    updated_at: datetime


class Note(NamedTuple):
    id: int
    topic_id: int
    topic: str
    title: str
    body: str
    tags: tuple[str, ...]
    pinned: bool
    created_at: datetime
    updated_at: datetime
    changed_by: str = ""
    """Who changed it last (`[user] name` of whoever saved it); "" for rows from before."""


class TopicRef(NamedTuple):
    id: int
    name: str


class Link(NamedTuple):
    url: str
    label: str


class ChallengeSummary(NamedTuple):
    id: int
    title: str
    status: str


class Challenge(NamedTuple):
    id: int
    title: str
    challenge: str
    solution: str
    status: str
    topics: tuple[TopicRef, ...]
    links: tuple[Link, ...]
    created_at: datetime
    updated_at: datetime


class CollaboratorSummary(NamedTuple):
    id: int
    name: str
    role: str
    next_sync: date | None


class Collaborator(NamedTuple):
    id: int
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


class WatchedRepo(NamedTuple):
    full_name: str
    collaborator: str | None


class SearchResult(NamedTuple):
    """One item found by `store.search.search`, best first.

    `snippet` is plain text on one line (no markup, no markers); `highlights` are (start, end)
    offsets into it of the words that matched, so `snippet[start:end]` is a matched word.
    """

    kind: str
    """"topic", "note", "challenge" or "collaborator"."""
    id: int
    title: str
    snippet: str
    highlights: tuple[tuple[int, int], ...]
