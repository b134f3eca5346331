"""The ``alliancekit`` command line. Each subcommand lives in its own module of this package.

Exit codes: 0 success, 1 the input was checked and found bad (invalid scale, bad answers,
failed check), 2 usage errors (unknown scale, unreadable file, bad option). No command prints a
traceback for bad input.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from alliancekit.errors import AllianceKitError

__all__ = ["main"]

#: Modules that each define ``register(subparsers)``; a subcommand's handler returns an exit code.
COMMAND_MODULES = (
    "alliancekit.cli._catalogue",
    "alliancekit.cli._score",
    "alliancekit.cli._interpret",
    "alliancekit.cli._history",
    "alliancekit.cli._plugins",
    "alliancekit.cli._check",
    "alliancekit.cli._analyze",
)


class UsageError(Exception):
    """Bad command-line usage: reported on stderr with exit code 2."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="alliancekit",
        description="Therapeutic-alliance and patient-trust rating scales: "
        "list, show, validate, score, interpret, store.",
    )
    from alliancekit import __version__

    parser.add_argument("--version", action="version", version=f"alliancekit {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.handler(args)
    except UsageError as error:
        print(f"alliancekit {args.command}: {error}", file=sys.stderr)
        return 2
    except AllianceKitError as error:
        print(f"alliancekit {args.command}: {error}", file=sys.stderr)
        return 2 if isinstance(error, LookupError) else 1
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
