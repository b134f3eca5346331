"""Covariance and correlation matrices of an answer table, as R computes them.

``cov(x, use = "pairwise")``: each entry from the rows where both items are answered, with that
pair's own means and an ``n - 1`` denominator. ``cor(x, use = "pairwise")``: the same, divided by
the pair's own standard deviations (not the items' overall ones, which is what ``cov2cor`` of the
pairwise covariance matrix uses; psych's ``alpha`` uses the latter, its ``omega`` the former).

Everything is done with a few matrix products, never a loop over pairs. Each column is first
centred on its mean, which changes no covariance but keeps the one-pass sums well conditioned.
"""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np

__all__ = ["Moments", "complete_moments", "pairwise_moments"]

NDArray = Any

_BLOCK_ROWS = 65_536


@attrs.frozen(kw_only=True)
class Moments:
    """The second moments of a table.

    :ivar cov: covariances (pairwise-complete where data are missing).
    :ivar cor: correlations, each from its own pair's standard deviations.
    :ivar count: the number of rows behind each entry.
    """

    cov: NDArray
    cor: NDArray
    count: NDArray


def complete_moments(table: NDArray, means: NDArray) -> Moments:
    """Moments of a table without missing values; ``means`` are its column means.

    The centred cross-products are accumulated block by block, so the table is read once more
    and never copied whole.
    """
    n, k = table.shape
    cross = np.zeros((k, k))
    for start in range(0, n, _BLOCK_ROWS):
        block = table[start : start + _BLOCK_ROWS] - means
        cross += block.T @ block
    cov = cross / (n - 1)
    sd = np.sqrt(np.diag(cov))
    with np.errstate(divide="ignore", invalid="ignore"):
        cor = cov / np.outer(sd, sd)
    np.fill_diagonal(cor, 1.0)
    return Moments(cov=cov, cor=np.clip(cor, -1.0, 1.0), count=np.full((k, k), n))


def pairwise_moments(table: NDArray) -> Moments:
    """Pairwise-complete moments of a table whose missing values are NaN."""
    answered = ~np.isnan(table)
    weights = answered.astype(np.float64)
    centred = np.where(answered, table - np.nanmean(table, axis=0), 0.0)
    count = weights.T @ weights
    # sums[i, j]: the sum of item i over the rows where both i and j are answered
    sums = centred.T @ weights
    squares = (centred * centred).T @ weights
    products = centred.T @ centred
    with np.errstate(divide="ignore", invalid="ignore"):
        centred_products = products - sums * sums.T / count
        centred_squares = squares - sums * sums / count
        cov = centred_products / (count - 1)
        cor = centred_products / np.sqrt(centred_squares * centred_squares.T)
    np.fill_diagonal(cor, 1.0)
    return Moments(cov=cov, cor=np.clip(cor, -1.0, 1.0), count=count)
