"""``alliancekit list``, ``show`` and ``validate``: the catalogue and scale documents."""

from __future__ import annotations

import argparse
import sys
import textwrap
from collections.abc import Mapping
from typing import Any

from alliancekit.cli import add_command
from alliancekit.cli._common import lines_text, print_json, resolve_scale, say
from alliancekit.document import Scale, upgrade_document
from alliancekit.model import Band
from alliancekit.plugins import list_scales, validate_scale

__all__ = ["register"]


def register(subparsers: Any) -> None:
    """Add the catalogue subcommands."""
    p = add_command(
        subparsers,
        "list",
        "List every scale in the catalogue (built in or from plugins) with its version, title, "
        "verification status and origin.",
    )
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=_list)

    p = add_command(
        subparsers,
        "show",
        "Show a scale: its items (construct paraphrases, or licensed text with --lang), response "
        "options with their labels, scores with their derived ranges, bands and norms with "
        "their sources, alert rules, licence, and the open questions of a provisional scale.",
    )
    p.add_argument("scale", help="a scale id or a path to a scale document")
    p.add_argument("--json", action="store_true", help="print the canonical document")
    p.add_argument(
        "--lang", metavar="LANG", help="show the item text in this language (e.g. en), if any"
    )
    p.set_defaults(handler=_show)

    p = add_command(
        subparsers,
        "validate",
        "Check scale documents: the meta-schema, then the loader's rules (references, ranges, "
        "bands, missing-data rules). Every problem is printed with its JSON path and a stable "
        "code. Exit 0 when every file is valid, 1 when one is invalid, 2 when one is unreadable.",
    )
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=_validate)

    p = add_command(
        subparsers,
        "upgrade",
        "Print a scale document in meta-schema v2, with a status on every fact: a verified v1 "
        "document's facts cite its listed sources; a provisional one's are all provisional.",
    )
    p.add_argument("scale", help="a scale id or a path to a scale document")
    p.set_defaults(handler=_upgrade)


def _list(args: argparse.Namespace) -> int:
    scales = list_scales()
    if args.json:
        print_json(
            [
                {"id": s.id, "version": s.version, "title": s.title, "status": s.status}
                for s in scales
            ]
        )
        return 0
    width = max((len(s.id) for s in scales), default=2)
    say(f"{'ID':<{width}}  {'VERSION':<8}  {'STATUS':<11}  TITLE")
    for s in scales:
        say(f"{s.id:<{width}}  {s.version:<8}  {s.status:<11}  {s.title}", one_line=True)
    return 0


def _show(args: argparse.Namespace) -> int:
    scale = resolve_scale(args.scale)
    if args.json:
        print_json(scale.to_dict())
        return 0
    if args.lang is None:
        say(describe(scale))
        return 0
    from alliancekit.plugins import texts_for_scale

    pack = texts_for_scale(scale, args.lang)
    if pack is None:
        say(f"alliancekit show: no item text in {args.lang!r} for {scale.id}", file=sys.stderr)
        say(describe(scale))
        return 0
    say(describe(scale, dict(pack.texts)))
    say()
    say(f"Item text ({pack.language}) from {pack.origin}: {pack.license_note}", one_line=True)
    return 0


def _label(label: Mapping[str, str]) -> str:
    """An option's label: English when there is one, else its first language."""
    return label.get("en") or next(iter(label.values()))


def describe(scale: Scale, texts: dict[str, str] | None = None) -> str:
    """A plain-text description of a scale for a person.

    :param texts: item id -> item text (e.g. from a licensed text pack) shown instead of the
        construct paraphrase.
    """
    lines = [
        f"{scale.title} ({scale.abbreviation or scale.id}), version {scale.version}",
        f"id: {scale.id}    status: {scale.status}    sha256: {scale.sha256[:16]}…",
        _status_basis(scale),
        "",
    ]
    lines.append("Response sets:")
    for rs in scale.response_sets.values():
        if rs.kind == "continuous":
            unit = f" {rs.unit}" if rs.unit else ""
            lines.append(f"  {rs.id}: any number from {rs.min:g} to {rs.max:g}{unit}")
        else:
            options = ", ".join(
                f"{o.value} = {_label(o.label)}" if o.label else str(o.value) for o in rs.options
            )
            lines.append(f"  {rs.id}: {options}")
    lines += ["", "Items:"]
    for item in scale.items:
        rs = item.response_set
        answers = (
            f"{rs.min:g}–{rs.max:g} ({rs.kind})"
            if rs.kind == "continuous"
            else "/".join(str(v) for v in sorted(rs.values))
        )
        about = (texts or {}).get(item.id) or item.construct or ""
        reverse = " [reversed]" if item.reverse else ""
        lines.append(f"  {item.id:<5} {answers:<16}{reverse} {about}".rstrip())
    lines += ["", "Scores:"]
    for score in scale.scores:
        members = ", ".join(score.items or score.scores)
        low, high = score.range
        lines.append(f"  {score.id}: {score.method} of {members}  (range {low:g}–{high:g})")
        reading = scale.interpretation.get(score.id)
        if reading is None:
            continue
        for band in reading.bands:
            lines.append(f"      {_interval(band, high)} {band.label} — flag {band.flag}")
        for norm in reading.norms:
            lines.append(f"      norm {norm.id}: {norm.population}")
            for band in norm.bands:
                lines.append(f"        {_interval(band, high)} {band.label} — flag {band.flag}")
    lines += ["", *_facts(scale)]
    lines += ["", "Citations:"] + [f"  - {c.text}" for c in scale.citations]
    lines += [
        "",
        f"Licence: {scale.license.holder}",
        f"  {scale.license.terms}",
        f"  item text: {scale.license.item_text}",
    ]
    if scale.verification.open_questions:
        lines += ["", "Open questions:"]
        lines += [f"  - {q}" for q in scale.verification.open_questions]
    return lines_text(lines)


def _status_basis(scale: Scale) -> str:
    if scale.schema_version == 1:
        return "  (meta-schema v1: the status is stated for the whole document, not per fact)"
    verified = sum(f.status == "verified" for f in scale.facts)
    return (
        f"  (derived: {verified} of {len(scale.facts)} facts verified; "
        "verified only when every fact is)"
    )


def _facts(scale: Scale) -> list[str]:
    """Each fact with its status and source, in document order."""
    lines = ["Facts (status, what, source):"]
    for fact in scale.facts:
        status = fact.status or f"({scale.status}, v1)"
        lines.append(f"  {status:<12} {fact.subject}")
        source = fact.source or "no source named"
        lines.extend(
            textwrap.wrap(
                f"source: {source}",
                width=100,
                initial_indent=" " * 15,
                subsequent_indent=" " * 23,
                break_on_hyphens=False,
                break_long_words=False,
            )
        )
    return lines


def _interval(band: Band, maximum: float) -> str:
    closing = "]" if band.upper == maximum else ")"
    return f"[{band.lower:g}, {band.upper:g}{closing}"


def _validate(args: argparse.Namespace) -> int:
    report = {}
    for name in args.files:
        report[name] = validate_scale(name)
    if args.json:
        print_json(
            {
                name: [
                    {"json_path": i.json_path, "code": i.code, "message": i.message} for i in issues
                ]
                for name, issues in report.items()
            }
        )
    else:
        for name, issues in report.items():
            if not issues:
                say(f"{name}: valid", one_line=True)
                continue
            say(f"{name}: {len(issues)} problem{'s' if len(issues) != 1 else ''}", one_line=True)
            for issue in issues:
                say(f"  {issue}", one_line=True)
    sys.stdout.flush()
    codes = {issue.code for issues in report.values() for issue in issues}
    if "unreadable-file" in codes:
        return 2
    return 1 if codes else 0


def _upgrade(args: argparse.Namespace) -> int:
    print_json(upgrade_document(resolve_scale(args.scale).to_dict()))
    return 0
