"""The SQLAlchemy engine over `Store.connect`, for writes through the SQLModel classes.

Imported only when the first ORM write happens (see `Store.engine`), never on the way to the first
screen.
"""

from __future__ import annotations

import sqlite3
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


def session(store: Store) -> Session:
    """A short session for one unit of work; loaded objects stay readable after commit."""
    return Session(store.engine, expire_on_commit=False)
