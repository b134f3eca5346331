"""Collecting the problems of a scale document, each with its JSON path, as the loader's second
pass finds them."""

from __future__ import annotations

from collections.abc import Sequence

from alliancekit.errors import DefinitionIssue
from alliancekit.loading import json_path

__all__ = ["IssueCollector"]


class IssueCollector:
    """The problems found so far (``.found``), in the order they were found."""

    def __init__(self) -> None:
        self.found: list[DefinitionIssue] = []

    def add(self, parts: Sequence[object], code: str, message: str) -> None:
        """Record a problem at the JSON path made of ``parts`` (keys and indexes)."""
        self.found.append(DefinitionIssue(json_path=json_path(parts), code=code, message=message))
