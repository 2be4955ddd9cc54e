"""How the Collaborators screen and its form look at 120x40 (see test_snapshots.py for updating
the pictures). Every date shown is relative to the tests' fixed clock."""

from __future__ import annotations

from datetime import timedelta

from conftest import FIXED_NOW, settle
from test_app import type_into
from test_snapshots import SIZE, press_then_settle, snapshot_app, steady_cursors

from nexus_tui.store.collaborators import CollaboratorFields, add_collaborator

TODAY = FIXED_NOW.date()

ADA = CollaboratorFields(
    name="Ada Lovelace",
    role="backend",
    github="ada-l",
    discord="ada#0001",
    project="Nexus API",
    notes="Reviews my pull requests on Fridays.",
    api_contract="## Endpoints\n\n- `GET /api/v1/topics` → `{count, next, results}`",
    last_sync=TODAY - timedelta(days=10),
    next_sync=TODAY - timedelta(days=3),
    repos=("ada-l/nexus-api",),
)
BEA = ADA._replace(
    name="Bea", role="frontend", github="bea", notes="", api_contract="", last_sync=None,
    next_sync=TODAY + timedelta(days=4), repos=(),
)  # fmt: skip


def with_people_then_press(*keys: str):
    async def run_before(pilot) -> None:
        await settle(pilot)
        for person in (ADA, BEA):
            pilot.app.store.write(add_collaborator, person, FIXED_NOW)
        await press_then_settle(*keys)(pilot)

    return run_before


def test_collaborators_screen_with_a_sync_up_due(snap_compare, tmp_path):
    run_before = with_people_then_press("3")
    assert snap_compare(snapshot_app(tmp_path), terminal_size=SIZE, run_before=run_before)


def test_collaborator_form_says_what_is_wrong(snap_compare, tmp_path):
    async def run_before(pilot) -> None:
        await with_people_then_press("3", "j", "e")(pilot)
        await type_into(pilot, "#github", "bea--")
        await type_into(pilot, "#last-sync", "last week")
        await type_into(pilot, "#next-sync", "+7")
        await type_into(pilot, "#repos", "bea/web-app\nada-l/nexus-api")
        await settle(pilot)
        steady_cursors(pilot)

    assert snap_compare(snapshot_app(tmp_path), terminal_size=SIZE, run_before=run_before)
