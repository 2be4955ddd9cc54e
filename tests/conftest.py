"""Shared fixtures: isolated user directories, a fixed clock, and the one app factory every app and
snapshot test uses."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from nexus_tui.config import AppPaths, Settings

# Everything that shows an age or a due date reads this clock in tests, so snapshots never drift.
FIXED_NOW = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)


def fixed_clock() -> datetime:
    return FIXED_NOW


def make_paths(root: Path) -> AppPaths:
    return AppPaths(
        data_dir=root / "data",
        config_file=root / "config" / "config.toml",
        cache_dir=root / "cache",
        state_dir=root / "state",
        log_dir=root / "state" / "log",
        database=str(root / "data" / "nexus.db"),
    )


@pytest.fixture
def app_paths(tmp_path: Path) -> AppPaths:
    return make_paths(tmp_path)


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


async def settle(pilot) -> None:
    """Wait until the store is open and every screen worker has delivered its data."""
    for _ in range(20):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if not any(worker.is_running for worker in pilot.app.workers):
            break
    await pilot.pause()
