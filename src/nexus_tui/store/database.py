"""Opening the database: where it is, how connections are set up, refusing files that are not ours.

Standard-library sqlite3 only, so the app can open the store and paint data before SQLAlchemy is
imported. Every connection, including those the ORM uses (see `orm.py`), comes from `Store.connect`.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from nexus_tui.store.migrations import (
    APPLICATION_ID,
    CHANGED_BY_TABLES,
    LATEST_VERSION,
    migrate,
)

T = TypeVar("T")
Clock = Callable[[], datetime]

_SQLITE_HEADER = b"SQLite format 3\x00"
# The files SQLite keeps next to a database while it is in use.
_SIDECARS = ("-wal", "-shm", "-journal")
# How long a connection waits for another writer (another window, a CLI command) before giving up.
BUSY_TIMEOUT_SECONDS = 10.0


def utc_now() -> datetime:
    return datetime.now(UTC)


def login_name() -> str:
    """Who changes the hub when the config names nobody: the login name, as `[user] name`'s
    default."""
    import getpass

    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name in the environment or the password database
        return "unknown"


def to_db_time(moment: datetime) -> str:
    """Naive UTC text in the layout SQLAlchemy uses for SQLite, so ORM and plain SQL agree."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat(sep=" ", timespec="microseconds")


def from_db_time(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def insert_row(conn, table: str, columns: tuple[str, ...], row: dict) -> int:
    """Insert `row`'s values for `columns`; return the row's id. An id of None is left out, so
    the database gives a new one (PostgreSQL refuses an explicit NULL where SQLite numbers it)."""
    names = [column for column in columns if not (column == "id" and row[column] is None)]
    cursor = conn.execute(
        f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)}) "
        "RETURNING id",
        tuple(row[column] for column in names),
    )
    return cursor.fetchone()[0]


class StoreError(Exception):
    """A database that cannot be used. The message says which file, what is wrong and what to do."""


def is_postgres_url(location: str) -> bool:
    scheme = location.partition("://")[0] if "://" in location else ""
    return scheme.split("+", 1)[0] in ("postgresql", "postgres")


def database_path(location: str) -> Path:
    """A path or a `sqlite:///…` URL as a filesystem path; other kinds of database are refused."""
    if "://" not in location:
        return Path(location).expanduser()
    scheme, _, rest = location.partition("://")
    if scheme.split("+", 1)[0] != "sqlite":
        raise StoreError(
            f"{location.split('://', 1)[0]}:// databases are not supported: use a file path, "
            "a sqlite:/// URL or a postgresql:// URL."
        )
    if not rest.startswith("/") or rest in ("/", "/:memory:"):
        raise StoreError(
            f"{location!r} does not name a database file: use sqlite:///path/to/nexus.db."
        )
    return Path(rest[1:]).expanduser()


class Store:
    """One SQLite database file. Cheap to share between threads: each unit of work opens its own
    connection (about 0.1 ms), so no connection ever crosses a thread.

    `Store.open` of a postgresql:// URL gives a `PostgresStore` (`postgres.py`), the same
    interface over a server; `dialect` tells them apart, `path` is None there.
    """

    dialect = "sqlite"

    def __init__(self, path: Path, clock: Clock = utc_now, user: str = "") -> None:
        self.path = path
        self.location = str(path)
        self.clock = clock
        # Recorded as `changed_by` in every row this store writes.
        self.user = user or login_name()
        # Called after each committed write (a watcher telling this process's changes from
        # others', see watch.py).
        self.after_write: list[Callable[[], None]] = []
        self._engine = None

    @classmethod
    def open(cls, location: str, clock: Clock = utc_now, user: str = "") -> Store:
        """Open (creating if needed) and migrate the database; StoreError if it cannot be used.

        A file that is refused is left exactly as it was, with nothing new beside it. A database
        that already has a schema is backed up (see `backups.py`) before a migration changes it.
        """
        if is_postgres_url(location):
            from nexus_tui.store.postgres import PostgresStore

            return PostgresStore.open(location, clock, user)
        store = cls(database_path(location), clock, user)
        try:
            if store._check_file():
                version = store._check_schema_of_file()
                if 1 <= version < LATEST_VERSION:
                    from nexus_tui.store.backups import backup_database

                    backup_database(store.path, "migration")
            else:
                store._create()
            with closing(store.connect()) as conn:
                store._use_wal(conn)
                migrate(conn)
        except sqlite3.DatabaseError as error:
            raise store.error(error) from error
        return store

    def connect(self) -> sqlite3.Connection:
        # Autocommit mode: transactions are explicit (BEGIN IMMEDIATE for writes), never implicit.
        conn = sqlite3.connect(
            self.path,
            timeout=BUSY_TIMEOUT_SECONDS,
            isolation_level=None,
            check_same_thread=False,
        )
        conn.execute("PRAGMA foreign_keys = ON")
        # In WAL mode NORMAL is safe against corruption; a power cut can lose only the last commit.
        conn.execute("PRAGMA synchronous = NORMAL")
        return conn

    def _use_wal(self, conn: sqlite3.Connection) -> None:
        """Switch the file to write-ahead logging (it stays so), so readers never wait for writers.

        SQLite answers "locked" at once, without its busy handler, when another connection holds
        the write lock during the switch; that is the case when two windows create the same new
        database together, so wait here as long as the busy timeout allows.
        """
        deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
        while True:
            try:
                conn.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() > deadline:
                    raise
                time.sleep(0.01)

    def _connect_read_only(self) -> sqlite3.Connection:
        uri = self.path.resolve().as_uri() + "?mode=ro"
        return sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)

    def _connect_immutable(self) -> sqlite3.Connection:
        """Reads the file as it lies, without locks or files beside it: only for a file nobody
        writes (see `_in_use`)."""
        uri = self.path.resolve().as_uri() + "?mode=ro&immutable=1"
        return sqlite3.connect(uri, uri=True, isolation_level=None)

    def _sidecar(self, suffix: str) -> Path:
        return self.path.with_name(self.path.name + suffix)

    def _in_use(self) -> bool:
        """Whether a write-ahead log or journal lies beside the file: someone is (or was, until a
        crash) writing it, so only SQLite itself, with its locks, can say what the file holds."""
        return any(self._sidecar(suffix).exists() for suffix in ("-wal", "-journal"))

    def read(self, query: Callable[..., T], *args: object) -> T:
        """Run `query(conn, *args)` on a fresh connection, inside one read transaction."""
        try:
            with closing(self.connect()) as conn:
                return self.read_on(conn, query, *args)
        except sqlite3.DatabaseError as error:  # opening it
            raise self.error(error) from error

    def read_on(self, conn: sqlite3.Connection, query: Callable[..., T], *args: object) -> T:
        """`read`, on a connection from `connect` that the caller keeps for a series of reads
        (the search dialog's, one search per key): no connection to open each time, and the
        pages read before are still in its cache. One caller at a time per connection."""
        try:
            conn.execute("BEGIN")
            try:
                return query(conn, *args)
            finally:
                conn.execute("ROLLBACK")
        except sqlite3.DatabaseError as error:
            raise self.error(error) from error

    def write(self, change: Callable[..., T], *args: object) -> T:
        """Run `change(conn, *args)` in one write transaction: all of it is saved, or none."""
        try:
            with closing(self.connect()) as conn:
                self._record_changes_by(conn)
                conn.execute("BEGIN IMMEDIATE")
                try:
                    result = change(conn, *args)
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
                self._written()
                return result
        except sqlite3.DatabaseError as error:
            raise self.error(error) from error

    def _written(self) -> None:
        for hook in list(self.after_write):
            hook()

    def _record_changes_by(self, conn: sqlite3.Connection) -> None:
        """Have every row this connection inserts or updates name `self.user` as `changed_by`.

        Temporary triggers over a function of this connection: only nexus-tui's write connections
        have them, so the sqlite3 shell or another program can still write the file.
        """
        user = self.user
        conn.create_function("nexus_tui_user", 0, lambda: user, deterministic=True)
        # A new row that names who wrote it (a copied hub, an undone delete) keeps that name.
        when = {"INSERT": "new.changed_by = ''", "UPDATE": "new.changed_by IS NOT nexus_tui_user()"}
        for table in CHANGED_BY_TABLES:
            for event, condition in when.items():
                conn.execute(
                    f"CREATE TEMP TRIGGER {table}_changed_by_{event.lower()} AFTER {event} "
                    f"ON main.{table} WHEN {condition} BEGIN "
                    f"UPDATE {table} SET changed_by = nexus_tui_user() WHERE id = new.id; END"
                )

    @property
    def engine(self):
        """The SQLAlchemy engine for ORM writes, made on first use (importing it costs ~0.4 s)."""
        if self._engine is None:
            from nexus_tui.store.orm import make_engine

            self._engine = make_engine(self.connect)
        return self._engine

    def close(self) -> None:
        """Release the ORM engine's connections, if it was ever made."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def error(self, error: sqlite3.Error) -> StoreError:
        text = str(error)
        if isinstance(error, sqlite3.IntegrityError):
            return StoreError(f"Not saved: {text}.")
        if "locked" in text or "busy" in text:
            return StoreError(
                f"The database {self.path} is busy: another nexus-tui is writing to it. Try again."
            )
        if "not a database" in text or "malformed" in text:
            return StoreError(
                f"The database {self.path} is damaged ({text}). It was left as it is; "
                "restore a backup (nexus-tui restore) or name another file with --db."
            )
        if "readonly" in text or "unable to open" in text:
            return StoreError(
                f"Cannot write the database {self.path} ({text}): check that its folder exists "
                "and is writable."
            )
        return StoreError(f"The database {self.path} could not be used: {text}.")

    def _check_file(self) -> bool:
        """Whether the file exists; StoreError for one that is certainly not a usable database.

        Read with plain file reads: opening it with SQLite could already leave files beside it.
        """
        if self.path.is_dir():
            raise StoreError(
                f"{self.path} is a folder, not a database file: name a file with --db."
            )
        if not self.path.exists():
            wal = self._sidecar("-wal")
            if wal.is_file() and wal.stat().st_size > 0:
                # A new database would take that log for its own and be corrupted by it.
                raise StoreError(
                    f"The database {self.path} is gone, but its write-ahead log {wal.name} is "
                    "still there and may hold the latest changes. Nothing was changed: restore "
                    "a backup (nexus-tui restore), or move the log away to start a new hub."
                )
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise StoreError(
                    f"Cannot create the folder for the database {self.path}: "
                    f"{error.strerror or error}. Make that folder writable, or name another "
                    "file with --db."
                ) from error
            return False
        try:
            with self.path.open("rb") as handle:
                header = handle.read(100)
                size = os.fstat(handle.fileno()).st_size
        except OSError as error:
            raise StoreError(
                f"Cannot read the database {self.path}: {error.strerror or error}. Check the "
                "file's permissions, or name another file with --db."
            ) from error
        if size == 0:
            # New databases are never seen empty (see `_create`), so an empty file is a hub lost
            # to something else (a failed copy, a full disk): starting afresh would hide that.
            raise StoreError(
                f"{self.path} is empty (0 bytes): it holds no hub. It was left as it is; restore "
                "a backup (nexus-tui restore), delete the empty file to start a new hub there, "
                "or name another file with --db."
            )
        if not header.startswith(_SQLITE_HEADER):
            raise StoreError(
                f"{self.path} is not a nexus-tui database (it is not an SQLite file). "
                "It was left as it is; name another file with --db."
            )
        expected = _size_in_header(header)
        if (expected is None or size < expected) and not self._in_use():
            shown = "" if expected is None else f" of the {expected} its header promises"
            raise StoreError(
                f"The database {self.path} is damaged (database disk image is malformed: it "
                f"ends after {size} bytes{shown}, as if cut off). It was left as it is; restore "
                "a backup (nexus-tui restore) or name another file with --db."
            )
        return True

    def _check_schema_of_file(self) -> int:
        """Refuse a database of another program or of a newer nexus-tui, changing nothing;
        return its schema version.

        With no log or journal beside it the file holds all there is, so it is read as an
        immutable file: no locks, no shared-memory file left behind. Should it change meanwhile
        (another process started writing), the check is made again the usual way.
        """
        if not self._in_use():
            before = _file_state(self.path)
            try:
                with closing(self._connect_immutable()) as conn:
                    return self._check_schema(conn)
            except (StoreError, sqlite3.DatabaseError):
                if _file_state(self.path) == before and not self._in_use():
                    raise
        with closing(self._connect_read_only()) as conn:
            return self._check_schema(conn)

    def _create(self) -> None:
        """Make the new database under a temporary name and link it into place complete.

        So no process ever finds a half-made database: another nexus-tui opening the same new
        file at the same moment sees either no file or a whole one.
        """
        temporary = self.path.with_name(f".{self.path.name}.{os.urandom(6).hex()}.new")
        try:
            with closing(sqlite3.connect(temporary, isolation_level=None)) as conn:
                migrate(conn)
                conn.execute("PRAGMA journal_mode = WAL")
            try:
                os.link(temporary, self.path)
            except FileExistsError:
                pass  # another nexus-tui made it meanwhile; that one is used
            except OSError:
                # No hard links on this file system: a rename, unless one appeared meanwhile.
                if not self.path.exists():
                    os.replace(temporary, self.path)
        finally:
            for leftover in (temporary, *(Path(f"{temporary}{s}") for s in _SIDECARS)):
                leftover.unlink(missing_ok=True)

    def _check_schema(self, conn: sqlite3.Connection) -> int:
        # One statement, so all three come from one snapshot even while another process is
        # creating the schema.
        application_id, version, tables = conn.execute(
            "SELECT (SELECT application_id FROM pragma_application_id),"
            " (SELECT user_version FROM pragma_user_version),"
            " (SELECT count(*) FROM sqlite_master)"
        ).fetchone()
        has_tables = tables > 0
        if application_id not in (0, APPLICATION_ID) or (
            application_id == 0 and (version != 0 or has_tables)
        ):
            raise StoreError(
                f"{self.path} is an SQLite database of another program, not of nexus-tui. "
                "It was left as it is; name another file with --db."
            )
        if version > LATEST_VERSION:
            raise StoreError(
                f"{self.path} was written by a newer nexus-tui (schema version {version}; "
                f"this one knows up to {LATEST_VERSION}). Upgrade nexus-tui to open it; "
                "the file was left as it is."
            )
        return version


def _file_state(path: Path) -> tuple[int, int]:
    status = path.stat()
    return status.st_size, status.st_mtime_ns


def _size_in_header(header: bytes) -> int | None:
    """The file size an SQLite header promises (pages times page size); None when the header is
    itself cut short, 0 when it does not say (files of very old SQLite versions)."""
    if len(header) < 100:
        return None
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    # The page count is only valid when the change counter matches "version valid for".
    if header[24:28] != header[92:96]:
        return 0
    return pages * page_size
