"""Scoring Spark DataFrames on the executors (the ``spark`` extra). See ``docs/scale-out.md``."""

from __future__ import annotations

from alliancekit.spark._score_spark import score_spark

__all__ = ["score_spark"]
