"""What :func:`alliancekit.testing.check_scale` returns: one result per property, as data.

This module imports nothing heavy (no Hypothesis), so the command line and the pytest plugin can
name the properties without loading the property suite.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Literal

import attrs

from alliancekit.errors import DefinitionIssue

__all__ = ["PROPERTIES", "CheckReport", "PropertyResult", "Status"]

Status = Literal["passed", "failed", "skipped"]

#: Every check of the suite, in the order it runs, with what it holds when it passes.
PROPERTIES: Mapping[str, str] = {
    "document": "the document passes every loader check (meta-schema and semantic rules)",
    "round-trip": "load_scale(scale.to_dict()) gives the same scale with the same sha256",
    "score-in-range": "complete valid answers give every score a value inside its derived range",
    "prorated-in-range": "valid answers with missing items give scores inside their ranges "
    "(prorated or not) or no value",
    "reverse-involution": "reverse keying (min + max - x) maps each item's answers onto its own "
    "answers and applied twice gives x back",
    "reverse-key-range": "each reversed item is keyed on the same range as the unreversed items "
    "of every score it belongs to",
    "monotone": "raising an answer never moves a score against the item's keyed direction "
    "(reverse key, weight sign, transform orientation)",
    "bands-tile-range": "each score's bands cover its range with no gap and no overlap",
    "cutoffs-in-range": "every band boundary and norm mean lies inside the score's range and "
    "every drop alert can fire",
}


@attrs.frozen(kw_only=True)
class PropertyResult:
    """The outcome of one check.

    :ivar name: the check's name, a key of :data:`PROPERTIES`.
    :ivar status: ``passed``, ``failed`` or ``skipped``.
    :ivar message: why it failed or was skipped (``None`` when it passed).
    :ivar counterexample: JSON-ready data that makes the property fail (e.g. the answers, the
        score and its value), or ``None``.
    :ivar issues: for ``document`` (and ``round-trip``), every loader problem with its JSON path.
    """

    name: str
    status: Status
    message: str | None = None
    counterexample: Mapping[str, Any] | None = None
    issues: tuple[DefinitionIssue, ...] = ()

    @property
    def description(self) -> str:
        """What the check holds when it passes."""
        return PROPERTIES.get(self.name, self.name)

    @property
    def passed(self) -> bool:
        """Whether the check did not fail (a skipped check has nothing to fail on)."""
        return self.status != "failed"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping of this result."""
        return {
            "name": self.name,
            "status": self.status,
            "message": self.message,
            "counterexample": self.counterexample,
            "issues": [
                {"json_path": i.json_path, "code": i.code, "message": i.message}
                for i in self.issues
            ],
        }


@attrs.frozen(kw_only=True)
class CheckReport:
    """Every check run on one scale.

    :ivar source: what was checked: a path, a scale id, or ``"<mapping>"``.
    :ivar results: one :class:`PropertyResult` per check, in :data:`PROPERTIES` order.
    """

    source: str
    results: tuple[PropertyResult, ...]

    @property
    def passed(self) -> bool:
        """Whether no check failed."""
        return all(r.passed for r in self.results)

    @property
    def failures(self) -> tuple[PropertyResult, ...]:
        """The failed checks."""
        return tuple(r for r in self.results if not r.passed)

    def result(self, name: str) -> PropertyResult:
        """The result of the check called ``name``; raises :class:`KeyError` if it did not run."""
        for r in self.results:
            if r.name == name:
                return r
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping of this report."""
        return {
            "source": self.source,
            "passed": self.passed,
            "results": [r.to_dict() for r in self.results],
        }

    def format(self, *, failures_only: bool = False) -> str:
        """The report as text for a person: one line per check, failures with their
        counterexample and loader issues."""
        failed = len(self.failures)
        skipped = sum(r.status == "skipped" for r in self.results)
        if failed:
            head = f"{self.source}: FAILED ({failed} of {len(self.results)} checks failed)"
        else:
            ran = len(self.results) - skipped
            head = f"{self.source}: ok ({ran} checks passed, {skipped} skipped)"
        lines = [head]
        for r in self.results:
            if failures_only and r.passed:
                continue
            mark = {"passed": "ok", "failed": "FAILED", "skipped": "skipped"}[r.status]
            about = f" - {r.message}" if r.message else ""
            lines.append(f"  {mark:<8}{r.name}{about}")
            lines.extend(f"          {issue}" for issue in r.issues)
            if r.counterexample is not None:
                example = json.dumps(r.counterexample, ensure_ascii=False, default=repr)
                lines.append(f"          counterexample: {example}")
        return "\n".join(lines)
