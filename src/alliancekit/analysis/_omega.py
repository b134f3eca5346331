"""McDonald's omega total from a one-factor minimum-residual (minres) model, as psych computes it.

psych's ``omega(x, nfactors = 1)`` fits one factor with ``fa(fm = "minres")``: it looks for the
uniquenesses ``psi`` (bounded to ``[0.005, 1]``) at which the leading eigenpair of the
correlation matrix with ``1 - psi`` on its diagonal reproduces that diagonal, loadings
``sqrt(e1) * v1``. It then reports ``omega.tot = (sum(R) - sum(1 - loading**2)) / sum(R)``.

psych reaches that fixed point with L-BFGS-B at its default tolerance, which stops a few 1e-9
short of it. Here the same fixed point is solved to machine precision by Newton's method on
``h = clip(T(h))``, ``h`` the communalities and ``T(h) = e1(h) * v1(h)**2``, using the analytic
derivative of the leading eigenpair. Starting values are psych's: squared multiple correlations.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["omega_total"]

NDArray = Any

#: psych's bounds on the uniquenesses, as bounds on the communalities h = 1 - psi
_H_LOW, _H_HIGH = 0.0, 0.995
_MAX_STEPS = 200


def _smc(cor: NDArray) -> NDArray:
    inverse = np.linalg.pinv(cor, hermitian=True)
    return np.clip(1.0 - 1.0 / np.diag(inverse), 0.0, 1.0)


def _fixed_point_map(cor: NDArray, h: NDArray) -> tuple[NDArray, NDArray]:
    """``T(h)`` and its Jacobian ``dT/dh``."""
    reduced = cor.copy()
    np.fill_diagonal(reduced, h)
    values, vectors = np.linalg.eigh(reduced)
    e1, v1 = values[-1], vectors[:, -1]
    image = e1 * v1 * v1
    # d v1 / d h_j = P[:, j] * v1[j], P = sum over the other eigenpairs of v v' / (e1 - e)
    others = vectors[:, :-1]
    gaps = e1 - values[:-1]
    with np.errstate(divide="ignore"):
        projector = (others / gaps) @ others.T
    squares = v1 * v1
    jacobian = np.outer(squares, squares) + 2.0 * e1 * np.outer(v1, v1) * projector
    return image, jacobian


def _communalities(cor: NDArray) -> NDArray:
    h = np.clip(_smc(cor), _H_LOW, _H_HIGH)
    image, jacobian = _fixed_point_map(cor, h)
    target = np.clip(image, _H_LOW, _H_HIGH)
    residual = np.abs(h - target).max()
    for _ in range(_MAX_STEPS):
        if residual <= 1e-15:
            break
        free = (image > _H_LOW) & (image < _H_HIGH)
        system = np.eye(len(h)) - jacobian * free[:, None]
        try:
            step = np.linalg.solve(system, target - h)
        except np.linalg.LinAlgError:
            step = target - h
        # Newton, halved while it does not reduce the residual; failing that, a plain
        # fixed-point step (iterated principal axes), which always makes progress near a solution.
        for trial in (*(step / 2.0**i for i in range(8)), target - h):
            candidate = np.clip(h + trial, _H_LOW, _H_HIGH)
            c_image, c_jacobian = _fixed_point_map(cor, candidate)
            c_target = np.clip(c_image, _H_LOW, _H_HIGH)
            c_residual = np.abs(candidate - c_target).max()
            if c_residual < residual:
                break
        else:
            break
        h, image, jacobian, target, residual = (
            candidate,
            c_image,
            c_jacobian,
            c_target,
            c_residual,
        )
    return np.asarray(image)


def omega_total(cor: NDArray) -> float:
    """Omega total of the unit-weighted sum of the items whose correlation matrix is ``cor``.

    :returns: ``(sum(cor) - sum(1 - loading**2)) / sum(cor)`` for the one-factor minres loadings.
    """
    squared_loadings = _communalities(cor)
    total = float(cor.sum())
    return (total - float((1.0 - squared_loadings).sum())) / total
