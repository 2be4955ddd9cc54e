"""Learning that someone else changed the hub: another window, another machine, another user.

`HubWatcher.wait(seconds)` blocks a thread until the hub changes or the time is up. On PostgreSQL it
listens for the notifications the schema's triggers send (LISTEN/NOTIFY: the change arrives within
milliseconds), and falls back to polling the server's row counters when it cannot listen. On SQLite
it polls the file's `data_version`, which moves whenever another connection commits.

The watcher also tells whether the store can be reached at all (`reachable`), so the app can say
that a server is gone and that it is back. No Textual here.
"""

from __future__ import annotations

import threading
from contextlib import closing, suppress
from typing import Any

from nexus_tui.store.database import Store, StoreError

# How often SQLite's file, or a PostgreSQL server that cannot be listened to, is looked at.
POLL_SECONDS = 2.0
# How long to wait before trying a server again after it went away.
RECONNECT_SECONDS = 3.0


class HubWatcher:
    """Waits for changes of the hub made outside this process. One thread calls `wait`; `close`
    may be called from any thread and ends a `wait` in progress within a poll."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.reachable = True
        """False while the last attempt to reach the store failed."""
        self.problem: StoreError | None = None
        """Why the store could not be reached, while it cannot."""
        self._closed = threading.Event()
        self._conn: Any = None
        self._mark: object = None
        # Held while the watcher's connection is used: the store's writer thread uses it too
        # (`_absorb_own_write`).
        self._lock = threading.Lock()
        store.after_write.append(self._absorb_own_write)

    def wait(self, seconds: float) -> bool:
        """True when another process changed the hub; False when the time ran out (or the store
        could not be reached: see `reachable`)."""
        if self._closed.is_set():
            return False
        try:
            if self._conn is None:
                self._conn = self._connect()
                with self._lock:
                    self._mark = self._current_mark()
                self._became(True)
            changed = self._wait_on(seconds)
        except StoreError as error:
            self._lost(error)
            return False
        except Exception as error:  # the driver's own error for a connection that broke
            self._lost(self.store.error(error))
            return False
        return changed

    @property
    def closed(self) -> bool:
        return self._closed.is_set()

    def close(self) -> None:
        self._closed.set()
        with suppress(ValueError):
            self.store.after_write.remove(self._absorb_own_write)
        with self._lock:
            self._drop()

    # --- per store --------------------------------------------------------------------------

    def _connect(self) -> Any:
        return self.store.connect()

    def _current_mark(self) -> object:
        return self._conn.execute("PRAGMA data_version").fetchone()[0]

    def _wait_on(self, seconds: float) -> bool:
        if self._closed.wait(seconds):
            return False
        with self._lock:
            mark = self._current_mark()
            changed, self._mark = mark != self._mark, mark
        return changed

    def _absorb_own_write(self) -> None:
        """Called by the store right after it committed a write: that change already shows on
        this process's screens, so the mark moves past it. (A change another process commits in
        the same instant is taken with it; the next one brings it to the screens.)"""
        with self._lock:
            if self._conn is not None:
                with suppress(Exception):
                    self._mark = self._current_mark()

    # --- losing and finding the store -------------------------------------------------------

    def _became(self, reachable: bool) -> None:
        self.reachable = reachable
        if reachable:
            self.problem = None

    def _lost(self, error: StoreError) -> None:
        self._drop()
        self.problem = error
        self._became(False)
        self._closed.wait(RECONNECT_SECONDS)

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with suppress(Exception):
                conn.close()


class PostgresWatcher(HubWatcher):
    """LISTEN on the hub's channel; notifications of this process's own connections are
    ignored, as are those of hubs in other schemas of the same database. Where the server cannot
    listen (a pooler in transaction mode, say), the schema's row counters are polled instead."""

    # Notifications arriving this soon after a first one are one change (a save is a few
    # statements), so the screens read their data again once.
    SETTLE_SECONDS = 0.2

    def _connect(self) -> Any:
        from nexus_tui.store.pg_migrations import NOTIFY_CHANNEL

        conn = self.store.connect()
        try:
            (self._schema,) = conn.raw.execute("SELECT current_schema()").fetchone()
            try:
                conn.raw.execute(f"LISTEN {NOTIFY_CHANNEL}")
                self._listening = True
            except self._psycopg().errors.FeatureNotSupported:
                self._listening = False
        except Exception:
            conn.close()
            raise
        return conn

    @staticmethod
    def _psycopg():
        import psycopg

        return psycopg

    def _absorb_own_write(self) -> None:
        if not getattr(self, "_listening", True):
            super()._absorb_own_write()

    def _current_mark(self) -> object:
        if self._listening:
            return None
        return self._conn.raw.execute(
            "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_user_tables "
            "WHERE schemaname = current_schema()"
        ).fetchone()[0]

    def _wait_on(self, seconds: float) -> bool:
        if not self._listening:
            return super()._wait_on(seconds)
        remaining = seconds
        # Woken every second at most, so `close` is seen soon.
        while remaining > 0 and not self._closed.is_set():
            step = min(1.0, remaining)
            remaining -= step
            if self._notified(step, stop_after=1):
                self._notified(self.SETTLE_SECONDS, stop_after=None)
                return True
        if self._conn.raw.closed or self._conn.raw.broken:
            raise StoreError(f"The connection to {self.store.location} was lost.")
        return False

    def _notified(self, seconds: float, stop_after: int | None) -> bool:
        own = self.store.backend_pids
        found = False
        for notice in self._conn.raw.notifies(timeout=seconds, stop_after=stop_after):
            schema = notice.payload.partition(".")[0]
            found = found or (schema == self._schema and notice.pid not in own)
        return found


def watcher_for(store: Store) -> HubWatcher:
    return PostgresWatcher(store) if store.dialect == "postgresql" else HubWatcher(store)


def check_reachable(store: Store) -> None:
    """Open and close one connection; StoreError when the store cannot be reached."""
    with closing(store.connect()):
        pass
