"""A Hypothesis strategy of random *valid* scale documents, for testing engines and plugins.

Each document obeys the meta-schema and every rule of the loader's second pass
(``_semantics``): unique ids, items numbered in increasing order, weights only and
always for ``weighted_sum``, missing-data rules that may not leave a score's range (a sum that
allows missing items prorates; missing items only among members that share one range), bands
that tile the score's range, norm means inside it, alerts that can fire.

Score ranges are worked out here independently of the loader (exact fractions), so a document
that fails to load points at a disagreement worth reading.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

__all__ = ["scale_documents"]

Bounds = tuple[Fraction, Fraction]

_ID = st.from_regex(r"[A-Za-z][A-Za-z0-9_-]{0,7}", fullmatch=True)
_WEIGHTS = (1, 2, 3, 0.5, 1.5, 2.25, 0.1)
_TRANSFORMS = ((0, 100), (100, 0), (0, 10), (-1, 1), (0, 4.5))
_MIN_ANSWERED = (0.5, 0.6, 0.75, 0.8, 0.9)


def _exact(number: float) -> Fraction:
    """The decimal value a JSON number stands for (``0.1`` is 1/10), as the loader reads it."""
    return Fraction(number) if isinstance(number, int) else Fraction(repr(number))


def _tidy(number: float) -> int | float:
    return int(number) if number.is_integer() else number


def _survives_float(value: Fraction) -> bool:
    """Whether ``value`` comes back unchanged from the float a loaded range stores."""
    return Fraction(repr(float(value))) == value


@st.composite
def _response_set(draw: st.DrawFn) -> tuple[dict[str, Any], Bounds]:
    if draw(st.booleans()):
        low = draw(st.integers(-5, 5))
        width = draw(st.integers(1, 8))
        inner = draw(st.sets(st.integers(1, width - 1))) if width > 1 else set()
        # mirrored offsets, so reverse keying (min + max - x) maps options onto options
        offsets = {0, width} | inner | {width - i for i in inner}
        values = draw(st.permutations(sorted(low + o for o in offsets)))
        options: list[dict[str, Any]] = []
        for v in values:
            option: dict[str, Any] = {"value": v}
            if draw(st.booleans()):
                option["label"] = {"en": f"option {v}"}
            options.append(option)
        return {"kind": "ordinal", "options": options}, (Fraction(low), Fraction(low + width))
    start, width = draw(st.integers(-100, 100)), draw(st.integers(1, 200))
    low_n: int | float = start
    high_n: int | float = start + width
    if draw(st.booleans()):
        low_n, high_n = start / 10, (start + width) / 10
    spec: dict[str, Any] = {"kind": "continuous", "min": low_n, "max": high_n}
    if draw(st.booleans()):
        spec["unit"] = "cm"
    return spec, (_exact(low_n), _exact(high_n))


def _derive(method: str, bounds: Sequence[Bounds], weights: Sequence[Fraction]) -> Bounds:
    lows, highs = [b[0] for b in bounds], [b[1] for b in bounds]
    if method == "sum":
        return sum(lows, Fraction(0)), sum(highs, Fraction(0))
    if method == "mean":
        return sum(lows, Fraction(0)) / len(bounds), sum(highs, Fraction(0)) / len(bounds)
    low = sum(
        (w * (lo if w >= 0 else hi) for w, (lo, hi) in zip(weights, bounds, strict=True)),
        Fraction(0),
    )
    high = sum(
        (w * (hi if w >= 0 else lo) for w, (lo, hi) in zip(weights, bounds, strict=True)),
        Fraction(0),
    )
    return low, high


@st.composite
def _missing_rule(
    draw: st.DrawFn, method: str, bounds: Sequence[Bounds], raw: Bounds
) -> dict[str, Any] | None:
    count = len(bounds)
    shared = len(set(bounds)) == 1
    choice = draw(st.sampled_from(["allow", "none", "zero", "all-answered", "allow"]))
    if choice == "none":
        return None
    if choice == "zero":
        return {"max_missing": 0}
    if choice == "all-answered" or not shared:
        # a mean over members of different ranges leaves its range when one is missing
        return {"min_answered": 1}
    if count >= 2 and draw(st.booleans()):
        rule: dict[str, Any] = {"max_missing": draw(st.integers(1, count - 1))}
    else:
        rule = {"min_answered": draw(st.sampled_from(_MIN_ANSWERED))}
    if method in ("sum", "weighted_sum"):
        rule["impute"] = "prorate"
        digits = draw(st.none() | st.integers(0, 3))
        # rounding to a grid the range's ends lie on cannot leave the range
        if digits is not None and all((end * 10**digits).denominator == 1 for end in raw):
            rule["round"] = digits
    elif draw(st.booleans()):
        rule["impute"] = "none"
    return rule


@st.composite
def _score(
    draw: st.DrawFn,
    index: int,
    items: Sequence[tuple[str, Bounds]],
    scores: dict[str, Bounds],
    methods: Sequence[str],
) -> tuple[dict[str, Any], Bounds]:
    spec: dict[str, Any] = {"id": f"s{index}", "method": draw(st.sampled_from(methods))}
    usable = [s for s, r in scores.items() if _survives_float(r[0]) and _survives_float(r[1])]
    if usable and draw(st.integers(0, 3)) == 0:
        members = draw(st.lists(st.sampled_from(usable), min_size=1, unique=True))
        spec["scores"] = members
        bounds = [scores[m] for m in members]
    elif draw(st.booleans()):
        spec["items"] = "all"
        members = [i for i, _ in items]
        bounds = [b for _, b in items]
    else:
        chosen = draw(st.lists(st.sampled_from(items), min_size=1, unique_by=lambda t: t[0]))
        members = [i for i, _ in chosen]
        spec["items"] = members
        bounds = [b for _, b in chosen]
    weights = [Fraction(1)] * len(members)
    if spec["method"] == "weighted_sum":
        numbers = draw(st.lists(st.sampled_from(_WEIGHTS), min_size=len(members)))
        signs = draw(st.lists(st.sampled_from((1, -1)), min_size=len(members)))
        spec["weights"] = {m: n * s for m, n, s in zip(members, numbers, signs, strict=False)}
        weights = [_exact(spec["weights"][m]) for m in members]
    raw = _derive(spec["method"], bounds, weights)
    rule = draw(_missing_rule(spec["method"], bounds, raw))
    if rule is not None:
        if rule.get("impute") == "prorate" and "weights" in spec:
            # a prorated weighted sum with mixed-sign weights can leave its range
            spec["weights"] = {m: abs(w) for m, w in spec["weights"].items()}
            raw = _derive(spec["method"], bounds, [abs(w) for w in weights])
            if "round" in rule and any((end * 10 ** rule["round"]).denominator != 1 for end in raw):
                del rule["round"]
        spec["missing"] = rule
    result = raw
    if draw(st.integers(0, 3)) == 0:
        to = draw(st.sampled_from(_TRANSFORMS))
        spec["transform"] = {"to": list(to)}
        ends = sorted((_exact(to[0]), _exact(to[1])))
        result = (ends[0], ends[1])
    return spec, result


@st.composite
def _bands(draw: st.DrawFn, low: float, high: float, *, alert: bool) -> list[dict[str, Any]]:
    steps = [Fraction(low) + (Fraction(high) - Fraction(low)) * k / 8 for k in range(1, 8)]
    inside = sorted({float(s) for s in steps if low < float(s) < high})
    cuts = (
        sorted(draw(st.lists(st.sampled_from(inside), unique=True, max_size=3))) if inside else []
    )
    edges = [_tidy(e) for e in (low, *cuts, high)]
    flags = draw(st.lists(st.sampled_from(("none", "watch", "alert")), min_size=len(edges) - 1))
    if alert:
        flags[0] = "alert"
    bands = [
        {
            "lower": edges[i],
            "upper": edges[i + 1],
            "label": f"band {i}",
            "flag": flags[i],
            "source": "generated for testing",
        }
        for i in range(len(edges) - 1)
    ]
    return draw(st.permutations(bands))


@st.composite
def _interpretation(draw: st.DrawFn, low: float, high: float) -> dict[str, Any]:
    spec: dict[str, Any] = {}
    if draw(st.booleans()):
        spec["direction"] = draw(st.sampled_from(("higher-is-better", "higher-is-worse")))
    alerts: list[dict[str, Any]] = []
    want_alert = False
    if draw(st.booleans()):
        want_alert = draw(st.booleans())
        spec["bands"] = draw(_bands(low, high, alert=want_alert))
        if want_alert:
            alerts.append({"kind": "below-cutoff", "source": "generated for testing"})
    norms = []
    for n in range(draw(st.integers(0, 2))):
        norm: dict[str, Any] = {"id": f"n{n}", "population": "invented", "source": "generated"}
        if draw(st.booleans()):
            norm["mean"] = draw(st.floats(low, high))
            norm["sd"] = draw(st.floats(0.1, 100))
            norm["reliability"] = draw(st.sampled_from((0.0, 0.7, 0.85, 0.95)))
            norm["n"] = draw(st.integers(1, 5000))
            alerts.append(
                {"kind": "reliable-deterioration", "norm": norm["id"], "source": "generated"}
            )
        if draw(st.booleans()):
            # A below-cutoff rule without a norm reads the default norm's bands (or the only
            # norm's), so those need an alert band too.
            norm["bands"] = draw(_bands(low, high, alert=want_alert))
        norms.append(norm)
    if norms:
        if draw(st.booleans()):
            norms[0]["default"] = True
        spec["norms"] = norms
    if draw(st.booleans()):
        drop = draw(st.floats(0.01, high - low)) if high - low >= 0.01 else high - low
        alerts.append({"kind": "drop", "min_drop": drop, "source": "generated for testing"})
    if alerts:
        spec["alerts"] = draw(st.permutations(alerts))
    return spec


def _unreverse_odd_keys(
    items: list[dict[str, Any]], scores: list[dict[str, Any]], set_bounds: dict[str, Bounds]
) -> None:
    """Drop the reverse key of any item that check_scale's ``reverse-key-range`` would flag: a
    reversed item on another range than the unreversed items (sharing one) of a score."""
    by_id = {item["id"]: item for item in items}
    changed = True
    while changed:
        changed = False
        for score in scores:
            if "items" not in score:
                continue
            ids = list(by_id) if score["items"] == "all" else score["items"]
            keyed = [by_id[i] for i in ids]
            plain = {set_bounds[i["response_set"]] for i in keyed if not i.get("reverse")}
            for item in keyed:
                odd = len(plain) == 1 and set_bounds[item["response_set"]] not in plain
                if item.get("reverse") and odd:
                    item["reverse"] = False
                    changed = True


@st.composite
def scale_documents(
    draw: st.DrawFn,
    *,
    max_items: int = 8,
    max_scores: int = 4,
    methods: Sequence[str] = ("sum", "mean", "weighted_sum"),
) -> dict[str, Any]:
    """Random valid scale documents (plain JSON-ready dicts) that :func:`alliancekit.load_scale`
    accepts and :func:`alliancekit.testing.check_scale` passes.

    :param max_items: at most this many items (at least one).
    :param max_scores: at most this many scores (at least one); later scores may combine
        earlier ones.
    :param methods: the built-in methods to use (any of ``sum``, ``mean``, ``weighted_sum``).
    :returns: a strategy of documents with ordinal and continuous response sets, reversed items,
        weights, missing-data rules, transforms, bands, norms and alerts.
    """
    set_ids = draw(st.lists(_ID, min_size=1, max_size=3, unique=True))
    response_sets: dict[str, Any] = {}
    set_bounds: dict[str, Bounds] = {}
    for set_id in set_ids:
        response_sets[set_id], set_bounds[set_id] = draw(_response_set())
    item_ids = draw(st.lists(_ID, min_size=1, max_size=max_items, unique=True))
    items: list[dict[str, Any]] = []
    members: list[tuple[str, Bounds]] = []
    number = 0
    for item_id in item_ids:
        number += draw(st.integers(1, 3))
        set_id = draw(st.sampled_from(set_ids))
        item: dict[str, Any] = {"id": item_id, "number": number, "response_set": set_id}
        if draw(st.booleans()):
            item["reverse"] = draw(st.booleans())
        items.append(item)
        members.append((item_id, set_bounds[set_id]))
    scores: list[dict[str, Any]] = []
    ranges: dict[str, Bounds] = {}
    for index in range(draw(st.integers(1, max_scores))):
        spec, ranges[f"s{index}"] = draw(_score(index, members, ranges, methods))
        scores.append(spec)
    _unreverse_odd_keys(items, scores, set_bounds)
    interpretation = {}
    for score_id in draw(st.lists(st.sampled_from(sorted(ranges)), unique=True)):
        low, high = ranges[score_id]
        interpretation[score_id] = draw(_interpretation(float(low), float(high)))
    document: dict[str, Any] = {
        "$schema": "urn:alliancekit:schema:scale:1",
        "id": draw(_ID),
        "version": "1.0.0",
        "title": "A generated scale",
        "citations": [{"text": "Generated by alliancekit.testing.strategies.scale_documents."}],
        "license": {"holder": "nobody", "terms": "generated test data", "item_text": "included"},
        "verification": {"status": "verified", "sources": ["generated"], "open_questions": []},
        "response_sets": response_sets,
        "items": items,
        "scores": scores,
    }
    if draw(st.booleans()):
        document["verification"] = {
            "status": "provisional",
            "sources": [],
            "open_questions": ["everything: this scale is invented"],
        }
    if interpretation:
        document["interpretation"] = interpretation
    return document
