"""Shared fixtures: isolated user directories, a fixed clock, and the one app factory every app and
snapshot test uses."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from nexus_tui.config import AppPaths, Settings

# Everything that shows an age or a due date reads this clock in tests, so snapshots never drift.
FIXED_NOW = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)


def fixed_clock() -> datetime:
    return FIXED_NOW


def make_paths(root: Path, database: str | None = None) -> AppPaths:
    return AppPaths(
        data_dir=root / "data",
        config_file=root / "config" / "config.toml",
        cache_dir=root / "cache",
        state_dir=root / "state",
        log_dir=root / "state" / "log",
        database=database or str(root / "data" / "nexus.db"),
    )


@pytest.fixture
def app_paths(tmp_path: Path, hub_location: str) -> AppPaths:
    """A test's user folders, its hub in the store the test runs against (see `hub_location`)."""
    return make_paths(tmp_path, hub_location)


@pytest.fixture
def sqlite_app_paths(tmp_path: Path) -> AppPaths:
    """User folders with the hub in an SQLite file: for tests of SQLite files themselves, and
    snapshots (one picture per screen; the stores show the same)."""
    return make_paths(tmp_path)


# --- the two stores ---------------------------------------------------------------------------
# Tests that take `hub_location` (directly or through `app_paths`) run twice: on an SQLite file and
# on PostgreSQL, each PostgreSQL run in a fresh schema of the server named by NEXUS_TUI_TEST_PG
# (`.ci/run` starts one; `eval "$(bash .ci/postgres)"` starts one on a developer's machine).
POSTGRES_URL = os.environ.get("NEXUS_TUI_TEST_PG", "")


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """The test server's URL, with the extensions the hub needs made once in its public schema."""
    if not POSTGRES_URL:
        message = (
            "NEXUS_TUI_TEST_PG is not set: no PostgreSQL server to test against. "
            'eval "$(bash .ci/postgres)" starts one and sets it.'
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    _on_server(
        "CREATE EXTENSION IF NOT EXISTS citext SCHEMA public;"
        "CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public"
    )
    return POSTGRES_URL


def _on_server(sql: str) -> None:
    import psycopg

    from nexus_tui.store.postgres import libpq_url

    with psycopg.connect(libpq_url(POSTGRES_URL), autocommit=True) as conn:
        conn.execute(sql)


def postgres_schema_url(base: str, schema: str) -> str:
    separator = "&" if "?" in base else "?"
    # The application name lets the fixture end the connections a test left open.
    return f"{base}{separator}options=-csearch_path%3D{schema},public&application_name={schema}"


@pytest.fixture(params=["sqlite", "postgresql"])
def hub_location(request: pytest.FixtureRequest, tmp_path: Path):
    """Where the test's hub lives: an SQLite file under tmp_path, or a new PostgreSQL schema
    (dropped afterwards)."""
    if request.param == "sqlite":
        yield str(tmp_path / "data" / "nexus.db")
        return
    base = request.getfixturevalue("postgres_url")
    schema = f"test_{uuid.uuid4().hex[:12]}"
    _on_server(f"CREATE SCHEMA {schema}")
    try:
        yield postgres_schema_url(base, schema)
    finally:
        _on_server(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE application_name = '{schema}' AND pid <> pg_backend_pid();"
            f"DROP SCHEMA {schema} CASCADE"
        )


def open_store(location: str):
    """`Store.open` with the tests' clock."""
    from nexus_tui.store import Store

    return Store.open(location, fixed_clock)


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """No test may read or write the real user's data, config or cache."""
    home = tmp_path_factory.mktemp("home")
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(name, str(home / name.lower()))
    for name in ("NEXUS_TUI_DB", "NEXUS_TUI_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    return home


def own_user_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """A test's own user folders (not created yet), set in the environment that the commands it
    runs inherit."""
    folders = {
        "XDG_DATA_HOME": tmp_path / "xdg-data",
        "XDG_CONFIG_HOME": tmp_path / "xdg-config",
        "XDG_CACHE_HOME": tmp_path / "xdg-cache",
        "XDG_STATE_HOME": tmp_path / "xdg-state",
        "HOME": tmp_path / "home",
    }
    for name, path in folders.items():
        monkeypatch.setenv(name, str(path))
    return folders


def make_app(paths: AppPaths, settings: Settings | None = None, **kwargs):
    from nexus_tui.app import NexusApp

    return NexusApp(paths, settings, clock=fixed_clock, **kwargs)


def finite_workers(app) -> list:
    # The watcher of other processes' changes runs as long as the app (follow_changes).
    return [worker for worker in app.workers if worker.group != "hub-changes"]


async def settle(pilot) -> None:
    """Wait until the store is open, the first frame is drawn and every screen worker has
    delivered its data."""
    app = pilot.app
    # What the first frame does not show starts once it is drawn (NexusApp.after_first_frame).
    for _ in range(500):
        if getattr(app, "first_frame_drawn", True):
            break
        await pilot.pause(0.01)
    for _ in range(20):
        finite = finite_workers(app)
        if finite:  # an empty list would mean every worker to wait_for_complete
            await app.workers.wait_for_complete(finite)
        await pilot.pause()
        # Workers started meanwhile (by the data just shown) are waited for too.
        if not any(worker.is_running for worker in finite_workers(app)):
            break
    await pilot.pause()
