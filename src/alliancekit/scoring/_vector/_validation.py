"""Vectorised validation of a block of answers, one response set (group of columns) at a time:
the strict checks of :mod:`alliancekit.scoring._answers`, done with NumPy reductions. Used by
:mod:`alliancekit.scoring._vector._kernel`."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["ResponseSetCheck"]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


class ResponseSetCheck:
    """Items that share a response set, validated together."""

    def __init__(
        self,
        columns: list[int],
        total: int,
        ordinal: bool,
        low: float,
        high: float,
        allowed: frozenset[int],
    ) -> None:
        self.columns: Any = None if len(columns) == total else np.array(columns, dtype=np.intp)
        self.ordinal = ordinal
        self.low = low
        self.high = high
        gaps = [v for v in range(int(low), int(high) + 1) if v not in allowed] if ordinal else []
        self.gaps = np.array(gaps, dtype=np.float64) if gaps else None

    def cells(self, block: Any) -> Any:
        """This group's columns of a block (rows x items)."""
        return block if self.columns is None else block[:, self.columns]

    def any_bad(self, cells: FloatArray, missing: int) -> bool:
        """Whether any cell may be bad (a quick test; :meth:`bad_rows` then says which rows).

        :param missing: how many cells are NaN.
        """
        if missing:
            low = np.fmin.reduce(cells, axis=None)  # NaN (missing) is ignored
            high = np.fmax.reduce(cells, axis=None)
        else:  # no NaN here: the plain (faster) reductions
            low = np.minimum.reduce(cells, axis=None)
            high = np.maximum.reduce(cells, axis=None)
        if low < self.low or high > self.high:
            return True
        if self.ordinal:
            # Cells that differ from their rounded value are the NaNs and the non-integers.
            if np.count_nonzero(cells != np.rint(cells)) != missing:
                return True
            if self.gaps is not None and np.isin(cells, self.gaps).any():
                return True
        return False

    def all_valid(
        self, cells: FloatArray, work: FloatArray, flags: BoolArray, low: Any = None
    ) -> bool:
        """Whether every cell is a valid answer, none missing (a NaN makes it ``False``), for an
        ordinal group; ``work`` and ``flags`` are scratch arrays of the cells' shape, ``low``
        the cells' minimum when the caller has it."""
        flat = cells.reshape(-1)  # a view: the reductions are faster in one dimension
        if low is None:
            low = np.minimum.reduce(flat)  # NaN when a cell is NaN
        if not (low >= self.low) or np.maximum.reduce(flat) > self.high:
            return False
        np.rint(cells, out=work)
        np.not_equal(cells, work, out=flags)
        if np.logical_or.reduce(flags.reshape(-1)):
            return False
        return self.gaps is None or not np.isin(cells, self.gaps).any()

    def all_valid_integers(self, cells: Any) -> bool:
        """Whether every cell of an integer block is a valid answer of an ordinal group."""
        if not self.ordinal or cells.size == 0:
            return self.ordinal
        flat = cells.reshape(-1)  # (the ufunc reductions skip ndarray.min's Python layer)
        if np.minimum.reduce(flat) < self.low or np.maximum.reduce(flat) > self.high:
            return False
        return self.gaps is None or not np.isin(cells, self.gaps).any()

    def in_range(self, cells: FloatArray) -> bool:
        """Whether every answered cell (NaN is missing) lies within the group's bounds."""
        if cells.size == 0:
            return True
        low = np.fmin.reduce(cells, axis=None)  # NaN (missing) is ignored
        high = np.fmax.reduce(cells, axis=None)
        return not (low < self.low or high > self.high)

    def whole(self, filled: FloatArray, scratch: Any, rows: int) -> bool:
        """Whether every cell of ``filled`` (answers in range, 0 for missing) is a valid
        option of an ordinal group; ``scratch`` gives work arrays when the group is the whole
        block."""
        if filled.size == 0:
            return True
        if self.columns is None:
            work, flags = scratch.cells64[:rows], scratch.flags2[:rows]
        else:
            work, flags = np.empty(filled.shape), np.empty(filled.shape, dtype=np.bool_)
        np.rint(filled, out=work)
        np.not_equal(filled, work, out=flags)
        if np.logical_or.reduce(flags.reshape(-1)):
            return False
        return self.gaps is None or not np.isin(filled, self.gaps).any()

    def bad_rows(self, cells: FloatArray) -> BoolArray:
        """The rows (of this group's cells) with at least one bad answer."""
        with np.errstate(invalid="ignore"):
            bad: Any = (cells < self.low) | (cells > self.high)
            if self.ordinal:
                bad |= (cells != np.rint(cells)) & ~np.isnan(cells)
                if self.gaps is not None:
                    bad |= np.isin(cells, self.gaps)
        result: BoolArray = bad.any(axis=1)
        return result
