"""Vectorised CSV for quote-free chunks (NumPy): the fast path of ``alliancekit score``.

A chunk of CSV without a quote character or a carriage return is a plain grid: fields end at a
comma or a line feed. Such a chunk is split into field boundaries with NumPy, its answer fields
read as numbers without making a Python object per cell, and output rows are assembled from byte
ranges: the untouched fields of the input and the text of each score value. Every answer field
that is not a plain decimal number (``4``, ``-2``, ``8.7``; no spaces, no exponent, at most 15
digits) is read by :func:`~alliancekit.answers.parse_text`, as on the general path, so both paths
read every cell the same way, and a plain decimal is the correctly rounded float of its digits,
as ``float(text)`` is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from alliancekit.streaming import read_cell

__all__ = ["Formatter", "Grid", "assemble", "make_grid"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

_COMMA, _NEWLINE, _DOT, _MINUS, _PLUS, _ZERO = (ord(c) for c in ",\n.-+0")
_MAX_DIGITS = 15  # every integer of 15 digits, and 10**15, is exact in float64


@dataclass
class Grid:
    """Rows of a quote-free CSV chunk: ``data[starts[r, c]:ends[r, c]]`` is field ``c`` of row
    ``r`` (UTF-8 bytes)."""

    data: bytes
    array: npt.NDArray[np.uint8]
    starts: IntArray
    ends: IntArray

    @property
    def rows(self) -> int:
        """How many rows."""
        return int(self.starts.shape[0])

    def part(self, first: int, last: int) -> Grid:
        """Rows ``first`` to ``last - 1``."""
        return Grid(self.data, self.array, self.starts[first:last], self.ends[first:last])

    def text(self, row: int, column: int) -> str:
        """One field as text."""
        return self.data[self.starts[row, column] : self.ends[row, column]].decode("utf-8")

    def floats(self, columns: Sequence[int]) -> FloatArray:
        """The fields of ``columns`` read as answers (rows x columns): NaN for a missing
        answer, infinity for text that is no number (see :func:`read_cell`)."""
        starts = self.starts[:, columns]
        lengths = self.ends[:, columns] - starts
        width = min(int(lengths.max(initial=0)), _MAX_DIGITS + 2)
        if width == 0:
            return np.full(starts.shape, np.nan)
        values, plain = _plain_decimals(self.array, starts, lengths, width)
        odd = np.argwhere(~plain)
        for row, col in odd.tolist():
            values[row, col] = read_cell(self.text(row, columns[col]))
        return values


def make_grid(data: bytes, width: int) -> Grid | None:
    """Split ``data`` (complete lines ending in ``\\n``, no quote, no carriage return) into
    fields; ``None`` when a line is blank or has another number of fields than ``width``."""
    array = np.frombuffer(data, dtype=np.uint8)
    ends = np.flatnonzero((array == _COMMA) | (array == _NEWLINE))
    if ends.size == 0 or ends.size % width:
        return None
    ends = ends.reshape(-1, width)
    line_ends = array[ends] == _NEWLINE
    if not (line_ends[:, -1].all() and not line_ends[:, :-1].any()):
        return None
    starts = np.empty_like(ends)
    starts.flat[0] = 0
    starts.flat[1:] = ends.flat[:-1] + 1
    if (ends[:, -1] == starts[:, 0]).any() and width == 1:
        return None  # a blank line (one empty field alone): the csv module skips those
    return Grid(data, array, starts, ends)


def _plain_decimals(
    array: npt.NDArray[np.uint8], starts: IntArray, lengths: IntArray, width: int
) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
    """Read every field that is a plain decimal (``[+-]?digits[.digits]``, at most 15 digits) or
    empty; the others are marked not plain."""
    positions = np.arange(width)
    inside = positions < lengths[..., None]
    index = np.minimum(starts[..., None] + positions, array.size - 1)
    chars = np.where(inside, array[index], 0).astype(np.int64)
    digit = chars - _ZERO
    is_digit = inside & (digit >= 0) & (digit <= 9)
    is_dot = inside & (chars == _DOT)
    is_sign = inside & (positions == 0) & ((chars == _MINUS) | (chars == _PLUS))
    digits = is_digit.sum(axis=-1)
    dots = is_dot.sum(axis=-1)
    plain = (is_digit | is_dot | is_sign | ~inside).all(axis=-1) & (lengths <= width)
    plain &= (dots <= 1) & (digits <= _MAX_DIGITS) & ((digits > 0) | (lengths == 0))
    # Place value of each digit: 10 ** (digits to its right), then shift by the decimals.
    right = np.cumsum(is_digit[..., ::-1], axis=-1)[..., ::-1] - is_digit
    mantissa = np.where(is_digit, digit * 10.0**right, 0.0).sum(axis=-1)
    after_dot = np.where(
        dots > 0, (is_digit & (np.cumsum(is_dot, axis=-1) > 0)).sum(axis=-1), 0
    )
    with np.errstate(invalid="ignore"):
        values = mantissa / 10.0**after_dot
    negative = is_sign[..., 0] & (chars[..., 0] == _MINUS)
    values = np.where(negative, -values, values) + 0.0
    values[lengths == 0] = np.nan
    return values, plain


class Formatter:
    """Score values as output text (``repr``; NaN is empty), each distinct value formatted once
    and kept in a sorted table."""

    def __init__(self) -> None:
        self.known = np.empty(0)
        self.texts: list[bytes] = []

    def codes(self, values: FloatArray) -> IntArray:
        """Each value's index in :attr:`texts` (NaN's text is the last, empty one); any shape."""
        nan = np.isnan(values)
        finite = values[~nan]
        at = np.searchsorted(self.known, finite)
        found = at < self.known.size
        found[found] = self.known[at[found]] == finite[found]
        if not found.all():
            self._learn(np.unique(finite[~found]))
        index = np.searchsorted(self.known, values)
        index[nan] = self.known.size
        return index

    def _learn(self, new: FloatArray) -> None:
        known = np.union1d(self.known, new)
        self.known = known
        self.texts = [repr(v).encode() for v in known.tolist()] + [b""]

    def table(self) -> tuple[bytes, IntArray, IntArray]:
        """All texts as one byte string with each text's start and length (the last is NaN's)."""
        lengths = np.array([len(t) for t in self.texts], dtype=np.int64)
        starts = np.concatenate(([0], np.cumsum(lengths)[:-1])).astype(np.int64)
        return b"".join(self.texts), starts, lengths


def assemble(pieces: Sequence[tuple[bytes, Any, Any]], rows: int) -> bytes:
    """CSV rows from columns of byte ranges: each piece is ``(source, starts, lengths)`` with one
    start and length per row (or one for all rows); fields are joined by commas, rows end with
    ``\\n``."""
    sources = [p[0] for p in pieces] + [b",\n"]
    bases = np.cumsum([0] + [len(s) for s in sources])
    comma, newline = bases[-2], bases[-2] + 1
    count = 2 * len(pieces)
    seg_start = np.empty((rows, count), dtype=np.int64)
    seg_len = np.empty((rows, count), dtype=np.int64)
    for i, (_, starts, lengths) in enumerate(pieces):
        seg_start[:, 2 * i] = np.asarray(starts) + bases[i]
        seg_len[:, 2 * i] = lengths
        seg_start[:, 2 * i + 1] = comma
        seg_len[:, 2 * i + 1] = 1
    seg_start[:, -1] = newline
    lengths = seg_len.ravel()
    out_start = np.cumsum(lengths) - lengths
    gather = np.repeat(seg_start.ravel() - out_start, lengths)
    gather += np.arange(gather.size)
    source = np.frombuffer(b"".join(sources), dtype=np.uint8)
    return source[gather].tobytes()
