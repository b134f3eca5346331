"""Scoring Dask DataFrames partition by partition (the ``dask`` extra). See
``docs/scale-out.md``."""

from __future__ import annotations

from alliancekit.dask._score_dask import score_dask

__all__ = ["score_dask"]
