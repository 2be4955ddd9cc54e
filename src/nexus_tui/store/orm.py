"""The SQLAlchemy engine over `Store.connect`, for writes through the SQLModel classes.

Imported only when the first ORM write happens (see `Store.engine`), never on the way to the first
screen.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import NullPool
from sqlmodel import Session

from nexus_tui.store.database import Store


def make_engine(connect: Callable[[], sqlite3.Connection]) -> Engine:
    # NullPool: a connection per session, so none is ever shared between worker threads.
    engine = create_engine("sqlite://", creator=connect, poolclass=NullPool)

    # Our connections are in autocommit mode; open each ORM transaction ourselves, taking the write
    # lock at once so two writers queue on the busy timeout instead of failing mid-transaction.
    @event.listens_for(engine, "begin")
    def _begin_immediate(connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _begin_postgres_write(connection) -> None:
    from nexus_tui.store.postgres import WRITE_LOCK_KEY

    # As on SQLite: the store's connections are in autocommit mode, so the transaction is opened
    # here (psycopg then commits or rolls it back for SQLAlchemy), holding the store's write lock
    # as `PostgresStore.write` does.
    connection.exec_driver_sql("BEGIN")
    connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")


_preparing = threading.Lock()


def _engine(store: Store) -> Engine:
    engine = store.engine
    if store.dialect == "postgresql":
        with _preparing:
            if not event.contains(engine, "begin", _begin_postgres_write):
                event.listen(engine, "begin", _begin_postgres_write)
    return engine


def session(store: Store) -> Session:
    """A short session for one unit of work; loaded objects stay readable after commit."""
    return Session(_engine(store), expire_on_commit=False)
