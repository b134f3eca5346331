"""How answers move scores: the direction each item pushes each score, answers at the ends of
each score's range, and answers above a given one. Used by the ``monotone`` and range properties
of :func:`~alliancekit.testing.check_scale`."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from alliancekit.document import Scale
from alliancekit.model import ResponseSet

__all__ = ["corner_answers", "directions", "higher_answers"]

_MAX_CORNERS = 200


def corner_answers(scale: Scale, *, missing: bool) -> list[dict[str, Any]]:
    """Answers at the ends of each score's range: every item at the end that raises (or
    lowers) the score, and with ``missing``, each such set with one member left out in turn."""
    moves = directions(scale)
    corners: list[dict[str, Any]] = []
    for score in scale.scores:
        for aim in ("up", "down"):
            corner: dict[str, Any] = {}
            for item in scale.items:
                rs = item.response_set
                towards_high = (moves[score.id].get(item.id) or "up") in (aim, "flat")
                corner[item.id] = rs.max if towards_high else rs.min
            if not missing:
                corners.append(corner)
                continue
            if not score.missing.allows_missing:
                continue
            for member in _items_of(scale, score.id):
                corners.append({**corner, member: None})
    unique = {tuple(sorted(c.items(), key=lambda kv: kv[0])): c for c in corners}
    return list(unique.values())[:_MAX_CORNERS]


def _items_of(scale: Scale, score_id: str) -> list[str]:
    """The items a score is built from, through its component scores."""
    score = scale.score_definition(score_id)
    if score.items:
        return list(score.items)
    return [item for member in score.scores for item in _items_of(scale, member)]


def directions(scale: Scale) -> dict[str, dict[str, str | None]]:
    """Score id -> item id -> how raising the item's answer may move the score: ``up`` (never
    lower), ``down`` (never higher), ``flat`` (unchanged) or ``None`` (no claim: the item
    reaches the score along paths of opposite sign)."""
    signs: dict[str, dict[str, set[int]]] = {}
    reversed_ids = {item.id for item in scale.items if item.reverse}
    for score in scale.scores:
        turn = 1
        if score.transform is not None and score.transform.to[0] > score.transform.to[1]:
            turn = -1
        effect: dict[str, set[int]] = {}
        for member in score.items or score.scores:
            weight = 1 if score.weights is None else _sign(score.weights[member])
            if score.items:
                key = -1 if member in reversed_ids else 1
                effect.setdefault(member, set()).add(weight * key * turn)
            else:
                for item_id, paths in signs.get(member, {}).items():
                    effect.setdefault(item_id, set()).update(weight * s * turn for s in paths)
        signs[score.id] = effect
    names = {
        frozenset({0}): "flat",
        frozenset({1}): "up",
        frozenset({0, 1}): "up",
        frozenset({-1}): "down",
        frozenset({0, -1}): "down",
    }
    return {
        score_id: {item_id: names.get(frozenset(s)) for item_id, s in effect.items()}
        for score_id, effect in signs.items()
    }


def _sign(number: float) -> int:
    return (number > 0) - (number < 0)


def higher_answers(response_set: ResponseSet, value: float) -> st.SearchStrategy[float] | None:
    """Valid answers of the set above ``value``, or ``None`` when ``value`` is the top."""
    if response_set.kind == "ordinal":
        above = sorted(v for v in response_set.values if v > value)
        return st.sampled_from(above) if above else None
    high = response_set.max
    assert high is not None
    if value >= high:
        return None
    return st.just(high) | st.floats(min_value=value, max_value=high, exclude_min=True)
