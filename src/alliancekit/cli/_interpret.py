"""``alliancekit interpret`` (answers in, interpretation out) and ``alliancekit trend`` (one
respondent's sessions in, scores, changes, alerts and optionally a chart out).

Answers come as JSON (one object, a list of objects, or JSON Lines) or as CSV whose header names
the item ids. CSV may also carry the columns in :data:`META_COLUMNS`, which are not answers; any
other column is an error, so that a misspelt item id is never silently read as a missing answer.
The values of a ``respondent`` column are never printed.
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from alliancekit.cli import UsageError, add_command
from alliancekit.cli._common import (
    lines_text,
    print_json,
    read_stdin,
    resolve_scale,
    say,
    used_warnings,
    write_chart,
)
from alliancekit.document import Scale
from alliancekit.errors import ResponseError
from alliancekit.interpretation import Interpretation, Series, interpret, series_chart
from alliancekit.scoring import JsonTextError, ScoreResult, read_json

__all__ = ["META_COLUMNS", "register"]

#: CSV columns that describe a row rather than answer an item.
META_COLUMNS = frozenset({"session", "occasion", "scale", "respondent", "date", "administered_at"})


class BadInput(Exception):
    """The input was read and found bad: reported on stderr with exit code 1."""


def register(subparsers: Any) -> None:
    """Add the ``interpret`` and ``trend`` subcommands."""
    p = add_command(
        subparsers,
        "interpret",
        "Score answers (a JSON object, a JSON list of objects, or CSV with item ids as columns) "
        "and read every score: its band with flag and source, and against a norm z, T, "
        "percentile and SEM.",
    )
    p.add_argument("scale", help="a scale id or a path to a scale document")
    p.add_argument("file", nargs="?", default="-", help="JSON or CSV answers (default: stdin)")
    p.add_argument("--norm", help="id of the norm population to read against")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(handler=_interpret)

    p = add_command(
        subparsers,
        "trend",
        "Read one respondent's sessions from a CSV file (a session or occasion column and the "
        "item ids): each session's score, its change since the previous session and the "
        "baseline, the reliable change where a norm allows it, and the alerts the scale defines; "
        "optionally draw them as an SVG chart.",
    )
    p.add_argument("file", help="CSV with a session (or occasion) column and item ids, or -")
    p.add_argument("--scale", help="a scale id or document path (default: the scale column)")
    p.add_argument("--score", help="the score to follow (default: total, else the first)")
    p.add_argument("--norm", help="id of the norm population to read against")
    p.add_argument("--chart", metavar="OUT.svg", help="also draw the sessions as an SVG chart")
    p.add_argument(
        "--respondent",
        metavar="ID",
        help="read only the rows whose respondent column is ID (for a file of several "
        "respondents); the identifier is never printed",
    )
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(handler=_trend)


# -- reading input ----------------------------------------------------------------------------


def _read_text(name: str) -> str:
    if name == "-":
        return read_stdin()
    try:
        return Path(name).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read {name}: {error}") from None


def _read_csv(text: str) -> list[dict[str, str]]:
    """Rows of a CSV text as column -> cell. A repeated column name, or a row with more or fewer
    cells than the header, is refused (never read as missing answers)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = []
    try:
        header = next(filter(None, reader), None)
        if header is None:
            raise BadInput("the CSV input is empty")
        names = [name.strip() for name in header]
        repeated = sorted({name for name in names if names.count(name) > 1})
        if repeated:
            raise BadInput(f"[duplicate-column] the header repeats the column {repeated[0][:40]!r}")
        for cells in reader:
            if not cells:
                continue  # a blank line is not a row
            if len(cells) != len(names):
                raise BadInput(
                    f"line {reader.line_num}: [malformed-row] {len(cells)} values but the header "
                    f"has {len(names)} columns"
                )
            rows.append(dict(zip(names, cells, strict=True)))
    except csv.Error as error:
        raise BadInput(f"line {reader.line_num}: {error}") from None
    return rows


def _read_json(text: str) -> tuple[list[Any], bool]:
    """The answer objects and whether the input was one object."""
    try:
        data = read_json(text)
    except JsonTextError as error:
        if error.code != "invalid-json":
            raise BadInput(f"[{error.code}] {error}") from None
        lines = []
        for number, line in enumerate(text.splitlines(), 1):
            if line.strip():
                try:
                    lines.append(read_json(line))
                except JsonTextError as line_error:
                    what = "not JSON" if line_error.code == "invalid-json" else line_error.code
                    raise BadInput(f"line {number}: {what} ({line_error.reason})") from None
        return lines, False
    if isinstance(data, dict):
        return [data], True
    if isinstance(data, list):
        return data, False
    raise BadInput("JSON input must be an object of answers or a list of them")


def _answer_rows(scale: Scale, text: str, name: str) -> tuple[list[dict[str, Any]], bool, bool]:
    """Answer mappings, whether the input was one JSON object, and whether it was CSV."""
    stripped = text.lstrip()
    is_json = name.endswith((".json", ".jsonl")) or (
        not name.endswith(".csv") and stripped[:1] in ("{", "[")
    )
    if is_json:
        rows, single = _read_json(text)
        for number, row in enumerate(rows, 1):
            if not isinstance(row, dict):
                raise BadInput(f"response {number}: answers must be a JSON object")
        return rows, single, False
    rows_csv = _read_csv(text)
    _check_columns(scale, list(rows_csv[0]) if rows_csv else [])
    return [_answers_of(row) for row in rows_csv], False, True


def _answers_of(row: Mapping[str, str]) -> dict[str, str]:
    return {k: v for k, v in row.items() if k not in META_COLUMNS}


def _check_columns(scale: Scale, columns: Sequence[str]) -> None:
    items = {item.id for item in scale.items}
    unknown = [c for c in columns if c not in items and c not in META_COLUMNS]
    if unknown:
        raise BadInput(
            f"columns that are neither item ids of {scale.id!r} nor one of "
            f"{', '.join(sorted(META_COLUMNS))}: {', '.join(repr(c[:40]) for c in unknown[:10])}"
        )


def _score(scale: Scale, answers: Mapping[str, Any], coerce: bool, where: str) -> ScoreResult:
    try:
        return scale.score(answers, coerce=coerce)
    except ResponseError as error:
        problems = "; ".join(str(issue) for issue in error.issues[:20])
        raise BadInput(f"{where}: {problems}") from None


# -- interpret --------------------------------------------------------------------------------


def _interpret(args: argparse.Namespace) -> int:
    scale = resolve_scale(args.scale)
    try:
        rows, single, coerce = _answer_rows(scale, _read_text(args.file), args.file)
        results = [_score(scale, row, coerce, f"response {n}") for n, row in enumerate(rows, 1)]
    except BadInput as error:
        say(f"alliancekit interpret: {error}", file=sys.stderr)
        return 1
    try:
        readings = [interpret(result, args.norm, scale=scale) for result in results]
    except ValueError as error:
        raise UsageError(str(error)) from None
    if args.format == "json":
        records = [
            _record(result, reading) for result, reading in zip(results, readings, strict=True)
        ]
        print_json(records[0] if single else records)
        return 0
    for number, (result, reading) in enumerate(zip(results, readings, strict=True), 1):
        if len(results) > 1:
            say(f"Response {number}", one_line=True)
        say(_table(reading))
        for warning in used_warnings([result], reading.values()):
            say(f"warning: {warning}", one_line=True)
        if number < len(results):
            say()
    return 0


def _record(result: ScoreResult, reading: Mapping[str, Interpretation]) -> dict[str, Any]:
    scores = {}
    for score_id, interpretation in reading.items():
        data = interpretation.to_dict()
        del data["warnings"]
        scores[score_id] = data
    return {
        "scale_id": result.scale_id,
        "scale_version": result.scale_version,
        "scale_sha256": result.scale_sha256,
        "scores": scores,
        "warnings": list(used_warnings([result], reading.values())),
    }


def _num(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _value(value: float | None) -> str:
    return "no score" if value is None else f"{value:g}"


def _table(reading: Mapping[str, Interpretation]) -> str:
    width = max(5, *(len(score_id) for score_id in reading))
    header = f"{'SCORE':<{width}}  {'VALUE':>8}  {'FLAG':<5}  {'Z':>5}  {'T':>5}  {'PCTL':>5}"
    lines = [f"{header}  BAND"]
    for score_id, r in reading.items():
        band = r.band or (r.reason if r.value is None else "–")
        lines.append(
            f"{score_id:<{width}}  {_value(r.value):>8}  {r.flag:<5}  {_num(r.z, 2):>5}  "
            f"{_num(r.t):>5}  {_num(r.percentile):>5}  {band}"
        )
        if r.source:
            lines.append(f"{'':<{width}}  band source: {r.source}")
        if r.note and r.band is None:
            lines.append(f"{'':<{width}}  note: {r.note}")
        if r.norm:
            sem = f", SEM {r.sem:.2f}" if r.sem is not None else ""
            lines.append(f"{'':<{width}}  norm {r.norm}: {r.population}{sem}")
    return lines_text(lines)


# -- trend ------------------------------------------------------------------------------------


def _trend(args: argparse.Namespace) -> int:
    try:
        rows = _read_csv(_read_text(args.file))
        if not rows:
            raise BadInput("the file holds no sessions")
        if args.respondent is not None:
            if "respondent" not in rows[0]:
                raise BadInput("--respondent needs a respondent column")
            rows = [row for row in rows if row.get("respondent") == args.respondent]
            if not rows:
                raise BadInput("no session of that respondent in the file")
        scale = _trend_scale(args.scale, rows)
        _check_columns(scale, list(rows[0]))
        respondents = {row.get("respondent") for row in rows}
        if len(respondents) > 1:
            raise BadInput(
                "the file holds more than one respondent; choose one with --respondent ID"
            )
        labels, rows = _session_order(rows)
        results = [
            _score(scale, _answers_of(row), True, f"session {label}")
            for label, row in zip(labels, rows, strict=True)
        ]
    except BadInput as error:
        say(f"alliancekit trend: {error}", file=sys.stderr)
        return 1
    series = Series(results, scale=scale)
    score = args.score or ("total" if "total" in results[0].scores else scale.scores[0].id)
    try:
        changes = series.changes(score, args.norm)
        readings = [interpret(result, args.norm, scale=scale)[score] for result in results]
        chart = series_chart(series, score, norm=args.norm, labels=labels) if args.chart else None
    except ValueError as error:
        raise UsageError(str(error)) from None
    alerts = series.alerts()
    if chart is not None:
        write_chart(args.chart, chart)
    trend = series.trend(score)
    if args.format == "json":
        print_json(
            {
                "scale_id": scale.id,
                "scale_version": scale.version,
                "score": score,
                "trend_per_session": trend,
                "sessions": [
                    {
                        "session": label,
                        "value": change.value,
                        "band": reading.band,
                        "flag": reading.flag,
                        "since_previous": change.since_previous,
                        "since_baseline": change.since_baseline,
                    }
                    for label, change, reading in zip(labels, changes, readings, strict=True)
                ],
                "alerts": [
                    {
                        "session": labels[a.index],
                        "index": a.index,
                        "kind": a.kind,
                        "score": a.score,
                        "message": a.message,
                        "source": a.source,
                        "warnings": list(a.warnings),
                    }
                    for a in alerts
                ],
                "warnings": list(used_warnings(results, readings)),
            }
        )
        return 0
    kinds: dict[int, list[str]] = {}
    for alert in alerts:
        kinds.setdefault(alert.index, []).append(alert.kind)
    width = max(7, *(len(label) for label in labels))
    say(f"{scale.title}: {score}", one_line=True)
    say(f"{'SESSION':<{width}}  {'VALUE':>8}  {'FLAG':<5}  {'Δ PREV':>7}  {'Δ BASE':>7}  ALERTS")
    for label, change, reading in zip(labels, changes, readings, strict=True):
        say(
            f"{label:<{width}}  {_value(change.value):>8}  {reading.flag:<5}  "
            f"{_signed(change.since_previous):>7}  {_signed(change.since_baseline):>7}  "
            f"{', '.join(kinds.get(change.index, [])) or '–'}",
            one_line=True,
        )
    say(f"trend: {'–' if trend is None else f'{trend:+.2f}'} points per session")
    if alerts:
        say()
        say("Alerts:")
        for alert in alerts:
            say(f"  session {labels[alert.index]} [{alert.kind}] {alert.message}", one_line=True)
            say(f"      source: {alert.source or 'none named'}", one_line=True)
            for warning in alert.warnings:
                say(f"      {warning}", one_line=True)
    for warning in used_warnings(results, readings):
        say(f"warning: {warning}", one_line=True)
    return 0


def _signed(value: float | None) -> str:
    return "–" if value is None else f"{value:+g}"


def _trend_scale(name: str | None, rows: list[dict[str, str]]) -> Scale:
    named = {row.get("scale", "").strip() for row in rows} - {""}
    if len(named) > 1:
        raise BadInput(f"the scale column names more than one scale ({', '.join(sorted(named))})")
    if name is None:
        if not named:
            raise UsageError("name the scale with --scale or a scale column")
        return resolve_scale(named.pop())
    scale = resolve_scale(name)
    if named and named != {scale.id}:
        raise BadInput(f"--scale {scale.id} but the scale column says {named.pop()}")
    return scale


def _session_order(rows: list[dict[str, str]]) -> tuple[list[str], list[dict[str, str]]]:
    """Session labels and rows in session order: numeric sessions are sorted, others keep the
    file's order; without a session (or occasion) column sessions are numbered 1, 2, …"""
    column = next((c for c in ("session", "occasion") if c in rows[0]), None)
    if column is None:
        return [str(n) for n in range(1, len(rows) + 1)], rows
    labels = [row[column].strip() for row in rows]
    if len(set(labels)) != len(labels):
        raise BadInput(f"the {column} column repeats a value")
    try:
        keys = [float(label) for label in labels]
    except ValueError:
        return labels, rows
    if not all(math.isfinite(key) for key in keys):
        return labels, rows
    order = sorted(range(len(rows)), key=keys.__getitem__)
    return [labels[i] for i in order], [rows[i] for i in order]
