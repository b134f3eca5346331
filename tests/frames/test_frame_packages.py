"""The frame packages have curated public names; their tests cannot pass by skipping in CI."""

from __future__ import annotations

import importlib

import pytest
from frame_engines import engine, unavailable


@pytest.mark.parametrize(
    ("package", "needs"),
    [
        ("alliancekit.frames", "narwhals"),
        ("alliancekit.spark", "pyspark"),
        ("alliancekit.dask", "dask"),
    ],
)
def test_all_is_sorted_and_importable(package: str, needs: str) -> None:
    """Each package's ``__all__`` is sorted and every name in it is importable."""
    engine(needs)
    module = importlib.import_module(package)
    assert module.__all__ == sorted(module.__all__)
    assert all(hasattr(module, name) for name in module.__all__)


@pytest.mark.parametrize(
    ("ci", "outcome"), [("true", pytest.fail.Exception), ("", pytest.skip.Exception)]
)
def test_a_missing_engine_fails_in_ci(
    monkeypatch: pytest.MonkeyPatch, ci: str, outcome: type[BaseException]
) -> None:
    """With ``CI=true`` a missing engine is a failure; elsewhere a skip with the reason."""
    monkeypatch.setenv("CI", ci)
    with pytest.raises(outcome, match="no such engine"):
        unavailable("no such engine")
