"""How the CI screen and the strip look at 120x40 in each state (see test_snapshots.py for updating
the pictures), against the stand-in GitHub of tests/github_server.py. Ages are relative to the
tests' fixed clock; notifications are cleared before each picture (they time out in real time)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import FIXED_NOW, settle
from github_server import FakeGitHub, Reply, run, serve_repo
from test_ci_screen import instant, serve_green, serve_red
from test_snapshots import SIZE, snapshot_app

from nexus_tui.config import GithubSettings, Settings
from nexus_tui.github.models import format_time
from nexus_tui.store import Store
from nexus_tui.store.ci import save_ci_status


@pytest.fixture
def github(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("GH_TOKEN", "ghp_snapshotLOOPBACKtoken0123456789")
    with FakeGitHub() as server:
        yield server


def polling_app(tmp_path, api_url: str, *repos: str):
    settings = Settings(github=GithubSettings(api_url=api_url, repos=repos))
    app = snapshot_app(tmp_path, settings, poll_github=True)
    app.ci_poll.client_options["sleep"] = instant
    return app


def then_press(*keys: str):
    async def run_before(pilot) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    return run_before


def serve_busy(github: FakeGitHub) -> None:
    serve_repo(
        github,
        "octo/busy",
        [
            run("CI", workflow_id=1, number=3, status="in_progress", conclusion=None,
                title="Cache the wheels"),
            run("CI", workflow_id=1, number=2, created_at="2026-11-25T09:00:00Z",
                updated_at="2026-11-25T09:08:00Z"),
        ],
    )  # fmt: skip


def test_ci_screen_green(snap_compare, tmp_path, github):
    serve_green(github)
    serve_red(github)
    app = polling_app(tmp_path, github.url, "octo/green", "octo/red")
    assert snap_compare(app, terminal_size=SIZE, run_before=then_press("4"))


def test_ci_screen_failing(snap_compare, tmp_path, github):
    serve_green(github)
    serve_red(github)
    app = polling_app(tmp_path, github.url, "octo/green", "octo/red")
    assert snap_compare(app, terminal_size=SIZE, run_before=then_press("4", "j"))


def test_ci_screen_running(snap_compare, tmp_path, github):
    serve_busy(github)
    app = polling_app(tmp_path, github.url, "octo/busy")
    assert snap_compare(app, terminal_size=SIZE, run_before=then_press("4"))


def test_ci_screen_offline_with_the_last_known_state(snap_compare, tmp_path, github):
    runs = [
        {"workflow": "CI", "workflow_id": 1, "title": "Add the parser", "branch": "main",
         "event": "push", "status": "completed", "conclusion": "success", "run_number": 12,
         "actor": "octocat", "created_at": format_time(FIXED_NOW - timedelta(hours=4)),
         "updated_at": format_time(FIXED_NOW - timedelta(hours=3, minutes=56))},
    ]  # fmt: skip
    store = Store.open(str(tmp_path / "data" / "nexus.db"))
    store.write(
        save_ci_status, "octo/green", "success", "main", runs, FIXED_NOW - timedelta(hours=3)
    )
    github.stop()
    app = polling_app(tmp_path, github.url, "octo/green")
    assert snap_compare(app, terminal_size=SIZE, run_before=then_press("4"))


def test_ci_screen_rate_limited(snap_compare, tmp_path, github):
    reset = int((FIXED_NOW + timedelta(hours=1)).timestamp())
    github.route(
        "/repos/octo/limited",
        Reply(
            403,
            {"message": "API rate limit exceeded for 127.0.0.1."},
            {
                "x-ratelimit-limit": "60",
                "x-ratelimit-remaining": "0",
                "x-ratelimit-reset": str(reset),
                "x-ratelimit-resource": "core",
            },
        ),
    )
    app = polling_app(tmp_path, github.url, "octo/limited")
    assert snap_compare(app, terminal_size=SIZE, run_before=then_press("4"))


def test_strip_with_every_state_and_a_missing_repository(snap_compare, tmp_path, github):
    serve_green(github)
    serve_red(github)
    serve_busy(github)
    app = polling_app(tmp_path, github.url, "octo/green", "octo/red", "octo/busy", "octo/gone")
    assert snap_compare(app, terminal_size=SIZE, run_before=then_press("4", "G"))


def test_add_repository_form_says_what_is_wrong(snap_compare, tmp_path):
    async def run_before(pilot) -> None:
        from test_app import type_into
        from test_snapshots import steady_cursors

        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await type_into(pilot, "#repo-name", "octocat")
        await settle(pilot)
        steady_cursors(pilot)
        await pilot.pause()

    assert snap_compare(snapshot_app(tmp_path), terminal_size=SIZE, run_before=run_before)
