"""PostgreSQL as the hub's store: the same `Store` interface over a server instead of a file.

The store's queries are written once, in the SQL both databases understand, against connections
that behave like sqlite3's (`execute` with `?` placeholders, cursors with `fetchone`, `fetchall`,
`rowcount`). `PgConnection` gives a psycopg connection that shape. psycopg is an optional extra
(`nexus-tui[postgres]`), imported only when a postgresql:// URL is opened.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Sequence
from contextlib import closing, suppress
from functools import lru_cache
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

from nexus_tui.store.database import Clock, Store, StoreError, is_postgres_url, utc_now

T = TypeVar("T")

# How long to wait for the server to answer a connection, and for another writer's transaction.
CONNECT_TIMEOUT_SECONDS = 5
LOCK_TIMEOUT_MS = 10_000
# Writers take this transaction-level advisory lock first, so writes follow one another as they do
# on SQLite (BEGIN IMMEDIATE): a check made inside a write (an edit's `updated_at`, a name being
# free) still holds when the write lands. Any fixed number would do; this is "NXTU".
WRITE_LOCK_KEY = 0x4E585455
# Connections kept open for reuse; opening one costs a few milliseconds, a query far less.
POOL_SIZE = 4

# The lock is the hub's: hubs in other schemas of the same database write without waiting for it.
_WRITE_LOCK = "SELECT pg_advisory_xact_lock(%s, hashtext(current_schema()))"
# One snapshot for a whole unit of work, as an SQLite read transaction gives.
_READ = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"

_PLACEHOLDER = re.compile(r"%|\?")


def redacted(url: str) -> str:
    """The URL as it may be shown: any password replaced by ***."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


def libpq_url(url: str) -> str:
    """The URL as libpq takes it: SQLAlchemy's `postgresql+psycopg://` names the driver too."""
    rest = url.partition("://")[2]
    return f"postgresql://{rest}" if is_postgres_url(url) else url


@lru_cache(maxsize=512)
def to_pyformat(sql: str) -> str:
    """sqlite3's `?` placeholders as psycopg's `%s` (and a literal % doubled).

    The store's SQL never has a `?` or `%` inside a string literal, so a plain replacement is
    exact.
    """
    return _PLACEHOLDER.sub(lambda match: "%s" if match.group() == "?" else "%%", sql)


class PgCursor:
    """The parts of a sqlite3 cursor the store uses, over a psycopg cursor."""

    __slots__ = ("_cursor",)

    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor

    def fetchone(self) -> tuple | None:
        return self._cursor.fetchone() if self._cursor.description is not None else None

    def fetchall(self) -> list[tuple]:
        return self._cursor.fetchall() if self._cursor.description is not None else []

    def __iter__(self):
        return iter(self.fetchall())

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount


class PgConnection:
    """A psycopg connection with sqlite3's calling conventions. `dialect` tells the few places
    that must differ (search, the schema) which database they talk to."""

    dialect = "postgresql"

    def __init__(self, raw: Any) -> None:
        self.raw = raw

    def execute(self, sql: str, parameters: Sequence[object] = ()) -> PgCursor:
        cursor = self.raw.cursor()
        cursor.execute(to_pyformat(sql), tuple(parameters) or None)
        return PgCursor(cursor)

    def executemany(self, sql: str, rows: Iterable[Sequence[object]]) -> PgCursor:
        cursor = self.raw.cursor()
        cursor.executemany(to_pyformat(sql), [tuple(row) for row in rows])
        return PgCursor(cursor)

    def close(self) -> None:
        self.raw.close()

    def interrupt(self) -> None:
        """sqlite3's way to stop a running query (the search dialog's, for newer text): the query
        then fails with QueryCanceled. The cancel request travels on a connection of its own, so
        it is sent from a thread of its own: the caller (the UI) never waits for the network."""
        threading.Thread(target=self._cancel, name="nexus-pg-cancel", daemon=True).start()

    def _cancel(self) -> None:
        with suppress(Exception):  # the connection closed meanwhile: nothing left to stop
            self.raw.cancel_safe()


class PostgresStore(Store):
    """A hub in a PostgreSQL database. Thread-safe: each unit of work borrows a connection from a
    small pool and gives it back, so none is used by two threads at once."""

    dialect = "postgresql"

    def __init__(self, url: str, clock: Clock = utc_now, user: str = "") -> None:
        super().__init__(None, clock, user)  # type: ignore[arg-type]  # no file
        self.url = url
        self.location = redacted(url)
        self._pool: list[PgConnection] = []
        self._pool_lock = threading.Lock()
        self.backend_pids: set[int] = set()
        """The server processes of this store's connections: their notifications are its own."""

    @classmethod
    def open(cls, location: str, clock: Clock = utc_now, user: str = "") -> PostgresStore:
        store = cls(location, clock, user)
        with closing(store.connect()) as conn:
            store._migrate(conn)
        return store

    # --- connections -------------------------------------------------------------------------

    def connect(self) -> PgConnection:
        """A new connection in autocommit mode (transactions are explicit, as on SQLite)."""
        psycopg = _psycopg()
        # Named in the server's list of connections, unless the URL names it otherwise.
        named = {} if "application_name=" in self.url else {"application_name": "nexus-tui"}
        try:
            raw = psycopg.connect(
                libpq_url(self.url),
                autocommit=True,
                connect_timeout=CONNECT_TIMEOUT_SECONDS,
                # Never prepared: the server would go over to a generic plan after a few runs,
                # 5-10 times slower for queries whose best plan depends on their values (search).
                prepare_threshold=None,
                **named,
            )
        except psycopg.Error as error:
            raise self.error(error) from error
        raw.execute(f"SET lock_timeout = {LOCK_TIMEOUT_MS}")
        # Read by the triggers that fill `changed_by` (pg_migrations.py).
        raw.execute("SELECT set_config('nexus_tui.user', %s, false)", (self.user,))
        self.backend_pids.add(raw.info.backend_pid)
        return PgConnection(raw)

    def _borrow(self) -> PgConnection:
        with self._pool_lock:
            while self._pool:
                conn = self._pool.pop()
                if not conn.raw.closed and not conn.raw.broken:
                    return conn
        return self.connect()

    def _give_back(self, conn: PgConnection) -> None:
        if conn.raw.closed or conn.raw.broken or conn.raw.info.transaction_status != 0:
            conn.close()
            return
        with self._pool_lock:
            if len(self._pool) < POOL_SIZE:
                self._pool.append(conn)
                return
        conn.close()

    def _begin(self, conn: PgConnection, statement: str) -> PgConnection:
        """Start a transaction; on a kept connection the server dropped meanwhile (a restart, a
        network break), start it on a new one instead: the user sees no error for what a
        reconnect mends. Nothing has been sent in the transaction yet, so nothing is repeated."""
        psycopg = _psycopg()
        try:
            conn.raw.execute(statement)
            return conn
        except psycopg.OperationalError:
            if not conn.raw.broken and not conn.raw.closed:
                raise
        conn.close()
        self._empty_pool()
        conn = self.connect()
        conn.raw.execute(statement)
        return conn

    def _empty_pool(self) -> None:
        with self._pool_lock:
            pool, self._pool = self._pool, []
        for kept in pool:
            kept.close()

    def read(self, query: Callable[..., T], *args: object) -> T:
        psycopg = _psycopg()
        conn = self._borrow()
        try:
            conn = self._begin(conn, _READ)
            try:
                return query(conn, *args)
            finally:
                if not conn.raw.broken:
                    conn.raw.execute("ROLLBACK")
        except psycopg.Error as error:
            raise self.error(error) from error
        finally:
            self._give_back(conn)

    def read_on(self, conn: PgConnection, query: Callable[..., T], *args: object) -> T:  # type: ignore[override]
        psycopg = _psycopg()
        try:
            conn.raw.execute(_READ)
            try:
                return query(conn, *args)
            finally:
                if not conn.raw.broken:
                    conn.raw.execute("ROLLBACK")
        except psycopg.Error as error:
            raise self.error(error) from error

    def write(self, change: Callable[..., T], *args: object) -> T:
        psycopg = _psycopg()
        conn = self._borrow()
        try:
            conn = self._begin(conn, "BEGIN")
            try:
                conn.raw.execute(_WRITE_LOCK, (WRITE_LOCK_KEY,))
                result = change(conn, *args)
            except BaseException:
                if not conn.raw.broken:
                    conn.raw.execute("ROLLBACK")
                raise
            conn.raw.execute("COMMIT")
            self._written()
            return result
        except psycopg.Error as error:
            raise self.error(error) from error
        finally:
            self._give_back(conn)

    @property
    def engine(self):
        """The SQLAlchemy engine for ORM writes, made on first use."""
        if self._engine is None:
            from sqlalchemy import create_engine

            self._engine = create_engine(
                "postgresql+psycopg://", creator=lambda: self.connect().raw
            )
        return self._engine

    def close(self) -> None:
        super().close()
        self._empty_pool()

    # --- schema ------------------------------------------------------------------------------

    def _migrate(self, conn: PgConnection) -> list[int]:
        from nexus_tui.store.pg_migrations import LATEST_VERSION, MIGRATIONS

        psycopg = _psycopg()
        applied: list[int] = []
        try:
            conn.raw.execute("BEGIN")
            try:
                # Two processes opening a new hub at once: the second waits, then finds it made.
                conn.raw.execute(_WRITE_LOCK, (WRITE_LOCK_KEY,))
                version = self._schema_version(conn)
                if version is not None and version > LATEST_VERSION:
                    raise StoreError(
                        f"The database {self.location} was written by a newer nexus-tui (schema "
                        f"version {version}; this one knows up to {LATEST_VERSION}). Upgrade "
                        "nexus-tui to open it; nothing was changed."
                    )
                if version is None:
                    conn.raw.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
                    conn.raw.execute("INSERT INTO schema_version VALUES (0)")
                    version = 0
                for migration in MIGRATIONS:
                    if migration.version <= version:
                        continue
                    for statement in migration.statements:
                        conn.raw.execute(statement)
                    conn.raw.execute("UPDATE schema_version SET version = %s", (migration.version,))
                    applied.append(migration.version)
            except BaseException:
                if not conn.raw.broken:
                    conn.raw.execute("ROLLBACK")
                raise
            conn.raw.execute("COMMIT")
        except psycopg.Error as error:
            raise self.error(error) from error
        return applied

    def _schema_version(self, conn: PgConnection) -> int | None:
        """The hub's schema version; None for a database (schema) with no tables of ours yet;
        StoreError for one that holds another program's tables."""
        (has_version,) = conn.raw.execute(
            "SELECT to_regclass('schema_version') IS NOT NULL"
        ).fetchone()
        if has_version:
            return conn.raw.execute("SELECT version FROM schema_version").fetchone()[0]
        (others,) = conn.raw.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"
        ).fetchone()
        if others:
            raise StoreError(
                f"The database {self.location} already holds tables of another program. It was "
                "left as it is; name an empty database (or schema) for the hub."
            )
        return None

    # --- errors ------------------------------------------------------------------------------

    def error(self, error: Exception) -> StoreError:  # type: ignore[override]
        psycopg = _psycopg()
        text = _first_line(error)
        where = self.location
        if isinstance(error, psycopg.errors.IntegrityError):
            return StoreError(f"Not saved: {text}.")
        if isinstance(error, psycopg.errors.LockNotAvailable):
            return StoreError(
                f"The database {where} is busy: another nexus-tui is writing to it. Try again."
            )
        if isinstance(error, psycopg.errors.InsufficientPrivilege):
            return StoreError(
                f"The database {where} refused the change ({text}): ask its owner for the rights "
                "to create tables and extensions (citext, unaccent) there."
            )
        if isinstance(error, psycopg.OperationalError):
            if "password" in text or "authentication" in text:
                return StoreError(
                    f"The PostgreSQL server for {where} refused the login ({text}). Check the user "
                    "and the password (PGPASSWORD or ~/.pgpass)."
                )
            return StoreError(
                f"The PostgreSQL server for {where} cannot be reached ({text}). Check that it is "
                "running and reachable; unsaved typing is kept as a draft."
            )
        return StoreError(f"The database {where} could not be used: {text}.")


def _first_line(error: Exception) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0].rstrip(".")


def _psycopg():
    try:
        import psycopg
    except ImportError as error:
        raise StoreError(
            "PostgreSQL support is not installed: install nexus-tui with the postgres extra "
            "(pip install 'nexus-tui[postgres]')."
        ) from error
    return psycopg
