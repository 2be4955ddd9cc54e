"""How the Challenges screen and its dialogs look at 120x40 (see test_snapshots.py for updating the
pictures)."""

from __future__ import annotations

from conftest import FIXED_NOW, settle
from test_app import type_into
from test_snapshots import SIZE, press_then_settle, snapshot_app, steady_cursors

from nexus_tui.store.challenges import ChallengeFields, add_challenge
from nexus_tui.store.records import Link


async def with_an_open_challenge(pilot) -> None:
    await settle(pilot)
    fields = ChallengeFields(
        "Flaky integration tests",
        "The suite fails one run in ten on CI, never locally.",
        "",
        (),
        (Link("https://github.com/me/api/actions/runs/42", "Failing run"),),
    )
    pilot.app.store.write(add_challenge, fields, FIXED_NOW)


def test_challenges_screen_filtered_to_open_ones(snap_compare, tmp_path):
    async def run_before(pilot) -> None:
        await with_an_open_challenge(pilot)
        await press_then_settle("2", "v")(pilot)

    assert snap_compare(snapshot_app(tmp_path), terminal_size=SIZE, run_before=run_before)


def test_challenge_form_says_what_is_wrong(snap_compare, tmp_path):
    async def run_before(pilot) -> None:
        await press_then_settle("2", "n")(pilot)
        await type_into(pilot, "#challenge-problem", "Migrations clash after a rebase.")
        await type_into(pilot, "#challenge-links", "Fix https://github.com/me/api/pull/7\nthe PR")
        await pilot.press("ctrl+s")
        await settle(pilot)
        steady_cursors(pilot)

    assert snap_compare(snapshot_app(tmp_path), terminal_size=SIZE, run_before=run_before)


def test_solving_asks_for_the_solution(snap_compare, tmp_path):
    async def run_before(pilot) -> None:
        await with_an_open_challenge(pilot)
        await press_then_settle("2", "s")(pilot)

    assert snap_compare(snapshot_app(tmp_path), terminal_size=SIZE, run_before=run_before)


def test_topic_picker_narrowed_by_typing(snap_compare, tmp_path):
    async def run_before(pilot) -> None:
        await press_then_settle("2", "j", "j", "e", "ctrl+t", *"cach", "enter")(pilot)

    assert snap_compare(snapshot_app(tmp_path), terminal_size=SIZE, run_before=run_before)
