"""Scoring data frames: pandas, Polars and PyArrow tables through narwhals (the ``frames``
extra), with the exact NumPy kernel. See ``docs/scale-out.md``."""

from __future__ import annotations

from alliancekit.frames._score_frame import OnError, output_columns, score_frame, score_part
from alliancekit.frames._shipped import ShippedScale

__all__ = ["OnError", "ShippedScale", "output_columns", "score_frame", "score_part"]
