"""Fixtures for the loader tests: a small valid scale document to mutate."""

from __future__ import annotations

import copy
from typing import Any

import pytest

MINIMAL: dict[str, Any] = {
    "$schema": "urn:alliancekit:schema:scale:1",
    "id": "mini",
    "version": "1.0.0",
    "title": "A minimal test scale",
    "citations": [{"text": "Invented for the alliancekit test suite."}],
    "license": {"holder": "nobody", "terms": "test data", "item_text": "not-included"},
    "verification": {"status": "provisional", "sources": [], "open_questions": ["invented"]},
    "response_sets": {
        "likert5": {"kind": "ordinal", "options": [{"value": v} for v in range(1, 6)]},
        "vas": {"kind": "continuous", "min": 0, "max": 10},
    },
    "items": [
        {"id": "q1", "number": 1, "response_set": "likert5"},
        {"id": "q2", "number": 2, "response_set": "likert5", "reverse": True},
        {"id": "q3", "number": 3, "response_set": "likert5"},
        {"id": "q4", "number": 4, "response_set": "vas"},
    ],
    "scores": [
        {"id": "likert", "items": ["q1", "q2", "q3"], "method": "sum"},
        {"id": "vas", "items": ["q4"], "method": "sum"},
    ],
    "interpretation": {
        "likert": {
            "bands": [
                {"lower": 3, "upper": 9, "label": "low", "flag": "alert", "source": "invented"},
                {"lower": 9, "upper": 15, "label": "high", "flag": "none", "source": "invented"},
            ]
        }
    },
}


@pytest.fixture
def document() -> dict[str, Any]:
    """A fresh copy of a small valid scale document (3 Likert items, one 0–10 mark)."""
    return copy.deepcopy(MINIMAL)
