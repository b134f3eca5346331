"""Builders for the interpretation tests: scale documents built here (the built-in scales carry no
norm statistics, which are not sourced) and results with a chosen total.

The test scale has four 0–10 marks summed into ``total`` (range 0–40), like the SRS and ORS, so a
total such as 35.9 is reached exactly by answers 10, 10, 10 and 5.9.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

SOURCE = "invented for the alliancekit test suite"


def document(
    interpretation: dict[str, Any] | None = None,
    *,
    scale_id: str = "testscale",
    status: str = "verified",
    open_questions: tuple[str, ...] = (),
) -> dict[str, Any]:
    """A valid scale document: items q1–q4 (0–10 marks), score ``total`` = their sum (0–40)."""
    doc: dict[str, Any] = {
        "$schema": "urn:alliancekit:schema:scale:1",
        "id": scale_id,
        "version": "1.0.0",
        "title": "Test scale",
        "abbreviation": "TS",
        "citations": [{"text": SOURCE}],
        "license": {"holder": "nobody", "terms": "test data", "item_text": "not-included"},
        "verification": {
            "status": status,
            "sources": [SOURCE],
            "open_questions": list(open_questions),
        },
        "response_sets": {"vas": {"kind": "continuous", "min": 0, "max": 10}},
        "items": [{"id": f"q{n}", "number": n, "response_set": "vas"} for n in range(1, 5)],
        "scores": [{"id": "total", "title": "Total", "items": "all", "method": "sum"}],
    }
    if interpretation is not None:
        doc["interpretation"] = {"total": interpretation}
    return doc


def norm(norm_id: str, **fields: Any) -> dict[str, Any]:
    """A norm entry with its required fields filled in."""
    return {"id": norm_id, "population": f"{norm_id} population", "source": SOURCE, **fields}


def band(lower: float, upper: float, flag: str, label: str | None = None) -> dict[str, Any]:
    """A band entry."""
    return {
        "lower": lower,
        "upper": upper,
        "label": label or f"{flag} band",
        "flag": flag,
        "source": SOURCE,
    }


def answers_for(total: float | None) -> dict[str, float | None]:
    """Answers to q1–q4 that sum exactly to ``total`` (filling q1, q2, … up to 10 each);
    ``None`` gives a result whose total has no value (q1 missing)."""
    if total is None:
        return {"q1": None, "q2": 5, "q3": 5, "q4": 5}
    remaining = Decimal(repr(total))
    answers: dict[str, float | None] = {}
    for n in range(1, 5):
        part = min(Decimal(10), remaining)
        answers[f"q{n}"] = float(part)
        remaining -= part
    assert remaining == 0, f"{total} is outside 0–40"
    return answers
