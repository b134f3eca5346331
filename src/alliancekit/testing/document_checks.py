"""The checks of :func:`~alliancekit.testing.check_scale` that read the scale model alone: exact,
with no sampling and no Hypothesis.

They deliberately do not trust the loader: each works on the :class:`~alliancekit.Scale`
object it is given, so a scale built or changed by hand is checked as thoroughly as a loaded one.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterator, Mapping
from fractions import Fraction
from typing import Any

import attrs

from alliancekit.document import Scale, canonical_json, json_path
from alliancekit.errors import ScaleDefinitionError
from alliancekit.model import Band, ScoreDefinition, ScoreInterpretation
from alliancekit.plugins import load_scale
from alliancekit.scoring import exact
from alliancekit.testing.report import PropertyResult

__all__ = [
    "bands_tile_range",
    "cutoffs_in_range",
    "reverse_involution",
    "reverse_key_range",
    "round_trip",
]


def _failed(name: str, message: str, counterexample: Mapping[str, Any]) -> PropertyResult:
    return PropertyResult(
        name=name, status="failed", message=message, counterexample=counterexample
    )


def round_trip(scale: Scale) -> PropertyResult:
    """``round-trip``: the scale's document loads, gives an equal scale, and hashes to the
    scale's sha256."""
    name = "round-trip"
    document = scale.to_dict()
    try:
        again = load_scale(document)
    except ScaleDefinitionError as error:
        return PropertyResult(
            name=name,
            status="failed",
            message="the scale's own document does not load",
            issues=tuple(error.errors),
        )
    digest = hashlib.sha256(canonical_json(document)).hexdigest()
    if digest != scale.sha256:
        return _failed(
            name,
            "the scale's sha256 is not the sha256 of its canonical document",
            {"sha256": scale.sha256, "document_sha256": digest},
        )
    differing = [
        field.name
        for field in attrs.fields(Scale)
        if field.eq and getattr(again, field.name) != getattr(scale, field.name)
    ]
    if differing:
        return _failed(
            name,
            f"loading the scale's document gives a different scale ({', '.join(differing)})",
            {"fields": differing},
        )
    return PropertyResult(name=name, status="passed")


def reverse_involution(scale: Scale) -> PropertyResult:
    """``reverse-involution``: for every reversed item, ``min + max - x`` maps each valid answer
    onto a valid answer of the same response set and, applied twice, gives ``x`` back."""
    name = "reverse-involution"
    reversed_items = [item for item in scale.items if item.reverse]
    if not reversed_items:
        return PropertyResult(name=name, status="skipped", message="no item is reverse keyed")
    for item in reversed_items:
        rs = item.response_set
        assert rs.min is not None and rs.max is not None  # the loader requires bounds
        low, high = exact(rs.min), exact(rs.max)
        points = sorted(rs.values) if rs.kind == "ordinal" else [rs.min, rs.max]
        for x in points:
            keyed = low + high - exact(x)
            valid = keyed in rs.values if rs.kind == "ordinal" else low <= keyed <= high
            if not valid or low + high - keyed != exact(x):
                return _failed(
                    name,
                    f"reverse keying maps answer {x} of item {item.id!r} to {_number(keyed)}, "
                    f"which is not an answer of response set {rs.id!r}",
                    {"item": item.id, "response_set": rs.id, "answer": x, "keyed": _number(keyed)},
                )
    return PropertyResult(name=name, status="passed")


def reverse_key_range(scale: Scale) -> PropertyResult:
    """``reverse-key-range``: in each score whose unreversed items share one range, every
    reversed item has that range too (otherwise ``min + max - x`` uses another pair of ends)."""
    name = "reverse-key-range"
    if not any(item.reverse for item in scale.items):
        return PropertyResult(name=name, status="skipped", message="no item is reverse keyed")
    by_id = {item.id: item for item in scale.items}
    for score in scale.scores:
        members = [by_id[i] for i in score.items if i in by_id]
        plain = {_ends(m.response_set.min, m.response_set.max) for m in members if not m.reverse}
        if len(plain) != 1:
            continue
        (expected,) = plain
        for item in members:
            ends = _ends(item.response_set.min, item.response_set.max)
            if item.reverse and ends != expected:
                return _failed(
                    name,
                    f"reversed item {item.id!r} of score {score.id!r} is keyed on "
                    f"[{_number(ends[0])}, {_number(ends[1])}] ({item.response_set.id!r}) but "
                    f"the score's other items use [{_number(expected[0])}, "
                    f"{_number(expected[1])}]",
                    {
                        "score": score.id,
                        "item": item.id,
                        "item_range": [_number(e) for e in ends],
                        "others_range": [_number(e) for e in expected],
                    },
                )
    return PropertyResult(name=name, status="passed")


def _ends(low: float | None, high: float | None) -> tuple[Fraction, Fraction]:
    assert low is not None and high is not None
    return Fraction(exact(low)), Fraction(exact(high))


def _readings(scale: Scale) -> Iterator[tuple[ScoreDefinition, ScoreInterpretation]]:
    """Each interpretation with its score (one naming no score is left to ``round-trip``)."""
    scores = {score.id: score for score in scale.scores}
    for score_id, reading in scale.interpretation.items():
        if score_id in scores:
            yield scores[score_id], reading


def _band_lists(
    scale: Scale,
) -> Iterator[tuple[ScoreDefinition, tuple[Any, ...], tuple[Band, ...]]]:
    """Every list of bands: (score, JSON path parts of the list, bands)."""
    for score, reading in _readings(scale):
        score_id = score.id
        if reading.bands:
            yield score, ("interpretation", score_id, "bands"), reading.bands
        for index, norm in enumerate(reading.norms):
            if norm.bands:
                yield score, ("interpretation", score_id, "norms", index, "bands"), norm.bands


def _contains(band: Band, value: Fraction, top: Fraction) -> bool:
    lower, upper = Fraction(band.lower), Fraction(band.upper)
    return lower <= value < upper or value == upper == top


def bands_tile_range(scale: Scale) -> PropertyResult:
    """``bands-tile-range``: every value of each score's range lies in exactly one band of each
    list of bands (half-open ``[lower, upper)``, the top band closed at the maximum)."""
    name = "bands-tile-range"
    lists = list(_band_lists(scale))
    if not lists:
        return PropertyResult(name=name, status="skipped", message="no score has bands")
    for score, where, bands in lists:
        path = json_path(where)
        for index, band in enumerate(bands):
            if band.lower >= band.upper:
                return _failed(
                    name,
                    f"band {index} of {path} is empty: [{band.lower:g}, {band.upper:g})",
                    {"score": score.id, "json_path": f"{path}[{index}]"},
                )
        low, high = Fraction(score.range[0]), Fraction(score.range[1])
        # Bands are intervals whose ends are among these points, so checking each point and the
        # midpoint of each gap between neighbouring points checks every value of the range.
        ends = {low, high} | {Fraction(b.lower) for b in bands} | {Fraction(b.upper) for b in bands}
        points = sorted(p for p in ends if low <= p <= high)
        probes = sorted(points + [(a + b) / 2 for a, b in itertools.pairwise(points)])
        for value in probes:
            holders = [i for i, band in enumerate(bands) if _contains(band, value, high)]
            if len(holders) == 1:
                continue
            where_text = "no band" if not holders else f"bands {holders}"
            return _failed(
                name,
                f"value {float(value):g} of score {score.id!r} falls in {where_text} of {path}",
                {"score": score.id, "json_path": path, "value": float(value), "bands": holders},
            )
    return PropertyResult(name=name, status="passed")


def cutoffs_in_range(scale: Scale) -> PropertyResult:
    """``cutoffs-in-range``: every band boundary and norm mean lies inside its score's range,
    and every ``drop`` alert asks for a drop no larger than the range is wide."""
    name = "cutoffs-in-range"
    checked = 0
    for score, where, bands in _band_lists(scale):
        low, high = score.range
        for index, band in enumerate(bands):
            for end in ("lower", "upper"):
                checked += 1
                value = getattr(band, end)
                if not low <= value <= high:
                    return _outside(score, json_path((*where, index, end)), value, "cut-off")
    for score, reading in _readings(scale):
        score_id = score.id
        low, high = score.range
        for index, norm in enumerate(reading.norms):
            if norm.mean is not None:
                checked += 1
                if not low <= norm.mean <= high:
                    where = ("interpretation", score_id, "norms", index, "mean")
                    return _outside(score, json_path(where), norm.mean, "norm mean")
        for index, alert in enumerate(reading.alerts):
            if alert.kind == "drop" and alert.min_drop is not None:
                checked += 1
                if alert.min_drop > high - low:
                    path = json_path(("interpretation", score_id, "alerts", index, "min_drop"))
                    return _failed(
                        name,
                        f"a drop of {alert.min_drop:g} can never happen on score {score_id!r}, "
                        f"whose range [{low:g}, {high:g}] is {high - low:g} wide ({path})",
                        {"score": score_id, "json_path": path, "value": alert.min_drop},
                    )
    if not checked:
        return PropertyResult(
            name=name, status="skipped", message="no cut-offs, norm means or drop alerts"
        )
    return PropertyResult(name=name, status="passed")


def _outside(score: ScoreDefinition, path: str, value: float, what: str) -> PropertyResult:
    low, high = score.range
    return _failed(
        "cutoffs-in-range",
        f"{what} {value:g} at {path} lies outside the range [{low:g}, {high:g}] of score "
        f"{score.id!r}",
        {"score": score.id, "json_path": path, "value": value, "range": [low, high]},
    )


def _number(value: Fraction | int) -> int | float:
    value = Fraction(value)
    return int(value) if value.denominator == 1 else float(value)
