"""Copies of the database taken before anything risky, and putting one back.

A copy is made before a migration changes the schema, before an import and before a restore, with
SQLite's online backup API, so it is consistent even while another nexus-tui is writing. Copies go
to a `backups` folder beside the database (the data folder, for the usual database), named
`<database name>-<UTC time>-<reason>.sqlite3`; the newest `BACKUPS_KEPT` of each database stay.

Standard library only (no Textual): the store, the command line and the app all use it.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import sqlite3
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import NamedTuple

from nexus_tui.store.database import BUSY_TIMEOUT_SECONDS, Store, StoreError, database_path

BACKUPS_KEPT = 5
# A restore reports its progress after each of these (4 MB of the usual 4 KB pages).
PAGES_PER_STEP = 1024
FOLDER_NAME = "backups"
_TIME_FORMAT = "%Y%m%dT%H%M%S.%fZ"
_SIDECARS = ("-wal", "-shm", "-journal")


class BackupInfo(NamedTuple):
    path: Path
    taken_at: datetime
    reason: str
    """Why it was taken: "migration", "import" or "restore"."""
    size: int
    """In bytes."""


def backups_folder(database: Path) -> Path:
    return Path(database).parent / FOLDER_NAME


def _name_pattern(database: Path) -> re.Pattern[str]:
    return re.compile(
        re.escape(Path(database).stem) + r"-(\d{8}T\d{6}\.\d{6}Z)-([a-z]+)\.sqlite3", re.ASCII
    )


def list_backups(database: str | os.PathLike[str]) -> list[BackupInfo]:
    """The backups of `database`, newest first."""
    database = Path(database)
    folder = backups_folder(database)
    pattern = _name_pattern(database)
    found: list[BackupInfo] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    for entry in entries:
        match = pattern.fullmatch(entry.name)
        if match is None:
            continue
        try:
            size = entry.stat().st_size
        except OSError:
            continue  # removed meanwhile
        taken = datetime.strptime(match[1], _TIME_FORMAT).replace(tzinfo=UTC)
        found.append(BackupInfo(entry, taken, match[2], size))
    found.sort(key=lambda info: info.taken_at, reverse=True)
    return found


def backup_database(
    database: str | os.PathLike[str], reason: str, *, keep: tuple[Path, ...] = ()
) -> Path:
    """Copy `database` into its backups folder and return the copy's path; then remove all but
    the newest `BACKUPS_KEPT` backups of it (never one named in `keep`).

    StoreError, with nothing changed, when it cannot be copied. The copy is written under a
    temporary name first, so a crash never leaves a half copy that looks like a backup.
    """
    database = Path(database)
    if not database.is_file():
        raise StoreError(f"There is no database {database} to back up.")
    folder = backups_folder(database)
    target, temporary = _new_backup_names(database, folder, reason)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with (
            closing(_connect_existing(database)) as source,
            closing(sqlite3.connect(temporary, isolation_level=None)) as copy,
        ):
            source.backup(copy)
            # One self-contained file: opening a backup must not need a log beside it.
            copy.execute("PRAGMA journal_mode = DELETE")
        os.replace(temporary, target)
    except (sqlite3.Error, OSError) as error:
        raise StoreError(
            f"Could not back up the database {database} before the {reason} "
            f"({_reason_of(error)}), so nothing was changed. Check that {folder} is writable "
            "and that the disk has room."
        ) from error
    finally:
        _remove_with_sidecars(temporary)
    _prune(database, keep=(target, *keep))
    return target


def backup_before_import(location: str | os.PathLike[str]) -> Path | None:
    """The backup an import takes before it writes; None when the database does not exist yet
    (an import into a new hub has nothing to lose). `location` is a path or a sqlite:/// URL.
    Raises StoreError when the copy cannot be made: then do not import."""
    path = database_path(location) if isinstance(location, str) else Path(location)
    if not path.exists():
        return None
    return backup_database(path, "import")


def restore_backup(
    backup: str | os.PathLike[str],
    database: str | os.PathLike[str],
    *,
    progress: Callable[[int, int], object] | None = None,
) -> Path | None:
    """Put `backup` in place of `database`; return the backup taken first of what it replaced
    (None when there was no database). `progress(pages_left, pages)` is called as it goes.

    The backup is checked first (a nexus-tui database SQLite finds intact). A usable database
    is overwritten in one write transaction through the backup API, so a crash midway leaves it
    as it was; one that is not usable (damaged, empty) is copied byte for byte first, then
    replaced by a complete new file in one rename.
    """
    backup, database = Path(backup), Path(database)
    _check_backup(backup)
    replaced: Path | None = None
    intact = database.exists() and _usable(database)
    if intact:
        replaced = backup_database(database, "restore", keep=(backup,))
    elif database.exists():
        replaced = _copy_bytes(database, keep=(backup,))
    try:
        if intact:
            # Never replaced as a file: other windows may have it open, with its log.
            _restore_in_place(backup, database, progress)
        else:
            _restore_as_new_file(backup, database, progress)
    except (sqlite3.Error, OSError) as error:
        hint = (
            " Close the nexus-tui windows using it and try again." if "locked" in str(error) else ""
        )
        raise StoreError(
            f"Could not restore {database} from {backup} ({_reason_of(error)}); the database "
            f"is as it was.{hint}"
        ) from error
    return replaced


# --- helpers ------------------------------------------------------------------------------


def _new_backup_names(database: Path, folder: Path, reason: str) -> tuple[Path, Path]:
    taken = datetime.now(UTC)
    while True:
        target = folder / f"{database.stem}-{taken.strftime(_TIME_FORMAT)}-{reason}.sqlite3"
        if not target.exists():
            break
        taken += timedelta(microseconds=1)
    return target, folder / f".{target.name}.{secrets.token_hex(4)}.partial"


def _connect_existing(path: Path) -> sqlite3.Connection:
    # mode=rw: never create the file when it vanished meanwhile.
    uri = path.resolve().as_uri() + "?mode=rw"
    return sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)


def _reason_of(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__


def _remove_with_sidecars(path: Path) -> None:
    for suffix in ("", *_SIDECARS):
        with contextlib.suppress(OSError):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def _prune(database: Path, keep: tuple[Path, ...]) -> None:
    kept = {path.resolve() for path in keep}
    for info in list_backups(database)[BACKUPS_KEPT:]:
        if info.path.resolve() not in kept:
            info.path.unlink(missing_ok=True)


def _usable(database: Path) -> bool:
    """Whether `Store.open` would take the file (before any migration)."""
    checker = Store(database)
    try:
        checker._check_file()
        checker._check_schema_of_file()
    except (StoreError, sqlite3.DatabaseError):
        return False
    return True


def _check_backup(backup: Path) -> None:
    """StoreError unless `backup` is a whole nexus-tui database this version can open."""
    checker = Store(backup)
    if not backup.is_file():
        raise StoreError(f"There is no backup {backup}.")
    try:
        checker._check_file()
        checker._check_schema_of_file()
    except sqlite3.DatabaseError as error:
        raise StoreError(f"Not restored: {checker.error(error)}") from error
    except StoreError as error:
        raise StoreError(f"Not restored: {error}") from error
    try:
        with closing(checker._connect_immutable()) as conn:
            verdict = conn.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as error:
        verdict = str(error)
    if verdict != "ok":
        raise StoreError(f"The backup {backup} is damaged ({verdict}); it was not restored.")


def _copy_bytes(database: Path, keep: tuple[Path, ...]) -> Path:
    """A byte-for-byte copy of a file SQLite cannot read (and its log), kept as a backup."""
    folder = backups_folder(database)
    target, temporary = _new_backup_names(database, folder, "restore")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(database, temporary)
        wal = Path(f"{database}-wal")
        if wal.exists():
            shutil.copyfile(wal, f"{target}-wal")
        os.replace(temporary, target)
    except OSError as error:
        raise StoreError(
            f"Could not keep a copy of {database} before restoring ({_reason_of(error)}), so "
            "nothing was changed."
        ) from error
    finally:
        _remove_with_sidecars(temporary)
    _prune(database, keep=(target, *keep))
    return target


def _copy_pages(
    source: sqlite3.Connection,
    target: sqlite3.Connection,
    progress: Callable[[int, int], object] | None,
) -> None:
    if progress is None:
        source.backup(target)
        return
    # In steps, for the progress; SQLite holds the target's write transaction from the first
    # step to the last all the same.
    source.backup(
        target, pages=PAGES_PER_STEP, progress=lambda _status, left, total: progress(left, total)
    )


def _restore_in_place(
    backup: Path, database: Path, progress: Callable[[int, int], object] | None
) -> None:
    # The copy is one write transaction on the database: other windows see the old hub or the
    # restored one, and a crash midway leaves the old one.
    source_uri = backup.resolve().as_uri() + "?mode=ro&immutable=1"
    with (
        closing(sqlite3.connect(source_uri, uri=True, isolation_level=None)) as source,
        closing(Store(database).connect()) as target,
    ):
        _copy_pages(source, target, progress)


def _restore_as_new_file(
    backup: Path, database: Path, progress: Callable[[int, int], object] | None
) -> None:
    database.parent.mkdir(parents=True, exist_ok=True)
    temporary = database.with_name(f".{database.name}.{secrets.token_hex(6)}.restoring")
    try:
        source_uri = backup.resolve().as_uri() + "?mode=ro&immutable=1"
        with (
            closing(sqlite3.connect(source_uri, uri=True, isolation_level=None)) as source,
            closing(sqlite3.connect(temporary, isolation_level=None)) as target,
        ):
            _copy_pages(source, target, progress)
            target.execute("PRAGMA journal_mode = WAL")
        with open(temporary, "rb") as handle:
            os.fsync(handle.fileno())
        # A log left by the file being replaced would be replayed onto the new one.
        for suffix in _SIDECARS:
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        os.replace(temporary, database)
    finally:
        _remove_with_sidecars(temporary)
