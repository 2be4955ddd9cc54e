"""Where the client keeps responses for conditional requests: the hub database, or memory.

The client runs on an event loop (the app's, or the command line's); SQLite calls are short but
blocking, so the database cache runs them on a thread. The cache only saves requests: when the
database cannot be used, a failure is logged and the request goes on as if nothing was cached.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import Protocol

from nexus_tui.store import Store, StoreError
from nexus_tui.store.ci import (
    CachedResponse,
    cached_response,
    confirm_response,
    save_response,
)

_log = logging.getLogger(__name__)


class ResponseCache(Protocol):
    async def get(self, url: str) -> CachedResponse | None: ...

    async def save(self, response: CachedResponse) -> None: ...

    async def confirm(
        self, url: str, etag: str | None, last_modified: str | None, at: datetime
    ) -> None: ...


class MemoryCache:
    """For one process only (tests, or when the database cannot be opened)."""

    def __init__(self) -> None:
        self.responses: dict[str, CachedResponse] = {}

    async def get(self, url: str) -> CachedResponse | None:
        return self.responses.get(url)

    async def save(self, response: CachedResponse) -> None:
        self.responses[response.url] = response

    async def confirm(
        self, url: str, etag: str | None, last_modified: str | None, at: datetime
    ) -> None:
        known = self.responses.get(url)
        if known is not None:
            self.responses[url] = known._replace(
                etag=etag or known.etag,
                last_modified=last_modified or known.last_modified,
                fetched_at=at,
            )


class StoreCache:
    """The `http_cache` table of the hub database, so the next process asks conditionally too."""

    def __init__(self, store: Store) -> None:
        self.store = store

    async def get(self, url: str) -> CachedResponse | None:
        try:
            return await asyncio.to_thread(self.store.read, cached_response, url)
        except StoreError as error:
            _log.warning("cached response not read: %s", error)
            return None

    async def save(self, response: CachedResponse) -> None:
        try:
            await asyncio.to_thread(self.store.write, save_response, *response)
        except StoreError as error:
            _log.warning("response not cached: %s", error)

    async def confirm(
        self, url: str, etag: str | None, last_modified: str | None, at: datetime
    ) -> None:
        try:
            await asyncio.to_thread(
                self.store.write, confirm_response, url, etag, last_modified, at
            )
        except StoreError as error:
            _log.warning("cached response not confirmed: %s", error)
