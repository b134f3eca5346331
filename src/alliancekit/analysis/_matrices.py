"""Covariance and correlation matrices of an answer table, as R computes them.

``cov(x, use = "pairwise")``: each entry from the rows where both items are answered, with that
pair's own means and an ``n - 1`` denominator. ``cor(x, use = "pairwise")``: the same, divided by
the pair's own standard deviations (not the items' overall ones, which is what ``cov2cor`` of the
pairwise covariance matrix uses; psych's ``alpha`` uses the latter, its ``omega`` the former).

The table is read block by block, and each block adds its cross-products to a running total: a
few matrix products per block, never a loop over pairs.
Values are first shifted by the first block's column means, which changes no covariance but keeps
the one-pass sums well conditioned.
"""

from __future__ import annotations

import warnings

import attrs
import numpy as np
import numpy.typing as npt

__all__ = ["Moments", "complete_moments", "pairwise_moments"]

Matrix = npt.NDArray[np.float64]

#: rows per block: 8192 x 12 float64 values (768 KiB) fit in a core's cache
_BLOCK_ROWS = 8192
_PAIRWISE_BLOCK_ROWS = 16_384


@attrs.frozen(kw_only=True)
class Moments:
    """The second moments of a table.

    :ivar cov: covariances (pairwise-complete where data are missing).
    :ivar cor: correlations, each from its own pair's standard deviations.
    :ivar count: the number of rows behind each entry.
    :ivar rows: the number of rows with at least one value.
    """

    cov: Matrix
    cor: Matrix
    count: Matrix
    rows: int


def _shift(table: Matrix) -> Matrix:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a column with no value in the block
        shift = np.nanmean(table[:_BLOCK_ROWS], axis=0)
    return np.where(np.isnan(shift), 0.0, shift)


def complete_moments(table: Matrix) -> Moments:
    """Moments of a table without missing values (at least two rows)."""
    n, k = table.shape
    shift = _shift(table)
    cross = np.zeros((k, k))
    sums = np.zeros(k)
    ones = np.ones(_BLOCK_ROWS)
    buffer = np.empty((_BLOCK_ROWS, k))
    for start in range(0, n, _BLOCK_ROWS):
        block = table[start : start + _BLOCK_ROWS]
        centred = np.subtract(block, shift, out=buffer[: len(block)])
        cross += centred.T @ centred
        sums += ones[: len(block)] @ centred
    cov = (cross - np.outer(sums, sums) / n) / (n - 1)
    sd = np.sqrt(np.diag(cov))
    with np.errstate(divide="ignore", invalid="ignore"):
        cor = cov / np.outer(sd, sd)
    np.fill_diagonal(cor, 1.0)
    return Moments(cov=cov, cor=np.clip(cor, -1.0, 1.0), count=np.full((k, k), float(n)), rows=n)


def pairwise_moments(table: Matrix) -> Moments:
    """Pairwise-complete moments of a table whose missing values are NaN."""
    n, k = table.shape
    shift = _shift(table)[:, None]
    products, count = np.zeros((k, k)), np.zeros((k, k))
    # sums_squares[:k][i, j]: the sum of item i over the rows where both i and j are answered;
    # sums_squares[k:][i, j]: the same for its square
    sums_squares = np.zeros((2 * k, k))
    rows = 0
    size = min(n, _PAIRWISE_BLOCK_ROWS)
    # Work arrays made once, one item per row (the block is transposed once, on reading): the
    # element-wise passes then run over contiguous memory, and the values sit above their
    # squares, so one product gives both sums.
    both = np.empty((2 * k, size))
    answered = np.empty((k, size))
    missing = np.empty((k, size), dtype=np.bool_)
    ones = np.ones(k)
    for start in range(0, n, size):
        block = table[start : start + size]
        m = len(block)
        values, squares, miss = both[:k, :m], both[k:, :m], missing[:, :m]
        np.subtract(block.T, shift, out=values)
        np.isnan(values, out=miss)
        np.copyto(values, 0.0, where=miss)
        np.multiply(values, values, out=squares)
        present = answered[:, :m]
        np.logical_not(miss, out=present, casting="unsafe")
        # Three products: values'values, [values, squares]'answered, answered'answered.
        products += values @ values.T
        sums_squares += both[:, :m] @ present.T
        count += present @ present.T
        rows += m - int(np.count_nonzero(ones @ present == 0.0))
    sums, squares = sums_squares[:k], sums_squares[k:]
    with np.errstate(divide="ignore", invalid="ignore"):
        centred_products = products - sums * sums.T / count
        centred_squares = squares - sums * sums / count
        cov = centred_products / (count - 1)
        cor = centred_products / np.sqrt(centred_squares * centred_squares.T)
    np.fill_diagonal(cor, 1.0)
    return Moments(cov=cov, cor=np.clip(cor, -1.0, 1.0), count=count, rows=rows)
