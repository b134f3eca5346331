"""The facts of a scale document, each with its source and status (part of the loader's second
pass), and the document's status derived from them.

Meta-schema v2 documents state a ``status`` on every fact; the document is ``verified`` only when
every fact is, and a ``verified`` fact must name its source (``verified-without-source``). A v1
document states one status for the whole document: its facts are listed with ``status=None`` and
its stated status is kept, so it loads, scores and warns exactly as before.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from alliancekit.document._issues import IssueCollector, json_path
from alliancekit.model import (
    Fact,
    FactKind,
    Item,
    ResponseSet,
    ScoreDefinition,
    Verification,
    alert_subject,
    band_subject,
    norm_subject,
)

__all__ = ["provenance", "schema_version"]

Parts = tuple[object, ...]


_V1 = "urn:alliancekit:schema:scale:1"


def schema_version(document: Mapping[str, Any]) -> int:
    """The meta-schema version a (schema-valid) document declares: 1 or 2."""
    return 1 if document["$schema"] == _V1 else 2


def provenance(
    document: Mapping[str, Any],
    sets: Mapping[str, ResponseSet],
    items: Mapping[str, Item],
    scores: Mapping[str, ScoreDefinition],
    issues: IssueCollector,
) -> tuple[tuple[Fact, ...], Verification]:
    """List the document's facts in document order and derive its verification.

    :returns: the facts and the :class:`Verification` (v2: status derived from the facts; v1: as
        stated). A verified fact without a source goes to ``issues``.
    """
    version = schema_version(document)
    found = _Facts(version, scores)
    population = document.get("population")
    if population is not None:
        subject = f"population: {population['description']}"
        found.add("population", subject, ("population",), (), population)
    for set_id, spec in document["response_sets"].items():
        users = tuple(
            s for s in scores if any(items[i].response_set.id == set_id for i in found.items_of(s))
        )
        found.add(
            "response-set", _set_subject(sets[set_id]), ("response_sets", set_id), users, spec
        )
    reversed_items = [item.id for item in items.values() if item.reverse]
    keyed = tuple(s for s in scores if found.items_of(s))
    found.add(
        "keying",
        f"reverse keys ({', '.join(reversed_items)} reversed)"
        if reversed_items
        else "reverse keys (no item reversed)",
        ("keying",),
        keyed,
        document.get("keying"),
    )
    for index, spec in enumerate(document["scores"]):
        score = scores.get(spec["id"])
        if score is None:  # not built: its own problems are reported already
            continue
        users = tuple(s for s in scores if score.id in found.closure(s))
        where: Parts = ("scores", index)
        found.add("membership", _membership_subject(score, spec), where, users, spec)
        found.add(
            "missing", _missing_subject(score), (*where, "missing"), users, spec.get("missing")
        )
        if "transform" in spec:
            low, high = score.transform.to if score.transform else (0.0, 0.0)
            found.add(
                "transform",
                f"transform of {score.id!r} to [{low:g}, {high:g}]",
                (*where, "transform"),
                users,
                spec["transform"],
            )
    for score_id, spec in document.get("interpretation", {}).items():
        score = scores.get(score_id)
        if score is None:
            continue
        where = ("interpretation", score_id)
        for index, band in enumerate(spec.get("bands", [])):
            subject = band_subject(band["lower"], band["upper"], score_id, score.range)
            found.add("band", subject, (*where, "bands", index), (), band)
        for index, norm in enumerate(spec.get("norms", [])):
            at: Parts = (*where, "norms", index)
            found.add("norm", norm_subject(norm["id"], score_id), at, (), norm)
            for position, band in enumerate(norm.get("bands", [])):
                subject = band_subject(
                    band["lower"], band["upper"], score_id, score.range, norm["id"]
                )
                found.add("band", subject, (*at, "bands", position), (), band)
        for index, rule in enumerate(spec.get("alerts", [])):
            subject = alert_subject(rule["kind"], score_id, rule.get("min_drop"), rule.get("norm"))
            found.add("alert", subject, (*where, "alerts", index), (), rule)
    if version == 2:
        for fact, parts in found.facts:
            if fact.status == "verified" and fact.source is None:
                issues.add(
                    parts,
                    "verified-without-source",
                    f"{_short(fact.subject)} is 'verified' but names no source; add its "
                    "source or mark it 'provisional'",
                )
    facts = tuple(fact for fact, _ in found.facts)
    raw = document["verification"]
    if version == 1:
        status = raw["status"]
    else:
        status = "verified" if all(f.status == "verified" for f in facts) else "provisional"
    verification = Verification(
        status=status, sources=tuple(raw["sources"]), open_questions=tuple(raw["open_questions"])
    )
    return facts, verification


class _Facts:
    """The facts found so far, with the member closure of each score."""

    def __init__(self, version: int, scores: Mapping[str, ScoreDefinition]) -> None:
        self.version = version
        self.scores = scores
        self.facts: list[tuple[Fact, Parts]] = []

    def closure(self, score_id: str) -> set[str]:
        """``score_id`` and every score it is built from, recursively."""
        seen = {score_id}
        stack = [score_id]
        while stack:
            score = self.scores.get(stack.pop())
            for component in score.scores if score is not None else ():
                if component not in seen:
                    seen.add(component)
                    stack.append(component)
        return seen

    def items_of(self, score_id: str) -> set[str]:
        """The items a score's value rests on, through its component scores."""
        return {i for s in self.closure(score_id) if s in self.scores for i in self.scores[s].items}

    def add(
        self,
        kind: FactKind,
        subject: str,
        parts: Parts,
        scores: Sequence[str],
        spec: Mapping[str, Any] | None = None,
    ) -> None:
        # A v1 document has no keying fact, and a score may have no missing-data rule.
        spec = spec or {}
        source = spec.get("source")
        if isinstance(source, str) and not source.strip():
            source = None
        status = spec.get("status") if self.version == 2 else None
        fact = Fact(
            kind=kind,
            subject=subject,
            path=json_path(parts),
            status=status,
            source=source,
            scores=tuple(scores),
        )
        self.facts.append((fact, parts))


def _set_subject(rs: ResponseSet) -> str:
    if rs.kind == "continuous":
        unit = f" {rs.unit}" if rs.unit else ""
        low = "?" if rs.min is None else f"{rs.min:g}"
        high = "?" if rs.max is None else f"{rs.max:g}"
        return f"response set {rs.id!r} ({low}–{high}{unit}, continuous)"
    first, last = rs.options[0], rs.options[-1]
    return f"response set {rs.id!r} ({_anchor(first.value, first.label)} … " + (
        f"{_anchor(last.value, last.label)})"
    )


def _anchor(value: int, label: Mapping[str, str] | None) -> str:
    if not label:
        return str(value)
    text = label.get("en") or next(iter(label.values()))
    return f"{value} {text}"


def _membership_subject(score: ScoreDefinition, spec: Mapping[str, Any]) -> str:
    if spec.get("items") == "all":
        members = f"all {len(score.items)} items"
    elif score.items:
        members = ", ".join(score.items)
    else:
        members = "scores " + ", ".join(score.scores)
    return f"score {score.id!r} ({score.method} of {members})"


def _missing_subject(score: ScoreDefinition) -> str:
    rule = score.missing
    member = "item" if score.items else "component score"
    if not rule.allows_missing:
        what = f"no {member} may be missing"
    elif rule.max_missing is not None:
        what = f"up to {rule.max_missing} {member}s missing"
    else:
        what = f"at least {rule.min_answered:g} of the {member}s answered"
    if rule.allows_missing and rule.impute == "prorate":
        what += ", prorated"
    return f"missing-data rule of {score.id!r} ({what})"


def _short(text: str, limit: int = 120) -> str:
    # A population's description is free text: never echo it whole in a message.
    return text if len(text) <= limit else text[: limit - 1] + "…"
