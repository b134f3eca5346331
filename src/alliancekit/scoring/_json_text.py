"""Reading JSON text strictly: the one parser behind scale documents, JSON answers and JSON Lines.

Python's :func:`json.loads` takes the last of two members with the same name, reads ``NaN`` and
``Infinity``, raises :class:`RecursionError` for deeply nested text and :class:`ValueError` for
an integer of more than 4,300 digits, and returns strings holding lone surrogates (``"\\ud800"``)
that cannot be written out again. :func:`read_json` refuses all of these with a
:class:`JsonTextError` carrying a stable code.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from typing import Any

__all__ = ["JsonTextError", "duplicate_keys", "find_lone_surrogate", "read_json"]

#: An integer with more digits than this cannot be an answer or a document value (Python reads
#: at most 4,300 digits; every limit of alliancekit is far below this).
MAX_INTEGER_DIGITS = 400

_LONG_INTEGER = re.compile(f"[0-9]{{{MAX_INTEGER_DIGITS + 1},}}")


class JsonTextError(ValueError):
    """JSON text that is refused.

    :ivar code: ``invalid-json``, ``duplicate-key``, ``number-too-large``, ``not-finite``,
        ``too-deep`` or ``lone-surrogate``.
    :ivar key: for ``duplicate-key``, the repeated member name.
    :ivar reason: the message without the line and column.
    """

    def __init__(
        self, code: str, message: str, *, key: str | None = None, reason: str | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.key = key
        self.reason = message if reason is None else reason


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise JsonTextError(
                    "duplicate-key", f"the member {_label(key)} appears more than once", key=key
                )
            seen.add(key)
    return result


def _label(key: str) -> str:
    text = key.encode("utf-8", "backslashreplace").decode("utf-8")
    return repr(text if len(text) <= 40 else text[:39] + "…")


def _integer(text: str) -> int:
    if len(text) > MAX_INTEGER_DIGITS:
        raise JsonTextError(
            "number-too-large", f"an integer of {len(text.lstrip('-'))} digits is too large"
        )
    return int(text)


def _finite(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise JsonTextError("number-too-large", f"the number {text[:40]} is too large")
    return value


def _constant(name: str) -> float:
    raise JsonTextError("not-finite", f"{name} is not a JSON number")


_DECODER = json.JSONDecoder(
    object_pairs_hook=_pairs, parse_int=_integer, parse_float=_finite, parse_constant=_constant
)


def read_json(text: str) -> Any:
    """Parse JSON text strictly.

    :returns: the value (objects as ``dict``, arrays as ``list``).
    :raises JsonTextError: for text that is not JSON (``invalid-json``, with line and column), a
        member name repeated in one object (``duplicate-key``), an integer of more than
        :data:`MAX_INTEGER_DIGITS` digits or a number beyond the float range
        (``number-too-large``), ``NaN`` or ``Infinity`` (``not-finite``), nesting too deep for
        the parser (``too-deep``), or text holding a lone surrogate (``lone-surrogate``).
    """
    try:
        value = _DECODER.decode(text)
    except RecursionError:
        raise JsonTextError("too-deep", "nested too deeply") from None
    except json.JSONDecodeError as error:
        raise JsonTextError(
            "invalid-json",
            f"line {error.lineno} column {error.colno}: {error.msg}",
            reason=error.msg,
        ) from None
    except JsonTextError as error:
        if error.code == "number-too-large":
            long = _LONG_INTEGER.search(text)
            if long is not None:
                line = text.count("\n", 0, long.start()) + 1
                column = long.start() - text.rfind("\n", 0, long.start())
                raise JsonTextError(
                    error.code, f"line {line} column {column}: {error}", reason=str(error)
                ) from None
        raise
    # A lone surrogate comes from an escape such as \ud800 (or from text that was given so).
    if "\\ud" in text or "\\uD" in text or _has_surrogate(text):
        where = find_lone_surrogate(value)
        if where is not None:
            raise JsonTextError(
                "lone-surrogate", f"{where} holds a lone surrogate (\\ud800-\\udfff), not text"
            )
    return value


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def find_lone_surrogate(value: Any) -> str | None:
    """Where a decoded JSON value holds text that is not valid Unicode (a lone surrogate, which
    cannot be written as UTF-8): ``"a member name"``, ``"a string"``, or ``None`` when it holds
    none. Walks iteratively (any depth)."""
    for kind, text in _texts(value):
        if _has_surrogate(text):
            return kind
    return None


def _texts(value: Any) -> Iterator[tuple[str, str]]:
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            yield "a string", node
        elif isinstance(node, dict):
            for key, child in node.items():
                if isinstance(key, str):
                    yield "a member name", key
                stack.append(child)
        elif isinstance(node, (list, tuple)):
            stack.extend(node)


class _Repeated(dict[str, Any]):
    """An object whose pairs repeat a member name (``.repeated``: the names, in order)."""

    repeated: list[str]


def _marking_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) == len(pairs):
        return result
    marked = _Repeated(pairs)
    seen: set[str] = set()
    marked.repeated = []
    for key, _ in pairs:
        if key in seen and key not in marked.repeated:
            marked.repeated.append(key)
        seen.add(key)
    return marked


_MARKING = json.JSONDecoder(
    object_pairs_hook=_marking_pairs,
    parse_int=_integer,
    parse_float=_finite,
    parse_constant=_constant,
)


def duplicate_keys(text: str) -> list[tuple[tuple[str | int, ...], str]]:
    """Every member name repeated within one object of ``text`` (JSON that :func:`read_json`
    refused with ``duplicate-key``): the path of the object (keys and indexes) and the name.
    Empty when the text cannot be parsed for another reason."""
    try:
        value = _MARKING.decode(text)
    except (ValueError, RecursionError):
        return []
    found: list[tuple[tuple[str | int, ...], str]] = []
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(value, ())]
    while stack:
        node, parts = stack.pop()
        if isinstance(node, _Repeated):
            found.extend((parts, key) for key in node.repeated)
        if isinstance(node, dict):
            stack.extend((child, (*parts, key)) for key, child in node.items())
        elif isinstance(node, list):
            stack.extend((child, (*parts, i)) for i, child in enumerate(node))
    found.sort(key=lambda entry: [str(p) for p in entry[0]] + [entry[1]])
    return found
