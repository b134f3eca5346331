"""``alliancekit export`` and ``alliancekit import``: a scale to and from a FHIR R4 Questionnaire
or a REDCap data dictionary (see ``docs/interop.md``)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from alliancekit import fhir, redcap
from alliancekit.cli import UsageError, add_command
from alliancekit.cli._common import resolve_scale, say

__all__ = ["register"]


def register(subparsers: Any) -> None:
    """Add the ``export`` and ``import`` subcommands."""
    p = add_command(
        subparsers,
        "export",
        "Write a scale as a FHIR R4 Questionnaire (JSON) whose calculated items score it "
        "(SDC calculatedExpression), or as a REDCap data dictionary (CSV) whose calc fields "
        "score it. Item text is the licensed text pack's where one is installed, else the "
        "construct paraphrase.",
    )
    p.add_argument("scale", help="a scale id or a path to a scale document")
    p.add_argument("--to", choices=("fhir", "redcap"), required=True, help="the format")
    p.add_argument("--form", help="REDCap: the instrument (form) name (default: from the id)")
    p.add_argument("--lang", default="en", help="FHIR: the language of the item text")
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    p.set_defaults(handler=_export)

    p = add_command(
        subparsers,
        "import",
        "Read a FHIR R4 Questionnaire (JSON) or one instrument of a REDCap data dictionary "
        "(CSV) into a draft scale document (provisional). What could not be carried over is "
        "printed on stderr and listed in the draft's open questions. Exit 0 when a draft was "
        "written, 1 when nothing could be imported.",
    )
    p.add_argument("source", choices=("fhir", "redcap"), help="the format of FILE")
    p.add_argument("file", help="the Questionnaire (.json) or data dictionary (.csv), or -")
    p.add_argument("--form", help="REDCap: the instrument (Form Name) to import (required)")
    p.add_argument(
        "--default-total",
        action="store_true",
        help="FHIR: when no calculated item is a plain sum, add a total of every item",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write the draft here, not to stdout")
    p.set_defaults(handler=_import)


def _export(args: argparse.Namespace) -> int:
    scale = resolve_scale(args.scale)
    if args.to == "fhir":
        text = json.dumps(fhir.to_questionnaire(scale, language=args.lang), indent=2) + "\n"
    else:
        text = redcap.to_data_dictionary(scale, form=args.form)
    _write(text, args.output)
    return 0


def _import(args: argparse.Namespace) -> int:
    text = _read(args.file)
    if args.source == "redcap":
        if not args.form:
            raise UsageError("import redcap needs --form NAME (the instrument to import)")
        draft = redcap.from_data_dictionary(text, form=args.form)
    else:
        draft = fhir.from_questionnaire(text, default_total=args.default_total)
    _write(json.dumps(draft, indent=2, ensure_ascii=False) + "\n", args.output)
    for question in draft["verification"]["open_questions"]:
        say(f"alliancekit import: {question}", file=sys.stderr)
    return 0


def _read(name: str) -> str:
    try:
        if name == "-":
            return sys.stdin.read()
        return Path(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or "not UTF-8 text"
        raise UsageError(f"cannot read {name}: {reason}") from None


def _write(text: str, output: str | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot write {output}: {error.strerror or error}") from None
