"""The loader's second pass: rules JSON Schema cannot express, and the model built from a document.

Runs only on documents that passed the meta-schema, so the structure can be trusted here. Every
problem is collected (JSON path, stable code, message) and raised together as one
:class:`~alliancekit.errors.ScaleDefinitionError`, like the schema pass.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

from alliancekit.document._interpretation_checks import interpretation
from alliancekit.document._issues import IssueCollector
from alliancekit.document._provenance import provenance, schema_version
from alliancekit.document._scale import Scale
from alliancekit.errors import ScaleDefinitionError
from alliancekit.model import (
    Citation,
    Item,
    License,
    MissingRule,
    Option,
    ResponseSet,
    ScoreDefinition,
    Transform,
)
from alliancekit.scoring import ScoringMethod, exact

__all__ = ["build_scale"]


def build_scale(
    document: Mapping[str, Any],
    *,
    sha256: str,
    source: str | None,
    methods: Mapping[str, ScoringMethod],
) -> Scale:
    """Check a schema-valid document and build its :class:`Scale`.

    :param methods: the scoring methods the document may name, by name.
    :raises ScaleDefinitionError: with every semantic problem found.
    """
    issues = IssueCollector()
    # Ids that are defined but broken (already reported): a reference to one is not reported
    # again as a reference to nothing, so each problem is reported once, at its root.
    broken: set[str] = set()
    response_sets = _response_sets(document["response_sets"], issues)
    items = _items(document["items"], response_sets, issues, broken)
    scores = _scores(document["scores"], items, methods, issues, broken)
    readings = interpretation(document.get("interpretation", {}), scores, issues, broken)
    facts, verification = provenance(document, response_sets, items, scores, issues)
    if issues.found:
        raise ScaleDefinitionError(issues.found, source=source)
    return Scale(
        id=document["id"],
        version=document["version"],
        title=document["title"],
        abbreviation=document.get("abbreviation"),
        construct=document.get("construct"),
        respondent=document.get("respondent"),
        citations=tuple(Citation(**c) for c in document["citations"]),
        license=License(**document["license"]),
        verification=verification,
        facts=facts,
        schema_version=schema_version(document),
        response_sets=response_sets,
        items=tuple(items.values()),
        scores=tuple(scores.values()),
        interpretation=readings,
        sha256=sha256,
        methods={s.method: methods[s.method] for s in scores.values()},
        document=document,
    )


def _response_sets(raw: Mapping[str, Any], issues: IssueCollector) -> dict[str, ResponseSet]:
    sets = {}
    for set_id, spec in raw.items():
        where = ("response_sets", set_id)
        if spec["kind"] == "ordinal":
            options = tuple(Option(value=o["value"], label=o.get("label")) for o in spec["options"])
            values = [o.value for o in options]
            if len(set(values)) != len(values):
                issues.add(where + ("options",), "duplicate-option-value", "option values repeat")
            sets[set_id] = ResponseSet(
                id=set_id,
                kind="ordinal",
                options=options,
                min=min(values),
                max=max(values),
                source=spec.get("source"),
                status=spec.get("status"),
            )
        else:
            low, high = spec.get("min"), spec.get("max")
            if low is None or high is None:
                issues.add(
                    where,
                    "unbounded-response-set",
                    "a continuous response set needs min and max so scores have a range",
                )
            elif low >= high:
                issues.add(where + ("max",), "empty-range", f"max ({high}) must exceed min ({low})")
            sets[set_id] = ResponseSet(
                id=set_id,
                kind="continuous",
                min=low,
                max=high,
                unit=spec.get("unit"),
                source=spec.get("source"),
                status=spec.get("status"),
            )
    return sets


def _items(
    raw: Sequence[Mapping[str, Any]],
    sets: Mapping[str, ResponseSet],
    issues: IssueCollector,
    broken: set[str],
) -> dict[str, Item]:
    items: dict[str, Item] = {}
    last_number = 0
    for index, spec in enumerate(raw):
        where = ("items", index)
        if spec["id"] in items:
            issues.add(where + ("id",), "duplicate-item-id", f"item id {spec['id']!r} repeats")
        if spec["number"] <= last_number:
            issues.add(
                where + ("number",),
                "item-number-order",
                f"item numbers must increase in published order ({spec['number']} follows "
                f"{last_number})",
            )
        last_number = max(last_number, spec["number"])
        response_set = sets.get(spec["response_set"])
        if response_set is None:
            issues.add(
                where + ("response_set",),
                "unknown-response-set",
                f"no response set {spec['response_set']!r}",
            )
            broken.add(spec["id"])
            continue
        reverse = spec.get("reverse", False)
        if reverse and (response_set.min is None or response_set.max is None):
            issues.add(
                where + ("reverse",),
                "reverse-without-range",
                "reverse keying (min + max - x) needs a response set with min and max",
            )
        elif reverse and response_set.kind == "ordinal":
            values = response_set.values
            key = (response_set.min or 0) + (response_set.max or 0)
            strays = [(v, key - v) for v in sorted(values) if key - v not in values]
            if strays:
                shown = ", ".join(f"{v:g} to {r:g}" for v, r in strays[:10])
                more = f" and {len(strays) - 10} more" if len(strays) > 10 else ""
                issues.add(
                    where + ("reverse",),
                    "reverse-asymmetric-options",
                    f"reverse keying (min + max - x = {key:g} - x) maps options of "
                    f"{response_set.id!r} onto values that are not options: {shown}{more}",
                )
        items.setdefault(
            spec["id"],
            Item(
                id=spec["id"],
                number=spec["number"],
                response_set=response_set,
                reverse=reverse,
                construct=spec.get("construct"),
                text=spec.get("text"),
            ),
        )
    return items


def _scores(
    raw: Sequence[Mapping[str, Any]],
    items: Mapping[str, Item],
    methods: Mapping[str, ScoringMethod],
    issues: IssueCollector,
    broken: set[str],
) -> dict[str, ScoreDefinition]:
    scores: dict[str, ScoreDefinition] = {}
    for index, spec in enumerate(raw):
        where: tuple[object, ...] = ("scores", index)
        before = len(issues.found)
        if spec["id"] in scores:
            issues.add(where + ("id",), "duplicate-score-id", f"score id {spec['id']!r} repeats")
        if "range" in spec:
            issues.add(
                where + ("range",),
                "typed-score-range",
                "a score's range is derived from its items and method; remove 'range'",
            )
        method = methods.get(spec["method"])
        if method is None:
            issues.add(
                where + ("method",),
                "unknown-method",
                f"no scoring method {spec['method']!r} (known: {', '.join(sorted(methods))})",
            )
        members, bounds, complete = _members(spec, where, items, scores, issues, broken)
        weights = spec.get("weights")
        if complete:  # with a broken member, these checks would report its absence again
            _check_weights(spec, where, members, issues)
            missing = MissingRule(**spec.get("missing", {}))
            _check_missing(spec, where, missing, method, bounds, len(members), issues)
        if len(issues.found) > before or method is None or not complete:
            if spec["id"] not in scores:
                broken.add(spec["id"])
            continue
        try:
            low, high = _derive_range(method, bounds, spec, members)
        except _MethodFailed as failure:
            issues.add(where + ("method",), "method-failed", str(failure))
            continue
        raw_range = (Fraction(low), Fraction(high))
        if missing.round is not None and any(
            (end * 10**missing.round).denominator != 1 for end in raw_range
        ):
            issues.add(
                (*where, "missing", "round"),
                "round-off-grid",
                f"rounding to {missing.round} decimals could leave the range "
                f"[{float(low)}, {float(high)}], whose ends are not on that grid",
            )
        transform = None
        if "transform" in spec:
            to = spec["transform"]["to"]
            transform = Transform(
                to=(to[0], to[1]),
                source=spec["transform"].get("source"),
                status=spec["transform"].get("status"),
            )
            if to[0] == to[1] or low == high:
                issues.add(
                    where + ("transform",),
                    "degenerate-transform",
                    "a transform needs a raw range and a target range of non-zero width",
                )
                continue
            low, high = sorted((exact(to[0]), exact(to[1])))
        by_items = "items" in spec
        scores[spec["id"]] = ScoreDefinition(
            id=spec["id"],
            title=spec.get("title"),
            method=spec["method"],
            items=tuple(members) if by_items else (),
            scores=() if by_items else tuple(members),
            weights=weights,
            missing=missing,
            transform=transform,
            parameters=spec.get("parameters"),
            source=spec.get("source"),
            status=spec.get("status"),
            range=(float(low), float(high)),
            raw_range=raw_range,
        )
    return scores


def _members(
    spec: Mapping[str, Any],
    where: tuple[object, ...],
    items: Mapping[str, Item],
    scores: Mapping[str, ScoreDefinition],
    issues: IssueCollector,
    broken: set[str],
) -> tuple[list[str], list[tuple[Fraction, Fraction]], bool]:
    """The item (or component score) ids of a score, the exact bounds of each, and whether every
    member could be resolved (a member that is defined but broken is not reported again)."""
    members: list[str] = []
    bounds: list[tuple[Fraction, Fraction]] = []
    complete = True
    if "items" in spec:
        ids = list(items) if spec["items"] == "all" else spec["items"]
        for position, item_id in enumerate(ids):
            item = items.get(item_id)
            if item is None and item_id in broken:
                complete = False
            elif item is None:
                complete = False
                issues.add(where + ("items", position), "unknown-item", f"no item {item_id!r}")
            elif item_id in members:
                issues.add(
                    where + ("items", position), "duplicate-score-item", f"{item_id!r} repeats"
                )
            elif item.response_set.min is not None and item.response_set.max is not None:
                members.append(item_id)
                low, high = item.response_set.min, item.response_set.max
                bounds.append((Fraction(exact(low)), Fraction(exact(high))))
    else:
        for position, score_id in enumerate(spec["scores"]):
            score = scores.get(score_id)
            if score is None and score_id in broken:
                complete = False
            elif score is None:
                complete = False
                issues.add(
                    where + ("scores", position),
                    "unknown-score",
                    f"no score {score_id!r} defined before this one",
                )
            elif score_id in members:
                issues.add(
                    where + ("scores", position), "duplicate-score-item", f"{score_id!r} repeats"
                )
            else:
                members.append(score_id)
                bounds.append(_exact_range(score))
    return members, bounds, complete


def _exact_range(score: ScoreDefinition) -> tuple[Fraction, Fraction]:
    """A score's exact (lowest, highest): its raw range, or its transform's target."""
    if score.transform is None:
        return score.raw_range
    low, high = sorted(Fraction(exact(end)) for end in score.transform.to)
    return low, high


def _check_weights(
    spec: Mapping[str, Any], where: tuple[object, ...], members: list[str], issues: IssueCollector
) -> None:
    weights = spec.get("weights")
    if spec["method"] != "weighted_sum":
        if weights is not None:
            issues.add(
                where + ("weights",), "weights-not-allowed", "only weighted_sum takes weights"
            )
        return
    if weights is None:
        issues.add(where, "weights-required", "weighted_sum needs a weight for every member")
        return
    for member in members:
        if member not in weights:
            issues.add(where + ("weights",), "weights-required", f"no weight for {member!r}")
    for key in weights:
        if key not in members:
            issues.add(where + ("weights", key), "unknown-item", f"{key!r} is not in this score")


def _check_missing(
    spec: Mapping[str, Any],
    where: tuple[object, ...],
    rule: MissingRule,
    method: ScoringMethod | None,
    bounds: list[tuple[Fraction, Fraction]],
    count: int,
    issues: IssueCollector,
) -> None:
    at = where + ("missing",)
    if rule.max_missing is not None and count and rule.max_missing >= count:
        issues.add(
            at + ("max_missing",),
            "missing-rule-too-lax",
            f"max_missing {rule.max_missing} would allow all {count} members to be missing",
        )
    if method is None or not rule.allows_missing:
        if rule.impute == "prorate" and not rule.allows_missing:
            issues.add(at + ("impute",), "prorate-without-missing", "nothing can be prorated")
        return
    if method.prorates and rule.impute != "prorate":
        issues.add(
            at + ("impute",),
            "sum-without-prorate",
            f"a {method.name} over fewer items would leave the score's range; set impute to "
            "'prorate' or allow no missing items",
        )
    if rule.impute == "prorate" and not method.prorates:
        issues.add(at + ("impute",), "prorate-not-supported", f"{method.name} cannot be prorated")
    if method.exact is not None and len(set(bounds)) > 1:
        issues.add(
            at,
            "missing-mixed-ranges",
            "missing members are only allowed when all members share one range; otherwise "
            "the score of the answered ones could leave the score's range",
        )
    weights = spec.get("weights") or {}
    if rule.impute == "prorate" and any(w <= 0 for w in weights.values()):
        issues.add(
            (*where, "weights"),
            "prorate-nonpositive-weights",
            "prorating a weighted sum needs positive weights; mixed signs can leave the range",
        )
    if rule.round is not None and rule.impute != "prorate":
        issues.add(at + ("round",), "round-without-prorate", "only prorated values are rounded")


def _derive_range(
    method: ScoringMethod,
    bounds: list[tuple[Fraction, Fraction]],
    spec: Mapping[str, Any],
    members: list[str],
) -> tuple[Fraction | int, Fraction | int]:
    if method.exact is not None:
        weights = None
        if spec.get("weights") is not None:
            weights = [exact(spec["weights"][m]) for m in members]
        if weights is None:
            return method.exact([b[0] for b in bounds], None), method.exact(
                [b[1] for b in bounds], None
            )
        low = sum(w * (lo if w >= 0 else hi) for w, (lo, hi) in zip(weights, bounds, strict=True))
        high = sum(w * (hi if w >= 0 else lo) for w, (lo, hi) in zip(weights, bounds, strict=True))
        return low, high
    float_bounds = [(float(lo), float(hi)) for lo, hi in bounds]
    by_items = "items" in spec
    probe = ScoreDefinition(
        id=spec["id"],
        method=spec["method"],
        items=tuple(members) if by_items else (),
        scores=() if by_items else tuple(members),
        parameters=spec.get("parameters"),
    )
    assert method.function is not None  # a method without an exact kernel has a function
    what = f"scoring method {method.name!r} ({method.origin})"
    try:
        if method.range is not None:
            ends = tuple(method.range(float_bounds, probe))
        else:
            ends = (
                method.function(tuple(b[0] for b in float_bounds), probe),
                method.function(tuple(b[1] for b in float_bounds), probe),
            )
    except Exception as error:  # a plugin's bug is the document's problem, never a traceback
        raise _MethodFailed(
            f"{what} failed while deriving the score's range: {type(error).__name__}: "
            f"{str(error)[:120]}"
        ) from None
    if len(ends) != 2 or not all(_finite_real(end) for end in ends):
        raise _MethodFailed(
            f"{what} gave {ends!r:.80} for the score's range; it must give two finite numbers"
        )
    return tuple(sorted((exact(ends[0]), exact(ends[1]))))  # type: ignore[return-value]


class _MethodFailed(Exception):
    """A plugin's scoring method could not give a score's range."""


def _finite_real(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
