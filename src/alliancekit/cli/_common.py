"""Helpers shared by the subcommands."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from alliancekit.document import Scale
from alliancekit.errors import ScaleDefinitionError, printable
from alliancekit.plugins import get_scale, load_scale

if TYPE_CHECKING:
    from alliancekit.interpretation import Interpretation
    from alliancekit.scoring import ScoreResult
    from alliancekit.storage import StoredRecord

__all__ = [
    "lines_text",
    "print_json",
    "read_stdin",
    "resolve_scale",
    "say",
    "used_warnings",
    "write_chart",
]


def resolve_scale(name: str) -> Scale:
    """A scale by catalogue id, or from a document when ``name`` is a path to a ``.json`` file.

    :raises UnknownScaleError: for an id that is not in the catalogue.
    :raises ScaleDefinitionError: for an invalid document.
    :raises UsageError: for a document file that cannot be read.
    """
    if name.endswith(".json") or Path(name).is_file():
        try:
            return load_scale(name)
        except ScaleDefinitionError as error:
            if {issue.code for issue in error.errors} == {"unreadable-file"}:
                # A file that cannot be read is a usage error (exit 2), as in ``validate``.
                from alliancekit.cli import UsageError

                raise UsageError(str(error)) from None
            raise
    return get_scale(name)


def say(text: object = "", *, file: IO[str] | None = None, one_line: bool = False) -> None:
    """Print text for a person, with every control or format character that came from a
    document, a file or a plugin escaped (:func:`alliancekit.errors.printable`): an escape
    sequence or a bidi override in a scale's title never reaches the terminal. Every command
    prints through this (or :func:`print_json`).

    :param one_line: the text is one line: a line break inside it (from a value such as a CSV
        cell or a document's title) is escaped too, so it cannot fake another line. Text made
        of several lines is best built with :func:`lines_text`.
    """
    text = printable(str(text), keep_newlines=not one_line)
    print(text, file=sys.stdout if file is None else file)


def write_chart(path: str, svg: str) -> None:
    """Write an SVG chart and say where (on stderr).

    :raises UsageError: when the file cannot be written.
    """
    try:
        Path(path).write_text(svg, encoding="utf-8")
    except OSError as error:
        from alliancekit.cli import UsageError

        raise UsageError(f"cannot write {path}: {error.strerror or error}") from None
    say(f"chart written to {path}", file=sys.stderr)


def used_warnings(
    results: Iterable[ScoreResult | StoredRecord], readings: Iterable[Interpretation]
) -> tuple[str, ...]:
    """The results' warnings, then those of the bands and norms their readings used, once: what
    a command that prints scores and flags must say about provisional facts."""
    lines = [*(w for r in results for w in r.warnings), *(w for i in readings for w in i.warnings)]
    return tuple(dict.fromkeys(lines))


def lines_text(lines: Iterable[str]) -> str:
    """Lines joined for :func:`say`: a line break inside a line (it came from a value) is
    escaped, so a value cannot fake a line of the output."""
    return "\n".join(printable(line) for line in lines)


def read_stdin(*, line: bool = False) -> str:
    """Standard input (or its first line) as text, decoded as UTF-8 (a byte-order mark dropped)
    whatever the locale says, so that bytes that are not UTF-8 are a clear error rather than a
    ``UnicodeDecodeError`` (strict locale) or text holding lone surrogates (C locale).

    :raises UsageError: when the input is not UTF-8.
    """
    binary = getattr(sys.stdin, "buffer", None)
    if binary is None:  # a text stream without bytes underneath (e.g. in tests)
        return sys.stdin.readline() if line else sys.stdin.read()
    data: bytes = binary.readline() if line else binary.read()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        from alliancekit.cli import UsageError

        raise UsageError(f"standard input is not UTF-8 text (byte {error.start + 1})") from None


def print_json(data: Any) -> None:
    """Print JSON (indented, UTF-8) to stdout; control characters are escaped by JSON itself, and
    format characters (bidi overrides) and line separators as ``\\uXXXX`` too."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    if printable(text, keep_newlines=True) != text:  # such characters only occur in strings
        text = "".join(
            char if char == "\n" or printable(char) == char else json.dumps(char)[1:-1]
            for char in text
        )
    sys.stdout.write(text + "\n")
