"""How the offer of drafts kept from an earlier run looks at 120x40."""

from __future__ import annotations

from datetime import timedelta

from conftest import FIXED_NOW
from test_snapshots import SIZE, press_then_settle, snapshot_app, snapshot_paths

from nexus_tui.drafts import Draft, drafts_dir, save_draft


def test_draft_recovery_dialog(snap_compare, tmp_path):
    paths = snapshot_paths(tmp_path)
    drafts = [
        ("a", 7, "Python for backend work", "Python", timedelta(minutes=3)),
        ("b", None, "Serializers vs. [ModelSerializers]", "Django REST Framework (DRF)",
         timedelta(hours=5)),
        ("c", None, "", "PostgreSQL", timedelta(days=2)),
    ]  # fmt: skip
    for name, note_id, title, topic, ago in drafts:
        save_draft(
            drafts_dir(paths.state_dir) / f"{name}.json",
            Draft(
                database=paths.database,
                note_id=note_id,
                topic_id=1,
                topic=topic,
                title=title,
                tags="",
                body="text",
                started_from=None,
                saved_at=FIXED_NOW - ago,
            ),
        )
    assert snap_compare(snapshot_app(tmp_path), terminal_size=SIZE, run_before=press_then_settle())
