"""The benchmark harness runs end to end and reports every figure (their values depend on the
machine, so only their presence and kind are checked)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
FIGURES = (
    "first_screen_ratio",
    "search_p50_ms",
    "search_p95_ms",
    "search_to_paint_p95_ms",
    "keypress_p95_ms",
    "rss_mb",
)


def test_targets_benchmark_reports_every_figure_on_a_tiny_hub(tmp_path: Path) -> None:
    results = tmp_path / "results.json"
    # No benchmark name: the options alone run the targets benchmark, as the README shows.
    command = [
        sys.executable, "-m", "benchmarks", "--notes", "200", "--topics", "20", "--runs", "1",
        "--searches", "10", "--keystrokes", "3", "--presses", "3", "--json", str(results),
    ]  # fmt: skip
    finished = subprocess.run(
        command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120, check=False
    )

    assert finished.returncode == 0, finished.stdout + finished.stderr
    report = json.loads(results.read_text())
    assert set(report) == {*FIGURES, "notes", "machine"}
    for key in FIGURES:
        value = report[key]
        assert isinstance(value, float) and value > 0, (key, value)
        assert key in finished.stdout  # the table names every figure
    assert report["notes"] == 200
    assert {"python", "platform", "cpu_count", "textual", "sqlite"} <= set(report["machine"])
