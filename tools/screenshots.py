"""Save an SVG screenshot of each screen into assets/, for the README.

Run: `uv run python tools/screenshots.py`. The app draws them itself (`App.save_screenshot`) at
120x40, on a fresh temporary hub.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

from nexus_tui.app import NexusApp
from nexus_tui.config import AppPaths, GithubSettings, Settings

ASSETS = Path(__file__).resolve().parent.parent / "assets"
SHOTS = [("topics", "1"), ("challenges", "2"), ("collaborators", "3"), ("ci", "4")]


async def settle(pilot) -> None:
    for _ in range(20):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if not any(worker.is_running for worker in pilot.app.workers):
            break


async def main(out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        paths = AppPaths(
            data_dir=root / "data",
            config_file=Path("~/.config/nexus-tui/config.toml"),
            cache_dir=root / "cache",
            state_dir=root / "state",
            log_dir=root / "log",
            database=str(root / "data" / "nexus.db"),
        )
        settings = Settings(github=GithubSettings(repos=("alx-learner/alx-project-nexus",)))
        app = NexusApp(paths, settings)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            for name, key in SHOTS:
                await pilot.press(key)
                await settle(pilot)
                app.save_screenshot(f"{name}.svg", str(out))
                print(out / f"{name}.svg")
            await pilot.press("question_mark")
            await settle(pilot)
            app.save_screenshot("keys.svg", str(out))
            print(out / "keys.svg")


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ASSETS))
