"""``alliancekit list``, ``show`` and ``validate``: the catalogue and scale documents."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from alliancekit.cli._common import lines_text, print_json, resolve_scale, say
from alliancekit.document import Scale
from alliancekit.model import Band
from alliancekit.plugins import list_scales, validate_scale

__all__ = ["register"]


def register(subparsers: Any) -> None:
    """Add the catalogue subcommands."""
    p = subparsers.add_parser("list", help="list the available scales")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=_list)

    p = subparsers.add_parser("show", help="show a scale: items, scores, bands, licence")
    p.add_argument("scale", help="a scale id or a path to a scale document")
    p.add_argument("--json", action="store_true", help="print the canonical document")
    p.add_argument(
        "--lang", metavar="LANG", help="show the item text in this language (e.g. en), if any"
    )
    p.set_defaults(handler=_show)

    p = subparsers.add_parser(
        "validate",
        help="validate scale documents (exit 0 valid, 1 invalid, 2 unreadable or usage)",
    )
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=_validate)


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


def describe(scale: Scale, texts: dict[str, str] | None = None) -> str:
    """A plain-text description of a scale for a person.

    :param texts: item id -> item text (e.g. from a licensed text pack) shown instead of the
        construct paraphrase.
    """
    lines = [
        f"{scale.title} ({scale.abbreviation or scale.id}), version {scale.version}",
        f"id: {scale.id}    status: {scale.status}    sha256: {scale.sha256[:16]}…",
        "",
    ]
    lines.append("Items:")
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
