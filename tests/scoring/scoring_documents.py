"""Invented scale documents that use every scoring feature the built-in scales do not: weights,
transforms, prorating with rounding, ``min_answered``, scores of scores, negative options,
reversed real-valued marks. They are test data, not instruments."""

from __future__ import annotations

import copy
from typing import Any

import alliancekit as ak
from alliancekit.document import Scale


def _document(scale_id: str, response_sets: dict[str, Any], items: list[Any], scores: list[Any]):
    return {
        "$schema": "urn:alliancekit:schema:scale:1",
        "id": scale_id,
        "version": "1.0.0",
        "title": f"Invented test scale {scale_id}",
        "citations": [{"text": "Invented for the alliancekit scoring tests."}],
        "license": {"holder": "nobody", "terms": "test data", "item_text": "not-included"},
        "verification": {"status": "verified", "sources": ["invented"], "open_questions": []},
        "response_sets": response_sets,
        "items": items,
        "scores": scores,
    }


LIKERT5 = {"kind": "ordinal", "options": [{"value": v} for v in range(1, 6)]}
CENTRED5 = {"kind": "ordinal", "options": [{"value": v} for v in range(-2, 3)]}
GAPPED = {"kind": "ordinal", "options": [{"value": v} for v in (0, 2, 4)]}


def _items(count: int, response_set: str, reverse: tuple[int, ...] = ()) -> list[Any]:
    return [
        {"id": f"q{n}", "number": n, "response_set": response_set, "reverse": n in reverse}
        for n in range(1, count + 1)
    ]


PRORATED = _document(
    "prorated",
    {"likert5": LIKERT5},
    _items(5, "likert5"),
    [
        {
            "id": "rounded",
            "items": "all",
            "method": "sum",
            "missing": {"max_missing": 1, "impute": "prorate", "round": 0},
        },
        {
            "id": "tenths",
            "items": "all",
            "method": "sum",
            "missing": {"max_missing": 2, "impute": "prorate", "round": 1},
        },
        {
            "id": "exact",
            "items": "all",
            "method": "sum",
            "missing": {"max_missing": 1, "impute": "prorate"},
        },
        {"id": "mean", "items": "all", "method": "mean", "missing": {"min_answered": 0.6}},
    ],
)

CENTRED = _document(
    "centred",
    {"centred5": CENTRED5},
    _items(5, "centred5", reverse=(2,)),
    [
        {
            "id": "rounded",
            "items": "all",
            "method": "sum",
            "missing": {"max_missing": 1, "impute": "prorate", "round": 0},
        }
    ],
)

WEIGHTED = _document(
    "weighted",
    {"likert5": LIKERT5},
    _items(3, "likert5", reverse=(3,)),
    [
        {
            "id": "weighted",
            "items": "all",
            "method": "weighted_sum",
            "weights": {"q1": 2, "q2": 0.5, "q3": 1.5},
        },
        {
            "id": "prorated",
            "items": "all",
            "method": "weighted_sum",
            "weights": {"q1": 2, "q2": 0.5, "q3": 1.5},
            "missing": {"max_missing": 1, "impute": "prorate", "round": 1},
        },
    ],
)

TRANSFORMED = _document(
    "transformed",
    {"likert5": LIKERT5},
    _items(4, "likert5"),
    [
        {"id": "percent", "items": "all", "method": "sum", "transform": {"to": [0, 100]}},
        {"id": "inverted", "items": "all", "method": "sum", "transform": {"to": [100, 0]}},
        {
            "id": "mean_percent",
            "items": "all",
            "method": "mean",
            "missing": {"max_missing": 1},
            "transform": {"to": [0, 100]},
        },
    ],
)

COMPOSITE = _document(
    "composite",
    {"likert5": LIKERT5},
    _items(4, "likert5", reverse=(4,)),
    [
        {"id": "a", "items": ["q1", "q2"], "method": "sum"},
        {"id": "b", "items": ["q3", "q4"], "method": "mean", "missing": {"max_missing": 1}},
        {"id": "c", "items": ["q3", "q4"], "method": "sum"},
        {"id": "both", "scores": ["a", "b"], "method": "sum"},
        {"id": "either", "scores": ["a", "c"], "method": "mean", "missing": {"max_missing": 1}},
        {
            "id": "weighted",
            "scores": ["a", "b"],
            "method": "weighted_sum",
            "weights": {"a": 0.25, "b": 3},
        },
    ],
)

MARKS = _document(
    "marks",
    {"vas": {"kind": "continuous", "min": 0.5, "max": 9.5}, "gapped": GAPPED},
    [
        {"id": "m1", "number": 1, "response_set": "vas"},
        {"id": "m2", "number": 2, "response_set": "vas", "reverse": True},
        {"id": "g1", "number": 3, "response_set": "gapped", "reverse": True},
    ],
    [
        {"id": "marks", "items": ["m1", "m2"], "method": "sum"},
        {
            "id": "marks_mean",
            "items": ["m1", "m2"],
            "method": "mean",
            "missing": {"max_missing": 1},
        },
        {"id": "all", "items": "all", "method": "mean", "transform": {"to": [0, 10]}},
    ],
)

# Subscales of sums prorated without rounding, a total and a mean, on options below zero: the
# kernel's short path for missing answers (every value from an answered count and sum).
SUBSCALES = _document(
    "subscales",
    {"centred5": CENTRED5},
    _items(6, "centred5", reverse=(2, 5)),
    [
        *(
            {
                "id": name,
                "items": members,
                "method": "sum",
                "missing": {"max_missing": 1, "impute": "prorate"},
            }
            for name, members in (("a", ["q1", "q2", "q3"]), ("b", ["q4", "q5", "q6"]))
        ),
        {
            "id": "total",
            "items": "all",
            "method": "sum",
            "missing": {"max_missing": 2, "impute": "prorate"},
        },
        {"id": "mean", "items": "all", "method": "mean", "missing": {"min_answered": 0.5}},
    ],
)

DOCUMENTS = {
    d["id"]: d for d in (PRORATED, CENTRED, WEIGHTED, TRANSFORMED, COMPOSITE, MARKS, SUBSCALES)
}


def invented(scale_id: str) -> Scale:
    """Load one of the invented documents (a fresh copy each time)."""
    return ak.load_scale(copy.deepcopy(DOCUMENTS[scale_id]))


def all_scales() -> list[Scale]:
    """The built-in scales and every invented one."""
    return [ak.get_scale(info.id) for info in ak.list_scales()] + [
        invented(scale_id) for scale_id in DOCUMENTS
    ]
