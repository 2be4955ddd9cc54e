"""Command line: ``python -m benchmarks [<benchmark>] [options]`` (Linux, macOS).

A benchmark is a module with a docstring, ``add_arguments(parser)`` and
``run(args) -> exit status``; adding one to BENCHMARKS makes it a sub-command.
Without a benchmark's name (no arguments, or options first, as in
``python -m benchmarks --notes 100000``) the DEFAULT one runs.
"""

import argparse
import sys
from types import ModuleType

from benchmarks import scale, startup, targets

BENCHMARKS: dict[str, ModuleType] = {
    "targets": targets,
    "startup": startup,
    "scale": scale,
}
DEFAULT = "targets"
HELP = ("-h", "--help")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Performance benchmarks for nexus-tui (they need a POSIX pty). "
        f"Without a BENCHMARK name, {DEFAULT!r} runs with the options given.",
    )
    commands = parser.add_subparsers(dest="benchmark", required=True, metavar="BENCHMARK")
    for name, module in BENCHMARKS.items():
        summary = (module.__doc__ or "").strip().splitlines()[0]
        command = commands.add_parser(
            name,
            help=summary,
            description=module.__doc__,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        command.set_defaults(module=module)
        module.add_arguments(command)
    arguments = sys.argv[1:] if argv is None else list(argv)
    if not arguments or (arguments[0].startswith("-") and arguments[0] not in HELP):
        arguments.insert(0, DEFAULT)
    args = parser.parse_args(arguments)
    try:
        return args.module.run(args)
    except KeyboardInterrupt:
        # The measuring code has already killed its child by now.
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
