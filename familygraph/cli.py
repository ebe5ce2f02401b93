"""The `familygraph` command: a thin dispatcher; each command group lives in its own module."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from familygraph import __version__, ask, audit, data_commands, link, links, pack, refresh_commands, serve, workflow
from graphmodel.errors import FamilyGraphError

__all__ = ["build_parser", "main"]

_COMMAND_GROUPS = (data_commands, refresh_commands, serve, link, links, ask, workflow, pack, audit)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every command group's subcommands."""
    parser = argparse.ArgumentParser(prog="familygraph", description="FamilyGraph: who works with which "
                                     "family, on what, and who leads.")
    parser.add_argument("--verbose", "-v", action="count", default=0,
                        help="log what happens on stderr (-v info, -vv debug)")
    parser.add_argument("--version", action="version", version=f"familygraph {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    for group in _COMMAND_GROUPS:
        group.register(sub)
    return parser


def _configure_logging(verbosity: int) -> None:
    """Warnings by default; -v info, -vv debug; one line per record on stderr."""
    level = logging.WARNING if verbosity <= 0 else logging.INFO if verbosity == 1 else logging.DEBUG
    logging.basicConfig(level=level, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; every FamilyGraphError exits non-zero with a one-line reason on stderr."""
    args = build_parser().parse_args(argv)
    _configure_logging(args.verbose)
    try:
        return int(args.func(args))
    except FamilyGraphError as error:
        logging.getLogger(__name__).debug("failed", exc_info=True)
        print(f"familygraph: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("familygraph: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
