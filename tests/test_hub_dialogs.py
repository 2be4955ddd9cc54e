"""Import hub… and Export hub… in the app: plan first, progress, cancel without a trace."""

from __future__ import annotations

import json

from conftest import make_app, settle
from test_app import tree_labels, type_into
from textual.widgets import Static

from nexus_tui.screens.export_hub import ExportHubScreen
from nexus_tui.screens.import_hub import ImportHubScreen
from nexus_tui.store import queries
from nexus_tui.store.backups import list_backups

README = """# My backend hub

What I learned this term.

## Key Technologies

### Messaging

- RabbitMQ
- Celery workers

## Challenges Faced

### Slow dashboard

**Challenge:** The dashboard made one query per row.

**Solution:** Used select_related to join the rows in one query.
"""


def plan_text(app) -> str:
    return str(app.screen.query_one("#import-plan", Static).render())


def topic_names(app) -> set[str]:
    categories = app.store.read(queries.categories_with_topics)
    return {topic.name for category in categories for topic in category.topics}


async def open_import(pilot, path) -> None:
    pilot.app.action_import_hub()
    await pilot.pause()
    assert isinstance(pilot.app.screen, ImportHubScreen)
    await type_into(pilot, "#import-path", str(path))
    await pilot.press("enter")
    await settle(pilot)


async def test_import_shows_the_plan_then_imports_on_enter(app_paths, tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(README, encoding="utf-8")
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_import(pilot, readme)
        shown = plan_text(app)
        assert "RabbitMQ" in shown and "Celery workers" in shown
        # A server's database has no file to copy first: the plan says so, and only there.
        assert ("pg_dump" in shown) == (app.store.dialect == "postgresql")
        # Planned only: nothing is in the hub yet.
        assert "RabbitMQ" not in topic_names(app)
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, ImportHubScreen)
        assert {"RabbitMQ", "Celery workers"} <= topic_names(app)
        if app.store.path is not None:
            # The hub file as it was is kept for `nexus-tui restore`.
            assert [backup.reason for backup in list_backups(app.store.path)] == ["import"]
        assert any(note.title == "Imported" for note in app._notifications)
        # The tree shows the new topics without a restart.
        assert any("RabbitMQ" in label for label in tree_labels(app))
        # The same file again has nothing left to add.
        await open_import(pilot, readme)
        assert "Nothing to import" in plan_text(app)


async def test_a_file_that_cannot_be_imported_says_why_and_changes_nothing(app_paths, tmp_path):
    picture = tmp_path / "photo.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        before = topic_names(app)
        await open_import(pilot, picture)
        assert "photo.png" in plan_text(app)
        assert app.screen.query_one("#import-plan").has_class("-error")
        await type_into(pilot, "#import-path", str(tmp_path / "missing.md"))
        await pilot.press("enter")
        await settle(pilot)
        assert "missing.md" in plan_text(app)
        assert topic_names(app) == before
        await pilot.press("escape")
        assert not isinstance(app.screen, ImportHubScreen)


async def test_a_cancelled_import_keeps_nothing(app_paths, tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(README, encoding="utf-8")
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        before = topic_names(app)
        await open_import(pilot, readme)
        dialog = app.screen
        # Escape as the import starts: the transaction is rolled back whole.
        dialog.cancel_requested.set()
        await pilot.press("enter")
        await settle(pilot)
        assert "cancelled" in plan_text(app) and "nothing was changed" in plan_text(app)
        assert topic_names(app) == before
        assert isinstance(app.screen, ImportHubScreen)


async def test_export_writes_a_backup_or_a_readme_by_the_file_name(app_paths, tmp_path):
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for name in ("hub.json", "README.md"):
            app.action_export_hub()
            await pilot.pause()
            assert isinstance(app.screen, ExportHubScreen)
            await type_into(pilot, "#export-path", str(tmp_path / name))
            await pilot.press("enter")
            await settle(pilot)
            assert not isinstance(app.screen, ExportHubScreen)
        backup = json.loads((tmp_path / "hub.json").read_text(encoding="utf-8"))
        assert backup["format"] == "nexus-tui" and backup["version"] == 1
        assert any(topic["name"] == "Python" for topic in backup["topics"])
        readme = (tmp_path / "README.md").read_text(encoding="utf-8")
        assert "## " in readme and "- Python" in readme


async def test_a_cancelled_export_writes_nothing(app_paths, tmp_path):
    app = make_app(app_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.action_export_hub()
        await pilot.pause()
        app.screen.cancel_requested.set()
        await type_into(pilot, "#export-path", str(tmp_path / "hub.json"))
        await pilot.press("enter")
        await settle(pilot)
        assert not (tmp_path / "hub.json").exists()
        assert "nothing was written" in str(app.screen.query_one("#export-message").render())
        assert not any(path.name.endswith(".part") for path in tmp_path.rglob("*"))
