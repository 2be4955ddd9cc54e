"""Command line: ``python -m benchmarks <benchmark> [options]`` (Linux, macOS).

A benchmark is a module with a docstring, ``add_arguments(parser)`` and
``run(args) -> exit status``; adding one to BENCHMARKS makes it a sub-command.
"""

import argparse
import sys
from types import ModuleType

from benchmarks import scale, startup

BENCHMARKS: dict[str, ModuleType] = {
    "startup": startup,
    "scale": scale,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Performance benchmarks for nexus-tui (they need a POSIX pty).",
    )
    commands = parser.add_subparsers(dest="benchmark", required=True, metavar="BENCHMARK")
    for name, module in BENCHMARKS.items():
        summary = (module.__doc__ or "").strip().splitlines()[0]
        command = commands.add_parser(name, help=summary, description=module.__doc__)
        command.set_defaults(module=module)
        module.add_arguments(command)
    args = parser.parse_args(argv)
    try:
        return args.module.run(args)
    except KeyboardInterrupt:
        # The measuring code has already killed its child by now.
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
