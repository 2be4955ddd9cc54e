"""The built distributions are complete, and the wheel works once installed somewhere else.

The rest of the suite imports nexus_tui from src/, so it cannot notice a stylesheet or the default
hub missing from the wheel, or a broken console script: those only fail for people who install the
package. This test builds the sdist and wheel the way a release does, installs the wheel into a
fresh virtual environment, and starts the installed app from there.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DIR = PROJECT_ROOT / "src" / "nexus_tui"

# Started with the venv's python: the installed app, headless, on an empty data directory. It
# prints where nexus_tui was imported from (to prove it is the installed copy) and then the label
# of every node of the topic tree, one a line.
HEADLESS_START = """
import asyncio
import sys
from pathlib import Path

import nexus_tui
from nexus_tui.app import NexusApp
from nexus_tui.config import AppPaths

root = Path(sys.argv[1])
paths = AppPaths(
    data_dir=root / "data",
    config_file=root / "config" / "config.toml",
    cache_dir=root / "cache",
    state_dir=root / "state",
    log_dir=root / "state" / "log",
    database=str(root / "data" / "nexus.db"),
)


async def main():
    app = NexusApp(paths)
    async with app.run_test(size=(120, 40)) as pilot:
        # As settle() in conftest.py: the store opens and the screens load on workers.
        for _ in range(20):
            await app.workers.wait_for_complete()
            await pilot.pause()
            if not any(worker.is_running for worker in app.workers):
                break
        await pilot.pause()
        tree = app.screen.query_one("#topic-tree")
        labels = []
        pending = list(tree.root.children)
        while pending:
            node = pending.pop(0)
            labels.append(str(node.label))
            pending[:0] = node.children
    print("module:", nexus_tui.__file__)
    for label in labels:
        print("node:", label)


asyncio.run(main())
"""


def find_uv() -> str:
    # `uv run` exports the path of the uv binary running it as UV.
    uv = os.environ.get("UV") or shutil.which("uv")
    assert uv, (
        "test_wheel needs uv to build and install the wheel: run the tests with "
        "`uv run --locked pytest`, or put uv on PATH"
    )
    return uv


def isolated_env(home: Path) -> dict[str, str]:
    """The environment for the installed app: nothing that could bring src/ back onto sys.path,
    and user directories inside the test's temporary folder."""
    env = dict(os.environ)
    for name in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "NEXUS_TUI_DB", "NEXUS_TUI_CONFIG"):
        env.pop(name, None)
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        env[name] = str(home / name.lower())
    return env


def run(args: list[str], *, cwd: Path, env: dict[str, str] | None = None, timeout: float = 300):
    result = subprocess.run(
        args,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, (
        f"{args[0]} {' '.join(args[1:3])} ... exited with {result.returncode}\n"
        f"--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
    )
    return result


def package_data() -> set[str]:
    """Non-Python files the app loads at run time, as paths inside the package."""
    tcss = {
        "nexus_tui/" + path.relative_to(PACKAGE_DIR).as_posix()
        for path in PACKAGE_DIR.rglob("*.tcss")
    }
    # Guards the glob itself: an empty set would make the checks below pass vacuously.
    assert "nexus_tui/screens/topics.tcss" in tcss
    return tcss | {"nexus_tui/assets/default_hub.toml"}


def test_built_wheel_installs_and_starts(tmp_path: Path) -> None:
    uv = find_uv()
    version = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text("utf-8"))["project"][
        "version"
    ]
    dist = tmp_path / "dist"
    # Without a target, uv builds the sdist and then the wheel from that sdist, so a file missing
    # from the sdist also shows up as missing from the wheel.
    run([uv, "build", "--out-dir", str(dist)], cwd=PROJECT_ROOT)
    wheels = list(dist.glob("nexus_tui-*.whl"))
    sdists = list(dist.glob("nexus_tui-*.tar.gz"))
    assert len(wheels) == 1 and len(sdists) == 1, sorted(p.name for p in dist.iterdir())
    wheel, sdist = wheels[0], sdists[0]
    expected = package_data()

    with zipfile.ZipFile(wheel) as archive:
        wheel_files = set(archive.namelist())
        entry_points = archive.read(f"nexus_tui-{version}.dist-info/entry_points.txt")
    assert expected <= wheel_files, f"missing from the wheel: {sorted(expected - wheel_files)}"
    assert "nexus-tui = nexus_tui.cli:main" in entry_points.decode("utf-8")

    with tarfile.open(sdist) as archive:
        prefix = f"nexus_tui-{version}/"
        sdist_files = {name.removeprefix(prefix) for name in archive.getnames()}
    sdist_expected = {"pyproject.toml", "README.md"} | {"src/" + name for name in expected}
    assert sdist_expected <= sdist_files, (
        f"missing from the sdist: {sorted(sdist_expected - sdist_files)}"
    )

    # A new environment, not the project's: the wheel and its declared dependencies only.
    venv = tmp_path / "venv"
    run([uv, "venv", str(venv), "--python", sys.executable], cwd=tmp_path)
    scripts = venv / ("Scripts" if os.name == "nt" else "bin")
    python = scripts / ("python.exe" if os.name == "nt" else "python")
    run([uv, "pip", "install", "--python", str(python), str(wheel)], cwd=tmp_path)

    # cwd is the temporary folder and PYTHONPATH is gone, so only the installed copy can load.
    env = isolated_env(tmp_path / "home")
    data = tmp_path / "appdata"
    started = run(
        [str(python), "-c", HEADLESS_START, str(data)], cwd=tmp_path, env=env, timeout=120
    )
    lines = started.stdout.splitlines()
    module = Path(next(line for line in lines if line.startswith("module: "))[8:])
    assert module.resolve().is_relative_to(venv.resolve()), module
    labels = [line.removeprefix("node: ") for line in lines if line.startswith("node: ")]
    # Both come from the default hub, which the first start seeds from the packaged TOML file.
    assert "Django REST Framework (DRF)" in started.stdout, started.stdout
    assert "PostgreSQL" in started.stdout, started.stdout
    assert len(labels) > 2, labels
    assert (data / "data" / "nexus.db").is_file()

    console_script = scripts / ("nexus-tui.exe" if os.name == "nt" else "nexus-tui")
    shown = run([str(console_script), "--version"], cwd=tmp_path, env=env, timeout=60)
    assert shown.stdout.strip() == f"nexus-tui {version}"
