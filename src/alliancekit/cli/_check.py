"""``alliancekit check FILE...``: validate scale documents, then run the property suite on them.

Exit codes: 0 when every document loads and every property holds; 1 when a loader check or a
property fails (each printed with its JSON path or counterexample); 2 on usage errors: a file that
cannot be read, an unknown scale id, or Hypothesis missing. Every argument is checked even when
an earlier one has a problem; the exit code is the worst seen.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from alliancekit.cli import add_command
from alliancekit.cli._common import print_json, say
from alliancekit.testing.report import PROPERTIES

__all__ = ["register"]

#: every check but ``document``, which always runs
_SKIPPABLE = [name for name in PROPERTIES if name != "document"]


def _positive(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1 (got {text!r})")
    return number


def register(subparsers: Any) -> None:
    """Add the ``check`` subcommand."""
    p = add_command(
        subparsers,
        "check",
        "First run every loader check (reported with JSON paths), then the property "
        "suite of alliancekit.testing.check_scale (scores stay in range, reverse keys, "
        "monotonicity, bands tile the range, ...). Exit 0 when all holds, 1 when something "
        "fails, 2 on usage errors.",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="a scale document, or a scale id")
    p.add_argument(
        "--max-examples",
        type=_positive,
        default=100,
        metavar="N",
        help="answer sets tried per searched property (default: 100)",
    )
    p.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=_SKIPPABLE,
        metavar="CHECK",
        help="do not run this check (repeatable): " + ", ".join(_SKIPPABLE),
    )
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=_check)


def _check(args: argparse.Namespace) -> int:
    try:
        from alliancekit.testing.properties import check_scale
    except ImportError as error:
        say(f"alliancekit check: {error}", file=sys.stderr)
        return 2
    from alliancekit.errors import UnknownScaleError
    from alliancekit.plugins import get_scale

    status = 0
    reports: dict[str, Any] = {}
    for name in args.files:
        path = Path(name)
        source: Any = name
        if name.endswith(".json") or path.exists():
            problem = _unreadable(path)
            if problem is not None:
                say(f"alliancekit check: cannot read {name}: {problem}", file=sys.stderr)
                status = 2
                continue
        else:
            try:
                source = get_scale(name)
            except UnknownScaleError as error:
                say(f"alliancekit check: {error}", file=sys.stderr)
                status = 2
                continue
        report = check_scale(source, max_examples=args.max_examples, skip=args.skip)
        if not report.passed:
            status = max(status, 1)
        if args.json:
            reports[name] = report.to_dict()
        else:
            say(report.format())
            sys.stdout.flush()
    if args.json:
        print_json(reports)
    return status


def _unreadable(path: Path) -> str | None:
    """Why ``path`` cannot be read as a file, or ``None`` when it can."""
    try:
        with path.open("rb"):
            return None
    except OSError as error:
        return error.strerror or type(error).__name__
