"""`nexus-tui import` and `nexus-tui export` as a user runs them: real processes on real files.

Like tests/test_cli.py (whose `run` they use), commands run in a subprocess with the XDG folders
already pointed at empty per-test ones; every test names its database with --db anyway. Tests of
what the commands do take `hub_location`, so they run on an SQLite file and on PostgreSQL; those
about SQLite files themselves (backups, a missing or foreign file) name a file.
"""

from __future__ import annotations

import json
import os
import re
import signal
import stat
from pathlib import Path

import pytest
from conftest import fixed_clock
from terminal import Terminal
from test_cli import COMMAND, app_environment, assert_no_traceback, needs_pty, run
from test_hub_backup import small_hub

from nexus_tui import cli
from nexus_tui.hub.backup import dump_backup, to_backup
from nexus_tui.hub.content import HubContent, NoteContent, TopicContent
from nexus_tui.store import Store
from nexus_tui.store.database import is_postgres_url
from nexus_tui.store.hub_io import apply_import, read_hub
from nexus_tui.store.seed import seed_default_hub


def make_hub(location: Path | str) -> Store:
    """The default hub plus a few things of the user's, with times, statuses and pins."""
    store = Store.open(str(location), clock=fixed_clock)
    seed_default_hub(store)
    store.write(apply_import, small_hub(), fixed_clock())
    return store


def hub_of(location: Path | str) -> dict:
    return to_backup(Store.open(str(location)).read(read_hub))


def on_server(location: str) -> bool:
    return is_postgres_url(location)


def without_server_backup_note(stderr: str) -> list[str]:
    """stderr's lines but the one an import into PostgreSQL adds (its backups are the server's)."""
    return [line for line in stderr.splitlines() if "pg_dump" not in line]


def assert_one_line_error(result, *fragments: str) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("nexus-tui: ")
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    assert_no_traceback(result)
    return lines[0]


def write_backup(path: Path, content: HubContent) -> Path:
    path.write_text(dump_backup(content), encoding="utf-8")
    return path


# --------------------------------------------------------------------------------------------
# export


def test_a_json_export_imported_into_a_new_database_exports_the_same(tmp_path, hub_location):
    # Made in a file and restored into the store under test: the same backup either way.
    first = tmp_path / "first.db"
    make_hub(first)
    exported = run("--db", str(first), "export", "--format", "json")
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.isascii()
    backup = tmp_path / "hub.json"
    backup.write_text(exported.stdout, encoding="utf-8")

    second = hub_location
    imported = run("--db", second, "import", str(backup))
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.startswith("added ")
    assert without_server_backup_note(imported.stderr) == []

    again = run("--db", second, "export", "--format", "json")
    assert again.stdout == exported.stdout
    assert hub_of(second) == hub_of(first)


def test_export_to_a_file_writes_utf8_json_and_says_so_on_stderr(tmp_path, hub_location):
    database = hub_location
    make_hub(database)
    target = tmp_path / "out" / "backup.json"
    target.parent.mkdir()
    result = run("--db", database, "export", "--format", "json", "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert "exported" in result.stderr and str(target) in result.stderr
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data == hub_of(database)
    # Only the export is left in the folder: no temporary file.
    assert [path.name for path in target.parent.iterdir()] == ["backup.json"]
    assert stat.S_IMODE(target.stat().st_mode) & 0o644 == 0o644


def test_export_replaces_an_existing_file_and_keeps_its_mode(tmp_path, hub_location):
    database = hub_location
    make_hub(database)
    target = tmp_path / "backup.json"
    target.write_text("old backup\n")
    target.chmod(0o600)
    result = run("--db", database, "export", "--format", "json", "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert json.loads(target.read_text(encoding="utf-8"))["format"] == "nexus-tui"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_export_into_a_missing_folder_fails_and_writes_nothing(tmp_path, hub_location):
    database = hub_location
    make_hub(database)
    target = tmp_path / "nowhere" / "backup.json"
    result = run("--db", database, "export", "--format", "json", "-o", str(target))
    assert_one_line_error(result, "cannot write", "nothing was written")
    assert not target.parent.exists()


def test_export_onto_a_folder_is_refused(tmp_path, hub_location):
    database = hub_location
    make_hub(database)
    result = run("--db", database, "export", "--format", "json", "-o", str(tmp_path))
    assert_one_line_error(result, "cannot write", "folder")


def test_export_onto_the_database_itself_is_refused_and_leaves_it_alone(tmp_path):
    database = tmp_path / "hub.db"
    make_hub(database)
    before = hub_of(database)
    result = run("--db", str(database), "export", "--format", "json", "-o", str(database))
    assert_one_line_error(result, "database", "-o")
    assert hub_of(database) == before


def test_export_without_a_hub_says_so_and_creates_nothing(tmp_path):
    database = tmp_path / "missing.db"
    result = run("--db", str(database), "export", "--format", "json")
    assert_one_line_error(result, "nothing to export", "does not exist yet")
    assert not database.exists()


@pytest.mark.parametrize(
    ("args", "named"),
    [(["export"], "--format"), (["export", "--format", "yaml"], "yaml"), (["import"], "PATH")],
    ids=["no-format", "unknown-format", "no-path"],
)
def test_argument_errors_are_one_line(args, named):
    result = run(*args)
    line = assert_one_line_error(result, named)
    assert "--help" in line


def test_export_of_a_database_that_is_not_one_is_refused(tmp_path):
    database = tmp_path / "notes.txt"
    database.write_bytes(b"my notes\n")
    result = run("--db", str(database), "export", "--format", "json")
    assert_one_line_error(result, "not a nexus-tui database")
    assert database.read_bytes() == b"my notes\n"


# --------------------------------------------------------------------------------------------
# import


def test_import_creates_a_missing_database_with_only_the_files_hub(tmp_path, hub_location):
    backup = write_backup(tmp_path / "hub.json", small_hub())
    # The file's folder does not exist yet either; a server's database holds no tables yet.
    database = hub_location
    result = run("--db", database, "import", str(backup))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == (
        "added 2 hub details, 1 category, 1 topic, 1 note, 1 challenge, 1 collaborator "
        "and 1 repository"
    )
    # Never seeded: the hub is exactly the file's, times, statuses and pins included.
    assert hub_of(database) == to_backup(small_hub())
    assert not seed_default_hub(Store.open(database))


def test_importing_the_same_file_again_has_nothing_to_import(tmp_path, hub_location):
    database = hub_location
    make_hub(database)
    backup = write_backup(tmp_path / "hub.json", small_hub())
    before = hub_of(database)
    result = run("--db", database, "import", str(backup))
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"nothing to import: the hub already has everything in {backup}\n"
    assert hub_of(database) == before


def test_a_dry_run_lists_what_would_change_and_changes_nothing(tmp_path, hub_location):
    database = hub_location
    make_hub(database)
    changed = small_hub()
    changed.challenges[0].solution = "select_related, then prefetch_related"
    changed.topics.append(TopicContent("Celery", "Backend"))
    backup = write_backup(tmp_path / "hub.json", changed)
    before = hub_of(database)
    before_bytes = None if on_server(database) else Path(database).read_bytes()

    result = run("--db", database, "import", "--dry-run", str(backup))

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "would add 1 topic; would change 1 challenge",
        "  add topic Celery (Backend)",
        "  change challenge N+1 queries: solution",
    ]
    assert hub_of(database) == before
    if before_bytes is not None:
        assert Path(database).read_bytes() == before_bytes


def test_a_dry_run_without_a_database_plans_against_an_empty_hub_and_creates_none(tmp_path):
    backup = write_backup(tmp_path / "hub.json", small_hub())
    database = tmp_path / "missing.db"
    result = run("--db", str(database), "import", "--dry-run", str(backup))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("would add 2 hub details, 1 category, 1 topic")
    assert not database.exists()


def test_a_long_import_lists_only_the_first_lines(tmp_path, hub_location):
    content = HubContent(
        topics=[TopicContent("Bulk", "Tools", notes=[NoteContent(f"n{i}") for i in range(30)])]
    )
    backup = write_backup(tmp_path / "hub.json", content)
    result = run("--db", hub_location, "import", str(backup))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "added 1 category, 1 topic and 30 notes"
    assert len(lines) == 1 + 20 + 1
    assert lines[-1] == "  … and 12 more (--dry-run lists every one)"


def test_text_in_the_plan_cannot_reach_the_terminal_raw(tmp_path, hub_location):
    content = HubContent(topics=[TopicContent("Evil\x1b]0;title\x07\nsecond line", "Tools")])
    backup = write_backup(tmp_path / "hub.json", content)
    result = run("--db", hub_location, "import", "--dry-run", str(backup))
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert len(result.stdout.splitlines()) == 1 + 2


def backup_text(change) -> str:
    data = to_backup(small_hub())
    change(data)
    return json.dumps(data)


@pytest.mark.parametrize(
    ("name", "content", "fragments"),
    [
        ("cut.json", dump_backup(small_hub())[:200].encode(), ["not valid JSON", "line"]),
        (
            "newer.json",
            backup_text(lambda d: d.update(version=2)).encode(),
            ["newer nexus-tui", "version 2"],
        ),
        (
            "status.json",
            backup_text(lambda d: d["topics"][0].update(status="guru")).encode(),
            ["topics[0].status", '"guru"'],
        ),
        (
            "other.json",
            b'{"format": "package-lock", "version": 1}',
            ["not a nexus-tui backup", "package-lock"],
        ),
        ("latin1.json", '{"format": "nexus-tui", "title": "caf\xe9"}'.encode("latin-1"), ["UTF-8"]),
    ],
    ids=lambda value: value if isinstance(value, str) and value.endswith(".json") else None,
)
def test_a_bad_backup_is_refused_in_one_line_and_nothing_changes(
    tmp_path, hub_location, name, content, fragments
):
    database = hub_location
    make_hub(database)
    before = hub_of(database)
    source = tmp_path / name
    source.write_bytes(content)
    result = run("--db", database, "import", str(source))
    line = assert_one_line_error(result, "cannot import", name, *fragments)
    assert "Traceback" not in line
    assert source.read_bytes() == content
    assert hub_of(database) == before


def test_a_missing_file_is_refused_and_no_database_is_created(tmp_path):
    database = tmp_path / "hub.db"
    result = run("--db", str(database), "import", str(tmp_path / "nope.md"))
    assert_one_line_error(result, "cannot read", "nope.md", "No such file")
    assert not database.exists()


def test_a_folder_is_refused(tmp_path):
    result = run("--db", str(tmp_path / "hub.db"), "import", str(tmp_path))
    assert_one_line_error(result, "cannot read", str(tmp_path))


def test_a_database_that_cannot_be_used_is_reported_and_the_file_left_alone(tmp_path):
    database = tmp_path / "notes.txt"
    database.write_bytes(b"my notes\n")
    backup = write_backup(tmp_path / "hub.json", small_hub())
    result = run("--db", str(database), "import", str(backup))
    assert_one_line_error(result, "not a nexus-tui database", "Nothing was imported")
    assert database.read_bytes() == b"my notes\n"


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path, hub_location):
    backup = write_backup(tmp_path / "hub.json", small_hub())
    result = run("--db", hub_location, "import", str(backup))
    assert result.returncode == 0
    assert without_server_backup_note(result.stderr) == []


def test_an_import_into_postgresql_says_once_that_its_backups_are_the_servers(
    tmp_path, hub_location
):
    backup = write_backup(tmp_path / "hub.json", small_hub())
    imported = run("--db", hub_location, "import", str(backup))
    assert imported.returncode == 0, imported.stderr
    dry_run = run("--db", hub_location, "import", "--dry-run", str(backup))
    assert dry_run.returncode == 0, dry_run.stderr
    if on_server(hub_location):
        [note] = imported.stderr.splitlines()
        assert note.startswith("nexus-tui: no backup is made first on PostgreSQL")
        assert "pg_dump" in note
    else:
        assert imported.stderr == ""
    # A dry run changes nothing, so there is nothing to back up.
    assert dry_run.stderr == ""


def bulk_hub(notes: int) -> HubContent:
    return HubContent(
        topics=[
            TopicContent(
                "Bulk", "Tools", notes=[NoteContent(f"n{i}", "text") for i in range(notes)]
            )
        ]
    )


@needs_pty
def test_a_progress_bar_on_a_terminal_is_cleared_for_the_summary(tmp_path, hub_location):
    backup = write_backup(tmp_path / "hub.json", bulk_hub(5000))
    argv = [*COMMAND, "--db", hub_location, "import", str(backup)]
    with Terminal(argv, env=app_environment(), cwd=tmp_path, cols=100, rows=10) as terminal:
        status = terminal.wait_exit(timeout=60)
    assert status == 0, terminal.transcript
    assert "Importing ░░░░" in terminal.transcript
    assert "Importing ██████████████████████████████ 100%" in terminal.transcript
    lines = [line for line in terminal.screen.lines() if line.strip()]
    summary = lines.index("added 1 category, 1 topic and 5000 notes")
    # Above it, only what an import into PostgreSQL says first (wrapped); no bar is left.
    above = " ".join(line.strip() for line in lines[:summary])
    if on_server(hub_location):
        assert above.startswith("nexus-tui: no backup is made first on PostgreSQL"), above
        assert "Importing" not in above
    else:
        assert above == ""


def test_ctrl_c_cancels_the_import_and_keeps_nothing(tmp_path, hub_location, monkeypatch, capsys):
    database = hub_location
    make_hub(database)
    before = hub_of(database)
    backup = write_backup(tmp_path / "hub.json", bulk_hub(5000))
    seen: list[int] = []

    class InterruptedBar(cli._ProgressBar):
        def __call__(self, done: int, total: int) -> None:
            seen.append(done)
            if len(seen) == 3:
                # What Ctrl-C in the terminal does, partway through the rows.
                os.kill(os.getpid(), signal.SIGINT)

    monkeypatch.setattr(cli, "_progress_bar", InterruptedBar)
    status = cli.main(["--db", database, "import", str(backup)])

    assert status == cli.EXIT_CANCELLED == 130
    captured = capsys.readouterr()
    assert captured.out == ""
    assert without_server_backup_note(captured.err) == [
        "nexus-tui: import cancelled: nothing was changed"
    ]
    assert len(seen) == 3 and seen[-1] < 5000
    assert hub_of(database) == before
    # The usual Ctrl-C handling is back once the import is over.
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


@needs_pty
def test_a_long_export_shows_progress_on_a_terminal(tmp_path, hub_location):
    Store.open(hub_location).write(apply_import, bulk_hub(5000), fixed_clock())
    target = tmp_path / "hub.json"
    argv = [*COMMAND, "--db", hub_location, "export", "--format", "json", "-o", str(target)]
    with Terminal(argv, env=app_environment(), cwd=tmp_path, cols=100, rows=10) as terminal:
        status = terminal.wait_exit(timeout=60)
    assert status == 0, terminal.transcript
    assert "Exporting ░░░░" in terminal.transcript
    assert "Exporting ██████████████████████████████ 100%" in terminal.transcript
    assert json.loads(target.read_text(encoding="utf-8"))["topics"][0]["name"] == "Bulk"


def test_ctrl_c_cancels_the_export_and_writes_nothing(tmp_path, hub_location, monkeypatch, capsys):
    import nexus_tui.store.hub_io as hub_io

    database = hub_location
    Store.open(database).write(apply_import, bulk_hub(5000), fixed_clock())
    monkeypatch.setattr(hub_io, "READ_CHUNK", 500)
    seen: list[int] = []

    class InterruptedBar(cli._ProgressBar):
        def __call__(self, done: int, total: int) -> None:
            seen.append(done)
            if len(seen) == 3:
                os.kill(os.getpid(), signal.SIGINT)

    monkeypatch.setattr(cli, "_progress_bar", InterruptedBar)
    target = tmp_path / "hub.json"
    status = cli.main(["--db", database, "export", "--format", "json", "-o", str(target)])

    assert status == cli.EXIT_CANCELLED
    assert capsys.readouterr().err == "nexus-tui: export cancelled: nothing was written\n"
    assert not target.exists() and list(tmp_path.glob("*.part")) == []
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_the_progress_bar_falls_back_to_ascii_where_blocks_cannot_be_written():
    class Stream:
        encoding = "ascii"
        written = ""

        def write(self, text: str) -> None:
            self.written += text

        def flush(self) -> None:
            pass

    stream = Stream()
    bar = cli._ProgressBar(stream, "Importing")
    bar(0, 4)
    bar(1, 4)
    bar(1, 4)
    bar.clear()
    assert stream.written == (
        f"\rImporting {'-' * 30}   0%\rImporting {'#' * 7}{'-' * 23}  25%\r\x1b[K"
    )


# --------------------------------------------------------------------------------------------
# READMEs: read by hub/readme.py, written by hub/markdown.py

README = """\
# Project Nexus

My learning hub for the backend programme.

## 🧰 Key Technologies

### Backend
- Django
- Redis caching

## 🧩 Challenges & Solutions

### N+1 queries
**Challenge:** The list pages were slow.
**Solution:** select_related on the foreign keys.
"""


SEED_README = Path(__file__).parent / "data" / "readmes" / "project-nexus-README.txt"
# What a line loses on the way into a field: its list number or bullet, a heading's marks, and a
# challenge's label (the field it went to says that).
LINE_MARKERS = re.compile(r"^(?:\d+\.\s+|[-*+]\s+|#+\s+)?(?:(?:Challenge|Solution):\s*)?")


def texts_in(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [text for item in value for text in texts_in(item)]
    if isinstance(value, dict):
        return [text for item in value.values() for text in texts_in(item)]
    return []


def test_the_seed_readme_imports_whole_and_repaired_and_only_once(hub_location):
    from nexus_tui.hub.decoding import read_hub_text

    database = hub_location
    seed_bytes = SEED_README.read_bytes()
    result = run("--db", database, "import", str(SEED_README))
    assert result.returncode == 0, result.stderr
    assert SEED_README.read_bytes() == seed_bytes

    exported = run("--db", database, "export", "--format", "json")
    backup = json.loads(exported.stdout)
    topics = {topic["name"] for topic in backup["topics"]}
    assert {"Python", "PostgreSQL", "Redis caching", "Rate limiting"} <= topics
    assert any(name.startswith("Django") for name in topics)
    assert len(backup["challenges"]) == 4
    assert any("select_related" in c["solution"] for c in backup["challenges"])
    fields = "\n".join(texts_in(backup))
    assert "‚Ä" not in fields and "â€" not in fields
    # Every line of the (repaired) README is somewhere in the backup.
    lines = [line.strip() for line in read_hub_text(SEED_README).splitlines() if line.strip()]
    missing = [line for line in lines if LINE_MARKERS.sub("", line) not in fields]
    assert missing == []

    again = run("--db", database, "import", str(SEED_README))
    assert again.stdout.startswith("nothing to import"), again.stdout


def without_times(value: object) -> object:
    """A backup with its times left out: each import takes the time it ran at."""
    if isinstance(value, dict):
        return {key: without_times(item) for key, item in value.items() if not key.endswith("_at")}
    if isinstance(value, list):
        return [without_times(item) for item in value]
    return value


@pytest.mark.parametrize("hub_location", ["postgresql"], indirect=True)
def test_the_seed_readme_imports_into_postgresql_as_into_sqlite(tmp_path, hub_location):
    sqlite_file = str(tmp_path / "hub.db")
    results = [
        run("--db", where, "import", str(SEED_README)) for where in (sqlite_file, hub_location)
    ]
    assert [result.returncode for result in results] == [0, 0], [r.stderr for r in results]
    # The same summary, line for line.
    assert results[0].stdout == results[1].stdout
    exports = {
        form: [
            run("--db", where, "export", "--format", form) for where in (sqlite_file, hub_location)
        ]
        for form in ("json", "markdown")
    }
    on_file, on_server = (json.loads(result.stdout) for result in exports["json"])
    assert on_server["topics"] and on_server["challenges"] and on_server["collaborators"]
    assert without_times(on_server) == without_times(on_file)
    assert exports["markdown"][1].stdout == exports["markdown"][0].stdout
    # And each one's export reads back into the other as nothing new.
    readme = tmp_path / "exported.md"
    readme.write_text(exports["markdown"][1].stdout, encoding="utf-8")
    again = run("--db", sqlite_file, "import", str(readme))
    assert again.stdout.startswith("nothing to import"), again.stdout


def write_readme(path: Path, text: str = README) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_a_readme_imports_once_and_a_second_import_adds_nothing(tmp_path, hub_location):
    database = hub_location
    readme = write_readme(tmp_path / "README.md")
    first = run("--db", database, "import", str(readme))
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("added ")
    hub = Store.open(database).read(read_hub)
    assert {"Django", "Redis caching"} <= {topic.name for topic in hub.topics}
    assert "select_related" in hub.challenges[0].solution
    assert hub.title == "Project Nexus"

    second = run("--db", database, "import", str(readme))
    assert second.returncode == 0, second.stderr
    assert second.stdout == f"nothing to import: the hub already has everything in {readme}\n"
    assert readme.read_text(encoding="utf-8") == README


def test_a_readme_keeps_the_statuses_and_times_the_hub_has(tmp_path, hub_location):
    database = hub_location
    readme = write_readme(tmp_path / "README.md")
    run("--db", database, "import", str(readme))
    Store.open(database).write(lambda conn: conn.execute("UPDATE topics SET status = 'confident'"))
    before = hub_of(database)
    assert {topic["status"] for topic in before["topics"]} == {"confident"}
    result = run("--db", database, "import", str(readme))
    assert result.returncode == 0, result.stderr
    assert hub_of(database) == before


def test_a_markdown_export_imports_back_to_the_same_hub(tmp_path, hub_location):
    first = hub_location
    run("--db", first, "import", str(write_readme(tmp_path / "README.md")))
    exported = tmp_path / "export" / "README.md"
    exported.parent.mkdir()
    result = run("--db", first, "export", "--format", "markdown", "-o", str(exported))
    assert result.returncode == 0, result.stderr
    assert "\n# Project Nexus\n" in exported.read_text(encoding="utf-8")
    on_stdout = run("--db", first, "export", "--format", "markdown")
    assert on_stdout.stdout == exported.read_text(encoding="utf-8")

    second = tmp_path / "second.db"
    imported = run("--db", str(second), "import", str(exported))
    assert imported.returncode == 0, imported.stderr
    one, two = Store.open(first).read(read_hub), Store.open(str(second)).read(read_hub)
    assert {(t.category, t.name) for t in two.topics} == {(t.category, t.name) for t in one.topics}
    assert [(c.title, c.solution) for c in two.challenges] == [
        (c.title, c.solution) for c in one.challenges
    ]
    # And the first hub already has everything the export holds.
    again = run("--db", first, "import", str(exported))
    assert again.stdout.startswith("nothing to import"), again.stdout


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("empty.md", b"", "empty"),
        ("blank.md", b"  \n\n\t\n", "blank"),
        ("logo.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "PNG"),
        ("binary.md", bytes(range(256)) * 16, "binary"),
    ],
    ids=lambda value: value if isinstance(value, str) and "." in value else None,
)
def test_a_file_that_is_not_a_readme_is_refused_and_left_alone(tmp_path, name, content, fragment):
    database = tmp_path / "hub.db"
    source = tmp_path / name
    source.write_bytes(content)
    result = run("--db", str(database), "import", str(source))
    assert_one_line_error(result, name, fragment)
    assert source.read_bytes() == content
    assert not database.exists()


def test_a_50_mb_file_is_refused_without_an_import(tmp_path):
    database = tmp_path / "hub.db"
    make_hub(database)
    before = hub_of(database)
    huge = tmp_path / "huge.md"
    with huge.open("wb") as handle:
        handle.write(b"# Huge\n")
        handle.truncate(50 * 1024 * 1024)
    result = run("--db", str(database), "import", str(huge))
    assert_one_line_error(result, "huge.md", "MB")
    assert hub_of(database) == before


def test_an_import_into_an_existing_hub_keeps_a_backup_first_and_a_dry_run_none(tmp_path):
    from nexus_tui.store.backups import list_backups

    database = tmp_path / "hub.db"
    make_hub(database)
    before = hub_of(database)
    readme = tmp_path / "README.md"
    readme.write_text("# Hub\n\n## Key Technologies\n\n### Queues\n\n- RabbitMQ\n", "utf-8")
    assert run("--db", str(database), "import", "--dry-run", str(readme)).returncode == 0
    assert list_backups(database) == []
    assert run("--db", str(database), "import", str(readme)).returncode == 0
    (backup,) = list_backups(database)
    assert backup.reason == "import"
    # The copy is the hub as it was before the import.
    assert hub_of(backup.path) == before
    assert hub_of(database) != before


def test_an_import_into_a_new_hub_has_nothing_to_back_up(tmp_path):
    from nexus_tui.store.backups import list_backups

    database = tmp_path / "new.db"
    readme = tmp_path / "README.md"
    readme.write_text("# Hub\n\n## Key Technologies\n\n### Queues\n\n- RabbitMQ\n", "utf-8")
    assert run("--db", str(database), "import", str(readme)).returncode == 0
    assert database.exists() and list_backups(database) == []
