"""Start-up benchmark: time until the first screen is painted with data.

Compares nexus-tui's first start (empty user directories: creates and seeds its
database) and warm start (second start on the same directories) against the
smallest Textual app, all measured in one invocation on one machine.
"""

import argparse
import json
import os
import platform
import shutil
import sqlite3
import statistics
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from benchmarks.pty_timing import MarkerNotSeen, MarkerRun, run_to_marker

BENCHMARKS_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = BENCHMARKS_DIR.parent
TERMINAL_SIZE = (120, 40)
TERM = "xterm-256color"
DEFAULT_RUNS = 7
DEFAULT_TIMEOUT = 20.0
TAIL_CHARS = 500


class Unavailable(Exception):
    """A kind of run cannot be started at all (e.g. its program is missing)."""


def bare_app_argv() -> list[str]:
    return [sys.executable, str(BENCHMARKS_DIR / "bare_app.py")]


def nexus_tui_argv() -> list[str]:
    # Prefer the script installed beside this interpreter so the app and the
    # baseline run on the same Python and packages, whatever PATH says.
    beside = Path(sys.executable).parent / "nexus-tui"
    if beside.is_file() and os.access(beside, os.X_OK):
        return [str(beside)]
    found = shutil.which("nexus-tui")
    if found:
        return [found]
    raise Unavailable("no nexus-tui executable beside sys.executable or on PATH")


@dataclass(frozen=True)
class Kind:
    key: str
    """Name for --only."""
    name: str
    """Key in the JSON report."""
    title: str
    argv: Callable[[], list[str]]
    marker: str
    own_user_dirs: bool = False
    """Run with all user directories in a fresh temporary directory."""
    primed: bool = False
    """Start once (untimed) in those directories before the timed start."""


KINDS = (
    Kind("bare", "bare", "bare Textual app", bare_app_argv, "bare app ready"),
    Kind(
        "first",
        "first_start",
        "nexus-tui first start",
        nexus_tui_argv,
        "Django REST Framework",
        own_user_dirs=True,
    ),
    Kind(
        "warm",
        "warm_start",
        "nexus-tui warm start",
        nexus_tui_argv,
        "Django REST Framework",
        own_user_dirs=True,
        primed=True,
    ),
)
KINDS_BY_KEY = {kind.key: kind for kind in KINDS}
BASELINE = "bare"
# JSON keys for the ratios the report always carries, null when not measured.
RATIO_KEYS = {"first": "ratio_first", "warm": "ratio_warm"}


@dataclass
class Samples:
    times: list[float] = field(default_factory=list)
    failures: list[dict] = field(default_factory=list)
    skipped: str | None = None
    """Why the timed rounds were not run (the warm-up already failed)."""

    def summary(self) -> dict:
        stats = (
            {
                "median": statistics.median(self.times),
                "min": min(self.times),
                "max": max(self.times),
            }
            if self.times
            else {"median": None, "min": None, "max": None}
        )
        return {
            **stats,
            "times": self.times,
            "ok": len(self.times),
            "failed": len(self.failures),
            "failures": self.failures,
            "skipped": self.skipped,
        }


# Set by --no-bytecode-cache: an empty directory that Python must use for its bytecode caches.
EMPTY_PYCACHE: Path | None = None


def child_env(user_dirs: Path | None = None) -> dict[str, str]:
    env = dict(os.environ)
    # The pty's window size must be the only source of the screen size.
    env.pop("COLUMNS", None)
    env.pop("LINES", None)
    env["TERM"] = TERM
    # Colour depth then depends on TERM alone, not on the calling terminal.
    env.pop("COLORTERM", None)
    # TEXTUAL=devtools,debug and friends change what the app does at start.
    for name in [name for name in env if name.startswith("TEXTUAL")]:
        del env[name]
    # A user's Python keeps compiled bytecode after the first run; a shell that forbids writing
    # it would make every start recompile Textual and the app from source, which is not what
    # anyone meets. The untimed warm-up round writes the caches.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if EMPTY_PYCACHE is not None:
        # Every start compiles every module from source, as where caches are never written.
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env["PYTHONPYCACHEPREFIX"] = str(EMPTY_PYCACHE)
    if user_dirs is not None:
        for name in ("NEXUS_TUI_DB", "NEXUS_TUI_CONFIG"):
            env.pop(name, None)
        for name in (
            "XDG_DATA_HOME",
            "XDG_CONFIG_HOME",
            "XDG_CACHE_HOME",
            "XDG_STATE_HOME",
        ):
            directory = user_dirs / name.removeprefix("XDG_").removesuffix("_HOME").lower()
            directory.mkdir()
            env[name] = str(directory)
        # platformdirs ignores XDG_* on macOS and derives paths from HOME;
        # moving HOME as well keeps the user's real data out of every run.
        env["HOME"] = str(user_dirs)
    return env


@contextmanager
def user_dirs_for(kind: Kind, scratch: Path) -> Iterator[Path | None]:
    if not kind.own_user_dirs:
        yield None
        return
    directory = Path(tempfile.mkdtemp(prefix=f"{kind.key}-", dir=scratch))
    try:
        yield directory
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def measure(kind: Kind, scratch: Path, timeout: float) -> float:
    """One timed start of kind; raises MarkerNotSeen or Unavailable."""
    return start(kind, scratch, timeout).seconds


def start(kind: Kind, scratch: Path, timeout: float, **run_options) -> MarkerRun:
    """One start of kind until its marker shows (see pty_timing.run_to_marker for run_options);
    raises MarkerNotSeen or Unavailable."""
    argv = kind.argv()
    with user_dirs_for(kind, scratch) as user_dirs:
        env = child_env(user_dirs)
        if kind.primed:
            try:
                priming = run_to_marker(
                    argv,
                    kind.marker,
                    env,
                    size=TERMINAL_SIZE,
                    timeout=timeout,
                    cwd=PROJECT_ROOT,
                )
            except MarkerNotSeen as error:
                raise MarkerNotSeen(
                    f"priming start failed: {error.reason}",
                    error.tail,
                    error.exit_status,
                ) from error
            if priming.ended_by != "quit":
                # The directories may hold half-written data; the warm figure
                # would not describe a normal second start.
                raise MarkerNotSeen(
                    f"priming start did not quit cleanly ({priming.ended_by})", "", None
                )
        return run_to_marker(
            argv,
            kind.marker,
            env,
            size=TERMINAL_SIZE,
            timeout=timeout,
            cwd=PROJECT_ROOT,
            **run_options,
        )


def failure_record(round_number: int | None, error: Exception) -> dict:
    if isinstance(error, MarkerNotSeen):
        return {
            "round": round_number,
            "reason": error.reason,
            "tail": error.tail[-TAIL_CHARS:],
        }
    return {"round": round_number, "reason": str(error), "tail": ""}


def report_failure(kind: Kind, record: dict) -> None:
    where = "warm-up" if record["round"] is None else f"round {record['round']}"
    print(f"  FAILED {kind.title} ({where}): {record['reason']}", file=sys.stderr)
    if record["tail"]:
        print(f"  last output: {record['tail']!r}", file=sys.stderr)


def run_benchmark(kinds: list[Kind], runs: int, timeout: float, warmup: bool) -> dict[str, Samples]:
    samples = {kind.key: Samples() for kind in kinds}
    with tempfile.TemporaryDirectory(prefix="nexus-tui-bench-") as scratch_name:
        scratch = Path(scratch_name)
        if warmup:
            # Untimed: fills the bytecode caches so that round 1 is not an
            # outlier. A kind that cannot start here would only time out in
            # every round, so it is dropped at once.
            print("warm-up round", file=sys.stderr)
            for kind in kinds:
                try:
                    measure(kind, scratch, timeout)
                except (MarkerNotSeen, Unavailable, OSError) as error:
                    record = failure_record(None, error)
                    samples[kind.key].failures.append(record)
                    samples[kind.key].skipped = "warm-up failed"
                    report_failure(kind, record)
        active = [kind for kind in kinds if samples[kind.key].skipped is None]
        for round_number in range(1, runs + 1):
            if not active:
                break
            line = []
            # Interleaved, so that a slow spell of the machine hits every
            # kind alike instead of skewing one of them.
            for kind in active:
                try:
                    seconds = measure(kind, scratch, timeout)
                except (MarkerNotSeen, Unavailable, OSError) as error:
                    record = failure_record(round_number, error)
                    samples[kind.key].failures.append(record)
                    report_failure(kind, record)
                    line.append(f"{kind.key} FAILED")
                else:
                    samples[kind.key].times.append(seconds)
                    line.append(f"{kind.key} {seconds:.3f}s")
            print(f"round {round_number}/{runs}: " + "  ".join(line), file=sys.stderr)
    return samples


def ratio(samples: dict[str, Samples], key: str) -> float | None:
    baseline = samples.get(BASELINE)
    measured = samples.get(key)
    if not baseline or not baseline.times or not measured or not measured.times:
        return None
    return statistics.median(measured.times) / statistics.median(baseline.times)


def package_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def machine() -> dict:
    """What the figures were measured on: they are only comparable on one machine."""
    return {
        "python": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "system": platform.system(),
        "release": platform.release(),
        "machine": platform.machine(),
        "processor": platform.processor(),
        "cpu_count": os.cpu_count(),
        "textual": package_version("textual"),
        "sqlite": sqlite3.sqlite_version,
    }


def build_report(samples: dict[str, Samples], runs: int, timeout: float) -> dict:
    report: dict = {
        kind.name: samples[kind.key].summary() if kind.key in samples else None for kind in KINDS
    }
    report.update({json_key: ratio(samples, key) for key, json_key in RATIO_KEYS.items()})
    columns, rows = TERMINAL_SIZE
    report.update(
        {
            "runs": runs,
            "python": platform.python_version(),
            "machine": machine(),
            "packages": {name: package_version(name) for name in ("textual", "nexus-tui")},
            "terminal": {"columns": columns, "rows": rows, "term": TERM},
            "timeout": timeout,
        }
    )
    return report


def format_seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def print_table(kinds: list[Kind], samples: dict[str, Samples], runs: int) -> None:
    columns, rows = TERMINAL_SIZE
    print(
        f"Time to first screen with data, seconds "
        f"({columns}x{rows} pty, {runs} runs, Python {platform.python_version()})"
    )
    header = f"{'':<24}{'median':>9}{'min':>9}{'max':>9}{'x bare':>9}{'ok':>7}"
    print(header)
    print("-" * len(header))
    for kind in kinds:
        stats = samples[kind.key].summary()
        factor = ratio(samples, kind.key)
        print(
            f"{kind.title:<24}"
            f"{format_seconds(stats['median']):>9}"
            f"{format_seconds(stats['min']):>9}"
            f"{format_seconds(stats['max']):>9}"
            f"{'-' if factor is None else f'{factor:.2f}':>9}"
            f"{stats['ok']:>4}/{runs:<2}"
        )
    for kind in kinds:
        kind_samples = samples[kind.key]
        if kind_samples.skipped:
            print(f"{kind.title}: not timed, {kind_samples.skipped} (details above)")
        elif kind_samples.failures:
            failed = len(kind_samples.failures)
            print(f"{kind.title}: {failed} failed run(s) (details above)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--runs",
        type=int,
        default=DEFAULT_RUNS,
        help=f"timed rounds (default {DEFAULT_RUNS})",
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the results here")
    parser.add_argument(
        "--only",
        action="append",
        choices=list(KINDS_BY_KEY),
        help="measure only this kind (repeatable; default: all)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        help=f"seconds to wait for the marker before a run counts as failed "
        f"(default {DEFAULT_TIMEOUT:g})",
    )
    parser.add_argument("--no-warmup", action="store_true", help="skip the untimed first round")
    parser.add_argument(
        "--no-bytecode-cache",
        action="store_true",
        help="make every start compile its modules from source (no .pyc caches)",
    )


def run(args: argparse.Namespace) -> int:
    if args.runs < 1:
        print("--runs must be at least 1", file=sys.stderr)
        return 2
    wanted = set(args.only or KINDS_BY_KEY)
    kinds = [kind for kind in KINDS if kind.key in wanted]
    global EMPTY_PYCACHE
    if args.no_bytecode_cache:
        EMPTY_PYCACHE = Path(tempfile.mkdtemp(prefix="nexus-no-pyc-"))
    try:
        samples = run_benchmark(kinds, args.runs, args.timeout, warmup=not args.no_warmup)
    finally:
        if EMPTY_PYCACHE is not None:
            shutil.rmtree(EMPTY_PYCACHE, ignore_errors=True)
    print_table(kinds, samples, args.runs)
    if args.json:
        report = build_report(samples, args.runs, args.timeout)
        args.json.write_text(json.dumps(report, indent=2) + "\n")
    return 1 if any(s.failures for s in samples.values()) else 0
