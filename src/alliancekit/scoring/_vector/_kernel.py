"""The NumPy kernel behind :func:`~alliancekit.scoring.score_table`: exact scores for many rows.

It gives exactly what :meth:`ScoringPlan.score_values` gives, row by row, because it computes the
same rational numbers: every answer becomes an integer ``k`` over ``10**d`` (``8.7`` is 87/10,
checked cell by cell), every score a numerator over a denominator that are both integers held
exactly in float64 (below 2**53, proved before computing from the scale's ranges), and the float
of a score is one correctly rounded division, as ``float(Fraction)`` is. Where exactness cannot be
proved (a plugin method, huge bounds, a mark with more decimals than fit) the caller falls back to
the exact per-row path.

Rows are processed in blocks that stay in cache, with work arrays kept per thread between calls;
item sums are one matrix product per block. A block whose answers are all given and valid
(checked first, in a few passes) takes a short path: the product is written straight into the
output rows. An integer table is checked in its own type and summed in float32 when every sum is
exact there, with no float64 copy. A block of ordinal items with missing answers is scored in
one pass too: NaN becomes 0, and a second product with the missing cells counts each set's
missing members and takes back a missing reversed item's share of the offsets. Any other block
(marks, bad answers) takes the general path, which re-sums the rows with a missing answer on
their own and finds the bad rows.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from alliancekit.scoring._vector._arithmetic import (
    Exact,
    NotExact,
    check_ranges,
    checked,
    combine,
    integer_weights,
)

if TYPE_CHECKING:
    from alliancekit.scoring._compiled import CompiledScore
    from alliancekit.scoring._plan import ScoringPlan
from alliancekit.scoring._exact import exact
from alliancekit.scoring._vector._validation import ResponseSetCheck

__all__ = ["BLOCK_ROWS", "Block", "Kernel", "NotExact"]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.integer[Any]]

#: Rows per block: small enough that a block of 12 items (768 KiB) stays in cache.
BLOCK_ROWS = 8192
_MAX_DECIMALS = 9


@dataclass
class Block:
    """What the kernel made of a block of rows.

    :ivar values: score values, one row per score in plan order (NaN: no value); the ``out``
        array given to :meth:`Kernel.block`.
    :ivar bad: rows with an answer that is not valid (``None``: none).
    :ivar inexact: rows with a mark that has too many decimals for the kernel (``None``: none).
    """

    values: FloatArray
    bad: BoolArray | None
    inexact: BoolArray | None


class _Scratch:
    """Reusable work arrays for blocks of up to ``rows`` rows of ``items`` answers."""

    def __init__(self, rows: int, items: int, sets: int) -> None:
        self.rows = rows
        self.work = np.empty((rows, items))
        self.cells64 = np.empty((rows, items))
        self.missing = np.empty((rows, items))
        self.missing32 = np.empty((rows, items), dtype=np.float32)
        self.flags2 = np.empty((rows, items), dtype=np.bool_)
        self.cells32 = np.empty((rows, items), dtype=np.float32)
        self.flags = np.empty((rows, items), dtype=np.bool_)
        self.sums = np.empty((sets, rows))
        self.sums32 = np.empty((sets, rows), dtype=np.float32)


@dataclass
class _Matrices:
    """For answers scaled by ``10**d``: ``raw`` sums unkeyed columns into keyed set sums (a
    reversed column enters with ``-c``, plus ``offsets``); ``keyed`` sums keyed columns;
    ``members`` counts answered members; ``reversed`` gives each answered reversed member's
    share of ``offsets`` (the offsets of a row with missing answers); ``bounds`` bounds each
    set's sum."""

    raw: FloatArray
    keyed: FloatArray
    members: FloatArray
    reversed: FloatArray
    offsets: FloatArray
    bounds: list[int]

    def __post_init__(self) -> None:
        #: members (counting missing ones) beside the reversed shares: one product
        self.lost = np.hstack([self.members, self.reversed])
        # (float32 when every sum of its columns is an integer below 2**24)
        exact32 = np.abs(self.lost).sum(axis=0).max(initial=0) < 2**24
        self.lost32 = self.lost.astype(np.float32) if exact32 else None
        self.sizes = self.members.sum(axis=0)[:, None]
        self.offsets = self.offsets[:, None]
        # Every partial sum of integer answers is an integer no larger than the set's bound, so
        # below 2**24 float32 adds them exactly, in any order.
        self.raw32 = self.raw.astype(np.float32) if max(self.bounds) < 2**24 else None
        self.offsets32 = self.offsets.astype(np.float32)  # (each below its set's bound)


def _product(cells: Any, matrix: Any, out: Any = None) -> Any:
    """``(cells @ matrix).T``: one row per column of ``matrix`` (each row contiguous), one
    column per row of ``cells``; written into ``out`` when given. The product is computed in
    the orientation BLAS does fastest for a tall block and a small matrix."""
    if out is None:
        out = np.empty((matrix.shape[1], cells.shape[0]), dtype=np.result_type(cells, matrix))
    np.matmul(cells, matrix, out=out.T)
    return out


def _decimals(number: float) -> int:
    """How many decimals the exact value of a document number has (``0.25`` -> 2)."""
    value = Fraction(exact(number))
    d = 0
    while (value * 10**d).denominator != 1:
        d += 1
    return d


class _Sums:
    """The distinct weighted item sets of a scale's item scores: columns of one matrix."""

    def __init__(self, plan: ScoringPlan) -> None:
        self.index: dict[tuple[tuple[int, ...], tuple[int, ...]], int] = {}
        self.sets: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
        self.scale_of: dict[int, int] = {}  # score index -> weight scale (lcm of denominators)
        self.set_of: dict[int, int] = {}
        for i, compiled in enumerate(plan.scores):
            if not compiled.by_items:
                continue
            coefficients, weight_scale = integer_weights(compiled)
            key = (compiled.positions, coefficients)
            if key not in self.index:
                self.index[key] = len(self.sets)
                self.sets.append(key)
            self.set_of[i] = self.index[key]
            self.scale_of[i] = weight_scale


class Kernel:
    """Exact vectorised scoring of float64 tables for one scoring plan.

    :raises NotExact: when the plan uses a plugin method.
    """

    def __init__(self, plan: ScoringPlan) -> None:
        if any(s.kind is None for s in plan.scores):
            raise NotExact("a plugin scoring method is scored row by row")
        self.plan = plan
        checks = plan.item_checks
        m = len(checks)
        by_set: dict[tuple[bool, float, float, frozenset[int]], list[int]] = {}
        for c in checks:
            by_set.setdefault((c.ordinal, c.low, c.high, c.allowed), []).append(c.index)
        self.groups = [ResponseSetCheck(cols, m, *key) for key, cols in by_set.items()]
        self.continuous = [c.index for c in checks if not c.ordinal]
        self.min_decimals = max(
            [_decimals(c.low) for c in checks] + [_decimals(c.high) for c in checks]
        )
        self.magnitude = [
            max(abs(Fraction(exact(c.low))), abs(Fraction(exact(c.high)))) for c in checks
        ]
        limit = max(self.magnitude) or 1
        self.max_decimals = min(_MAX_DECIMALS, int(math.log10(10**15 / limit)))
        self.reverse = {
            c.index: Fraction(c.reverse_sum) for c in checks if c.reverse_sum is not None
        }
        self.sums = _Sums(plan)
        #: scores that are a sum or mean of items, with no transform (their values are always
        #: in range) -> the divisor of a complete row's integer set sum (one division or none)
        self.plain = {
            i: self.sums.scale_of[i] * (c.size if c.kind == "mean" else 1)
            for i, c in enumerate(plan.scores)
            if c.by_items and c.kind in {"sum", "mean"} and c.transform is None
        }
        self.checked = [i for i in range(len(plan.scores)) if i not in self.plain]
        #: every score plain: a complete block's score ``i`` is set sum ``j`` over ``den``
        self._complete_ops = None
        if not self.checked:
            self._complete_ops = [(i, self.sums.set_of[i], den) for i, den in self.plain.items()]
        self.weighted = any(c.weights is not None for c in plan.scores)
        if self.min_decimals > self.max_decimals:
            raise NotExact("the response sets' bounds have too many decimals")
        self._by_decimals: dict[int, _Matrices] = {}
        self._local = threading.local()
        #: every score a sum (maybe prorated, unrounded) or mean of unweighted items with no
        #: transform: a block with missing answers then takes :meth:`_answered_values`
        self._simple_missing = all(
            c.by_items
            and c.transform is None
            and c.weights is None
            and ((c.kind == "sum" and c.round is None) or (c.kind == "mean" and not c.prorate))
            for c in plan.scores
        )
        #: one response set for every column: the first reduction of a block tells whether
        #: anything is missing
        self._single = len(self.groups) == 1 and self.groups[0].columns is None
        self._last_decimals = self.min_decimals
        self._fast = not self.continuous  # every item ordinal: answers are integers (d = 0)
        #: the first scores are plain sums of the item sets, in set order: the set sums can be
        #: written straight into their rows of ``out``
        self._direct = all(
            i in self.plain
            and self.sums.set_of.get(i) == i
            and self.sums.scale_of[i] == 1
            and plan.scores[i].kind == "sum"
            for i in range(len(self.sums.sets))
        )
        #: complete valid rows need no offsets: none is set, and no product of a valid answer
        #: and a set's coefficient is zero, so no sum is -0.0 (only -0.0 + -0.0 gives -0.0)
        self._no_offsets = (
            not self.reverse
            and all(c.low > 0 or c.high < 0 for c in checks)
            and all(any(coefficients) for _, coefficients in self.sums.sets)
        )

    # -- per number of decimals ---------------------------------------------------------------

    def _matrices(self, d: int) -> _Matrices:
        """The summing matrices for answers scaled by ``10**d`` (see :class:`_Matrices`).

        :raises NotExact: when a sum could leave the exact range of float64.
        """
        cached = self._by_decimals.get(d)
        if cached is not None:
            return cached
        shape = (len(self.plan.item_ids), len(self.sums.sets))
        raw, keyed, members = np.zeros(shape), np.zeros(shape), np.zeros(shape)
        reversed_share = np.zeros(shape)
        offsets = np.zeros(shape[1])
        bounds = []
        for j, (positions, coefficients) in enumerate(self.sums.sets):
            offset = Fraction(0)
            bound = 0
            for column, c in zip(positions, coefficients, strict=True):
                keyed[column, j] = c
                members[column, j] = 1
                reverse = self.reverse.get(column)
                if reverse is None:
                    raw[column, j] = c
                else:
                    raw[column, j] = -c
                    offset += c * reverse * 10**d
                    share = c * reverse * 10**d
                    assert share.denominator == 1
                    reversed_share[column, j] = int(share)
                bound += abs(c) * math.ceil(2 * self.magnitude[column] * 10**d)
            assert offset.denominator == 1  # d covers the decimals of every bound
            offsets[j] = int(offset)
            bounds.append(bound + abs(int(offset)))
        checked(*bounds)
        matrices = _Matrices(raw, keyed, members, reversed_share, offsets, bounds)
        self._by_decimals[d] = matrices
        return matrices

    def _scale_marks(self, block: FloatArray) -> tuple[int, FloatArray, BoolArray | None]:
        """Choose ``d`` so that every mark is an integer over ``10**d``; return the block scaled
        by ``10**d`` (exact integers, NaN kept) and the rows no ``d`` fits."""
        if not self.continuous:
            return 0, block, None
        cells = block[:, self.continuous]
        missing = np.isnan(cells)
        d = max(self._last_decimals, self.min_decimals)
        while True:
            p = 10.0**d
            with np.errstate(invalid="ignore", over="ignore"):
                scaled = np.rint(cells * p)
                fits = (scaled / p == cells) | missing
            if fits.all():
                break
            if d >= self.max_decimals:
                self._last_decimals = d
                return d, np.rint(block * p), ~fits.all(axis=1)
            d += 1
        self._last_decimals = d
        return d, (block if d == 0 else np.rint(block * p)), None

    # -- a block ------------------------------------------------------------------------------

    def scratch(self, rows: int) -> _Scratch:
        """Scratch arrays for :meth:`block` on blocks of up to ``rows`` rows: this thread's,
        kept between calls (fresh arrays cost page faults that dominate small tables)."""
        local = self._local.__dict__
        found: _Scratch | None = local.get("scratch")
        if found is None or found.rows < rows:
            found = _Scratch(rows, len(self.plan.item_ids), len(self.sums.sets))
            local["scratch"] = found
        return found

    def block(
        self,
        block: FloatArray,
        out: FloatArray,
        scratch: _Scratch | None = None,
    ) -> Block:
        """Validate and score a C-contiguous float64 block (rows x items in item order) into
        ``out`` (scores x rows; each row contiguous), with ``scratch`` from :meth:`scratch`.

        :raises NotExact: when exactness cannot be proved for this block.
        :raises ScoringError: when a score leaves its range (inconsistent scoring rules).
        """
        if scratch is None:
            scratch = self.scratch(block.shape[0])
        with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
            if self._fast:
                rows = block.shape[0]
                flat = block.reshape(-1)
                # One pass tells whether any answer is missing (NaN), and the ranges follow.
                probe = np.minimum.reduce(flat) if self._single else np.add.reduce(flat)
                if probe == probe:
                    if self._complete_and_valid(block, scratch, probe if self._single else None):
                        return self._complete_block(block, out, scratch)
                else:
                    missing = scratch.flags[:rows]
                    np.isnan(block, out=missing)
                    done = self._missing_block(block, missing, out, scratch)
                    if done is not None:
                        return done
            return self._general_block(block, out)

    def int_block(self, block: IntArray, out: FloatArray, scratch: _Scratch) -> Block | None:
        """:meth:`block` for a C-contiguous block of integers (no answer can be missing):
        validated and summed without a float64 copy; ``None`` when an answer is not valid (the
        caller then scores the block as float64, which finds the bad rows)."""
        if not self._fast:
            return None
        for g in self.groups:
            if not g.all_valid_integers(g.cells(block)):
                return None
        if self._complete_ops is not None:  # divisions by constants: nothing to silence
            return self._complete_block(block, out, scratch)
        with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
            return self._complete_block(block, out, scratch)

    def _general_block(self, block: FloatArray, out: FloatArray) -> Block:
        """Any float64 block: marks scaled to integers, bad and inexact rows found."""
        d, scaled, inexact = self._scale_marks(block)
        matrices = self._matrices(d)
        # One row per item set, one column per response: each set's sums are contiguous.
        sums = _product(scaled, matrices.raw)
        # Adding the offsets (or 0) also turns a sum of -0.0 answers into 0.0, as exact
        # arithmetic has no negative zero.
        sums += matrices.offsets
        values = self._values(sums, None, d, matrices, out)
        missing = None
        if np.isnan(np.add.reduce(sums, axis=None)):
            # Rows with a missing answer: a NaN spoils every sum of its row (NaN * 0 is
            # NaN), so they are summed again over their answered items, and counted.
            index = np.flatnonzero(np.isnan(sums).any(axis=0))
            sub = scaled[index]
            for column, reverse in self.reverse.items():
                sub[:, column] = float(reverse * 10**d) - sub[:, column]
            missing = np.isnan(sub)
            present = (~missing).astype(np.float64)
            np.copyto(sub, 0.0, where=missing)
            counts = _product(present, matrices.members)
            weights = _product(present, matrices.keyed) if self.weighted else counts
            answered = (counts, weights)
            sub_sums = _product(sub, matrices.keyed)
            sub_sums += 0.0
            values[:, index] = self._values(sub_sums, answered, d, matrices, None)
        bad = self._validate(block, missing)
        if self.checked:
            skip = bad if inexact is None else inexact if bad is None else bad | inexact
            check_ranges(self.plan, self.checked, values if skip is None else values[:, ~skip])
        return Block(values=values, bad=bad, inexact=inexact)

    def _complete_and_valid(self, block: FloatArray, scratch: _Scratch, low: Any = None) -> bool:
        """Whether every answer of an all-ordinal block is given and valid (``low``: the
        block's minimum, when it is one group's and known)."""
        rows = block.shape[0]
        for g in self.groups:
            cells = g.cells(block)
            if g.columns is None:
                work, flags = scratch.work[:rows], scratch.flags[:rows]
            else:
                work, flags = np.empty(cells.shape), np.empty(cells.shape, dtype=np.bool_)
            if not g.all_valid(cells, work, flags, low):
                return False
        return True

    def _complete_block(self, block: Any, out: FloatArray, scratch: _Scratch) -> Block:
        """Score a block whose answers are all given and valid (checked before): one matrix
        product and one division per mean. An integer block is summed in float32 when every
        sum is exact there (see :class:`_Matrices`), else in float64."""
        matrices = self._matrices(0)
        rows = block.shape[0]
        sets = len(self.sums.sets)
        sums = out[:sets] if self._direct else scratch.sums[:, :rows]
        if block.dtype != np.float64 and matrices.raw32 is not None:
            cells32 = scratch.cells32[:rows]
            np.copyto(cells32, block)  # integers: exact in float32
            sums32 = _product(cells32, matrices.raw32, scratch.sums32[:, :rows])
            if not self._no_offsets:  # still exact: every sum is below its bound
                sums32 += matrices.offsets32
            np.copyto(sums, sums32)
        else:
            if block.dtype != np.float64:
                cells = scratch.work[:rows]
                np.copyto(cells, block)
                block = cells
            _product(block, matrices.raw, sums)
            if not self._no_offsets:
                sums += matrices.offsets
        if self._complete_ops is None:
            values = self._values(sums, None, 0, matrices, out, direct=self._direct)
            if self.checked:
                check_ranges(self.plan, self.checked, values)
            return Block(values=values, bad=None, inexact=None)
        for i, j, den in self._complete_ops:  # _values for plain scores and d = 0, in short
            if den != 1:
                np.divide(sums[j], den, out=out[i])
            elif not (self._direct and i == j):
                out[i] = sums[j]
        return Block(values=out, bad=None, inexact=None)

    def _missing_block(
        self, block: FloatArray, missing: BoolArray, out: FloatArray, scratch: _Scratch
    ) -> Block | None:
        """Score an all-ordinal block with missing answers in one pass over every row:
        ``missing`` marks the NaN cells. A missing answer counts as 0, a
        reversed answer's share of the offsets is taken back where it is missing, and each set's
        missing members are counted by a product with ``missing``.
        ``None`` when an answer is not valid (the general path then finds the bad rows)."""
        rows = block.shape[0]
        for g in self.groups:
            if not g.in_range(g.cells(block)):
                return None
        filled = scratch.work[:rows]
        np.copyto(filled, block)
        np.copyto(filled, 0.0, where=missing)
        for g in self.groups:
            if not g.whole(g.cells(filled), scratch, rows):
                return None
        matrices = self._matrices(0)
        sums = _product(filled, matrices.raw)
        if matrices.lost32 is not None:  # counts and shares are small integers: exact
            cells: Any = scratch.missing32[:rows]
            np.copyto(cells, missing)
            lost = _product(cells, matrices.lost32)
        else:
            cells = scratch.missing[:rows]
            np.copyto(cells, missing)
            lost = _product(cells, matrices.lost)
        sets = len(self.sums.sets)
        counts = matrices.sizes - lost[:sets]
        if self.reverse:
            sums += matrices.offsets
            sums -= lost[sets:]
        sums += 0.0  # no negative zero
        if self._simple_missing:
            values = self._answered_values(sums, counts, matrices, out)
            return Block(values=values, bad=None, inexact=None)
        present = np.logical_not(missing).astype(np.float64)
        weights = _product(present, matrices.keyed) if self.weighted else counts
        values = self._values(sums, (counts, weights), 0, matrices, out)
        if self.checked:
            check_ranges(self.plan, self.checked, values)
        return Block(values=values, bad=None, inexact=None)

    def _answered_values(
        self, sums: FloatArray, counts: FloatArray, matrices: _Matrices, out: FloatArray
    ) -> FloatArray:
        """The values of simple scores (see ``_simple_missing``) from each set's sum and count
        of answered items, every row alike: a prorated sum is ``sum * n / answered``, a mean
        ``sum / answered``, a sum ``sum``, each NaN below the answers it needs (a row with no
        answer divides 0 by 0, also NaN). Each is one
        correctly rounded operation on exact integers, as ``float(Fraction)`` is; for a complete
        row ``sum * n / n`` is exactly ``sum`` (a representable quotient is exact)."""
        failing: dict[tuple[int, int], Any] = {}
        for i, compiled in enumerate(self.plan.scores):
            j = self.sums.set_of[i]
            n, need = compiled.size, compiled.need
            if compiled.kind == "sum" and compiled.prorate:
                checked(matrices.bounds[j] * n)
                np.multiply(sums[j], float(n), out=out[i])
                np.divide(out[i], counts[j], out=out[i])
            elif compiled.kind == "mean":
                np.divide(sums[j], counts[j], out=out[i])
            else:
                out[i] = sums[j]
            # rows with too few answers get no value (rare: found first, then set)
            key = (j, need)
            rows = failing.get(key)
            if rows is None:
                below = counts[j] < need
                rows = np.flatnonzero(below) if np.logical_or.reduce(below) else None
                failing[key] = rows
            if rows is not None:
                out[i][rows] = np.nan
        return out

    def _values(
        self,
        sums: FloatArray,
        answered: tuple[FloatArray, FloatArray] | None,
        d: int,
        matrices: _Matrices,
        out: FloatArray | None,
        direct: bool = False,
    ) -> FloatArray:
        """Every score's values (into ``out`` when given) from the set sums (sets x rows) and,
        for rows with a missing answer, each set's answered count and weight (``None``: every
        item answered). ``direct``: ``sums`` are the first rows of ``out`` already."""
        values = np.empty((len(self.plan.scores), sums.shape[1])) if out is None else out
        vectors: list[Exact] = []
        for i, compiled in enumerate(self.plan.scores):
            if compiled.by_items:
                j = self.sums.set_of[i]
                if i in self.plain and (answered is None or compiled.need == compiled.size):
                    # A plain sum or mean that needs every item: one exact division (or none),
                    # and no value where an item is missing.
                    den = 10**d * self.plain[i]
                    if den == 1:
                        if not (direct and i == j):  # (else already there)
                            values[i] = sums[j]
                    else:
                        np.divide(sums[j], den, out=values[i])
                    num = sums[j]
                    if answered is not None:
                        incomplete = answered[0][j] < compiled.size
                        values[i][incomplete] = np.nan
                        num = np.where(incomplete, np.nan, num)
                    vectors.append(Exact(num, den, den, matrices.bounds[j], den))
                    continue
                counts = weights = None
                if answered is not None:
                    counts, weights = answered[0][j], answered[1][j]
                vector = combine(
                    compiled,
                    sums[j],
                    counts,
                    weights,
                    self.sums.sets[j][1],
                    10**d * self.sums.scale_of[i],
                    matrices.bounds[j],
                )
            else:
                vector = self._composite(compiled, [vectors[p] for p in compiled.positions])
            vectors.append(vector)
            np.divide(vector.num, vector.den, out=values[i])
            values[i] += 0.0  # no negative zero (a product with a negative weight can give one)
        return values

    def _validate(self, block: FloatArray, missing: BoolArray | None) -> BoolArray | None:
        """The rows with a bad answer, or ``None`` when every answer is valid.

        :param missing: the NaN cells of the rows that have any (``None``: no NaN at all).
        """
        for g in self.groups:
            count = 0 if missing is None else int(np.count_nonzero(g.cells(missing)))
            if g.any_bad(g.cells(block), count):
                break
        else:
            return None
        bad = np.zeros(block.shape[0], dtype=np.bool_)
        for g in self.groups:
            bad |= g.bad_rows(g.cells(block))
        return bad

    def _composite(self, compiled: CompiledScore, members: list[Exact]) -> Exact:
        lcms = [m.den_lcm for m in members]
        if any(v is None for v in lcms):
            raise NotExact("a score of prorated weighted scores is scored row by row")
        common = math.lcm(*lcms)  # type: ignore[arg-type]
        columns = []
        bound = 0
        coefficients, weight_scale = integer_weights(compiled)
        for member, c, source in zip(
            members, coefficients, compiled.definition.scores, strict=True
        ):
            low, high = self.plan.scale.score_definition(source).range
            magnitude = math.ceil(
                max(abs(Fraction(exact(low))), abs(Fraction(exact(high)))) * common
            )
            bound += abs(c) * magnitude
            checked(magnitude, common)
            factor = common // member.den if isinstance(member.den, int) else common / member.den
            columns.append(member.num * factor)
        checked(bound)
        values = np.column_stack(columns)
        missing = np.isnan(values)
        c_array = np.array(coefficients, dtype=np.float64)
        counts = weights = None
        if missing.any():
            present = (~missing).astype(np.float64)
            counts = present.sum(axis=1)
            weights = present @ c_array
            values = np.where(missing, 0.0, values)
        sums = values @ c_array
        return combine(compiled, sums, counts, weights, coefficients, common * weight_scale, bound)
