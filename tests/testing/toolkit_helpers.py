"""Helpers of the researcher-toolkit tests: where the broken scale documents are, plugin scoring
methods that misbehave on purpose, and a way to draw a fixed sample from a strategy outside
``@given``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from hypothesis import HealthCheck, given, settings, strategies as st

from alliancekit import hookimpl
from alliancekit.model import ScoreDefinition

T = TypeVar("T")

BROKEN = Path(__file__).resolve().parents[1] / "data" / "broken-scales"
REPO = Path(__file__).resolve().parents[2]


def sample(strategy: st.SearchStrategy[T], count: int) -> list[T]:
    """``count`` examples of ``strategy``, the same on every run (drawn by a ``@given`` that runs
    on its own, so a caller may use them where nesting ``@given`` is not allowed)."""
    drawn: list[T] = []

    @settings(
        max_examples=count,
        database=None,
        derandomize=True,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(example: T) -> None:
        drawn.append(example)

    collect()
    return drawn[:count]


def _overshoot(values: tuple[float | None, ...], score: ScoreDefinition) -> float:
    """The sum of the answers: 15 when three 1-5 items are all answered 5."""
    return float(sum(v for v in values if v is not None))


def _overshoot_range(
    bounds: Sequence[tuple[float, float]], score: ScoreDefinition
) -> tuple[float, float]:
    """One point short at the top: (3, 14) for three 1-5 items, where the sum reaches 15."""
    return sum(lo for lo, _ in bounds), sum(hi for _, hi in bounds) - 1


def _spread(values: tuple[float | None, ...], score: ScoreDefinition) -> float:
    """Highest minus lowest answer: raising the lowest answer lowers it (not monotone)."""
    present = [v for v in values if v is not None]
    return max(present) - min(present)


def _spread_range(
    bounds: Sequence[tuple[float, float]], score: ScoreDefinition
) -> tuple[float, float]:
    """(0, 4) for 1-5 items: all answers equal, or one at 1 and one at 5."""
    return 0.0, max(hi for _, hi in bounds) - min(lo for lo, _ in bounds)


class MisbehavingMethods:
    """A runtime plugin registering the scoring methods the broken documents name."""

    @hookimpl
    def alliancekit_register_scoring_methods(self, register: Callable[..., None]) -> None:
        """Register ``overshoot`` (leaves its declared range) and ``spread`` (not monotone)."""
        register("overshoot", _overshoot, range=_overshoot_range)
        register("spread", _spread, range=_spread_range)


def broken(name: str) -> Path:
    """The path of a broken scale document in ``tests/data/broken-scales``."""
    return BROKEN / name
