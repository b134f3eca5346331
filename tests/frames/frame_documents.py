"""An invented scale for the frame tests (test data, not an instrument): ordinal and real-valued
items, reversed items, prorating with rounding, ``min_answered``, weights, a transform and a
score of scores; and random answer sets with missing cells, scored row by row by
:meth:`Scale.score` as the reference."""

from __future__ import annotations

import math
import random
from typing import Any

import alliancekit as ak

LIKERT = [f"q{n}" for n in range(1, 7)]
MARKS = ["m1", "m2"]
ITEMS = LIKERT + MARKS
#: the column types of :func:`as_columns` (Likert answers are integers, marks are not)
TYPES = {**dict.fromkeys(LIKERT, "int64"), **dict.fromkeys(MARKS, "float64"), "id": "int64"}

CLINIC = {
    "$schema": "urn:alliancekit:schema:scale:1",
    "id": "clinic",
    "version": "1.0.0",
    "title": "Invented test scale for data frames",
    "citations": [{"text": "Invented for the alliancekit frame tests."}],
    "license": {"holder": "nobody", "terms": "test data", "item_text": "not-included"},
    "verification": {"status": "verified", "sources": ["invented"], "open_questions": []},
    "response_sets": {
        "likert5": {"kind": "ordinal", "options": [{"value": v} for v in range(1, 6)]},
        "vas": {"kind": "continuous", "min": 0, "max": 10},
    },
    "items": [
        {"id": item_id, "number": n, "response_set": "likert5", "reverse": item_id == "q3"}
        for n, item_id in enumerate(LIKERT, start=1)
    ]
    + [
        {"id": "m1", "number": 7, "response_set": "vas"},
        {"id": "m2", "number": 8, "response_set": "vas", "reverse": True},
    ],
    "scores": [
        {
            "id": "prorated",
            "items": LIKERT,
            "method": "sum",
            "missing": {"max_missing": 2, "impute": "prorate", "round": 0},
        },
        {"id": "mean", "items": LIKERT, "method": "mean", "missing": {"min_answered": 0.5}},
        {
            "id": "weighted",
            "items": ["q1", "q2", "q3"],
            "method": "weighted_sum",
            "weights": {"q1": 2, "q2": 0.5, "q3": 1.5},
            "missing": {"max_missing": 1, "impute": "prorate", "round": 1},
        },
        {
            "id": "marks",
            "items": MARKS,
            "method": "sum",
            "missing": {"max_missing": 1, "impute": "prorate"},
        },
        {
            "id": "marks_percent",
            "items": MARKS,
            "method": "mean",
            "missing": {"max_missing": 1},
            "transform": {"to": [0, 100]},
        },
        {
            "id": "composite",
            "scores": ["prorated", "marks"],
            "method": "sum",
        },
    ],
}


def clinic() -> ak.Scale:
    """The invented scale."""
    return ak.load_scale(CLINIC)


def answer_sets(count: int, seed: int, missing: float = 0.2) -> list[dict[str, Any]]:
    """``count`` answer sets (item id -> answer, ``None`` for missing): Likert answers are
    ints, marks have one decimal."""
    rng = random.Random(seed)
    sets = []
    for _ in range(count):
        answers: dict[str, Any] = {
            item: None if rng.random() < missing else rng.randint(1, 5) for item in LIKERT
        }
        answers |= {
            item: None if rng.random() < missing else rng.randint(0, 100) / 10 for item in MARKS
        }
        sets.append(answers)
    return sets


def reference(scale: ak.Scale, sets: list[dict[str, Any]]) -> dict[str, list[float | None]]:
    """Score id -> the value :meth:`Scale.score` gives each answer set (``None``: no value)."""
    results = [scale.score(answers, notify=False).values() for answers in sets]
    return {score.id: [values[score.id] for values in results] for score in scale.scores}


def as_columns(sets: list[dict[str, Any]]) -> dict[str, list[Any]]:
    """Item id -> its column (``None`` for missing), plus an ``id`` column 0, 1, …"""
    columns: dict[str, list[Any]] = {"id": list(range(len(sets)))}
    for item in ITEMS:
        columns[item] = [answers[item] for answers in sets]
    return columns


def nulls(values: list[Any]) -> list[Any]:
    """The values with NaN as ``None`` (pandas shows null as NaN)."""
    return [None if isinstance(v, float) and math.isnan(v) else v for v in values]
