"""The whole exception hierarchy of alliancekit, and the issue records that errors carry.

Every error a caller may want to handle is importable from :mod:`alliancekit` itself. Errors carry
data (``.errors``, ``.issues``) so that a user interface can show every problem at once, keyed by a
stable kebab-case code that it can translate.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

import attrs

__all__ = [
    "AllianceKitError",
    "DefinitionIssue",
    "DuplicateRegistrationError",
    "InterpretationError",
    "PluginError",
    "PluginLoadError",
    "PluginLoadWarning",
    "ResponseError",
    "ResponseIssue",
    "ScaleDefinitionError",
    "ScoringError",
    "StorageError",
    "UnknownScaleError",
    "printable",
]

#: Unicode categories that must not reach a terminal as they are: control characters (escape
#: sequences such as ``ESC ]0;title BEL``), format characters (bidi overrides such as U+202E, which
#: reorder what is shown), line and paragraph separators, and lone surrogates.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})


def printable(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` safe to show on a terminal: every control or format character (ANSI escape
    sequences, bidi overrides, zero-width characters) and lone surrogate is written as an escape
    (``\\x1b``, ``\\u202e``); printable text, including non-ASCII letters, is kept.

    :param keep_newlines: keep ``\\n`` (for text made of several lines).
    """
    if text.isprintable():
        return text
    out = []
    for char in text:
        if (char == "\n" and keep_newlines) or (
            char.isprintable() or unicodedata.category(char) not in _UNSAFE_CATEGORIES
        ):
            out.append(char)
        else:
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
    return "".join(out)


def _printable(text: object) -> str:
    return printable(text) if isinstance(text, str) else text  # type: ignore[return-value]


@attrs.frozen(kw_only=True)
class DefinitionIssue:
    """One problem found in a scale document.

    :ivar json_path: where the problem is, e.g. ``$.scores[0].items[1]``.
    :ivar code: a stable kebab-case code, e.g. ``unknown-item``.
    :ivar message: a sentence for a person (control and format characters escaped: see
        :func:`printable`).
    """

    json_path: str
    code: str
    message: str = attrs.field(converter=_printable)

    def __str__(self) -> str:
        return f"{printable(self.json_path)}: [{self.code}] {self.message}"


@attrs.frozen(kw_only=True)
class ResponseIssue:
    """One problem found in a set of answers.

    :ivar item_id: the item the problem is about (an unknown id is reported as given).
    :ivar code: a stable kebab-case code, e.g. ``value-not-an-option``.
    :ivar message: a sentence for a person; never contains a respondent identifier (control and
        format characters escaped: see :func:`printable`).
    """

    item_id: str
    code: str
    message: str = attrs.field(converter=_printable)

    def __str__(self) -> str:
        return f"{printable(self.item_id)}: [{self.code}] {self.message}"


class AllianceKitError(Exception):
    """Base class of every error raised on purpose by alliancekit."""


#: How many problems an error's message lists; all of them stay in ``.issues``/``.errors``.
MAX_MESSAGE_PROBLEMS = 50


def _listing(header: str, lines: list[object], attribute: str) -> str:
    shown = lines[:MAX_MESSAGE_PROBLEMS]
    body = "\n".join(f"  - {line}" for line in shown)
    if len(lines) > len(shown):
        body += f"\n  … and {len(lines) - len(shown)} more (all are listed in .{attribute})"
    return f"{header}\n{body}" if body else header


class ScaleDefinitionError(AllianceKitError, ValueError):
    """A scale document is not valid; ``.errors`` lists every problem found (the message lists
    the first :data:`MAX_MESSAGE_PROBLEMS`)."""

    def __init__(self, errors: Iterable[DefinitionIssue], *, source: str | None = None) -> None:
        self.errors: list[DefinitionIssue] = list(errors)
        self.source = source
        where = f" in {source}" if source else ""
        n = len(self.errors)
        header = f"{n} problem{'s' if n != 1 else ''} in scale document{where}:"
        super().__init__(_listing(header, list(self.errors), "errors"))


class UnknownScaleError(AllianceKitError, LookupError):
    """No scale with this id is built in or registered by a plugin."""

    def __init__(self, scale_id: str, known: Iterable[str] = ()) -> None:
        self.scale_id = scale_id
        known_ids = sorted(known)
        hint = f" (known: {', '.join(known_ids)})" if known_ids else ""
        super().__init__(f"unknown scale {scale_id!r}{hint}")


class ResponseError(AllianceKitError, ValueError):
    """A set of answers cannot be scored; ``.issues`` lists every problem found (the message
    lists the first :data:`MAX_MESSAGE_PROBLEMS`)."""

    def __init__(self, issues: Iterable[ResponseIssue], *, scale_id: str | None = None) -> None:
        self.issues: list[ResponseIssue] = list(issues)
        self.scale_id = scale_id
        n = len(self.issues)
        scale = f" for scale {scale_id!r}" if scale_id else ""
        header = f"{n} problem{'s' if n != 1 else ''} in the answers{scale}:"
        super().__init__(_listing(header, list(self.issues), "issues"))


class InterpretationError(AllianceKitError, ValueError):
    """A result cannot be read as asked: another document than the one that scored it, an
    unknown norm, statistics out of their domain (e.g. ``sd <= 0``), or mixed scales."""


class ScoringError(AllianceKitError):
    """A score could not be computed for a reason other than the answers (e.g. a broken method)."""


class StorageError(AllianceKitError):
    """A storage backend failed, or a stored record cannot be found or changed."""


class PluginError(AllianceKitError):
    """A plugin is broken or conflicts with another."""


class PluginLoadError(PluginError):
    """A plugin failed to load; raised only in strict mode (``ALLIANCEKIT_STRICT_PLUGINS=1``)."""


class DuplicateRegistrationError(PluginError):
    """Two plugins registered the same scale id or storage scheme.

    :ivar kind: what was registered twice, e.g. ``"scale"``.
    :ivar key: the id or scheme.
    :ivar sources: the two registrants, first one first.
    """

    def __init__(self, kind: str, key: str, first: str, second: str) -> None:
        self.kind = kind
        self.key = key
        self.sources = (first, second)
        super().__init__(f"{kind} {key!r} is registered twice: by {first} and by {second}")


class PluginLoadWarning(UserWarning):
    """A broken plugin was reported and skipped; everything else keeps working."""
