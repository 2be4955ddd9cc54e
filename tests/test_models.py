"""The SQLModel classes against the schema the migrations make, and writes through the ORM, on both
stores (an SQLite file and PostgreSQL)."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel

from nexus_tui.store import models, orm, queries
from nexus_tui.store.database import Store, from_db_time, to_db_time
from nexus_tui.store.seed import has_held_data

TABLE_CLASSES = sorted(
    (
        value
        for value in vars(models).values()
        if isinstance(value, type)
        and issubclass(value, SQLModel)
        and value.__module__ == models.__name__
        and hasattr(value, "__table__")
    ),
    key=lambda cls: cls.__name__,
)

# An aware UTC moment: accepted whichever way the models map datetime columns.
MOMENT = datetime(2025, 1, 10, 9, 0, tzinfo=UTC)

# Tables the ORM never writes, so they need no model: the hub's details, and on PostgreSQL its
# schema version and search index (SQLite keeps the version in the file's header, and its FTS5
# index is a virtual table).
TABLES_WITHOUT_MODEL = {"meta", "schema_version", "search_index"}


@pytest.fixture
def store(hub_location) -> Store:
    store = Store.open(hub_location)
    yield store
    store.close()


@pytest.fixture
def conn(store):
    conn = store.connect()
    yield conn
    conn.close()


def is_sqlite(conn) -> bool:
    return getattr(conn, "dialect", "sqlite") == "sqlite"


def table_names(conn) -> set[str]:
    if is_sqlite(conn):
        sql = (
            # Ordinary tables: the FTS5 search index (virtual) and its shadow tables are
            # written by the schema's triggers, never by the ORM.
            "SELECT name FROM pragma_table_list"
            " WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    else:
        sql = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
    return {name for (name,) in conn.execute(sql)}


def table_info(conn, table: str) -> dict[str, tuple]:
    """column name -> (declared type, notnull, pk position)."""
    if is_sqlite(conn):
        return {
            name: (declared, bool(notnull), pk)
            for _cid, name, declared, notnull, _default, pk in conn.execute(
                f"PRAGMA table_info({table})"
            )
        }
    keys = dict(
        conn.execute(
            """SELECT k.column_name, k.ordinal_position
            FROM information_schema.table_constraints c
            JOIN information_schema.key_column_usage k USING (constraint_schema, constraint_name)
            WHERE c.table_schema = current_schema() AND c.table_name = ?
                AND c.constraint_type = 'PRIMARY KEY'""",
            (table,),
        )
    )
    return {
        name: (declared, not_null, keys.get(name, 0))
        for name, declared, not_null in conn.execute(
            """SELECT column_name, data_type, is_nullable = 'NO' FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = ?""",
            (table,),
        )
    }


def foreign_keys(conn, table: str) -> set[tuple]:
    """(column, table referred to, its column, what a delete there does) for each foreign key."""
    if is_sqlite(conn):
        return {
            (fk[3], fk[2], fk[4], fk[6])  # from, table, to, on_delete
            for fk in conn.execute(f"PRAGMA foreign_key_list({table})")
        }
    return set(
        conn.execute(
            """SELECT k.column_name, u.table_name, u.column_name, r.delete_rule
            FROM information_schema.referential_constraints r
            JOIN information_schema.key_column_usage k
                ON k.constraint_schema = r.constraint_schema
                AND k.constraint_name = r.constraint_name
            JOIN information_schema.constraint_column_usage u
                ON u.constraint_schema = r.unique_constraint_schema
                AND u.constraint_name = r.unique_constraint_name
            WHERE k.table_schema = current_schema() AND k.table_name = ?""",
            (table,),
        )
    )


def test_the_model_list_is_not_empty():
    # If discovery broke, every parametrized test below would silently test nothing.
    assert {cls.__tablename__ for cls in TABLE_CLASSES} >= {
        "categories",
        "topics",
        "notes",
        "challenges",
        "challenge_topics",
        "challenge_links",
        "collaborators",
        "repos",
    }


def test_every_table_has_a_model(conn):
    made = table_names(conn)
    assert made - TABLES_WITHOUT_MODEL == {cls.__tablename__ for cls in TABLE_CLASSES}


@pytest.mark.parametrize("model", TABLE_CLASSES, ids=lambda cls: cls.__name__)
def test_model_columns_match_the_table(conn, model):
    info = table_info(conn, model.__tablename__)
    assert info, f"no table {model.__tablename__} in a migrated database"
    columns = {column.name: column for column in model.__table__.columns}
    assert set(columns) == set(info)


@pytest.mark.parametrize("model", TABLE_CLASSES, ids=lambda cls: cls.__name__)
def test_model_primary_key_matches_the_table(conn, model):
    info = table_info(conn, model.__tablename__)
    in_table = {name for name, (_type, _notnull, pk) in info.items() if pk}
    in_model = {column.name for column in model.__table__.primary_key.columns}
    assert in_model == in_table


@pytest.mark.parametrize("model", TABLE_CLASSES, ids=lambda cls: cls.__name__)
def test_model_nullability_matches_not_null(conn, model):
    info = table_info(conn, model.__tablename__)
    for column in model.__table__.columns:
        declared, notnull, pk = info[column.name]
        if pk and declared.upper() == "INTEGER" and len(model.__table__.primary_key) == 1:
            # An INTEGER PRIMARY KEY is the rowid: SQLite reports no NOT NULL for it, yet it is
            # never NULL (a NULL insert numbers the row), which is what nullable=False says.
            assert column.nullable is False, column.name
            continue
        assert column.nullable is not notnull, column.name


@pytest.mark.parametrize("model", TABLE_CLASSES, ids=lambda cls: cls.__name__)
def test_model_foreign_keys_match_the_table(conn, model):
    in_table = foreign_keys(conn, model.__tablename__)
    in_model = {
        (
            fk.parent.name,
            fk.column.table.name,
            fk.column.name,
            (fk.ondelete or "NO ACTION").upper(),
        )
        for fk in model.__table__.foreign_keys
    }
    assert in_model == in_table


def test_orm_round_trip_reads_back_through_plain_sql(store):
    written = datetime(2025, 2, 3, 4, 5, 6, 789012, tzinfo=UTC)
    with orm.session(store) as session:
        category = models.Category(name="ORM category", kind="concept")
        session.add(category)
        session.flush()
        topic = models.Topic(category_id=category.id, name="ORM topic", status="learning")
        session.add(topic)
        session.flush()
        note = models.Note(
            topic_id=topic.id,
            title="ORM note",
            body="written through SQLModel",
            tags=["a", "b"],
            pinned=True,
            created_at=written,
            updated_at=written,
        )
        session.add(note)
        session.commit()
        ids = category.id, topic.id, note.id

    category_id, topic_id, note_id = ids
    [summary] = store.read(queries.categories_with_topics)
    assert (summary.id, summary.name, summary.kind) == (category_id, "ORM category", "concept")
    [topic_summary] = summary.topics
    assert (topic_summary.id, topic_summary.name, topic_summary.status) == (
        topic_id,
        "ORM topic",
        "learning",
    )
    assert topic_summary.note_count == 1

    read = store.read(queries.note, note_id)
    assert read.tags == ("a", "b")
    assert read.pinned is True
    assert read.topic == "ORM topic"
    assert read.body == "written through SQLModel"
    assert read.created_at == read.updated_at == written
    stored = store.read(
        lambda conn: conn.execute(
            "SELECT created_at FROM notes WHERE id = ?", (note_id,)
        ).fetchone()[0]
    )
    # The same text layout as plain-SQL writes (to_db_time), so both sort and compare alike.
    assert stored == to_db_time(written) == "2025-02-03 04:05:06.789012"


def test_orm_default_timestamps_are_stored_as_naive_utc(store):
    # Category and Topic above rely on the models' own created_at/updated_at defaults.
    before = datetime.now(UTC)
    with orm.session(store) as session:
        category = models.Category(name="Defaults")
        session.add(category)
        session.commit()
        category_id = category.id
    created, updated = store.read(
        lambda conn: conn.execute(
            "SELECT created_at, updated_at FROM categories WHERE id = ?", (category_id,)
        ).fetchone()
    )
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}", created), created
    assert before - timedelta(seconds=1) <= from_db_time(created) <= datetime.now(UTC)
    assert from_db_time(updated) >= from_db_time(created)


def test_orm_writes_are_enforced_by_foreign_keys(store):
    with orm.session(store) as session:
        # Explicit timestamps, so only the foreign key can make this insert fail.
        session.add(
            models.Note(topic_id=424242, title="orphan", created_at=MOMENT, updated_at=MOMENT)
        )
        # SQLite's "FOREIGN KEY constraint failed", PostgreSQL's "violates foreign key constraint".
        with pytest.raises(IntegrityError, match=r"(?i)foreign key"):
            session.commit()
        session.rollback()

    assert store.read(lambda conn: conn.execute("SELECT count(*) FROM notes").fetchone()[0]) == 0
    # Not even the held-data mark of the insert trigger survived the failed transaction.
    assert store.read(has_held_data) is False


def test_orm_failure_rolls_back_the_whole_unit_of_work(store):
    with orm.session(store) as session:
        session.add(models.Category(name="Would be saved", created_at=MOMENT, updated_at=MOMENT))
        session.flush()
        session.add(
            models.Note(topic_id=424242, title="orphan", created_at=MOMENT, updated_at=MOMENT)
        )
        with pytest.raises(IntegrityError):
            session.commit()
        session.rollback()

    assert store.read(queries.categories_with_topics) == []
