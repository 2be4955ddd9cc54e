"""The CI screen, the strip and polling, against a stand-in GitHub on 127.0.0.1
(tests/github_server.py) named by the config's `api_url`.

Every time the app shows is relative to the tests' fixed clock: the recorded runs start at 09:00
and end at 09:05, half an hour before it. Nothing waits for real: retries sleep through
`instant`, and a round is asked for with `r` (or by the app's start), never by its timer.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from conftest import FIXED_NOW, make_app, settle
from github_server import (
    FakeGitHub,
    Reply,
    recorded,
    run,
    runs_list,
    serve_repo,
)
from test_app import option_texts, type_into
from textual.widgets import Input, Static, TabbedContent

from nexus_tui.config import GithubSettings, Settings, load_settings, save_settings
from nexus_tui.github.models import format_time
from nexus_tui.screens.confirm import ConfirmScreen
from nexus_tui.store import Store
from nexus_tui.store.ci import save_ci_status

TOKEN = "ghp_screenLOOPBACKtoken0123456789abcd"
EVIL_TITLE = "[bold red]pwned[/] \x1b]0;hijacked\x07\x1b[2J\x1b[31mred\x9b1m [link=x]y[/link]"
EVIL_BRANCH = "main[/]\x1b[8m"
RESET_IN_AN_HOUR = int((FIXED_NOW + timedelta(hours=1)).timestamp())


async def instant(seconds: float) -> None:
    """The client's retry pause, without the waiting."""


@pytest.fixture
def github():
    with FakeGitHub() as server:
        yield server


@pytest.fixture(autouse=True)
def token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GH_TOKEN", TOKEN)
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)


def ci_app(app_paths, api_url: str, *repos: str, poll: bool | None = True):
    settings = Settings(github=GithubSettings(api_url=api_url, repos=repos))
    # The config file too, as the app would have read it: `a` and `x` edit it.
    save_settings(app_paths.config_file, settings)
    app = make_app(app_paths, settings, poll_github=poll)
    app.ci_poll.client_options["sleep"] = instant
    return app


def serve_green(github: FakeGitHub, name: str = "octo/green"):
    return serve_repo(
        github,
        name,
        [
            run("CI", workflow_id=1, number=12, title="Add the parser"),
            run("CI", workflow_id=1, number=11, conclusion="failure",
                created_at="2026-11-25T09:00:00Z", updated_at="2026-11-25T09:07:00Z"),
            run("Lint", workflow_id=2, number=4, title="Tidy imports"),
        ],
    )  # fmt: skip


def failing_runs() -> dict:
    return runs_list(
        run("CI", workflow_id=1, number=13, conclusion="failure", title="Break the build"),
        run("Lint", workflow_id=2, number=5),
    )


def serve_red(github: FakeGitHub, name: str = "octo/red"):
    return serve_repo(github, name, failing_runs()["workflow_runs"])


def strip_text(app) -> str:
    return str(app.screen.query_one("CiStrip").render())


def static_text(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def notes(app) -> list[tuple[str, str]]:
    return [(str(note.title), str(note.message)) for note in app._notifications]


async def show_ci(pilot) -> None:
    await settle(pilot)
    await pilot.press("4")
    await settle(pilot)


# --- states ----------------------------------------------------------------------------------


async def test_a_green_repository_on_the_strip_and_the_screen(app_paths, github):
    serve_green(github)
    app = ci_app(app_paths, github.url, "octo/green")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        # The age of the state: the latest run ended at 09:05.
        assert strip_text(app).startswith("CI ✓ octo/green 25 m")
        await show_ci(pilot)
        assert option_texts(app, "#repo-list") == ["✓ octo/green  25 m"]
        assert static_text(app, "#ci-summary") == "✓ octo/green  success on main"
        assert static_text(app, "#ci-status-line") == (
            "fetched just now · rate limit 4870 of 5000 left"
        )
        runs = option_texts(app, "#run-list")
        assert runs == [
            "✓ success  CI #12  Add the parser\n"
            "    main · push · by zacker150 · 30 min ago · took 5m 00s",
            "✓ success  Lint #4  Tidy imports\n"
            "    main · push · by zacker150 · 30 min ago · took 5m 00s",
        ]
        chart = static_text(app, "#run-durations").splitlines()
        # The older failure of CI is marked among its runs; Lint never failed.
        assert chart[0].startswith("CI") and chart[0].endswith("last 5m 00s · 1 of 2 failed")
        assert chart[1].startswith("Lint") and chart[1].endswith("last 5m 00s")
        assert not app.screen.query_one("#ci-tabs", TabbedContent).loading
    assert all(seen.headers["authorization"] == f"Bearer {TOKEN}" for seen in github.seen)


async def test_a_failing_repository(app_paths, github):
    serve_red(github)
    app = ci_app(app_paths, github.url, "octo/red")
    async with app.run_test(size=(120, 40)) as pilot:
        await show_ci(pilot)
        assert strip_text(app).startswith("CI ✗ octo/red 25 m")
        assert static_text(app, "#ci-summary") == "✗ octo/red  failure on main"
        assert option_texts(app, "#run-list")[0].startswith("✗ failure  CI #13  Break the build")
        assert "1 of 1 failed" in static_text(app, "#run-durations")
        assert app.ci_poll.next_poll_seconds == 60


async def test_a_running_repository_is_asked_again_sooner(app_paths, github):
    serve_repo(
        github, "octo/busy", [run("CI", workflow_id=1, status="in_progress", conclusion=None)]
    )
    app = ci_app(app_paths, github.url, "octo/busy")
    async with app.run_test(size=(120, 40)) as pilot:
        await show_ci(pilot)
        # Running since 09:00.
        assert strip_text(app).startswith("CI ● octo/busy 30 m")
        assert option_texts(app, "#run-list") == [
            "● in progress  CI #1  A commit\n"
            "    main · push · by zacker150 · 30 min ago · running for 30m 00s"
        ]
        chart = static_text(app, "#run-durations")
        assert chart.startswith("CI") and chart.endswith("running")
        assert app.ci_poll.next_poll_seconds == 15


async def test_offline_shows_the_last_known_state_as_stale(app_paths, github):
    store = Store.open(app_paths.database)
    stored_run = {"workflow": "CI", "title": "Add the parser", "conclusion": "success",
                  "status": "completed", "branch": "main", "run_number": 12,
                  "updated_at": format_time(FIXED_NOW - timedelta(minutes=40))}  # fmt: skip
    store.write(
        save_ci_status, "octo/green", "success", "main", [stored_run],
        FIXED_NOW - timedelta(minutes=12),
    )  # fmt: skip
    github.stop()
    app = ci_app(app_paths, github.url, "octo/green")
    async with app.run_test(size=(120, 40)) as pilot:
        await show_ci(pilot)
        strip = strip_text(app)
        assert strip.startswith("CI ✓ octo/green stale 12 m")
        assert strip.endswith("· offline — last known 12 m ago")
        assert static_text(app, "#ci-summary").splitlines() == [
            "✓ octo/green  success on main",
            "offline — last known 12 min ago",
            "GitHub could not be reached: connection refused",
        ]
        assert static_text(app, "#ci-status-line") == ""
        assert option_texts(app, "#run-list")[0].startswith("✓ success  CI #12  Add the parser")
        # A state, not an error: one notice, and polling goes on.
        assert [title for title, _ in notes(app)] == ["Offline"]
        assert app.ci_poll.next_poll_seconds == 60
        await pilot.press("r")
        await settle(pilot)
        assert [title for title, _ in notes(app)] == ["Offline"]


async def test_the_last_known_state_is_shown_without_asking_github(app_paths, github):
    serve_green(github)
    Store.open(app_paths.database).write(
        save_ci_status, "octo/green", "failure", "main", [], FIXED_NOW - timedelta(hours=3)
    )
    # A headless app (tests, screenshots) does not poll unless told to.
    app = ci_app(app_paths, github.url, "octo/green", poll=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert strip_text(app).startswith("CI ✗ octo/green stale 3 h")
        await show_ci(pilot)
        assert option_texts(app, "#repo-list") == ["✗ octo/green  stale 3 h"]
        assert github.seen == []
        # `r` asks all the same.
        await pilot.press("r")
        await settle(pilot)
        assert strip_text(app).startswith("CI ✓ octo/green 25 m")
        assert app.ci_poll.next_poll_seconds is None


async def test_a_rate_limited_repository_waits_for_the_reset(app_paths, github):
    serve_green(github)
    limited = Reply(
        403,
        {"message": "API rate limit exceeded for 127.0.0.1."},
        {
            "x-ratelimit-limit": "60",
            "x-ratelimit-remaining": "0",
            "x-ratelimit-reset": str(RESET_IN_AN_HOUR),
            "x-ratelimit-resource": "core",
        },
    )
    github.route("/repos/octo/limited", limited)
    app = ci_app(app_paths, github.url, "octo/limited", "octo/green")
    async with app.run_test(size=(120, 40)) as pilot:
        await show_ci(pilot)
        strip = strip_text(app)
        assert strip.startswith("CI ? octo/limited   ? octo/green")
        assert strip.endswith("· rate limited until 10:30 UTC")
        assert static_text(app, "#ci-summary").splitlines() == [
            "? octo/limited  unknown",
            "GitHub rate limit exhausted until 10:30 UTC",
        ]
        assert static_text(app, "#ci-status-line") == (
            "never fetched · rate limit 0 of 60 left, renewed at 10:30 UTC"
        )
        # Nothing more is sent before the reset: not even the next repository.
        assert [seen.path for seen in github.seen] == ["/repos/octo/limited"]
        assert app.ci_poll.next_poll_seconds == 3601
        assert [title for title, _ in notes(app)] == ["Rate limited"]


async def test_without_a_token_the_strip_says_so(app_paths, github, monkeypatch, tmp_path):
    monkeypatch.delenv("GH_TOKEN")
    # No `gh` on the way either.
    monkeypatch.setenv("PATH", str(tmp_path))
    serve_green(github)
    app = ci_app(app_paths, github.url, "octo/green")
    async with app.run_test(size=(120, 40)) as pilot:
        await show_ci(pilot)
        assert strip_text(app).endswith("· no GitHub token")
        assert static_text(app, "#ci-status-line").endswith(
            "no token: public repositories only, 60 requests an hour"
        )
    assert all("authorization" not in seen.headers for seen in github.seen)


async def test_a_loading_indicator_while_the_first_fetch_is_under_way(app_paths, github):
    serve_green(github)
    answer = threading.Event()

    def slow(seen):
        answer.wait(10)
        return Reply(200, runs_list(run("CI", workflow_id=1)))

    github.route("/repos/octo/green/actions/runs", slow)
    app = ci_app(app_paths, github.url, "octo/green")
    async with app.run_test(size=(120, 40)) as pilot:
        try:
            await pilot.press("4")
            tabs = app.screen.query_one("#ci-tabs", TabbedContent)
            for _ in range(200):
                await pilot.pause(0.01)
                if tabs.loading:
                    break
            assert tabs.loading
            assert "asking GitHub…" in static_text(app, "#ci-status-line")
        finally:
            answer.set()
        await settle(pilot)
        assert not tabs.loading
        assert strip_text(app).startswith("CI ✓ octo/green")


# --- changes of state --------------------------------------------------------------------------


async def test_going_red_notifies_and_rings_the_bell_once_and_green_again_notifies(
    app_paths, github
):
    _, listed = serve_green(github)
    app = ci_app(app_paths, github.url, "octo/green")
    rings: list[int] = []
    app.bell = lambda: rings.append(1)
    async with app.run_test(size=(120, 40)) as pilot:
        await show_ci(pilot)
        assert notes(app) == [] and rings == []

        listed.body, listed.etag = failing_runs(), '"red"'
        await pilot.press("r")
        await settle(pilot)
        assert rings == [1]
        assert notes(app) == [("octo/green is failing", "CI: Break the build")]
        assert strip_text(app).startswith("CI ✗ octo/green")

        # Still red at the next poll: nothing new is said.
        await pilot.press("r")
        await settle(pilot)
        assert rings == [1] and len(notes(app)) == 1

        listed.body, listed.etag = runs_list(run("CI", workflow_id=1, number=14)), '"green"'
        await pilot.press("r")
        await settle(pilot)
        assert rings == [1]
        assert notes(app)[-1] == ("octo/green is green", "Every workflow passes again.")


async def test_a_state_stored_green_and_found_red_at_start_rings_too(app_paths, github):
    Store.open(app_paths.database).write(
        save_ci_status, "octo/red", "success", "main", [], FIXED_NOW - timedelta(hours=1)
    )
    serve_red(github)
    app = ci_app(app_paths, github.url, "octo/red")
    rings: list[int] = []
    app.bell = lambda: rings.append(1)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert rings == [1]
        assert notes(app)[0][0] == "octo/red is failing"


# --- keys ----------------------------------------------------------------------------------------


async def test_o_opens_the_repository_the_run_the_commit_or_the_pull_request(app_paths, github):
    serve_green(github)
    github.route("/repos/octo/green/commits", Reply(200, recorded("commits-list.json")))
    github.route("/repos/octo/green/pulls", Reply(200, recorded("pulls-list.json")))
    app = ci_app(app_paths, github.url, "octo/green")
    opened: list[str] = []
    app.open_url = lambda url, **kwargs: opened.append(url)
    async with app.run_test(size=(120, 40)) as pilot:
        await show_ci(pilot)
        app.screen.query_one("#repo-list").focus()
        await pilot.pause()
        await pilot.press("o")
        app.screen.query_one("#run-list").focus()
        await pilot.pause()
        await pilot.press("j", "o")
        tabs = app.screen.query_one("#ci-tabs", TabbedContent)
        tabs.active = "tab-commits"
        await settle(pilot)
        commit = recorded("commits-list.json")[0]
        assert option_texts(app, "#commit-list")[0].startswith(
            commit["commit"]["message"].split("\n")[0]
        )
        app.screen.query_one("#commit-list").focus()
        await pilot.pause()
        await pilot.press("o")
        tabs.active = "tab-pulls"
        await settle(pilot)
        pull = recorded("pulls-list.json")[0]
        assert option_texts(app, "#pull-list")[0].startswith(f"#{pull['number']} ")
        app.screen.query_one("#pull-list").focus()
        await pilot.pause()
        await pilot.press("o")
    assert opened == [
        f"{github.url}/octo/green",
        "https://github.com/o/r/actions/runs/2004",
        f"{github.url}/octo/green/commit/{commit['sha']}",
        f"{github.url}/octo/green/pull/{pull['number']}",
    ]


async def test_enter_on_a_run_shows_its_jobs_and_steps(app_paths, github):
    serve_green(github)
    jobs = Reply(200, recorded("workflow-run-jobs.json"))
    github.route("/repos/octo/green/actions/runs/1012/jobs", jobs)
    app = ci_app(app_paths, github.url, "octo/green")
    async with app.run_test(size=(120, 40)) as pilot:
        await show_ci(pilot)
        app.screen.query_one("#run-list").focus()
        await pilot.press("enter")
        await settle(pilot)
        lines = static_text(app, "#job-lines").splitlines()
        assert lines[0] == "Jobs of CI #12"
        assert lines[1] == "✓ test (Python 3.7)  success  1m 00s"
        assert lines[2] == "    1 ✓ Set up job"


async def test_R_reruns_the_failed_jobs_after_asking(app_paths, github):
    serve_red(github)
    github.route("/repos/octo/red/actions/runs/1013/rerun-failed-jobs", Reply(201, {}))
    app = ci_app(app_paths, github.url, "octo/red")
    async with app.run_test(size=(120, 40)) as pilot:
        await show_ci(pilot)
        await pilot.press("R")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        posts = [seen for seen in github.seen if seen.method == "POST"]
        assert [seen.path for seen in posts] == [
            "/repos/octo/red/actions/runs/1013/rerun-failed-jobs"
        ]
        assert notes(app)[-1][1] == "GitHub is running the failed jobs of CI #13 again."
        # Cancelled: nothing is sent.
        await pilot.press("R")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert len([seen for seen in github.seen if seen.method == "POST"]) == 1


async def test_R_without_the_right_scope_says_which_is_needed(app_paths, github):
    serve_red(github)
    github.route(
        "/repos/octo/red/actions/runs/1013/rerun-failed-jobs",
        Reply(403, {"message": "Resource not accessible by personal access token"}),
    )
    app = ci_app(app_paths, github.url, "octo/red")
    async with app.run_test(size=(120, 40)) as pilot:
        await show_ci(pilot)
        await pilot.press("R", "y")
        await settle(pilot)
        title, message = notes(app)[-1]
        assert title == "Not re-run"
        assert "Resource not accessible by personal access token" in message
        assert '"repo" scope' in message and '"Actions: write"' in message


async def test_R_on_a_green_run_has_nothing_to_do(app_paths, github):
    serve_green(github)
    app = ci_app(app_paths, github.url, "octo/green")
    async with app.run_test(size=(120, 40)) as pilot:
        await show_ci(pilot)
        await pilot.press("R")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmScreen)
        assert notes(app)[-1][1] == "CI #12 did not fail: there is nothing to re-run."


async def test_c_turns_a_failed_run_into_a_challenge(app_paths, github):
    serve_red(github)
    app = ci_app(app_paths, github.url, "octo/red")
    async with app.run_test(size=(120, 40)) as pilot:
        await show_ci(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert app.current_mode == "challenges"

        def newest_challenge(conn):
            challenge_id, title, challenge = conn.execute(
                "SELECT id, title, challenge FROM challenges ORDER BY id DESC LIMIT 1"
            ).fetchone()
            links = conn.execute(
                "SELECT url FROM challenge_links WHERE challenge_id = ? ORDER BY id",
                (challenge_id,),
            ).fetchall()
            return title, challenge, " ".join(link for (link,) in links)

        title, challenge, url = app.store.read(newest_challenge)
        assert title == "CI failing: CI on main in octo/red"
        for fact in ("octo/red", "CI \\#13", "main", "7aab33f4294ba5141f17bed0aeb1a929f7afc155"):
            assert fact in challenge
        assert url.split() == [
            "https://github.com/o/r/actions/runs/1013",
            f"{github.url}/octo/red/commit/7aab33f4294ba5141f17bed0aeb1a929f7afc155",
        ]
        highlighted = app.screen.query_one("#challenge-list").highlighted_option
        assert str(highlighted.prompt) == f"○ {title}"


async def test_c_on_a_green_run_writes_nothing(app_paths, github):
    serve_green(github)
    app = ci_app(app_paths, github.url, "octo/green")
    async with app.run_test(size=(120, 40)) as pilot:
        await show_ci(pilot)
        count = app.store.read(
            lambda conn: conn.execute("SELECT count(*) FROM challenges").fetchone()
        )
        await pilot.press("c")
        await settle(pilot)
        assert app.current_mode == "ci"
        assert (
            app.store.read(lambda conn: conn.execute("SELECT count(*) FROM challenges").fetchone())
            == count
        )


async def test_a_adds_a_repository_checked_as_typed(app_paths, github):
    serve_green(github)
    serve_red(github, "octo/new")
    app = ci_app(app_paths, github.url, "octo/green")
    async with app.run_test(size=(120, 40)) as pilot:
        await show_ci(pilot)
        await pilot.press("a")
        await settle(pilot)
        await type_into(pilot, "#repo-name", "not a repository")
        assert static_text(app, "#repo-problem").startswith("A repository is written")
        await type_into(pilot, "#repo-name", "Octo/Green")
        assert static_text(app, "#repo-problem") == "octo/green is already watched."
        await pilot.press("enter")
        assert app.screen.query_one("#repo-name", Input).value == "Octo/Green"
        await type_into(pilot, "#repo-name", "https://github.com/octo/new")
        await pilot.press("enter")
        await settle(pilot)
        assert load_settings(app_paths.config_file).github.repos == ("octo/green", "octo/new")
        assert app.watched_repos == ("octo/green", "octo/new")
        # Selected, and asked for at once.
        assert app.screen.selected_repo() == "octo/new"
        assert strip_text(app).startswith("CI ✓ octo/green 25 m   ✗ octo/new 25 m")


async def test_x_stops_watching_a_repository_after_asking(app_paths, github):
    serve_green(github)
    serve_red(github)
    app = ci_app(app_paths, github.url, "octo/green", "octo/red")
    async with app.run_test(size=(120, 40)) as pilot:
        await show_ci(pilot)
        await pilot.press("j", "x")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert load_settings(app_paths.config_file).github.repos == ("octo/green",)
        assert option_texts(app, "#repo-list") == ["✓ octo/green  25 m"]
        assert "octo/red" not in strip_text(app)


async def test_x_on_a_collaborators_repository_says_where_to_remove_it(app_paths, github):
    from nexus_tui.store.collaborators import CollaboratorFields, add_collaborator

    Store.open(app_paths.database).write(
        add_collaborator,
        CollaboratorFields("Ada", "backend", "ada-l", "", "", "", "", None, None, ("ada-l/api",)),
        FIXED_NOW,
    )
    serve_green(github, "ada-l/api")
    app = ci_app(app_paths, github.url)
    async with app.run_test(size=(120, 40)) as pilot:
        await show_ci(pilot)
        assert option_texts(app, "#repo-list") == ["✓ ada-l/api  Ada  25 m"]
        await pilot.press("x")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmScreen)
        assert "Collaborators screen" in notes(app)[-1][1]
        assert app.watched_repos == ("ada-l/api",)


# --- text from GitHub is text ----------------------------------------------------------------


async def test_titles_with_markup_and_escape_codes_are_shown_literally(app_paths, github):
    serve_repo(
        github,
        "octo/evil",
        [run("[i]Deploy[/i]\x1b[5m", workflow_id=1, conclusion="failure", title=EVIL_TITLE,
             branch=EVIL_BRANCH)],
        default_branch=EVIL_BRANCH,
    )  # fmt: skip
    app = ci_app(app_paths, github.url, "octo/evil")
    async with app.run_test(size=(120, 40)) as pilot:
        await show_ci(pilot)
        [prompt] = app.screen.query_one("#run-list").options
        shown = str(prompt.prompt)
        assert "[i]Deploy[/i]" in shown
        assert "[bold red]pwned[/] red [link=x]y[/link]" in shown
        assert "main[/]" in shown
        # No style was taken from the text: only the screen's own.
        assert {str(span.style) for span in prompt.prompt.spans} <= {
            "$text-error", "bold", "dim",
        }  # fmt: skip
        summary = static_text(app, "#ci-summary")
        assert summary == "✗ octo/evil  failure on main[/]"
        rendered = app.export_screenshot()
        assert "[bold red]pwned[/]" in rendered.replace("&#160;", " ")
        for text in (shown, summary, strip_text(app)):
            assert not any(char in text for char in "\x1b\x9b\x07")
