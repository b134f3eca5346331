"""``alliancekit history``: one respondent's stored administrations of a scale, read.

Each record is interpreted against the scale document stored with it (never the catalogue's
newer version), and alerts are raised over the current records (amended ones replaced by their
corrections). When the stored document changes between occasions, changes and alerts are only
computed within a run of one document. The respondent identifier is never printed: give ``-`` to
read it from the first line of stdin instead of the command line.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from alliancekit.cli import UsageError, add_command
from alliancekit.cli._common import (
    lines_text,
    print_json,
    read_stdin,
    say,
    used_warnings,
    write_chart,
)
from alliancekit.document import Scale
from alliancekit.errors import StorageError
from alliancekit.interpretation import Alert, Interpretation, Series, interpret, series_chart
from alliancekit.plugins import get_scale
from alliancekit.storage import StoredRecord, open_store

__all__ = ["register"]


def register(subparsers: Any) -> None:
    """Add the ``history`` subcommand."""
    p = add_command(
        subparsers,
        "history",
        "List a respondent's stored administrations of a scale in order of occasion, each read "
        "against the document that scored it, with the changes and alerts of the series. The "
        "identifier is looked up by its keyed hash; it is never printed.",
    )
    p.add_argument("respondent", help="the identifier used when saving, or - to read it from stdin")
    p.add_argument("--scale", required=True, help="the scale id")
    p.add_argument(
        "--store",
        help="store URL (default: $ALLIANCEKIT_STORE, else the user's "
        "data directory; see docs/storage.md)",
    )
    p.add_argument("--score", help="the score to follow (default: total, else the first)")
    p.add_argument("--norm", help="id of the norm population to read against")
    p.add_argument(
        "--include-superseded",
        action="store_true",
        help="also list records that were corrected by an amendment",
    )
    p.add_argument(
        "--chart",
        metavar="OUT.svg",
        help="also draw the series as an SVG chart (the latest run of records scored with one "
        "document version)",
    )
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(handler=_history)


def _respondent(argument: str) -> str:
    if argument != "-":
        return argument
    respondent = read_stdin(line=True).strip()
    if not respondent:
        raise UsageError("no respondent identifier on stdin")
    return respondent


class _Reading:
    """The records of a history with their scales, interpretations, changes and alerts."""

    def __init__(
        self,
        records: Sequence[StoredRecord],
        scales: dict[str, Scale],
        score: str | None,
        norm: str | None,
    ) -> None:
        self.records = records
        self.scales = scales
        latest = scales[records[-1].scale_sha256]
        self.score = score or ("total" if "total" in records[-1].scores else latest.scores[0].id)
        if any(self.score not in r.scores for r in records):
            raise UsageError(f"scale {latest.id!r} has no score {self.score!r} in every record")
        self.since_previous: dict[int, float | None] = {}
        self.alerts: list[tuple[StoredRecord, Alert]] = []
        #: the latest run of current records scored with one document, and its series
        self.latest: tuple[list[StoredRecord], Series] | None = None
        try:
            self.readings = {
                r.id: interpret(r.to_result(), norm, scale=scales[r.scale_sha256]) for r in records
            }
            current = [r for r in records if r.superseded_by is None]
            for run in _runs(current):
                series = Series([r.to_result() for r in run], scale=scales[run[0].scale_sha256])
                for record, change in zip(run, series.changes(self.score, norm), strict=True):
                    self.since_previous[record.id] = change.since_previous
                self.alerts.extend((run[alert.index], alert) for alert in series.alerts())
                self.latest = (run, series)
        except ValueError as error:  # e.g. a norm that a scale version does not have
            raise UsageError(str(error)) from None


def _runs(records: Sequence[StoredRecord]) -> list[list[StoredRecord]]:
    """Consecutive records scored with the same document."""
    runs: list[list[StoredRecord]] = []
    for record in records:
        if runs and runs[-1][0].scale_sha256 == record.scale_sha256:
            runs[-1].append(record)
        else:
            runs.append([record])
    return runs


def _history(args: argparse.Namespace) -> int:
    respondent = _respondent(args.respondent)
    try:
        store = open_store(args.store, create=False)  # reading never creates a store
    except StorageError as error:
        raise UsageError(str(error)) from None
    with store:
        records = store.history(respondent, args.scale, include_superseded=args.include_superseded)
        scales: dict[str, Scale] = {}
        for record in records:
            if record.scale_sha256 not in scales:
                scales[record.scale_sha256] = store.scale_for(record)
    if not records:
        get_scale(args.scale)  # an unknown scale id is a usage error (exit 2), not "no records"
        if args.format == "json":
            print_json({"scale_id": args.scale, "records": [], "alerts": []})
        else:
            say(f"no stored administrations of scale {args.scale!r} for this respondent")
        return 0
    reading = _Reading(records, scales, args.score, args.norm)
    if args.chart:
        _write_chart(reading, args.chart, args.norm)
    if args.format == "json":
        print_json(_as_json(reading))
    else:
        say(_as_table(reading))
    return 0


def _write_chart(reading: _Reading, path: str, norm: str | None) -> None:
    """Draw the latest run of the history (sessions labelled by occasion) as an SVG file."""
    if reading.latest is None:
        raise UsageError("no current record to draw")
    run, series = reading.latest
    try:
        chart = series_chart(
            series, reading.score, norm=norm, labels=[str(record.occasion) for record in run]
        )
    except ValueError as error:
        raise UsageError(str(error)) from None
    write_chart(path, chart)


def _as_json(reading: _Reading) -> dict[str, Any]:
    records = []
    for record in reading.records:
        data = record.to_dict()
        del data["respondent_key"]
        for score_id, interpretation in reading.readings[record.id].items():
            data["scores"][score_id]["interpretation"] = interpretation.to_dict()
        records.append(data)
    return {
        "scale_id": reading.records[0].scale_id,
        "score": reading.score,
        "records": records,
        "alerts": [
            {
                "record": record.id,
                "occasion": record.occasion,
                "kind": alert.kind,
                "score": alert.score,
                "value": alert.value,
                "message": alert.message,
                "source": alert.source,
                "warnings": list(alert.warnings),
            }
            for record, alert in reading.alerts
        ],
    }


def _value(value: float | None) -> str:
    return "no score" if value is None else f"{value:g}"


def _signed(value: float | None) -> str:
    return "–" if value is None else f"{value:+g}"


def _as_table(reading: _Reading) -> str:
    latest = reading.scales[reading.records[-1].scale_sha256]
    kinds: dict[int, list[str]] = {}
    for record, alert in reading.alerts:
        kinds.setdefault(record.id, []).append(alert.kind)
    lines = [
        f"{latest.title} ({latest.id}): {reading.score}",
        f"{'OCCASION':<8}  {'DATE':<10}  {'RECORD':<14}  {'VALUE':>8}  {'FLAG':<5}  "
        f"{'Δ PREV':>7}  ALERTS",
    ]
    document = None
    for record in reading.records:
        if document is not None and record.scale_sha256 != document:
            lines.append(
                f"-- scale version {record.scale_version} from here on: changes and "
                "alerts restart --"
            )
        document = record.scale_sha256
        interpretation: Interpretation = reading.readings[record.id][reading.score]
        date = record.administered_at.date().isoformat() if record.administered_at else "–"
        label = str(record.id)
        if record.amends is not None:
            label += f" (fixes {record.amends})"
        if record.superseded_by is not None:
            label += " (old)"
        lines.append(
            f"{record.occasion:<8}  {date:<10}  {label:<14}  {_value(interpretation.value):>8}  "
            f"{interpretation.flag:<5}  {_signed(reading.since_previous.get(record.id)):>7}  "
            f"{', '.join(kinds.get(record.id, [])) or '–'}"
        )
    if reading.alerts:
        lines += ["", "Alerts:"]
        for record, alert in reading.alerts:
            lines.append(f"  occasion {record.occasion} [{alert.kind}] {alert.message}")
            lines.append(f"      source: {alert.source or 'none named'}")
            lines.extend(f"      {warning}" for warning in alert.warnings)
    amended = [r for r in reading.records if r.amends is not None]
    for record in amended:
        lines.append(f"record {record.id} corrects record {record.amends}: {record.amend_reason}")
    shown = [reading.readings[r.id][reading.score] for r in reading.records]  # the FLAG column
    lines.extend(f"warning: {warning}" for warning in used_warnings(reading.records, shown))
    return lines_text(lines)
