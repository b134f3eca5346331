"""Vectorised CSV for quote-free chunks (NumPy): the fast path of ``alliancekit score``.

A chunk of CSV without a quote character or a carriage return is a plain grid: fields end at a
comma or a line feed. Such a chunk is split into field boundaries with NumPy, its answer fields
read as numbers without making a Python object per cell, and output rows are assembled from byte
ranges: the untouched fields of the input and the text of each score value. Every answer field
that is not a plain decimal number (``4``, ``-2``, ``8.7``; no spaces, no exponent, at most 15
digits) is read by :func:`~alliancekit.scoring.parse_text`, as on the general path, so both paths
read every cell the same way, and a plain decimal is the correctly rounded float of its digits,
as ``float(text)`` is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from alliancekit.files._streaming import read_cell

__all__ = ["Fields", "Formatter", "Grid", "Texts", "assemble", "make_grid", "text_table"]

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
        first, last = min(columns), max(columns)
        if list(columns) == list(range(first, last + 1)):  # side by side: views, not copies
            starts = self.starts[:, first : last + 1]
            lengths = self.ends[:, first : last + 1] - starts
        else:
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


#: Lines longer than this are read by the text path: the grid's per-field work arrays grow
#: with the longest field, so one huge cell would cost many times its size.
MAX_GRID_LINE = 1 << 16


def make_grid(data: bytes, width: int) -> Grid | None:
    """Split ``data`` (complete lines ending in ``\\n``, no quote, no carriage return) into
    fields; ``None`` when a line is blank or has another number of fields than ``width``, or
    the data holds a NUL byte (the output assembly pads with NUL)."""
    if b"\0" in data:
        return None
    array = np.frombuffer(data, dtype=np.uint8)
    newlines = array == _NEWLINE
    separators = array == _COMMA
    separators |= newlines
    flat_ends = np.flatnonzero(separators)
    if flat_ends.size == 0 or flat_ends.size % width:
        return None
    ends = flat_ends.reshape(-1, width)
    # Every row's last field ends a line, and no other field does.
    if np.count_nonzero(newlines) != ends.shape[0]:
        return None
    if not (array[ends[:, -1]] == _NEWLINE).all():
        return None
    if ends.shape[0] and int(np.diff(ends[:, -1], prepend=-1).max()) > MAX_GRID_LINE:
        return None  # a very long line: the text path holds it at a few times its size
    starts = np.empty_like(ends)
    flat = starts.reshape(-1)
    flat[0] = 0
    np.add(ends.reshape(-1)[:-1], 1, out=flat[1:])
    if width == 1 and (ends[:, 0] == starts[:, 0]).any():
        return None  # a blank line (one empty field alone): the csv module skips those
    return Grid(data, array, starts, ends)


def _plain_decimals(
    array: npt.NDArray[np.uint8], starts: IntArray, lengths: IntArray, width: int
) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
    """Read every field that is a plain decimal (``[+-]?digits[.digits]``, at most 15 digits) or
    empty; the others are marked not plain."""
    if width == 1:  # one character at most: a digit or nothing (the usual ordinal answer)
        digit = array[starts] - np.uint8(_ZERO)
        empty = lengths == 0
        plain = empty | (digit <= 9)
        values = digit.astype(np.float64)
        values[empty] = np.nan
        return values, plain
    positions = np.arange(width, dtype=np.int64)
    inside = positions < lengths[..., None]
    index = np.minimum(starts[..., None] + positions, array.size - 1)
    chars = np.where(inside, array[index], np.uint8(0))
    digit = chars - np.uint8(_ZERO)
    is_digit = inside & (digit <= 9)
    is_dot = inside & (chars == _DOT)
    is_sign = inside & (positions == 0) & ((chars == _MINUS) | (chars == _PLUS))
    digits = is_digit.sum(axis=-1)
    dots = is_dot.sum(axis=-1)
    plain = (is_digit | is_dot | is_sign | ~inside).all(axis=-1) & (lengths <= width)
    plain &= (dots <= 1) & (digits <= _MAX_DIGITS) & ((digits > 0) | (lengths == 0))
    # Place value of each digit: 10 ** (digits to its right); then divide by 10 ** decimals.
    right = np.cumsum(is_digit[..., ::-1], axis=-1)[..., ::-1] - is_digit
    mantissa = (np.where(is_digit, digit, 0) * _POWERS[right]).sum(axis=-1)
    after_dot = (is_digit & (np.cumsum(is_dot, axis=-1) > 0)).sum(axis=-1)
    values = mantissa / _POWERS[after_dot]
    negative = is_sign[..., 0] & (chars[..., 0] == _MINUS)
    values = np.where(negative, -values, values) + 0.0
    values[lengths == 0] = np.nan
    return values, plain


_POWERS = 10.0 ** np.arange(_MAX_DIGITS + 3)


class Formatter:
    """Score values as output text (``repr``; NaN is empty), each distinct value formatted once
    and kept in a sorted table of at most :attr:`LIMIT` values (then started afresh).

    A value's text is found through a hash of its bits (a few array passes); a value the hash
    does not hold (a new value, one that lost its slot to another, a NaN with another payload,
    ``-0.0``) is looked up in the sorted table, as every value once was (the binary search costs
    about four times the hash: 7.6 ms against 2.0 ms for 150,000 values of 300 distinct ones)."""

    LIMIT = 65536
    _MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: odd, bits well spread

    def __init__(self) -> None:
        self.known = np.empty(0)
        self.texts: list[bytes] = [b""]
        self._table: npt.NDArray[np.uint8] | None = None
        self._hash: tuple[np.uint64, npt.NDArray[np.uint64], npt.NDArray[np.intp]] | None = None

    def codes(self, values: FloatArray) -> IntArray:
        """Each value's index in :attr:`texts` (NaN's text is the last, empty one); any shape."""
        index, missed = self._hashed(values)
        if missed is None:
            return index
        rest = values[missed]
        looked_up = np.searchsorted(self.known, rest)  # NaN sorts last: the empty text
        new = ~np.isnan(rest)
        if self.known.size:
            new &= self.known[np.minimum(looked_up, self.known.size - 1)] != rest
        if new.any():
            if self.known.size < self.LIMIT:
                self.known = _distinct(np.concatenate([self.known, rest[new]]))[0]
            else:  # start afresh with this chunk's values
                self.known = _distinct(values[~np.isnan(values)])[0]
            self.texts = [repr(v).encode() for v in self.known.tolist()] + [b""]
            self._table = None
            self._hash = None
            return self.codes(values)  # every value is known now: this does not recurse again
        index[missed] = looked_up
        return index

    def _hashed(self, values: FloatArray) -> tuple[IntArray, npt.NDArray[np.bool_] | None]:
        """The codes the hash finds, and where it found none (``None``: it found them all)."""
        if self._hash is None:
            self._hash = self._build_hash()
        shift, keys, codes = self._hash
        bits = np.ascontiguousarray(values).view(np.uint64)
        slots = (bits * self._MULTIPLIER) >> shift
        missed = keys[slots] != bits
        index: IntArray = codes[slots]
        return index, (missed if np.logical_or.reduce(missed, axis=None) else None)

    def _build_hash(self) -> tuple[np.uint64, npt.NDArray[np.uint64], npt.NDArray[np.intp]]:
        """A table of at least four slots per known value; where values share a slot, the first
        keeps it (NumPy does not say which of repeated indices an assignment keeps, so each slot
        is assigned once). Empty slots hold NaN's bits and text."""
        b = max(4, (4 * int(self.known.size)).bit_length())
        shift = np.uint64(64 - b)
        bits = self.known.view(np.uint64)
        slots, first = _distinct((bits * self._MULTIPLIER) >> shift)
        keys = np.full(2**b, np.float64(np.nan)).view(np.uint64)
        codes = np.full(2**b, len(self.texts) - 1, dtype=np.intp)
        keys[slots] = bits[first]
        codes[slots] = first
        return shift, keys, codes

    def table(self) -> npt.NDArray[np.uint8]:
        """:attr:`texts` as a NUL-padded byte matrix (see :func:`text_table`), kept until the
        texts change."""
        if self._table is None:
            self._table = text_table(self.texts)
        return self._table


def _distinct(values: npt.NDArray[Any]) -> tuple[npt.NDArray[Any], IntArray]:
    """The distinct values of a 1-D array, sorted, and where each first occurs: what
    ``np.unique(values, return_index=True)`` gives, without the ``numpy.ma`` import it makes
    (about 10 ms of every start-up)."""
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    first = np.empty(ordered.size, dtype=np.bool_)
    first[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    return ordered[first], order[first]


def text_table(texts: Sequence[bytes]) -> npt.NDArray[np.uint8]:
    """Texts as the rows of a NUL-padded byte matrix (for :func:`assemble`)."""
    width = max((len(t) for t in texts), default=0)
    matrix = np.zeros((len(texts), max(width, 1)), dtype=np.uint8)
    for row, text in enumerate(texts):
        matrix[row, : len(text)] = np.frombuffer(text, dtype=np.uint8)
    return matrix[:, :width]


@dataclass
class Fields:
    """A column of output taken from the input: byte ranges of a grid."""

    grid: Grid
    starts: IntArray
    ends: IntArray


@dataclass
class Texts:
    """A column of output taken from a table of texts: each row's text index."""

    table: npt.NDArray[np.uint8]
    codes: IntArray


def assemble(columns: Sequence[Fields | Texts], rows: int) -> bytes:
    """CSV rows (fields joined by commas, ``\\n`` ends) from columns of bytes.

    Each column is copied into its own slots of a NUL-padded byte matrix (rows x slots), and the
    NULs are squeezed out (the input holds none: see :func:`make_grid`). A column of input
    fields is read through a sliding window over the input bytes, one row of the window per
    output row, so no index is built per byte.
    """
    slots = []
    separator = np.full((rows, 1), _COMMA, dtype=np.uint8)
    text_lengths: dict[int, IntArray] = {}  # by table: the score columns share one
    for column in columns:
        if isinstance(column, Texts):
            # Only as wide as the longest text this column uses.
            lengths = text_lengths.get(id(column.table))
            if lengths is None:
                lengths = text_lengths[id(column.table)] = np.count_nonzero(column.table, axis=1)
            width = int(lengths[column.codes].max(initial=0))
            if width:
                slots.append(column.table[:, :width][column.codes])
        else:
            lengths = column.ends - column.starts
            width = int(lengths.max(initial=0))
            if width:
                source = column.grid.array
                if int(column.starts.max()) + width > source.size:  # the window would run off
                    source = np.concatenate([source, np.zeros(width, dtype=np.uint8)])
                field = np.lib.stride_tricks.sliding_window_view(source, width)[column.starts]
                field[np.arange(width) >= lengths[:, None]] = 0
                slots.append(field)
        slots.append(separator)
    slots[-1] = np.full((rows, 1), _NEWLINE, dtype=np.uint8)
    # (NumPy squeezes the NULs out without holding the GIL, as bytes.translate would.)
    matrix = np.concatenate(slots, axis=1).reshape(-1)
    squeezed: bytes = matrix[matrix != 0].tobytes()
    return squeezed
