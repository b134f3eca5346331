"""The ``alliancekit`` command line. Each subcommand lives in a private module of this package,
imported only when that command runs (``alliancekit --help`` imports none of them).

Exit codes: 0 success, 1 the input was checked and found bad (invalid scale, bad answers,
failed check), 2 usage errors (unknown scale, unreadable file, bad option). No command prints a
traceback for bad input.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import Any

__all__ = ["COMMANDS", "UsageError", "add_command", "build_parser", "main"]

#: command -> (the module of this package that adds it, its one-line help), in --help's order
COMMANDS: dict[str, tuple[str, str]] = {
    "list": ("_catalogue", "list the available scales"),
    "show": ("_catalogue", "show a scale: items, scores, bands, licence"),
    "validate": ("_catalogue", "check scale documents against the meta-schema and loader rules"),
    "upgrade": ("_catalogue", "print a scale document in meta-schema v2 (a status on every fact)"),
    "score": ("_score", "score every row of a CSV or JSON Lines file"),
    "interpret": ("_interpret", "score answers and read each score: band, flag, z, T, percentile"),
    "trend": ("_interpret", "one respondent's sessions (CSV): scores, changes, alerts, chart"),
    "history": ("_history", "a respondent's stored administrations of a scale, with alerts"),
    "plugins": ("_plugins", "list the loaded plugins, what each registered, and failures"),
    "check": ("_check", "validate scale documents and run the property suite on them"),
    "analyze": ("_analyze", "reliability of a score on a CSV file of answers"),
    "export": ("_interop", "write a scale as a FHIR Questionnaire or a REDCap data dictionary"),
    "import": ("_interop", "read a FHIR Questionnaire or REDCap instrument into a draft scale"),
}


class UsageError(Exception):
    """Bad command-line usage: reported on stderr with exit code 2."""


def add_command(subparsers: Any, name: str, description: str) -> argparse.ArgumentParser:
    """Add the parser of command ``name`` (its help from :data:`COMMANDS`)."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        name, help=COMMANDS[name][1], description=description
    )
    return parser


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser: every command listed, and ``command`` (if given) fully registered
    by its module (``None``: every command's module is imported and registered)."""
    parser = argparse.ArgumentParser(
        prog="alliancekit",
        description="Therapeutic-alliance and patient-trust rating scales: "
        "list, show, validate, score, interpret, store.",
    )
    from alliancekit import __version__

    parser.add_argument("--version", action="version", version=f"alliancekit {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    modules = (
        dict.fromkeys(module for module, _ in COMMANDS.values())
        if command is None
        else ([COMMANDS[command][0]] if command in COMMANDS else [])
    )
    for module in modules:
        importlib.import_module(f"{__name__}.{module}").register(subparsers)
    for name, (_, help_text) in COMMANDS.items():
        if name not in subparsers.choices:
            subparsers.add_parser(name, help=help_text, add_help=False)
    return parser


def _command_of(argv: Sequence[str]) -> str | None:
    """The command named in ``argv`` (the first argument that is not an option)."""
    return next((arg for arg in argv if not arg.startswith("-")), None)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(_command_of(arguments) or "")
    args = parser.parse_args(arguments)
    # Imported only once a command runs, so that --help and usage errors stay quick.
    from alliancekit.errors import AllianceKitError, printable

    try:
        code: int = args.handler(args)
    except UsageError as error:
        print(printable(f"alliancekit {args.command}: {error}"), file=sys.stderr)
        return 2
    except AllianceKitError as error:
        print(printable(f"alliancekit {args.command}: {error}"), file=sys.stderr)
        return 2 if isinstance(error, LookupError) else 1
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
