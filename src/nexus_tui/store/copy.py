"""A whole hub from one store to another (SQLite → PostgreSQL and back): `nexus-tui copy --to URL`.

Every row keeps its id, so links between rows, and the drafts of notes, stay valid. The rows are
read in one read transaction and written in one write transaction on the target, which must hold
no hub yet; before that transaction commits, each table's rows are counted on both sides, so a
copy is complete or not made at all. The search index is rebuilt by the target's own triggers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from nexus_tui.store.database import Store, StoreError

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]

# In an order that inserts every row after the rows it refers to.
TABLES = (
    "meta", "categories", "topics", "notes", "challenges", "challenge_topics", "challenge_links",
    "collaborators", "repos", "http_cache", "ci_status",
)  # fmt: skip
# Rows inserted between two looks at `cancelled` and two calls of `progress`.
CHUNK_ROWS = 2_000
# Tables whose rows hold the user's hub; a target with any of these is not empty.
_CONTENT = ("categories", "topics", "notes", "challenges", "collaborators", "repos")
# Columns that SQLite keeps as 0/1 and PostgreSQL as booleans.
_BOOLEAN_COLUMNS = {("notes", "pinned")}


class CopyCancelled(Exception):
    """The copy was stopped before its transaction committed: the target holds nothing of it."""


@dataclass(frozen=True, slots=True)
class CopyResult:
    counts: dict[str, int]

    def summary(self) -> str:
        shown = ("topics", "notes", "challenges", "collaborators", "repos")
        parts = [f"{self.counts[table]} {_plural(table, self.counts[table])}" for table in shown]
        return ", ".join(parts[:-1]) + " and " + parts[-1]


def _plural(table: str, count: int) -> str:
    names = {"repos": "watched repositories"}
    name = names.get(table, table)
    return name[:-1] if count == 1 and name.endswith("s") else name


def read_tables(conn) -> dict[str, tuple[list[str], list[tuple]]]:
    """Every table's column names and rows, in id order where there is one."""
    tables: dict[str, tuple[list[str], list[tuple]]] = {}
    for table in TABLES:
        columns = _columns(conn, table)
        order = "id" if "id" in columns else ", ".join(columns[:2])
        rows = conn.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY {order}").fetchall()
        tables[table] = (columns, rows)
    return tables


def _columns(conn, table: str) -> list[str]:
    if getattr(conn, "dialect", "sqlite") == "postgresql":
        rows = conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = "
            "current_schema() AND table_name = ? ORDER BY ordinal_position",
            (table,),
        ).fetchall()
        return [name for (name,) in rows if name != "document"]  # made by a trigger
    return [row[1] for row in conn.execute(f"PRAGMA table_info({table})").fetchall()]


def count_rows(conn) -> dict[str, int]:
    return {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in TABLES}


def write_tables(
    conn,
    tables: dict[str, tuple[list[str], list[tuple]]],
    target: str,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> CopyResult:
    """Insert every row into an empty hub; StoreError if it holds one, or if the counts differ."""
    held = {table: count for table, count in count_rows(conn).items() if table in _CONTENT}
    if any(held.values()):
        found = ", ".join(f"{count} {table}" for table, count in held.items() if count)
        raise StoreError(
            f"{target} already holds a hub ({found}). Nothing was copied: copy into an empty "
            "database (or schema), so no entry of either hub is overwritten."
        )
    postgres = getattr(conn, "dialect", "sqlite") == "postgresql"
    total = sum(len(rows) for _, rows in tables.values())
    done = 0
    for table, (columns, rows) in tables.items():
        booleans = [i for i, column in enumerate(columns) if (table, column) in _BOOLEAN_COLUMNS]
        marks = ", ".join("?" for _ in columns)
        # The target's own triggers already wrote some meta rows (held_data): the source's win.
        upsert = (
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value" if table == "meta" else ""
        )
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks}){upsert}"
        for start in range(0, len(rows), CHUNK_ROWS):
            if cancelled is not None and cancelled():
                raise CopyCancelled
            chunk = rows[start : start + CHUNK_ROWS]
            if postgres and booleans:
                chunk = [_with_booleans(row, booleans) for row in chunk]
            conn.executemany(sql, chunk)
            done += len(chunk)
            if progress is not None:
                progress(done, total)
        if postgres and "id" in columns:
            # Ids were given, so the identity's sequence must move past them for new rows.
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"coalesce(max(id), 0) + 1, false) FROM {table}"
            )
    counts = count_rows(conn)
    expected = {table: len(rows) for table, (_, rows) in tables.items()}
    wrong = [table for table in TABLES if counts[table] != expected[table]]
    if wrong:
        described = ", ".join(f"{table} {counts[table]} of {expected[table]}" for table in wrong)
        raise StoreError(f"The copy to {target} was not kept: the counts differ ({described}).")
    if progress is not None:
        progress(total, total)
    return CopyResult(counts)


def _with_booleans(row: tuple, positions: list[int]) -> tuple:
    values = list(row)
    for position in positions:
        values[position] = bool(values[position])
    return tuple(values)


def copy_hub(
    source: Store,
    target: Store,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> CopyResult:
    """Copy the hub in `source` into the empty `target`, whole or not at all."""
    if (source.dialect, source.location) == (target.dialect, target.location):
        raise StoreError(f"{source.location} is the hub itself: name another database to copy to.")
    tables = source.read(read_tables)
    return target.write(write_tables, tables, target.location, progress, cancelled)
