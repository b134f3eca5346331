"""The frame packages have curated public names."""

from __future__ import annotations

import importlib

import pytest
from frame_engines import engine


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
