"""Collecting the problems of a scale document, each with its JSON path, as the loader's second
pass finds them."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from alliancekit.errors import DefinitionIssue

__all__ = ["IssueCollector", "child_path", "json_path"]

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def child_path(path: str, key: str) -> str:
    """``path`` extended by the member ``key`` (``$.a`` or ``$["a b"]``)."""
    return f"{path}.{key}" if _IDENTIFIER.fullmatch(key) else f"{path}[{json.dumps(key)}]"


def json_path(parts: Any) -> str:
    """Render a sequence of keys and indexes as a JSON path such as ``$.scores[0].items[1]``."""
    path = "$"
    for part in parts:
        path = f"{path}[{part}]" if isinstance(part, int) else child_path(path, str(part))
    return path


class IssueCollector:
    """The problems found so far (``.found``), in the order they were found."""

    def __init__(self) -> None:
        self.found: list[DefinitionIssue] = []

    def add(self, parts: Sequence[object], code: str, message: str) -> None:
        """Record a problem at the JSON path made of ``parts`` (keys and indexes)."""
        self.found.append(DefinitionIssue(json_path=json_path(parts), code=code, message=message))
