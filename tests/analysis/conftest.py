"""Fixtures for the analysis tests: small scales built with ``load_scale`` and the psych data."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest

import alliancekit
from alliancekit.document import Scale

PSYCH_DIR = Path(__file__).resolve().parents[1] / "data" / "psych"


def _scale_document(
    n_items: int = 12,
    *,
    reverse: Iterable[str] = (),
    low: float = 1,
    high: float = 5,
    continuous: bool = False,
    scores: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A valid scale document: items ``q1..qN`` sharing one response set, a ``total`` score."""
    reversed_items = set(reverse)
    if continuous:
        response_set: dict[str, Any] = {"kind": "continuous", "min": low, "max": high}
    else:
        response_set = {
            "kind": "ordinal",
            "options": [{"value": v} for v in range(int(low), int(high) + 1)],
        }
    return {
        "$schema": "urn:alliancekit:schema:scale:1",
        "id": "analysis-test",
        "version": "1.0.0",
        "title": "Scale for the analysis tests",
        "citations": [{"text": "Made up for the tests."}],
        "license": {"holder": "none", "terms": "public domain", "item_text": "not-included"},
        "verification": {"status": "verified", "sources": ["made up"], "open_questions": []},
        "response_sets": {"answers": response_set},
        "items": [
            {
                "id": f"q{i}",
                "number": i,
                "response_set": "answers",
                "reverse": f"q{i}" in reversed_items,
            }
            for i in range(1, n_items + 1)
        ],
        "scores": scores or [{"id": "total", "method": "sum", "items": "all"}],
    }


@pytest.fixture(scope="session")
def scale_document() -> Callable[..., dict[str, Any]]:
    """Build a scale document (see :func:`_scale_document` for the arguments)."""
    return _scale_document


@pytest.fixture(scope="session")
def make_scale() -> Callable[..., Scale]:
    """Build a scale from :func:`_scale_document`'s arguments (stateless, so session-wide)."""

    def make(*args: Any, **kwargs: Any) -> Scale:
        return alliancekit.load_scale(_scale_document(*args, **kwargs))

    return make


@pytest.fixture(scope="session")
def psych_reference() -> dict[str, Any]:
    """``tests/data/psych/reference.json``: what R's psych computed for each case."""
    with (PSYCH_DIR / "reference.json").open(encoding="utf-8") as file:
        reference: dict[str, Any] = json.load(file)
    return reference


def _read_answers(name: str) -> list[dict[str, int | None]]:
    """A psych data set as answer mappings (an empty cell is ``None``)."""
    with (PSYCH_DIR / name).open(encoding="utf-8", newline="") as file:
        return [
            {key: int(value) if value else None for key, value in row.items()}
            for row in csv.DictReader(file)
        ]


def _read_table(name: str) -> Any:
    """A psych data set as a NumPy array in item order (NaN = missing)."""
    import numpy as np

    rows = _read_answers(name)
    return np.array([[np.nan if v is None else v for v in row.values()] for row in rows])


@pytest.fixture
def psych_answers() -> Callable[[str], list[dict[str, int | None]]]:
    """Read a psych data set (by file name) as answer mappings."""
    return _read_answers


@pytest.fixture
def psych_table() -> Callable[[str], Any]:
    """Read a psych data set (by file name) as a NumPy array; needs NumPy."""
    pytest.importorskip("numpy")
    return _read_table
