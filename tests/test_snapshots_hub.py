"""How the Import hub and Export hub dialogs look at 120x40 (see test_snapshots.py for updating
the pictures). Files are named relative to the test's own folder, so the pictures hold no path
of the machine."""

from __future__ import annotations

from conftest import settle
from test_app import type_into
from test_hub_dialogs import README
from test_snapshots import SIZE, snapshot_app, steady_cursors


def test_import_dialog_with_its_plan(snap_compare, tmp_path, monkeypatch):
    (tmp_path / "README.md").write_text(README, encoding="utf-8")
    monkeypatch.chdir(tmp_path)

    async def run_before(pilot) -> None:
        await settle(pilot)
        pilot.app.action_import_hub()
        await pilot.pause()
        await type_into(pilot, "#import-path", "README.md")
        await pilot.press("enter")
        await settle(pilot)
        steady_cursors(pilot)
        await pilot.pause()

    assert snap_compare(snapshot_app(tmp_path), terminal_size=SIZE, run_before=run_before)


def test_export_dialog(snap_compare, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    async def run_before(pilot) -> None:
        await settle(pilot)
        pilot.app.action_export_hub()
        await pilot.pause()
        await type_into(pilot, "#export-path", "nexus-hub.json")
        steady_cursors(pilot)
        await pilot.pause()

    assert snap_compare(snapshot_app(tmp_path), terminal_size=SIZE, run_before=run_before)
