"""``alliancekit analyze``: the reliability of a score on a CSV file of answers."""

from __future__ import annotations

import argparse
import csv
import math
import sys
from collections.abc import Set as AbstractSet
from typing import Any

from alliancekit.analysis import Reliability, reliability
from alliancekit.cli import UsageError, add_command
from alliancekit.cli._common import lines_text, print_json, read_stdin, resolve_scale, say
from alliancekit.errors import ResponseError, ResponseIssue
from alliancekit.scoring import parse_text

__all__ = ["register"]


def register(subparsers: Any) -> None:
    """Add ``analyze SCALE DATA [--score ID] [--listwise] [--json]`` to ``subparsers``."""
    p = add_command(
        subparsers,
        "analyze",
        "Cronbach's alpha (raw and standardized), average inter-item correlation, "
        "item-rest correlations, alpha if an item is deleted, omega total, SEM and Feldt's "
        "confidence interval, as R's psych::alpha and psych::omega compute them. Reverse-keyed "
        "items are recoded by the scale's keys.",
    )
    p.add_argument("scale", help="a scale id or a path to a scale document (.json)")
    p.add_argument(
        "data",
        help="a CSV file (- for standard input): a header row of item ids, then one row per "
        "respondent; an empty cell (or NA) is a missing answer",
    )
    p.add_argument("--score", default="total", help="the score whose items are analysed")
    p.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="COLUMN",
        help="a column that is not an item (a respondent id, a session number) to pass over "
        "(repeatable); its values are never read or printed",
    )
    p.add_argument(
        "--listwise",
        action="store_true",
        help="use only respondents who answered every item (default: pairwise, as psych)",
    )
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=_analyze)


def _analyze(args: argparse.Namespace) -> int:
    scale = resolve_scale(args.scale)
    rows = _read_csv(args.data, {item.id for item in scale.items}, scale.id, set(args.ignore))
    try:
        result = reliability(
            scale, rows, args.score, missing="listwise" if args.listwise else "pairwise"
        )
    except ImportError as error:
        raise UsageError(str(error)) from None
    except ResponseError:
        raise
    except ValueError as error:
        say(f"alliancekit analyze: {error}", file=sys.stderr)
        return 1
    if args.json:
        print_json(result.to_dict())
    else:
        say(format_reliability(result))
    return 0


def _read_csv(
    path: str, item_ids: set[str], scale_id: str, ignored: AbstractSet[str] = frozenset()
) -> list[dict[str, float | None]]:
    """Rows of answers (item id -> number, or None when missing) from a CSV file, each cell
    read as ``score`` reads one (:func:`alliancekit.scoring.parse_text`: ``NA``, ``N/A`` and an
    empty cell are missing; ``inf`` and ``1_000`` are not numbers).

    :param ignored: columns that are not items, passed over (``--ignore``).
    :raises UsageError: when the file cannot be read, has no header row, or lacks an ignored
        column.
    :raises ResponseError: for header columns that are not items of the scale, a row with more
        or fewer cells than the header (``malformed-row``), cells that are not numbers, and
        numbers too large to read (``number-too-large``).
    """
    try:
        if path == "-":
            lines = read_stdin().splitlines()
        else:
            with open(path, encoding="utf-8-sig", newline="") as file:
                lines = file.read().splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read {path}: {error}") from None
    reader = csv.reader(lines)
    header = [name.strip() for name in next(reader, [])]
    if not header:
        raise UsageError(f"{path} has no header row of item ids")
    missing = sorted(ignored - set(header))
    if missing:
        raise UsageError(f"--ignore names no column of {path}: {', '.join(missing)}")
    issues = []
    for n, name in enumerate(header):
        if name in ignored:
            continue
        if name not in item_ids:
            message = (
                f"column {n + 1} of {path} is not an item of scale {scale_id!r} "
                "(pass over a column that is not an item with --ignore COLUMN)"
            )
            issues.append(ResponseIssue(item_id=name[:40], code="unknown-item", message=message))
        elif header.index(name) != n:
            message = f"column {n + 1} of {path} repeats column {header.index(name) + 1}"
            issues.append(ResponseIssue(item_id=name, code="duplicate-item", message=message))
    if issues:
        raise ResponseError(issues, scale_id=scale_id)
    rows: list[dict[str, float | None]] = []
    for line_number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            message = f"line {line_number}: {len(cells)} cells, the header has {len(header)}"
            issue = ResponseIssue(item_id="*", code="malformed-row", message=message)
            raise ResponseError([issue], scale_id=scale_id)
        row: dict[str, float | None] = {}
        for name, cell in zip(header, cells, strict=True):
            if name in ignored:
                continue
            value = parse_text(cell)
            if isinstance(value, float) and math.isinf(value):
                message = f"line {line_number}: a number too large to read"
                issue = ResponseIssue(item_id=name, code="number-too-large", message=message)
                raise ResponseError([issue], scale_id=scale_id)
            if isinstance(value, str):
                message = f"line {line_number}: must be a number (got text of {len(cell)} chars)"
                issue = ResponseIssue(item_id=name, code="not-a-number", message=message)
                raise ResponseError([issue], scale_id=scale_id)
            row[name] = value
        rows.append(row)
    return rows


def format_reliability(result: Reliability) -> str:
    """The reliability table of a :class:`~alliancekit.analysis.Reliability` for a person."""

    def number(value: float) -> str:
        return "—" if math.isnan(value) else f"{value:.3f}"

    width = max(4, *(len(item) for item in result.items))
    level = f"{result.confidence:.0%}"
    lines = [
        f"Reliability of score {result.score!r} of scale {result.scale_id!r}: "
        f"{len(result.items)} items, n = {result.n} ({result.missing} missing-data handling)",
        "",
        f"{'item':<{width}}  {'item-rest r':>11}  {'alpha if deleted':>16}",
    ]
    for item in result.items:
        lines.append(
            f"{item:<{width}}  {number(result.item_total[item]):>11}  "
            f"{number(result.alpha_if_deleted[item]):>16}"
        )
    low, high = result.alpha_ci
    lines += [
        "",
        f"alpha               {number(result.alpha)}   {level} CI (Feldt) "
        f"{number(low)} to {number(high)}",
        f"standardized alpha  {number(result.standardized_alpha)}",
        f"average r           {number(result.average_r)}",
        f"omega total         {number(result.omega)}",
        f"SEM                 {number(result.sem)}",
        f"n                   {result.n}",
    ]
    return lines_text(lines)
