"""Fixtures for the interpretation tests (see :mod:`interpretation_builders`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from interpretation_builders import answers_for, document

import alliancekit as ak


@pytest.fixture
def make_scale() -> Callable[..., ak.Scale]:
    """Build a :class:`Scale` from :func:`document`'s arguments."""

    def make(interpretation: dict[str, Any] | None = None, **kwargs: Any) -> ak.Scale:
        return ak.load_scale(document(interpretation, **kwargs))

    return make


@pytest.fixture
def results() -> Callable[..., list[ak.ScoreResult]]:
    """Score one result per total (``None`` = a total with no value) on a scale."""

    def score(scale: ak.Scale, *totals: float | None) -> list[ak.ScoreResult]:
        return [scale.score(answers_for(total)) for total in totals]

    return score
