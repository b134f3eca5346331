"""``score_dask``: score a Dask DataFrame partition by partition with
:func:`~alliancekit.frames.score_frame`, the scale re-loaded on each worker from its canonical
JSON and checked against its sha256."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from alliancekit.frames import OnError, ShippedScale, score_frame, score_part

if TYPE_CHECKING:
    import dask.dataframe as dd

    from alliancekit.document import Scale

__all__ = ["score_dask"]


def score_dask(
    scale: Scale,
    frame: dd.DataFrame,
    *,
    columns: Mapping[str, str] | None = None,
    prefix: str = "",
    details: bool = False,
    on_error: OnError = "raise",
) -> dd.DataFrame:
    """Score every row of a Dask DataFrame, lazily, one partition at a time.

    The scale travels to the workers as its canonical JSON and sha256, and is loaded and checked
    there (a plugin's scale needs the plugin installed on every worker).

    :param columns, prefix, details, on_error: as for :func:`alliancekit.frames.score_frame`;
        a bad cell is named by its Dask partition and its row within it (from 0).
    :returns: the DataFrame with the columns ``score_frame`` adds, with the same values.
    :raises ResponseError, ValueError: as ``score_frame`` does for the columns and their types,
        at once (they are checked on the frame's ``meta``); a bad cell raises when the result is
        computed (unless ``on_error="null"``).
    """
    options: dict[str, Any] = {
        "columns": columns,
        "prefix": prefix,
        "details": details,
        "on_error": on_error,
    }
    meta = score_frame(scale, frame._meta, **options)
    score = partial(_score_partition, ShippedScale.of(scale), options)
    return cast("dd.DataFrame", frame.map_partitions(score, meta=meta))  # type: ignore[no-untyped-call]


def _score_partition(
    shipped: ShippedScale,
    options: dict[str, Any],
    partition: Any,
    partition_info: Mapping[str, Any] | None = None,
) -> Any:
    """Score one pandas partition (runs on a worker; Dask passes ``partition_info``)."""
    part = "Dask partition" + ("" if partition_info is None else f" {partition_info['number']}")
    return score_part(shipped.load(), partition, part=part, **options)
